import type { DecideRefundBody, Refund, RefundListQuery, RequestDepositReturnBody, RequestRefundBody, RequestReversalBody } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Tx } from '../../core/db/schema.js';
import type { IdGenerator } from '../../core/ids.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { ApprovalsService } from './approvals.service.js';
import { applyAllocations } from './allocation.js';
import type { JournalTransaction } from './ledger.js';
import { createLedger } from './ledger.js';
import * as repo from './payments.repository.js';
import type { RefundTable } from './payments.tables.js';
import { moneyAccount, type PaymentsService } from './payments.service.js';

/**
 * Reversals (冲正) and refunds (退款, 退押金). Money only leaves with two people: one user requests
 * (with a reason), a DIFFERENT user with `billing.approval.decide` approves, and the effect is
 * posted in the approval's transaction, re-checked against the balances of that moment.
 * The `refunds` row carries what to do; the decision goes through billing's approvals (kind
 * `billing.refund`, subject `refund`), so refunds appear in the same approval inbox as reliefs and
 * either route (`/api/refunds/:id/decide` or the approvals API) applies it exactly once.
 */
export interface RefundsService {
  requestReversal(ctx: RequestContext, paymentId: string, body: RequestReversalBody): Promise<Refund>;
  requestRefund(ctx: RequestContext, body: RequestRefundBody): Promise<Refund>;
  requestDepositReturn(ctx: RequestContext, depositId: string, body: RequestDepositReturnBody): Promise<Refund>;
  decide(ctx: RequestContext, id: string, body: DecideRefundBody): Promise<Refund>;
  list(ctx: RequestContext, query: RefundListQuery): Promise<{ items: Refund[]; nextCursor: string | null }>;
}

const view = (r: RefundTable): Refund => ({
  id: r.id,
  communityId: r.community_id,
  kind: r.kind,
  subjectId: r.subject_id,
  paymentId: r.payment_id,
  depositId: r.deposit_id,
  amountCents: Number(r.amount_cents),
  method: r.method,
  reason: r.reason,
  status: r.status,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
});

export const REFUND_APPROVAL_KIND = 'billing.refund';

