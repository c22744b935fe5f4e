import type { GatewayOrder, Payment, PortalBillList, PortalBillsQuery, PortalPayBody, Receipt } from '@courtyard/contracts';
import type { Db } from '../../core/db/schema.js';
import type { RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, forbidden, notFound } from '../../core/http/errors.js';
import type { PeopleService } from '../people/index.js';
import { outstandingOf } from './allocation.js';
import type { GatewayService } from './gateway/gateway.service.js';
import { idempotencyScope, type Idempotency } from './idempotency.js';
import type { PaymentsService } from './payments.service.js';
import { explanationLines } from './explanation-lines.js';

/**
 * The owner portal's billing (业主端): only the rooms and parking spaces the signed-in owner
 * currently occupies (the people module's "my home"), nothing else — not even in the same building.
 */
export interface PortalBillingService {
  bills(ctx: RequestContext, query: PortalBillsQuery): Promise<PortalBillList>;
  /** Pay online: a gateway order for the chosen (or all open) bills; idempotent on the key. */
  pay(ctx: RequestContext, key: string, body: PortalPayBody): Promise<GatewayOrder>;
  payments(ctx: RequestContext): Promise<{ items: Payment[] }>;
  receipts(ctx: RequestContext): Promise<{ items: { id: string; number: string; amountCents: number; method: string; status: 'issued' | 'void'; issuedAt: string; paymentId: string | null }[] }>;
  receipt(ctx: RequestContext, id: string): Promise<Receipt>;
  sandboxPay(ctx: RequestContext, outTradeNo: string): Promise<GatewayOrder>;
}

export function createPortalBillingService(deps: { db: Db; people: Pick<PeopleService, 'myHome'>; payments: PaymentsService; gateway: GatewayService; idempotency: Idempotency }): PortalBillingService {
  const { db, payments, gateway } = deps;

  async function mine(ctx: RequestContext): Promise<Map<string, string>> {
    const home = await deps.people.myHome(ctx);
    return new Map([...home.rooms.map((r) => [r.id, r.code] as const), ...home.parkingSpaces.map((s) => [s.id, s.number] as const)]);
  }

  return {
    async bills(ctx, query) {
      const subjects = await mine(ctx);
      if (subjects.size === 0) return { items: [] };
      const rows = await db
        .selectFrom('bills as b')
        .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
        .select(['b.id', 'b.subject_id', 'f.name as fee_item_name', 'b.period_label', 'b.due_on', 'b.amount_cents', 'b.discount_cents', 'b.waived_cents', 'b.late_fee_cents', 'b.paid_cents', 'b.status', 'b.explanation_json'])
        .where('b.subject_id', 'in', [...subjects.keys()])
        .where('b.status', 'in', query.status ? [query.status] : ['open', 'paid'])
        .orderBy('b.due_on', 'desc')
        .orderBy('b.id', 'desc')
        .limit(500)
        .execute();
      return {
        items: rows.map((b) => ({
          id: b.id,
          subjectId: b.subject_id,
          subjectLabel: subjects.get(b.subject_id) ?? '',
          feeItemName: b.fee_item_name,
          periodLabel: b.period_label,
          dueOn: String(b.due_on),
          amountCents: Number(b.amount_cents),
          discountCents: Number(b.discount_cents),
          waivedCents: Number(b.waived_cents),
          lateFeeCents: Number(b.late_fee_cents),
          paidCents: Number(b.paid_cents),
          outstandingCents: outstandingOf(b),
          status: b.status === 'paid' ? 'paid' : 'open',
          explanation: JSON.parse(b.explanation_json) as unknown,
          explanationLines: explanationLines(JSON.parse(b.explanation_json), ctx.locale),
        })),
      };
    },
    async pay(ctx, key, body) {
      const subjects = await mine(ctx);
      const subjectId = body.roomId ?? body.parkingSpaceId;
      if (!subjectId || (body.roomId && body.parkingSpaceId)) throw new AppError('request.invalid', [fieldError('/body/roomId', 'give exactly one of roomId, parkingSpaceId', '房屋和车位须填且只填一项')]);
      if (!subjects.has(subjectId)) throw forbidden();
      const result = await deps.idempotency.run(idempotencyScope(ctx, 'POST /api/portal/payments'), key, body, async (tx) => {
        const subject = await payments.subjectById(tx, null, subjectId);
        const order = await gateway.createOrder(tx, ctx, subject, body.billIds);
        return { status: 201, body: { orderId: order.id } };
      });
      const { orderId } = JSON.parse(result.body) as { orderId: string };
      const order = await gateway.byId(db, orderId);
      if (!order) throw notFound();
      return gateway.orderView(order);
    },
    async payments(ctx) {
      const subjects = await mine(ctx);
      if (subjects.size === 0) return { items: [] };
      const rows = await db.selectFrom('payments').selectAll().where('subject_id', 'in', [...subjects.keys()]).orderBy('received_at', 'desc').orderBy('id', 'desc').limit(200).execute();
      return { items: await payments.viewsOf(db, rows) };
    },
    async receipts(ctx) {
      const subjects = await mine(ctx);
      const rows = subjects.size === 0 ? [] : await db.selectFrom('receipts').selectAll().where('subject_id', 'in', [...subjects.keys()]).orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(200).execute();
      return { items: rows.map((r) => ({ id: r.id, number: r.number, amountCents: Number(r.amount_cents), method: r.method, status: r.status, issuedAt: r.issued_at, paymentId: r.payment_id })) };
    },
    async receipt(ctx, id) {
      const subjects = await mine(ctx);
      const r = await payments.receiptOf(db, id);
      if (!r || !subjects.has(r.subjectId)) throw notFound();
      return r;
    },
    sandboxPay: (ctx, outTradeNo) => gateway.sandboxPay(ctx, outTradeNo),
  };
}
