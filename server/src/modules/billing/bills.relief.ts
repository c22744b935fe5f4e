import type { Approval, RequestBillReliefBody } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Tx } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError, invalid, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { ApprovalsService } from './approvals.service.js';
import type { JournalKind } from './billing.tables.js';
import * as repo from './bills.repository.js';
import { actorOf, outstandingOf } from './bills.service.js';
import type { Ledger } from './ledger.js';

/**
 * Manual reliefs on a bill (减免), each requested by one user and applied only when a second user
 * approves (PRODUCT: discounts and waivers with approval):
 *   discount          Dr discounts(fee item)        Cr receivable(subject)   — bills.discount_cents
 *   waiver            Dr discounts(fee item)        Cr receivable(subject)   — bills.waived_cents
 *   late_fee_waiver   Dr late_fee_revenue(fee item) Cr receivable(subject)   — late_fee → late_fee_waived
 * A relief never exceeds what it relieves: the principal still owed (discount, waiver) or the
 * late fee still owed, checked at request and again at approval (a payment may have come between).
 */
export type ReliefKind = 'discount' | 'waiver' | 'late_fee_waiver';
const KINDS: readonly ReliefKind[] = ['discount', 'waiver', 'late_fee_waiver'];

export interface BillReliefs {
  request(ctx: RequestContext, billId: string, body: RequestBillReliefBody): Promise<Approval>;
}

export interface ReliefDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  ledger: Ledger;
  approvals: ApprovalsService;
}

interface ReliefPayload {
  amountCents: number;
  percent: string | null;
}

/** What a relief of this kind may take off the bill now. */
export function reliefLimit(kind: ReliefKind, b: repo.BillRow): number {
  const outstanding = outstandingOf(b);
  if (kind === 'late_fee_waiver') return Math.max(0, Math.min(b.late_fee_cents, outstanding));
  return Math.max(0, Math.min(b.amount_cents - b.discount_cents - b.waived_cents, outstanding));
}

/** "12.5" % → basis points, exactly (no floating point). */
function basisPoints(percent: string): number {
  const [whole, frac = ''] = percent.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** `percent` of `baseCents`, rounded half up to the cent in integer arithmetic. */
export function percentOf(baseCents: number, percent: string): number {
  return Math.floor((baseCents * basisPoints(percent) + 5_000) / 10_000);
}

export function createBillReliefs(deps: ReliefDeps): BillReliefs {
  const { db, dialect, clock, audit, ledger, approvals } = deps;

  for (const kind of KINDS) {
    approvals.register(`bill.${kind}`, {
      async approve(tx: Tx, ctx, approval) {
        const payload = approval.payload as ReliefPayload;
        // Locked: a payment allocating to the same bill waits, so the limit below is the real one.
        const bill = await repo.billForUpdate(tx, dialect, approval.subjectId);
        if (!bill) throw notFound();
        if (bill.status !== 'open') throw new AppError('billing.bill_not_open');
        const cents = payload.amountCents;
        if (cents > reliefLimit(kind, bill)) throw new AppError('billing.relief_exceeds_outstanding');
        const at = clock.now().toISOString();
        const next = {
          discount_cents: bill.discount_cents + (kind === 'discount' ? cents : 0),
          waived_cents: bill.waived_cents + (kind === 'waiver' ? cents : 0),
          late_fee_cents: bill.late_fee_cents - (kind === 'late_fee_waiver' ? cents : 0),
          late_fee_waived_cents: bill.late_fee_waived_cents + (kind === 'late_fee_waiver' ? cents : 0),
        };
        const settled = outstandingOf({ ...bill, ...next }) === 0;
        await tx
          .updateTable('bills')
          .set({ ...next, updated_at: at, ...(settled ? { status: 'paid' as const, paid_at: at } : {}) })
          .where('id', '=', bill.id)
          .where('status', '=', 'open')
          .execute();
        const journalKind: JournalKind = kind;
        await ledger.post(tx, {
          communityId: bill.community_id,
          kind: journalKind,
          refType: 'bill',
          refId: bill.id,
          memo: approval.reason,
          actor: actorOf(ctx),
          entries: [
            { account: kind === 'late_fee_waiver' ? 'late_fee_revenue' : 'discounts', subjectId: bill.fee_item_id, amountCents: cents },
            { account: 'receivable', subjectId: bill.subject_id, amountCents: -cents },
          ],
        });
        await audit.record(tx, ctx, {
          action: `billing.bill.${kind}`,
          entityType: 'bill',
          entityId: bill.id,
          communityId: bill.community_id,
          before: { discountCents: bill.discount_cents, waivedCents: bill.waived_cents, lateFeeCents: bill.late_fee_cents },
          after: { discountCents: next.discount_cents, waivedCents: next.waived_cents, lateFeeCents: next.late_fee_cents, approvalId: approval.id },
        });
      },
    });
  }

  return {
    async request(ctx, billId, body) {
      if ((body.amountCents === undefined) === (body.percent === undefined)) throw invalid('/body/amountCents', 'give either amountCents or percent', '金额和比例只能填一项');
      return db.transaction().execute(async (tx) => {
        const bill = await repo.billById(tx, billId);
        if (!bill) throw notFound();
        assertCan(ctx, 'billing.bill.adjust', bill.community_id);
        if (bill.status !== 'open') throw new AppError('billing.bill_not_open');
        const limit = reliefLimit(body.kind, bill);
        const cents = body.amountCents ?? percentOf(body.kind === 'late_fee_waiver' ? bill.late_fee_cents : bill.amount_cents - bill.discount_cents - bill.waived_cents, body.percent!);
        if (cents <= 0 || cents > limit) throw new AppError('billing.relief_exceeds_outstanding');
        const payload: ReliefPayload = { amountCents: cents, percent: body.percent ?? null };
        return approvals.requestApproval(tx, ctx, { communityId: bill.community_id, kind: `bill.${body.kind}`, subjectType: 'bill', subjectId: bill.id, reason: body.reason, payload });
      });
    },
  };
}
