import { Type } from '@sinclair/typebox';
import {
  CollectDepositBody,
  CreatePaymentBody,
  DecideRefundBody,
  Deposit,
  GatewayCallbackAnswer,
  GatewayOrder,
  IdParams,
  OutTradeNoParams,
  Payment,
  PaymentListQuery,
  PaymentPage,
  PortalBillList,
  PortalBillsQuery,
  PortalPayBody,
  PortalPaymentList,
  PrepaidStatement,
  PrepaidStatementQuery,
  Receipt,
  ReceiptList,
  Refund,
  RefundListQuery,
  RefundPage,
  RequestDepositReturnBody,
  RequestRefundBody,
  RequestReversalBody,
  TopUpBody,
} from '@courtyard/contracts';
import type { FastifyReply } from 'fastify';
import { problemResponses, type App } from '../../core/http/server.js';
import { requireKey, type IdempotentResult } from './idempotency.js';
import type { PaymentsService } from './payments.service.js';
import type { PrepaidService } from './prepaid.service.js';
import type { DepositsService } from './deposits.service.js';
import type { RefundsService } from './refunds.service.js';
import type { GatewayService } from './gateway/gateway.service.js';
import type { PortalBillingService } from './portal.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const created = <T>(schema: T) => ({ 201: schema, ...problemResponses });
/** Payment requests must carry a key (checked in the handler so a missing one gets its own code). */
const KeyHeader = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ description: 'Required: the same key replays the first answer' })) });

/** The stored answer is sent as stored: a replay is byte-for-byte the first response. */
export function sendIdempotent(reply: FastifyReply, result: IdempotentResult) {
  return reply.code(result.status).header('content-type', 'application/json; charset=utf-8').header('idempotent-replayed', String(result.replayed)).send(result.body);
}

