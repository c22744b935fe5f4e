import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import {
  AddFeeRuleAssignmentBody,
  AddFeeRulePriceBody,
  BillRun,
  BillRunBody,
  BillRunListQuery,
  BillRunPage,
  BillRunPreview,
  CreateFeeRuleBody,
  CreateMeterBody,
  DeviceReadingBody,
  EndFeeRuleAssignmentBody,
  FeeRule,
  FeeRuleList,
  FeeRuleListQuery,
  IdParams,
  IssueOneOffBody,
  Meter,
  MeterListQuery,
  MeterPage,
  MeterReading,
  MeterReadingPage,
  OneOffIssue,
  PrepayBody,
  PrepayQuote,
  PrepayQuoteBody,
  PrepayResult,
  ReadingBatchBody,
  ReadingBatchResult,
  ReadingEntry,
  ReadingImportFields,
  ReadingImportReport,
  ReadingTemplateQuery,
  ReadingListQuery,
  ReviewListQuery,
  ReviewReadingBody,
  RuleAssignmentParams,
  UpdateFeeRuleBody,
  UpdateMeterBody,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import { receiveUpload } from '../../core/http/upload.js';
import { requireKey } from './idempotency.js';
import { sendIdempotent } from './payments.routes.js';
import type { ReadingsImport } from './readings.import.js';
import type { MetersService } from './meters.service.js';
import type { ReadingsService } from './readings.service.js';
import type { RulesService } from './rules.service.js';
import type { RunsService } from './runs.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const created = <T>(schema: T) => ({ 201: schema, ...problemResponses });
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file bytes' });
/** Largest readings workbook accepted (a 50,000-row round is about 2 MB). */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Routes of fee rules, meters, readings and bill runs (billing's "runs" part). */
export function runsRoutes(app: App, deps: { rules: RulesService; meters: MetersService; readings: ReadingsService; readingsImport: ReadingsImport; runs: RunsService }) {
  const { rules, meters, readings, readingsImport, runs } = deps;
  const tags = ['billing'];
  const ruleRead = { access: 'billing.rule.read' as const };
  const ruleManage = { access: 'billing.rule.manage' as const };

  app.get('/api/fee-rules', { schema: { tags, summary: 'Fee rules of a community with prices and assignments', querystring: FeeRuleListQuery, response: r(FeeRuleList) }, config: ruleRead }, (req) => rules.list(req.ctx, req.query));
  app.get('/api/fee-rules/:id', { schema: { tags, summary: 'One fee rule', params: IdParams, response: r(FeeRule) }, config: ruleRead }, (req) => rules.get(req.ctx, req.params.id));
  app.post('/api/fee-rules', { schema: { tags, summary: 'Create a fee rule (formula as data) with its first price', body: CreateFeeRuleBody, response: created(FeeRule) }, config: ruleManage }, async (req, reply) =>
    reply.code(201).send(await rules.create(req.ctx, req.body)),
  );
  app.patch('/api/fee-rules/:id', { schema: { tags, summary: 'Edit a fee rule', params: IdParams, body: UpdateFeeRuleBody, response: r(FeeRule) }, config: ruleManage }, (req) => rules.update(req.ctx, req.params.id, req.body));
  app.post('/api/fee-rules/:id/prices', { schema: { tags, summary: 'A new price from a date (price change)', params: IdParams, body: AddFeeRulePriceBody, response: r(FeeRule) }, config: ruleManage }, (req) =>
    rules.addPrice(req.ctx, req.params.id, req.body),
  );
  app.post('/api/fee-rules/:id/assignments', { schema: { tags, summary: 'Apply the rule to a community, building, room or parking space', params: IdParams, body: AddFeeRuleAssignmentBody, response: r(FeeRule) }, config: ruleManage }, (req) =>
    rules.addAssignment(req.ctx, req.params.id, req.body),
  );
  app.post('/api/fee-rules/:id/assignments/:assignmentId/end', { schema: { tags, summary: 'End an assignment on a date', params: RuleAssignmentParams, body: EndFeeRuleAssignmentBody, response: r(FeeRule) }, config: ruleManage }, (req) =>
    rules.endAssignment(req.ctx, req.params.id, req.params.assignmentId, req.body.endsOn),
  );

  const meterRead = { access: 'billing.meter.read' as const };
  const meterManage = { access: 'billing.meter.manage' as const };
  const enter = { access: 'billing.reading.enter' as const };
  app.get('/api/meters', { schema: { tags, summary: 'Meters of a community by serial number', querystring: MeterListQuery, response: r(MeterPage) }, config: meterRead }, (req) => meters.list(req.ctx, req.query));
  app.get('/api/meters/:id', { schema: { tags, summary: 'One meter with its last reading', params: IdParams, response: r(Meter) }, config: meterRead }, (req) => meters.get(req.ctx, req.params.id));
  app.post('/api/meters', { schema: { tags, summary: 'Register a room or shared meter', body: CreateMeterBody, response: created(Meter) }, config: meterManage }, async (req, reply) =>
    reply.code(201).send(await meters.create(req.ctx, req.body)),
  );
  app.patch('/api/meters/:id', { schema: { tags, summary: 'Edit a meter', params: IdParams, body: UpdateMeterBody, response: r(Meter) }, config: meterManage }, (req) => meters.update(req.ctx, req.params.id, req.body));

  app.get('/api/meter-readings', { schema: { tags, summary: 'Readings of a meter, newest first', querystring: ReadingListQuery, response: r(MeterReadingPage) }, config: meterRead }, (req) => readings.list(req.ctx, req.query));
  app.get('/api/meter-readings/review', { schema: { tags, summary: 'Suspicious readings waiting for review', querystring: ReviewListQuery, response: r(MeterReadingPage) }, config: meterRead }, (req) =>
    readings.reviewList(req.ctx, req.query),
  );
  app.post('/api/meter-readings', { schema: { tags, summary: 'Enter one reading (refused with a reason code when it cannot be right)', body: ReadingEntry, response: created(MeterReading) }, config: enter }, async (req, reply) =>
    reply.code(201).send(await readings.enter(req.ctx, req.body)),
  );
  app.post('/api/meter-readings/batch', { schema: { tags, summary: 'A reading round: valid lines kept, refused lines reported', body: ReadingBatchBody, response: r(ReadingBatchResult) }, config: enter }, (req) =>
    readings.enterBatch(req.ctx, req.body),
  );
  app.post('/api/meter-readings/:id/review', { schema: { tags, summary: 'Accept or reject a suspicious reading', params: IdParams, body: ReviewReadingBody, response: r(MeterReading) }, config: meterManage }, (req) =>
    readings.review(req.ctx, req.params.id, req.body.decision),
  );
  app.post('/api/devices/meter-readings', { schema: { tags, summary: 'Readings pushed by a meter gateway (API token with billing.reading.enter)', body: DeviceReadingBody, response: r(ReadingBatchResult) }, config: enter }, (req) =>
    readings.enterFromDevice(req.ctx, req.body),
  );

  app.get(
    '/api/meter-readings/template.xlsx',
    { schema: { tags, summary: 'Excel template for importing readings', querystring: ReadingTemplateQuery, produces: [XLSX_TYPE], response: { 200: Binary, ...problemResponses } }, config: enter },
    async (req, reply) => {
      const locale = req.query.lang ?? req.ctx.locale;
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="meter-readings-template-${locale}.xlsx"`).send(await readingsImport.template(locale));
    },
  );
  // Multipart only in this encapsulated scope: the rest of the API stays JSON.
  void app.register(async (scope: App) => {
    await scope.register(multipart, { limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 3, fieldSize: 200, parts: 4, headerPairs: 20 } });
    scope.post(
      '/api/meter-readings/import',
      {
        schema: {
          tags,
          summary: 'Import readings from Excel (multipart: communityId, commit=true|false, file): all or nothing, with a validation report',
          consumes: ['multipart/form-data'],
          response: r(ReadingImportReport),
        },
        config: enter,
      },
      async (req) => receiveUpload(req, ReadingImportFields, async (fields, part, rest) => readingsImport.importReadings(req.ctx, fields.communityId, part.file, rest, fields.commit === 'true')),
    );
  });

  const runRead = { access: 'billing.run.read' as const };
  const runManage = { access: 'billing.run.manage' as const };
  app.get('/api/bill-runs', { schema: { tags, summary: 'Bill runs of a community, newest first', querystring: BillRunListQuery, response: r(BillRunPage) }, config: runRead }, (req) => runs.list(req.ctx, req.query));
  app.get('/api/bill-runs/:id', { schema: { tags, summary: 'One bill run with its progress and totals', params: IdParams, response: r(BillRun) }, config: runRead }, (req) => runs.get(req.ctx, req.params.id));
  app.post('/api/bill-runs/preview', { schema: { tags, summary: 'What a run would issue: counts, totals per fee item, skipped rooms and why', body: BillRunBody, response: r(BillRunPreview) }, config: runManage }, (req) =>
    runs.preview(req.ctx, req.body),
  );
  app.post('/api/bill-runs', { schema: { tags, summary: 'Start a bill run (a background job with progress)', body: BillRunBody, response: created(BillRun) }, config: runManage }, async (req, reply) =>
    reply.code(201).send(await runs.start(req.ctx, req.body)),
  );
  app.post(
    '/api/fee-rules/:id/issue',
    { schema: { tags, summary: 'Issue a one-off rule to its assigned rooms and spaces now (dryRun: only count)', params: IdParams, body: IssueOneOffBody, response: r(OneOffIssue) }, config: runManage },
    (req) => runs.issueOneOff(req.ctx, req.params.id, req.body),
  );
  // The counter's prepayment (runs.prepay.ts): cashiers, like any payment.
  const collect = { access: 'billing.payment.collect' as const };
  app.post('/api/prepay/quote', { schema: { tags, summary: 'What prepaying N months of a fee item issues and costs, with the rule’s prepayment discount', body: PrepayQuoteBody, response: r(PrepayQuote) }, config: collect }, (req) =>
    runs.prepayQuote(req.ctx, req.body),
  );
  app.post(
    '/api/prepay',
    { schema: { tags, summary: 'Prepay N months: issue the next periods’ bills with the discount and take the payment (Idempotency-Key)', body: PrepayBody, response: created(PrepayResult) }, config: collect },
    async (req, reply) => sendIdempotent(reply, await runs.prepay(req.ctx, requireKey(req.headers['idempotency-key']), req.body)),
  );
  app.post('/api/bill-runs/:id/cancel', { schema: { tags, summary: 'Cancel a run’s bills (refused once any is paid)', params: IdParams, response: r(BillRun) }, config: runManage }, (req) => runs.cancel(req.ctx, req.params.id));
}