export function createRefundsService(deps: {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  payments: PaymentsService;
  approvals?: Pick<ApprovalsService, 'register' | 'requestApproval' | 'decide'>;
}): RefundsService {
  const { db, dialect, clock, ids, audit, payments } = deps;
  const ledger = createLedger({ ids, clock });
  const post = (tx: Tx, txns: readonly JournalTransaction[]) => ledger.postMany(tx, txns);
  const actorOf = (ctx: RequestContext) => ctx.actor.userId ?? ctx.actor.name;

  async function pendingFor(tx: Tx, column: 'payment_id' | 'deposit_id', id: string) {
    return tx.selectFrom('refunds').select('id').where(column, '=', id).where('status', '=', 'pending').executeTakeFirst();
  }

  async function insertRequest(tx: Tx, ctx: RequestContext, row: Omit<RefundTable, 'id' | 'status' | 'requested_by' | 'requested_at' | 'decided_by' | 'decided_at' | 'decision_note'>): Promise<Refund> {
    const full: RefundTable = { ...row, id: ids(), status: 'pending', requested_by: actorOf(ctx), requested_at: clock.now().toISOString(), decided_by: null, decided_at: null, decision_note: null };
    await tx.insertInto('refunds').values(full).execute();
    if (deps.approvals) {
      await deps.approvals.requestApproval(tx, ctx, { communityId: row.community_id, kind: REFUND_APPROVAL_KIND, subjectType: 'refund', subjectId: full.id, reason: row.reason, payload: { kind: row.kind, amountCents: row.amount_cents, paymentId: row.payment_id, depositId: row.deposit_id } });
    }
    await audit.record(tx, ctx, { action: `billing.${row.kind}.request`, entityType: 'refund', entityId: full.id, communityId: row.community_id, after: { kind: row.kind, amountCents: row.amount_cents, reason: row.reason, paymentId: row.payment_id, depositId: row.deposit_id } });
    return view(full);
  }

  async function available(tx: Tx, communityId: string, subjectId: string): Promise<number> {
    return -(await repo.lockedBalance(tx, dialect, communityId, 'prepaid', subjectId));
  }

  /** Reverses a payment: its allocations first (bills reopen), then the money posting; receipt void. */
  async function reverse(tx: Tx, ctx: RequestContext, r: RefundTable) {
    const at = clock.now().toISOString();
    const actor = actorOf(ctx);
    const payment = await repo.payments.lock(tx, dialect, r.payment_id!);
    if (!payment || payment.status !== 'completed') throw new AppError('billing.payment_not_reversible');
    // Lock the bills the payment settled (same order as payments take them) before the balances.
    const allocs = await repo.allocations.unreversedOf(tx, payment.id);
    if (allocs.length && dialect === 'postgres') {
      await tx.selectFrom('bills').select('id').where('id', 'in', allocs.map((a) => a.bill_id)).orderBy('due_on').orderBy('issued_at').orderBy('id').forUpdate().execute();
    }
    const applied = allocs.reduce((s, a) => s + Number(a.amount_cents), 0);
    const amount = Number(payment.amount_cents);
    const entries: JournalTransaction['entries'] = [];
    if (payment.method === 'prepaid') {
      // Only the allocation is undone: the money goes back to the balance it came from.
      entries.push({ account: 'prepaid', subjectId: payment.subject_id, amountCents: -applied }, { account: 'receivable', subjectId: payment.subject_id, amountCents: applied });
    } else {
      // What the bills did not take sits on the prepaid balance and must still be there.
      if ((await available(tx, payment.community_id, payment.subject_id)) < amount - applied) throw new AppError('billing.refund_exceeds_balance');
      entries.push(
        { account: 'prepaid', subjectId: payment.subject_id, amountCents: amount - applied },
        { account: 'receivable', subjectId: payment.subject_id, amountCents: applied },
        { account: moneyAccount(payment.method), subjectId: '', amountCents: -amount },
      );
    }
    await applyAllocations(
      tx,
      { ids, dialect, at, actor },
      payment.community_id,
      allocs.map((a) => ({ billId: a.bill_id, subjectId: a.subject_id, paymentId: payment.id, amountCents: -Number(a.amount_cents), reversesId: a.id })),
    );
    await post(tx, [{ communityId: payment.community_id, kind: 'reversal', refType: 'payment', refId: payment.id, memo: r.reason, actor, entries }]);
    await repo.payments.markReversed(tx, payment.id, at);
    const receipt = await tx.selectFrom('receipts').select('id').where('payment_id', '=', payment.id).where('status', '=', 'issued').executeTakeFirst();
    if (receipt) await repo.receipts.void(tx, receipt.id, { at, by: actor, reason: r.reason });
  }

  async function refundPrepaid(tx: Tx, ctx: RequestContext, r: RefundTable) {
    // Refunds never exceed the balance: only money actually held for the owner goes back (a bill's
    // discount was never paid, so it is never refunded).
    if ((await available(tx, r.community_id, r.subject_id)) < Number(r.amount_cents)) throw new AppError('billing.refund_exceeds_balance');
    await post(tx, [
      {
        communityId: r.community_id,
        kind: 'refund',
        refType: 'refund',
        refId: r.id,
        memo: r.reason,
        actor: actorOf(ctx),
        entries: [
          { account: 'prepaid', subjectId: r.subject_id, amountCents: Number(r.amount_cents) },
          { account: moneyAccount(r.method), subjectId: '', amountCents: -Number(r.amount_cents) },
        ],
      },
    ]);
  }

  async function returnDeposit(tx: Tx, ctx: RequestContext, r: RefundTable) {
    const at = clock.now().toISOString();
    const res = await tx.updateTable('deposits').set({ status: 'returned', returned_at: at }).where('id', '=', r.deposit_id!).where('status', '=', 'held').executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('billing.deposit_not_held');
    await post(tx, [
      {
        communityId: r.community_id,
        kind: 'deposit_return',
        refType: 'deposit',
        refId: r.deposit_id!,
        memo: r.reason,
        actor: actorOf(ctx),
        entries: [
          { account: 'deposit', subjectId: r.subject_id, amountCents: Number(r.amount_cents) },
          { account: moneyAccount(r.method), subjectId: '', amountCents: -Number(r.amount_cents) },
        ],
      },
    ]);
  }

  /** The decision's effect, in the decider's transaction (called by the approvals handler). */
  async function applyDecision(tx: Tx, ctx: RequestContext, id: string, approve: boolean, note: string | null): Promise<void> {
    let q = tx.selectFrom('refunds').selectAll().where('id', '=', id);
    if (dialect === 'postgres') q = q.forUpdate();
    const r = await q.executeTakeFirst();
    if (!r) throw notFound();
    if (r.status !== 'pending') throw new AppError('billing.refund_not_pending');
    if (r.requested_by === actorOf(ctx)) throw new AppError('billing.refund_self_approval');
    if (approve) {
      if (r.kind === 'reversal') await reverse(tx, ctx, r);
      else if (r.kind === 'prepaid_refund') await refundPrepaid(tx, ctx, r);
      else await returnDeposit(tx, ctx, r);
    }
    const status = approve ? 'approved' : 'rejected';
    await tx.updateTable('refunds').set({ status, decided_by: actorOf(ctx), decided_at: clock.now().toISOString(), decision_note: note }).where('id', '=', id).execute();
    await audit.record(tx, ctx, { action: `billing.${r.kind}.${approve ? 'approve' : 'reject'}`, entityType: 'refund', entityId: id, communityId: r.community_id, before: { status: 'pending' }, after: { status, amountCents: Number(r.amount_cents) } });
  }

  deps.approvals?.register(REFUND_APPROVAL_KIND, {
    approve: (tx, ctx, a) => applyDecision(tx, ctx, a.subjectId, true, null),
    reject: (tx, ctx, a) => applyDecision(tx, ctx, a.subjectId, false, null),
  });

  return {
    async requestReversal(ctx, paymentId, body) {
      return db.transaction().execute(async (tx) => {
        const p = await repo.payments.lock(tx, dialect, paymentId);
        if (!p) throw notFound();
        assertCan(ctx, 'billing.payment.refund', p.community_id);
        if (p.status !== 'completed' || (await pendingFor(tx, 'payment_id', p.id))) throw new AppError('billing.payment_not_reversible');
        return insertRequest(tx, ctx, { community_id: p.community_id, kind: 'reversal', subject_id: p.subject_id, payment_id: p.id, deposit_id: null, amount_cents: Number(p.amount_cents), method: p.method, reason: body.reason });
      });
    },
    async requestRefund(ctx, body) {
      assertCan(ctx, 'billing.payment.refund', body.communityId);
      return db.transaction().execute(async (tx) => {
        const subject = await payments.resolveSubject(tx, body.communityId, body.roomId, body.parkingSpaceId);
        if ((await available(tx, subject.communityId, subject.subjectId)) < body.amountCents) throw new AppError('billing.refund_exceeds_balance');
        return insertRequest(tx, ctx, { community_id: subject.communityId, kind: 'prepaid_refund', subject_id: subject.subjectId, payment_id: null, deposit_id: null, amount_cents: body.amountCents, method: body.method, reason: body.reason });
      });
    },
    async requestDepositReturn(ctx, depositId, body) {
      return db.transaction().execute(async (tx) => {
        const d = await tx.selectFrom('deposits').selectAll().where('id', '=', depositId).executeTakeFirst();
        if (!d) throw notFound();
        assertCan(ctx, 'billing.payment.refund', d.community_id);
        if (d.status !== 'held' || (await pendingFor(tx, 'deposit_id', d.id))) throw new AppError('billing.deposit_not_held');
        return insertRequest(tx, ctx, { community_id: d.community_id, kind: 'deposit_return', subject_id: d.subject_id, payment_id: null, deposit_id: d.id, amount_cents: Number(d.amount_cents), method: body.method, reason: body.reason });
      });
    },
    async decide(ctx, id, body) {
      return db.transaction().execute(async (tx) => {
        const r = await tx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
        if (!r) throw notFound();
        assertCan(ctx, 'billing.approval.decide', r.community_id);
        if (r.status !== 'pending') throw new AppError('billing.refund_not_pending');
        // Separation of duties: the second pair of eyes must belong to somebody else.
        if (r.requested_by === actorOf(ctx)) throw new AppError('billing.refund_self_approval');
        if (deps.approvals) {
          const approval = await tx.selectFrom('billing_approvals').select('id').where('subject_type', '=', 'refund').where('subject_id', '=', id).where('status', '=', 'pending').executeTakeFirst();
          if (!approval) throw new AppError('billing.refund_not_pending');
          await deps.approvals.decide(tx, ctx, approval.id, body.approve ? 'approve' : 'reject', body.note ?? null);
          if (body.note) await tx.updateTable('refunds').set({ decision_note: body.note }).where('id', '=', id).execute();
        } else {
          await applyDecision(tx, ctx, id, body.approve, body.note ?? null);
        }
        return view(await tx.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
      });
    },
    async list(ctx, query) {
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const scope = scopeOf(ctx, 'billing.payment.read');
      let q = db.selectFrom('refunds').selectAll();
      if (scope) q = q.where('community_id', 'in', scope.length ? scope : ['00000000-0000-0000-0000-000000000000']);
      if (query.communityId) q = q.where('community_id', '=', query.communityId);
      if (query.status) q = q.where('status', '=', query.status);
      if (after) q = q.where((eb) => eb.or([eb('requested_at', '<', after[0]), eb.and([eb('requested_at', '=', after[0]), eb('id', '<', after[1])])]));
      const rows = await q.orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => [r.requested_at, r.id]);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  };
}
