import { Type } from '@sinclair/typebox';
import { BudgetLine, BudgetQuery, BudgetVsActual, CreateExpenseBody, Expense, SetBudgetBody, CashReportQuery, CollectionReportQuery, ReportTable, AgeingQuery, AgeingReport, CommunityQuery, CreateDunningRuleBody, DunningLogList, DunningLogQuery, DunningRule, DunningRuleList, DunningRunResult, IdParams, ReceiptPdfQuery, UpdateDunningRuleBody } from '@courtyard/contracts';
import { problemResponses, type App } from '../../../core/http/server.js';
import type { Dunning } from '../dunning.js';
import type { ReceiptsPdf } from '../receipts-pdf.js';
import type { Reports } from '../reports.js';
import type { Expenses } from '../expenses.js';
import type { FastifyReply } from 'fastify';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });

const PDF_TYPE = 'application/pdf';
const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The PDF bytes' });

/** Billing documents: receipt PDFs for staff and for owners in the portal; dunning. */
export function documentsRoutes(app: App, deps: { receiptsPdf: ReceiptsPdf; dunning: Dunning; reports: Reports; expenses: Expenses }) {
  const { receiptsPdf, dunning, reports, expenses } = deps;
  const tags = ['billing'];
  const pdf = { produces: [PDF_TYPE], response: { 200: Binary, ...problemResponses } };

  app.get(
    '/api/receipts/:id/pdf',
    { schema: { tags, summary: 'A receipt as PDF (A4 or 241 mm continuous paper); void receipts are marked 作废', params: IdParams, querystring: ReceiptPdfQuery, ...pdf }, config: { access: 'billing.payment.read' } },
    async (request, reply) => {
      const { number, pdf: bytes } = await receiptsPdf.render(request.ctx, request.params.id, request.query.paper ?? 'a4');
      return reply.header('content-type', PDF_TYPE).header('content-disposition', `inline; filename="receipt-${number}.pdf"`).send(bytes);
    },
  );
  app.get(
    '/api/portal/receipts/:id/pdf',
    { schema: { tags: ['portal'], summary: 'One of my receipts as PDF', params: IdParams, querystring: ReceiptPdfQuery, ...pdf }, config: { access: 'portal.self.use' } },
    async (request, reply) => {
      const { number, pdf: bytes } = await receiptsPdf.renderOwn(request.ctx, request.params.id, request.query.paper ?? 'a4');
      return reply.header('content-type', PDF_TYPE).header('content-disposition', `inline; filename="receipt-${number}.pdf"`).send(bytes);
    },
  );

  // ---- dunning (催缴)
  const manage = { access: 'billing.dunning.manage' as const };
  app.get('/api/dunning/ageing', { schema: { tags, summary: 'Overdue bills by age bucket (0–30, 31–90, 91–180, 181–365, >365 days) and the rooms that owe', querystring: AgeingQuery, response: r(AgeingReport) }, config: { access: 'billing.bill.read' } }, (request) =>
    dunning.ageing(request.ctx, request.query),
  );
  app.get('/api/dunning/rules', { schema: { tags, summary: 'Reminder rules of a community', querystring: CommunityQuery, response: r(DunningRuleList) }, config: manage }, (request) => dunning.listRules(request.ctx, request.query.communityId));
  app.post('/api/dunning/rules', { schema: { tags, summary: 'Add a reminder rule (days overdue, channels)', body: CreateDunningRuleBody, response: { 201: DunningRule, ...problemResponses } }, config: manage }, async (request, reply) =>
    reply.code(201).send(await dunning.createRule(request.ctx, request.body)),
  );
  app.patch('/api/dunning/rules/:id', { schema: { tags, summary: 'Rename, change channels, switch a rule on or off', params: IdParams, body: UpdateDunningRuleBody, response: r(DunningRule) }, config: manage }, (request) =>
    dunning.updateRule(request.ctx, request.params.id, request.body),
  );
  app.post('/api/dunning/run', { schema: { tags, summary: "Send today's due reminders of a community now and refresh the 欠费 tags (the daily job does the same)", body: CommunityQuery, response: r(DunningRunResult) }, config: manage }, (request) =>
    dunning.runFor(request.ctx, request.body.communityId),
  );
  app.get('/api/dunning/log', { schema: { tags, summary: 'Reminders sent, newest first (500 at most)', querystring: DunningLogQuery, response: r(DunningLogList) }, config: manage }, (request) =>
    dunning.log(request.ctx, request.query.communityId, request.query.subjectId),
  );
  app.get(
    '/api/dunning/letters/:id',
    { schema: { tags, summary: 'The reminder letter (催缴通知书) of a room or parking space (id) as PDF: its overdue bills and total', params: IdParams, ...pdf }, config: manage },
    async (request, reply) => {
      const { label, pdf: bytes } = await dunning.letter(request.ctx, request.params.id);
      return reply.header('content-type', PDF_TYPE).header('content-disposition', `inline; filename="dunning-letter-${encodeURIComponent(label)}.pdf"`).send(bytes);
    },
  );

  // ---- reports (报表): JSON, and the same table as .xlsx and .pdf
  const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const reportAccess = { access: 'billing.report.read' as const };
  const send = async (reply: FastifyReply, format: 'json' | 'xlsx' | 'pdf', name: string, table: ReportTable) => {
    if (format === 'json') return table;
    const bytes = format === 'xlsx' ? await reports.xlsx(table) : await reports.pdf(table);
    return reply
      .header('content-type', format === 'xlsx' ? XLSX_TYPE : PDF_TYPE)
      .header('content-disposition', `attachment; filename="${name}.${format}"`)
      .send(bytes);
  };
  const formats = [
    ['json', '', { response: r(ReportTable) }],
    ['xlsx', '.xlsx', { produces: [XLSX_TYPE], response: { 200: Binary, ...problemResponses } }],
    ['pdf', '.pdf', pdf],
  ] as const;
  const CommunityOnly = CommunityQuery;
  for (const [format, suffix, response] of formats) {
    app.get(`/api/reports/cash${suffix}`, { schema: { tags, summary: `Daily cash report (收款日报) by cashier and method${suffix ? ` as ${format}` : ''}`, querystring: CashReportQuery, ...response }, config: reportAccess }, async (request, reply) =>
      send(reply, format, `cash-${request.query.on}`, await reports.cash(request.ctx, request.query)),
    );
    app.get(`/api/reports/collection${suffix}`, { schema: { tags, summary: `Collection rate (收缴率) of a period by fee item or building${suffix ? ` as ${format}` : ''}`, querystring: CollectionReportQuery, ...response }, config: reportAccess }, async (request, reply) =>
      send(reply, format, `collection-${request.query.periodLabel}`, await reports.collection(request.ctx, request.query)),
    );
    app.get(`/api/reports/ageing${suffix}`, { schema: { tags, summary: `Arrears ageing (欠费账龄) per room${suffix ? ` as ${format}` : ''}`, querystring: CommunityOnly, ...response }, config: reportAccess }, async (request, reply) =>
      send(reply, format, 'ageing', await reports.ageing(request.ctx, request.query.communityId)),
    );
    app.get(`/api/reports/prepaid${suffix}`, { schema: { tags, summary: `Prepaid balances (预存款余额)${suffix ? ` as ${format}` : ''}`, querystring: CommunityOnly, ...response }, config: reportAccess }, async (request, reply) =>
      send(reply, format, 'prepaid', await reports.prepaid(request.ctx, request.query.communityId)),
    );
  }

  // ---- expenses (支出) and budgets (预算)
  const budget = { access: 'billing.budget.manage' as const };
  app.post('/api/expenses', { schema: { tags, summary: 'Record an expense (alerts at 90 % / 100 % of its budget line, once each)', body: CreateExpenseBody, response: { 201: Expense, ...problemResponses } }, config: budget }, async (request, reply) =>
    reply.code(201).send(await expenses.create(request.ctx, request.body)),
  );
  app.put('/api/budgets', { schema: { tags, summary: 'Set the annual budget of a category', body: SetBudgetBody, response: r(BudgetLine) }, config: budget }, (request) => expenses.setBudget(request.ctx, request.body));
  app.get('/api/budgets/vs-actual', { schema: { tags, summary: 'Budget vs actual per category for a year', querystring: BudgetQuery, response: r(BudgetVsActual) }, config: budget }, (request) =>
    expenses.budgetVsActual(request.ctx, request.query),
  );
}
