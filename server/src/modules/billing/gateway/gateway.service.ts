import type { GatewayOrder } from '@courtyard/contracts';
import type { Clock } from '../../../core/clock.js';
import type { Dialect } from '../../../core/db/database.js';
import type { Db, Exec } from '../../../core/db/schema.js';
import type { IdGenerator } from '../../../core/ids.js';
import { systemContext, type RequestContext } from '../../../core/http/context.js';
import { AppError, forbidden } from '../../../core/http/errors.js';
import type { AuditService } from '../../audit/index.js';
import { outstandingOf } from '../allocation.js';
import type { GatewayOrderTable } from '../payments.tables.js';
import type { PaymentsService, Subject } from '../payments.service.js';
import { GatewaySignatureError, type GatewayAdapter } from './adapter.js';
import type { SandboxGateway } from './sandbox.js';

/**
 * Online payments: orders sent to the gateway and the gateway's asynchronous callbacks. A callback
 * is applied at most once whatever the gateway does — delivered twice, late, or after a "closed"
 * notice: the order row is locked, a paid order answers success again without effect, and
 * `payments.gateway_order_id` is unique in the database. An amount that differs from the order is
 * refused, logged and audited (never settled: somebody tampered or misconfigured).
 */
export interface GatewayService {
  /** Creates an order for a subject's chosen (or all open) bills; the amount is their outstanding. */
  createOrder(tx: Exec, ctx: RequestContext, subject: Subject, billIds: readonly string[] | undefined): Promise<GatewayOrderTable>;
  /** Asks the adapter for the pay URL (outside the database transaction: a network call for real gateways). */
  orderView(order: GatewayOrderTable): Promise<GatewayOrder>;
  callback(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<{ applied: boolean }>;
  /** Demo "pay" page of the sandbox: the payer pays, the sandbox delivers its signed callback. */
  sandboxPay(ctx: RequestContext, outTradeNo: string): Promise<GatewayOrder>;
  byId(exec: Exec, id: string): Promise<GatewayOrderTable | undefined>;
}

export function createGatewayService(deps: {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  payments: PaymentsService;
  adapter: GatewayAdapter;
  sandbox?: SandboxGateway;
  log?: (msg: string, detail: unknown) => void;
}): GatewayService {
  const { db, dialect, clock, ids, audit, payments, adapter } = deps;
  const gatewayCtx = systemContext('billing.gateway');

  const view = (o: GatewayOrderTable, payUrl: string): GatewayOrder => ({ id: o.id, outTradeNo: o.out_trade_no, amountCents: Number(o.amount_cents), status: o.status, payUrl, paymentId: o.payment_id });

  async function orderView(o: GatewayOrderTable): Promise<GatewayOrder> {
    const created = await adapter.createOrder({ outTradeNo: o.out_trade_no, amountCents: Number(o.amount_cents), description: '物业费' });
    return view(o, created.payUrl);
  }

  async function callback(headers: Record<string, string | string[] | undefined>, rawBody: string): Promise<{ applied: boolean }> {
    let notice;
    try {
      notice = adapter.verifyCallback(headers, rawBody);
    } catch (err) {
      if (err instanceof GatewaySignatureError) {
        deps.log?.('gateway callback refused: signature', { reason: err.message });
        throw new AppError('billing.gateway_signature');
      }
      throw err;
    }
    const mismatch = await db.transaction().execute(async (tx): Promise<{ applied: boolean; mismatch?: GatewayOrderTable }> => {
      let q = tx.selectFrom('gateway_orders').selectAll().where('out_trade_no', '=', notice.outTradeNo);
      if (dialect === 'postgres') q = q.forUpdate();
      const order = await q.executeTakeFirst();
      if (!order) throw new AppError('billing.gateway_order_unknown');
      if (notice.status === 'pending') return { applied: false };
      if (notice.status === 'closed') {
        // A late "closed" never undoes a payment that already arrived (out of order delivery).
        if (order.status === 'created') await tx.updateTable('gateway_orders').set({ status: 'closed' }).where('id', '=', order.id).execute();
        return { applied: false };
      }
      if (order.payment_id) return { applied: false };
      if (notice.amountCents !== Number(order.amount_cents)) return { applied: false, mismatch: order };
      // Money really arrived, even for an order we had closed: settle it (over-payment → prepaid).
      const chosen: string[] = JSON.parse(order.bill_ids_json) as string[];
      const still = chosen.length ? (await tx.selectFrom('bills').select('id').where('id', 'in', chosen).where('status', '<>', 'cancelled').execute()).map((b) => b.id) : [];
      const resolved = await payments.subjectById(tx, order.community_id, order.subject_id);
      const payment = await payments.receive(tx, gatewayCtx, {
        subject: resolved,
        method: 'online',
        amountCents: notice.amountCents,
        billIds: still.length ? still : undefined,
        payerName: null,
        note: `${adapter.name} ${notice.gatewayTradeNo ?? ''}`.trim(),
        gatewayOrderId: order.id,
      });
      await tx
        .updateTable('gateway_orders')
        .set({ status: 'paid', gateway_trade_no: notice.gatewayTradeNo, payment_id: payment.id, paid_at: notice.paidAt ?? clock.now().toISOString() })
        .where('id', '=', order.id)
        .execute();
      return { applied: true };
    });
    const order = mismatch.mismatch;
    if (order) {
      deps.log?.('gateway callback refused: amount mismatch', { outTradeNo: order.out_trade_no, expected: Number(order.amount_cents), got: notice.amountCents });
      await audit.recordAlone(db, gatewayCtx, { action: 'billing.gateway.amount_mismatch', entityType: 'gateway_order', entityId: order.id, communityId: order.community_id, after: { expectedCents: Number(order.amount_cents), receivedCents: notice.amountCents } });
      throw new AppError('billing.gateway_amount_mismatch');
    }
    return { applied: mismatch.applied };
  }

  return {
    orderView,
    callback,
    byId: (exec, id) => exec.selectFrom('gateway_orders').selectAll().where('id', '=', id).executeTakeFirst(),
    async createOrder(tx, ctx, subject, billIds) {
      let q = tx.selectFrom('bills').select(['id', 'amount_cents', 'discount_cents', 'waived_cents', 'late_fee_cents', 'paid_cents']).where('subject_id', '=', subject.subjectId).where('status', '=', 'open');
      if (billIds) q = q.where('id', 'in', billIds);
      const bills = await q.execute();
      if (billIds && bills.length !== billIds.length) throw new AppError('billing.bill_not_payable');
      const amount = bills.reduce((s, b) => s + outstandingOf(b), 0);
      if (amount <= 0) throw new AppError('billing.bill_not_payable');
      const at = clock.now();
      const id = ids();
      const row: GatewayOrderTable = {
        id,
        community_id: subject.communityId,
        subject_id: subject.subjectId,
        bill_ids_json: JSON.stringify(bills.map((b) => b.id)),
        amount_cents: amount,
        gateway: adapter.name,
        // Our order number (out_trade_no): 32 characters at most for WeChat Pay and Alipay.
        out_trade_no: `CY${at.toISOString().slice(0, 10).replaceAll('-', '')}${id.replaceAll('-', '').slice(-20)}`,
        gateway_trade_no: null,
        status: 'created',
        payment_id: null,
        created_by: ctx.actor.userId ?? ctx.actor.name,
        created_at: at.toISOString(),
        paid_at: null,
      };
      await tx.insertInto('gateway_orders').values(row).execute();
      return row;
    },
    async sandboxPay(ctx, outTradeNo) {
      if (!deps.sandbox) throw forbidden();
      const order = await db.selectFrom('gateway_orders').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
      if (!order || order.created_by !== (ctx.actor.userId ?? ctx.actor.name)) throw new AppError('billing.gateway_order_unknown');
      const delivered = deps.sandbox.pay(outTradeNo, { amountCents: Number(order.amount_cents) });
      await callback(delivered.headers, delivered.body);
      const after = await db.selectFrom('gateway_orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
      return view(after, '');
    },
  };
}
