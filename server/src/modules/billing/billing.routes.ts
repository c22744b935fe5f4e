import { Approval, ApprovalListQuery, ApprovalPage, LedgerCheckResult, BillDetail, BillListQuery, BillPage, CreateFeeItemBody, DecideApprovalBody, RequestBillReliefBody, FeeItem, FeeItemList, FeeItemListQuery, IdParams, SubjectBillsQuery, UpdateFeeItemBody } from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { ApprovalsService } from './approvals.service.js';
import type { BillReliefs } from './bills.relief.js';
import type { BillsService } from './bills.service.js';
import type { LedgerCheck } from './check.js';
import type { FeesService } from './fees.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });

/** The billing module's route registration: fee items, bills, approvals, the ledger check. */
export function billingRoutes(app: App, deps: { bills: BillsService; fees: FeesService; approvals: ApprovalsService; reliefs: BillReliefs; check: LedgerCheck }) {
  const { bills, fees, approvals, reliefs, check } = deps;
  const tags = ['billing'];

  // ---- fee items (收费项目)
  app.get('/api/fee-items', { schema: { tags, summary: 'Fee items of a community', querystring: FeeItemListQuery, response: r(FeeItemList) }, config: { access: 'billing.fee.read' } }, async (request) => ({
    items: await fees.list(request.ctx, request.query),
  }));
  app.get('/api/fee-items/:id', { schema: { tags, params: IdParams, response: r(FeeItem) }, config: { access: 'billing.fee.read' } }, (request) => fees.get(request.ctx, request.params.id));
  app.post('/api/fee-items', { schema: { tags, summary: 'Create a fee item', body: CreateFeeItemBody, response: r(FeeItem) }, config: { access: 'billing.fee.manage' } }, (request) =>
    fees.create(request.ctx, request.body),
  );
  app.patch('/api/fee-items/:id', { schema: { tags, summary: 'Edit a fee item (the code stays)', params: IdParams, body: UpdateFeeItemBody, response: r(FeeItem) }, config: { access: 'billing.fee.manage' } }, (request) =>
    fees.update(request.ctx, request.params.id, request.body),
  );

  // ---- bills (账单)
  app.get('/api/bills', { schema: { tags, summary: 'Bills, newest period first', querystring: BillListQuery, response: r(BillPage) }, config: { access: 'billing.bill.read' } }, (request) =>
    bills.list(request.ctx, request.query),
  );
  app.get('/api/bills/:id', { schema: { tags, summary: 'A bill with its explanation, ledger trail and approvals', params: IdParams, response: r(BillDetail) }, config: { access: 'billing.bill.read' } }, (request) =>
    bills.get(request.ctx, request.params.id),
  );
  app.get('/api/rooms/:id/bills', { schema: { tags, summary: "A room's bills (room card)", params: IdParams, querystring: SubjectBillsQuery, response: r(BillPage) }, config: { access: 'billing.bill.read' } }, (request) =>
    bills.listForSubject(request.ctx, 'room', request.params.id, request.query),
  );
  app.get('/api/parking-spaces/:id/bills', { schema: { tags, summary: "A parking space's bills", params: IdParams, querystring: SubjectBillsQuery, response: r(BillPage) }, config: { access: 'billing.bill.read' } }, (request) =>
    bills.listForSubject(request.ctx, 'parking_space', request.params.id, request.query),
  );

  app.post('/api/bills/:id/reliefs', { schema: { tags, summary: 'Request a discount, waiver or late-fee waiver (applied once a second user approves)', params: IdParams, body: RequestBillReliefBody, response: r(Approval) }, config: { access: 'billing.bill.adjust' } }, (request) =>
    reliefs.request(request.ctx, request.params.id, request.body),
  );

  // ---- approvals (审批): reliefs, refunds, reversals
  app.get('/api/approvals', { schema: { tags, summary: 'Approval requests, newest first', querystring: ApprovalListQuery, response: r(ApprovalPage) }, config: { access: 'billing.approval.decide' } }, (request) =>
    approvals.list(request.ctx, request.query),
  );
  app.get('/api/approvals/:id', { schema: { tags, params: IdParams, response: r(Approval) }, config: { access: 'billing.approval.decide' } }, (request) => approvals.get(request.ctx, request.params.id));
  app.post('/api/approvals/:id/decide', { schema: { tags, summary: 'Approve or reject (never your own request)', params: IdParams, body: DecideApprovalBody, response: r(Approval) }, config: { access: 'billing.approval.decide' } }, (request) =>
    approvals.decideById(request.ctx, request.params.id, request.body),
  );

  // ---- the ledger check (账务核对)
  app.get('/api/ledger/check', { schema: { tags, summary: 'Run every billing invariant now', response: r(LedgerCheckResult) }, config: { access: 'billing.ledger.check' } }, (request) => check.runFor(request.ctx));
}