export function paymentsRoutes(app: App, deps: { payments: PaymentsService; prepaid: PrepaidService; deposits: DepositsService; refunds: RefundsService; gateway: GatewayService; portal: PortalBillingService }) {
  const { payments, prepaid, deposits, refunds, gateway, portal } = deps;
  const tags = ['billing'];
  const read = { access: 'billing.payment.read' as const };
  const collect = { access: 'billing.payment.collect' as const };

  app.post(
    '/api/payments',
    { schema: { tags, summary: 'Take a payment at the counter (Idempotency-Key required); settles bills oldest first unless chosen, the rest stays prepaid', headers: KeyHeader, body: CreatePaymentBody, response: created(Payment) }, config: collect },
    async (request, reply) => sendIdempotent(reply, await payments.collect(request.ctx, requireKey(request.headers['idempotency-key']), request.body)),
  );
  app.get('/api/payments', { schema: { tags, summary: 'Payments, newest first', querystring: PaymentListQuery, response: r(PaymentPage) }, config: read }, (request) => payments.list(request.ctx, request.query));
  app.get('/api/payments/:id', { schema: { tags, summary: 'One payment with its allocations', params: IdParams, response: r(Payment) }, config: read }, (request) => payments.get(request.ctx, request.params.id));
  app.get('/api/receipts/:id', { schema: { tags, summary: 'A receipt with everything its print needs', params: IdParams, response: r(Receipt) }, config: read }, (request) => payments.receipt(request.ctx, request.params.id));
  app.post(
    '/api/prepaid/top-ups',
    { schema: { tags, summary: 'Top up a room’s prepaid balance (Idempotency-Key required)', headers: KeyHeader, body: TopUpBody, response: created(Payment) }, config: collect },
    async (request, reply) => sendIdempotent(reply, await payments.topUp(request.ctx, requireKey(request.headers['idempotency-key']), request.body)),
  );
  app.get('/api/prepaid/statement', { schema: { tags, summary: 'A room’s prepaid movements with the running balance, newest first', querystring: PrepaidStatementQuery, response: r(PrepaidStatement) }, config: read }, (request) =>
    prepaid.statement(request.ctx, request.query),
  );

  // ---- deposits, reversals and refunds (two people: one requests, another approves)
  const refund = { access: 'billing.payment.refund' as const };
  app.post(
    '/api/deposits',
    { schema: { tags, summary: 'Collect a deposit (e.g. renovation), Idempotency-Key required', headers: KeyHeader, body: CollectDepositBody, response: created(Deposit) }, config: collect },
    async (request, reply) => sendIdempotent(reply, await deposits.collect(request.ctx, requireKey(request.headers['idempotency-key']), request.body)),
  );
  app.get('/api/deposits', { schema: { tags, summary: 'Deposits of a room or parking space', querystring: Type.Object({ subjectId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: r(Type.Object({ items: Type.Array(Deposit) })) }, config: read }, async (request) => ({
    items: await deposits.ofSubject(request.ctx, request.query.subjectId),
  }));
  app.post('/api/deposits/:id/return', { schema: { tags, summary: 'Request the return of a deposit (approved by a second user)', params: IdParams, body: RequestDepositReturnBody, response: created(Refund) }, config: refund }, async (request, reply) =>
    reply.code(201).send(await refunds.requestDepositReturn(request.ctx, request.params.id, request.body)),
  );
  app.post('/api/payments/:id/reversal', { schema: { tags, summary: 'Request the reversal (冲正) of a payment (approved by a second user)', params: IdParams, body: RequestReversalBody, response: created(Refund) }, config: refund }, async (request, reply) =>
    reply.code(201).send(await refunds.requestReversal(request.ctx, request.params.id, request.body)),
  );
  app.post('/api/prepaid/refunds', { schema: { tags, summary: 'Request a refund of prepaid balance (approved by a second user)', body: RequestRefundBody, response: created(Refund) }, config: refund }, async (request, reply) =>
    reply.code(201).send(await refunds.requestRefund(request.ctx, request.body)),
  );
  app.get('/api/refunds', { schema: { tags, summary: 'Reversal and refund requests, newest first', querystring: RefundListQuery, response: r(RefundPage) }, config: read }, (request) => refunds.list(request.ctx, request.query));
  app.post('/api/refunds/:id/decide', { schema: { tags, summary: 'Approve or reject a reversal or refund (not your own request)', params: IdParams, body: DecideRefundBody, response: r(Refund) }, config: { access: 'billing.approval.decide' } }, (request) =>
    refunds.decide(request.ctx, request.params.id, request.body),
  );

  // ---- online gateway: the callback is public, authenticated by the gateway's signature over the raw body
  void app.register((scope, _opts, done) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post(
      '/api/payments/gateway/callback',
      { schema: { tags, summary: 'Asynchronous payment notice from the gateway (signed; applied once)', response: r(GatewayCallbackAnswer) }, config: { access: 'public' } },
      async (request) => {
        await gateway.callback(request.headers, typeof request.body === 'string' ? request.body : '');
        return { code: 'SUCCESS', message: '成功' };
      },
    );
    done();
  });
  app.post('/api/payments/gateway/sandbox/:outTradeNo/pay', { schema: { tags, summary: 'Sandbox gateway: pay an order (demo pay page); the signed callback follows', params: OutTradeNoParams, response: r(GatewayOrder) }, config: { access: 'portal.self.use' } }, (request) =>
    portal.sandboxPay(request.ctx, request.params.outTradeNo),
  );

  // ---- owner portal
  const own = { access: 'portal.self.use' as const };
  const ptags = ['portal'];
  app.get('/api/portal/bills', { schema: { tags: ptags, summary: 'My bills (open and paid) with how each was computed', querystring: PortalBillsQuery, response: r(PortalBillList) }, config: own }, (request) => portal.bills(request.ctx, request.query));
  app.post('/api/portal/payments', { schema: { tags: ptags, summary: 'Pay my bills online: creates a gateway order (Idempotency-Key required)', headers: KeyHeader, body: PortalPayBody, response: created(GatewayOrder) }, config: own }, async (request, reply) =>
    reply.code(201).send(await portal.pay(request.ctx, requireKey(request.headers['idempotency-key']), request.body)),
  );
  app.get('/api/portal/payments', { schema: { tags: ptags, summary: 'My payment history', response: r(PortalPaymentList) }, config: own }, (request) => portal.payments(request.ctx));
  app.get('/api/portal/receipts', { schema: { tags: ptags, summary: 'My receipts', response: r(ReceiptList) }, config: own }, (request) => portal.receipts(request.ctx));
  app.get('/api/portal/receipts/:id', { schema: { tags: ptags, summary: 'One of my receipts', params: IdParams, response: r(Receipt) }, config: own }, (request) => portal.receipt(request.ctx, request.params.id));
}
