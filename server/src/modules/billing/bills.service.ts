import type { Bill, BillDetail, BillListQuery, LedgerTrailItem, SubjectBillsQuery } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, fieldValue, invalid, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { PropertiesService } from '../properties/index.js';
import type { LedgerAccount } from './billing.tables.js';
import type { BillSource, BillTable } from './bills.tables.js';
import type { Insertable } from 'kysely';
import type { JournalTransaction, Ledger } from './ledger.js';
import * as repo from './bills.repository.js';
import { explanationLines } from './explanation-lines.js';

/** A bill to issue; amounts are already rounded by the engine (billing/engine). */
export interface NewBill {
  roomId?: string | null;
  parkingSpaceId?: string | null;
  /** Payer at issue: the room's primary contact, if any. */
  personId?: string | null;
  feeItemId: string;
  /** Defaults to `run` when the call names a bill run, `one_off` otherwise. */
  source?: BillSource;
  periodStartOn: string;
  periodEndOn: string;
  /** `YYYY-MM`, `YYYY-Qn`, `YYYY-H1`/`YYYY-H2` or `YYYY`. */
  periodLabel: string;
  dueOn: string;
  amountCents: number;
  /**
   * A reduction granted at issue (the vacant-room rate, a prepayment discount): part of
   * `amountCents`, so the bill shows the full charge and the reduction; posted Dr discounts.
   */
  discountCents?: number;
  /** The engine's `Explanation`, stored verbatim as JSON. */
  explanation: unknown;
  /** `explanation` already serialised (a bill run serialises a charge once for all the bills alike). */
  explanationJson?: string;
  /**
   * What makes issuing twice create one bill. Runs: `run:<feeItemId>:<subjectId>:<periodLabel>`
   * (the default when the call names a run); others should pass a key of their own
   * (`service:<chargeId>`, `deposit:<depositId>`); without one a one-off bill is always new.
   */
  uniqueKey?: string;
}

export interface IssueManyInput {
  communityId: string;
  billRunId?: string | null;
  bills: readonly NewBill[];
  /**
   * Awaited between the call's statements (the bill run passes a yield to the event loop:
   * SQLite's driver is synchronous, so a large call would otherwise hold it for its whole length).
   */
  between?: () => Promise<void>;
  /**
   * The caller expects every unique key to be new (a bill run's first pass over a period): on
   * PostgreSQL the bills are written by COPY, which fails with a unique violation (23505) — and
   * with it the transaction — instead of skipping a key that exists; the caller then retries
   * without it. SQLite skips existing keys either way.
   */
  newKeys?: boolean;
}

export interface IssueResult {
  inserted: number;
  skipped: number;
  /** Rooms and spaces that received a new bill (for the automatic prepaid deduction). */
  subjectIds: string[];
  /** Ids of the bills inserted, in input order. */
  billIds: string[];
}

export interface BillsService {
  /**
   * Issues bills in the caller's transaction: set-based inserts that skip existing unique keys,
   * one ledger transaction per subject for a run (per bill otherwise), one audit record per call.
   * The caller (bill run, service desk, deposits) has checked its own permission; rooms and spaces
   * must belong to the community (the caller read them from it).
   */
  issueMany(tx: Tx, ctx: RequestContext, input: IssueManyInput): Promise<IssueResult>;
  /** One bill (paid repair, deposit, one-off charge). Issuing an existing unique key returns the first bill. */
  issueOne(tx: Tx, ctx: RequestContext, bill: NewBill & { communityId: string }): Promise<{ id: string; inserted: boolean }>;
  /**
   * Cancels every bill of a run: refused when any of them is (or was) paid; posts the reverse of
   * what the bills still carry (issue, discounts, waivers, late fees), one transaction per subject.
   */
  cancelRun(tx: Tx, ctx: RequestContext, billRunId: string): Promise<{ cancelled: number }>;

  /** Bills in the caller's scope (`billing.bill.read`), newest period first, keyset-paginated. */
  list(ctx: RequestContext, query: BillListQuery): Promise<Page<Bill>>;
  /** A bill with its explanation, its ledger trail and its approvals. */
  get(ctx: RequestContext, id: string): Promise<BillDetail>;
  /** The bills of one room or parking space (the room card). */
  listForSubject(ctx: RequestContext, kind: 'room' | 'parking_space', id: string, query: SubjectBillsQuery): Promise<Page<Bill>>;
  /** Registers where a bill's approvals come from (approvals.service; avoids a cycle of factories). */
  useApprovalsOf(fn: (exec: Exec, billId: string) => Promise<BillDetail['approvals']>): void;
}

type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Today's calendar date in China (UTC+8, no daylight saving): bills fall due and late fees accrue
 * by the owners' calendar day, not by UTC's.
 */
export function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** What is still owed on a bill. */
export const outstandingOf = (b: { amount_cents: number; discount_cents: number; waived_cents: number; late_fee_cents: number; paid_cents: number }) =>
  b.amount_cents - b.discount_cents - b.waived_cents + b.late_fee_cents - b.paid_cents;

export function billView(r: repo.BillListRow, today: string): Bill {
  return {
    id: r.id,
    communityId: r.community_id,
    roomId: r.room_id,
    parkingSpaceId: r.parking_space_id,
    subjectId: r.subject_id,
    subjectCode: r.subject_code,
    personId: r.person_id,
    feeItemId: r.fee_item_id,
    feeItemName: r.fee_item_name,
    billRunId: r.bill_run_id,
    source: r.source,
    periodStartOn: r.period_start_on,
    periodEndOn: r.period_end_on,
    periodLabel: r.period_label,
    dueOn: r.due_on,
    amountCents: r.amount_cents,
    discountCents: r.discount_cents,
    waivedCents: r.waived_cents,
    lateFeeCents: r.late_fee_cents,
    lateFeeWaivedCents: r.late_fee_waived_cents,
    paidCents: r.paid_cents,
    outstandingCents: outstandingOf(r),
    status: r.status,
    overdue: r.status === 'open' && r.due_on < today,
    issuedAt: r.issued_at,
    paidAt: r.paid_at,
  };
}

export interface BillsDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  ledger: Ledger;
  properties: Pick<PropertiesService, 'roomRef' | 'parkingSpaceRef'>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ROW_PART = 500;
const LABEL = /^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$/;

/** Who the ledger names as the actor: the user, or the system job / CLI name. */
export const actorOf = (ctx: RequestContext): string => ctx.actor.userId ?? ctx.actor.name;

function validate(b: NewBill, at: string): void {
  const hasRoom = typeof b.roomId === 'string' && b.roomId !== '';
  const hasSpace = typeof b.parkingSpaceId === 'string' && b.parkingSpaceId !== '';
  if (hasRoom === hasSpace) throw invalid(`${at}/roomId`, 'exactly one of roomId and parkingSpaceId', '房屋和车位须填且只填一项');
  if (!Number.isSafeInteger(b.amountCents) || b.amountCents < 0) throw invalid(`${at}/amountCents`, 'a non-negative integer number of cents', '应为不小于 0 的整数（单位：分）');
  const d = b.discountCents ?? 0;
  if (!Number.isSafeInteger(d) || d < 0 || d > b.amountCents) throw invalid(`${at}/discountCents`, 'a non-negative integer number of cents, at most the amount', '应为不小于 0、不超过金额的整数（单位：分）');
  for (const [k, v] of [['periodStartOn', b.periodStartOn], ['periodEndOn', b.periodEndOn], ['dueOn', b.dueOn]] as const) {
    if (!DATE.test(v)) throw invalid(`${at}/${k}`, 'a date YYYY-MM-DD', '应为日期，格式 YYYY-MM-DD');
  }
  if (b.periodEndOn < b.periodStartOn) throw invalid(`${at}/periodEndOn`, 'before the period start', '早于账期开始日期');
  if (!LABEL.test(b.periodLabel)) throw invalid(`${at}/periodLabel`, 'YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY', '格式应为 YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY');
}

export function createBillsService(deps: BillsDeps): BillsService {
  const { db, clock, ids, audit, ledger, dialect, properties } = deps;
  let approvalsOf: (exec: Exec, billId: string) => Promise<BillDetail['approvals']> = () => Promise.resolve([]);

  async function page(query: { cursor?: string; limit?: number }, filter: Omit<repo.BillFilter, 'today' | 'limit' | 'after'>): Promise<Page<Bill>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
    const today = chinaToday(clock.now());
    const rows = await repo.listBills(db, { ...filter, today, limit, after });
    const p = pageOf(rows, limit, (r) => [r.period_start_on, r.id]);
    return { items: p.items.map((r) => billView(r, today)), nextCursor: p.nextCursor };
  }

  async function issueMany(tx: Tx, ctx: RequestContext, input: IssueManyInput): Promise<IssueResult> {
    const { communityId } = input;
    const billRunId = input.billRunId ?? null;
    input.bills.forEach((b, i) => validate(b, `/bills/${i}`));
    const feeItemIds = [...new Set(input.bills.map((b) => b.feeItemId))];
    const known = new Set((await repo.feeItemsIn(tx, communityId, feeItemIds)).map((f) => f.id));
    const unknown = feeItemIds.find((id) => !known.has(id));
    if (unknown !== undefined) throw new AppError('billing.fee_item_unknown', [fieldValue('/bills/feeItemId', unknown)]);

    const at = clock.now().toISOString();
    type Row = Insertable<BillTable> & { id: string; amount_cents: number; discount_cents: number; subject_id: string; fee_item_id: string };
    const rowOf = (b: NewBill): Row => {
      const subjectId = (b.roomId ?? b.parkingSpaceId)!;
      const id = ids();
      return {
        id,
        community_id: communityId,
        room_id: b.roomId ?? null,
        parking_space_id: b.parkingSpaceId ?? null,
        subject_id: subjectId,
        person_id: b.personId ?? null,
        fee_item_id: b.feeItemId,
        bill_run_id: billRunId,
        source: b.source ?? (billRunId ? 'run' : 'one_off'),
        period_start_on: b.periodStartOn,
        period_end_on: b.periodEndOn,
        period_label: b.periodLabel,
        due_on: b.dueOn,
        amount_cents: b.amountCents,
        discount_cents: b.discountCents ?? 0,
        waived_cents: 0,
        late_fee_cents: 0,
        late_fee_waived_cents: 0,
        late_fee_through_on: null,
        paid_cents: 0,
        // A zero bill (fully prorated away, or discounted to nothing) is settled at issue: nothing is owed.
        status: b.amountCents - (b.discountCents ?? 0) === 0 ? 'paid' : 'open',
        paid_at: b.amountCents - (b.discountCents ?? 0) === 0 ? at : null,
        explanation_json: b.explanationJson ?? JSON.stringify(b.explanation ?? null),
        unique_key: b.uniqueKey ?? (billRunId ? `run:${b.feeItemId}:${subjectId}:${b.periodLabel}` : `one_off:${id}`),
        issued_at: at,
        updated_at: at,
      };
    };
    // Rows (and their explanation JSON) are built in parts with `between` awaited in between: a
    // run's call holds thousands of bills.
    const rows: Row[] = [];
    for (let from = 0; from < input.bills.length; from += ROW_PART) {
      if (from > 0) await input.between?.();
      for (let k = from; k < Math.min(input.bills.length, from + ROW_PART); k++) rows.push(rowOf(input.bills[k]!));
    }
    const inserted = await repo.insertBills(tx, rows, input.between, { newKeys: input.newKeys === true });
    await input.between?.();
    const fresh = rows.filter((r) => inserted.has(r.id));

    // Dr receivable(subject), Cr revenue(fee item). A run's call posts ONE journal transaction (ref
    // bill_run): one receivable entry per subject with the sum of its new bills, one revenue entry
    // per fee item summed over the call — the bill ↔ ledger trail is the bill's run id → the run's
    // transactions whose receivable entry names the bill's subject. Other bills post one each.
    // A discount granted at issue (vacant-room rate, prepayment) keeps revenue at the full charge:
    // receivable gets amount − discount and the discounts account the difference (Dr), as an
    // approved discount would post it.
    const txns: JournalTransaction[] = [];
    if (billRunId) {
      const receivable = new Map<string, number>();
      const revenue = new Map<string, number>();
      const discounts = new Map<string, number>();
      for (const r of fresh) {
        if (r.amount_cents === 0) continue;
        if (r.amount_cents > r.discount_cents) receivable.set(r.subject_id, (receivable.get(r.subject_id) ?? 0) + r.amount_cents - r.discount_cents);
        revenue.set(r.fee_item_id, (revenue.get(r.fee_item_id) ?? 0) - r.amount_cents);
        if (r.discount_cents > 0) discounts.set(r.fee_item_id, (discounts.get(r.fee_item_id) ?? 0) + r.discount_cents);
      }
      if (revenue.size > 0) {
        txns.push({
          communityId,
          kind: 'bill_issue',
          refType: 'bill_run',
          refId: billRunId,
          actor: actorOf(ctx),
          entries: [
            ...[...receivable].map(([subjectId, cents]) => ({ account: 'receivable' as const, subjectId, amountCents: cents })),
            ...[...revenue].map(([fee, cents]) => ({ account: 'revenue' as const, subjectId: fee, amountCents: cents })),
            ...[...discounts].map(([fee, cents]) => ({ account: 'discounts' as const, subjectId: fee, amountCents: cents })),
          ],
        });
      }
    } else {
      for (const r of fresh) {
        if (r.amount_cents === 0) continue;
        txns.push({
          communityId,
          kind: 'bill_issue',
          refType: 'bill',
          refId: r.id,
          actor: actorOf(ctx),
          entries: [
            ...(r.amount_cents > r.discount_cents ? [{ account: 'receivable' as const, subjectId: r.subject_id, amountCents: r.amount_cents - r.discount_cents }] : []),
            { account: 'revenue', subjectId: r.fee_item_id, amountCents: -r.amount_cents },
            ...(r.discount_cents > 0 ? [{ account: 'discounts' as const, subjectId: r.fee_item_id, amountCents: r.discount_cents }] : []),
          ],
        });
      }
    }
    await ledger.postMany(tx, txns);
    await input.between?.();

    const totalCents = fresh.reduce((s, r) => s + r.amount_cents - r.discount_cents, 0);
    await audit.record(tx, ctx, {
      action: 'billing.bill.issue',
      entityType: billRunId ? 'bill_run' : 'bill',
      entityId: billRunId ?? (fresh.length === 1 ? fresh[0]!.id : null),
      communityId,
      after: { inserted: fresh.length, skipped: rows.length - fresh.length, totalCents },
    });
    return {
      inserted: fresh.length,
      skipped: rows.length - fresh.length,
      subjectIds: [...new Set(fresh.map((r) => r.subject_id))],
      billIds: fresh.map((r) => r.id),
    };
  }

  return {
    issueMany,

    useApprovalsOf(fn) {
      approvalsOf = fn;
    },

    async list(ctx, query) {
      const { cursor, limit, communityId, ...rest } = query;
      if (communityId) assertCan(ctx, 'billing.bill.read', communityId);
      return page({ cursor, limit }, { communityIds: scopeOf(ctx, 'billing.bill.read'), communityId, ...rest });
    },

    async listForSubject(ctx, kind, id, query) {
      const ref = kind === 'room' ? await properties.roomRef(db, id) : await properties.parkingSpaceRef(db, id);
      if (!ref) throw notFound();
      assertCan(ctx, 'billing.bill.read', ref.communityId);
      return page(query, { communityIds: null, communityId: ref.communityId, status: query.status, ...(kind === 'room' ? { roomId: id } : { parkingSpaceId: id }) });
    },

    async get(ctx, id) {
      const row = await repo.billListRowById(db, id);
      if (!row) throw notFound();
      assertCan(ctx, 'billing.bill.read', row.community_id);
      const withAllocations = await repo.tableExists(db, dialect, 'payment_allocations');
      const trail = await repo.ledgerTrail(db, row, withAllocations);
      const byTxn = new Map<string, LedgerTrailItem['entries']>();
      for (const e of trail.entries) {
        const list = byTxn.get(e.transaction_id) ?? [];
        list.push({ account: e.account as LedgerAccount, subjectId: e.subject_id, amountCents: Number(e.amount_cents) });
        byTxn.set(e.transaction_id, list);
      }
      return {
        ...billView(row, chinaToday(clock.now())),
        explanation: JSON.parse(row.explanation_json) as unknown,
        explanationLines: explanationLines(JSON.parse(row.explanation_json), ctx.locale),
        ledger: trail.txns.map((t) => ({ transactionId: t.id, kind: t.kind, refType: t.ref_type, refId: t.ref_id, memo: t.memo, actor: t.actor, occurredAt: t.occurred_at, entries: byTxn.get(t.id) ?? [] })),
        approvals: await approvalsOf(db, id),
      };
    },

    async issueOne(tx, ctx, bill) {
      const { communityId, ...rest } = bill;
      const res = await issueMany(tx, ctx, { communityId, bills: [rest] });
      if (res.inserted === 1) return { id: res.billIds[0]!, inserted: true };
      // Only a caller-given unique key can collide: answer the bill it names.
      const existing = await tx.selectFrom('bills').select('id').where('unique_key', '=', bill.uniqueKey ?? '').executeTakeFirstOrThrow();
      return { id: existing.id, inserted: false };
    },

    async cancelRun(tx, ctx, billRunId) {
      const bills = await repo.liveBillsOfRun(tx, billRunId);
      if (bills.length === 0) return { cancelled: 0 };
      // A run is cancellable only while none of its bills has seen money (PRODUCT: bill runs).
      const paid = bills.some((b) => b.paid_cents > 0) || ((await repo.tableExists(tx, dialect, 'payment_allocations')) && (await repo.runHasAllocations(tx, billRunId)));
      if (paid) throw new AppError('billing.run_has_payments');
      const communityId = bills[0]!.community_id;

      // The reverse of everything the bills carry, so each subject's receivable drops by exactly
      // their outstanding: issue (revenue), discounts and waivers (discounts), late fees. One
      // transaction for the whole run, shaped as the issue: receivable per subject, the other
      // accounts per fee item.
      const receivable = new Map<string, number>();
      const perAccount = new Map<string, { account: 'revenue' | 'discounts' | 'late_fee_revenue'; subjectId: string; amountCents: number }>();
      const add = (account: 'revenue' | 'discounts' | 'late_fee_revenue', fee: string, cents: number) => {
        if (cents === 0) return;
        const key = `${account}\u0000${fee}`;
        const e = perAccount.get(key);
        if (e) e.amountCents += cents;
        else perAccount.set(key, { account, subjectId: fee, amountCents: cents });
      };
      for (const b of bills) {
        add('revenue', b.fee_item_id, b.amount_cents);
        add('discounts', b.fee_item_id, -(b.discount_cents + b.waived_cents));
        add('late_fee_revenue', b.fee_item_id, b.late_fee_cents);
        const owed = b.amount_cents - b.discount_cents - b.waived_cents + b.late_fee_cents;
        receivable.set(b.subject_id, (receivable.get(b.subject_id) ?? 0) - owed);
      }
      const entries = [
        ...[...receivable].filter(([, cents]) => cents !== 0).map(([subjectId, cents]) => ({ account: 'receivable' as const, subjectId, amountCents: cents })),
        ...[...perAccount.values()].filter((e) => e.amountCents !== 0),
      ];
      const txns: JournalTransaction[] = entries.length > 0 ? [{ communityId, kind: 'bill_cancel', refType: 'bill_run', refId: billRunId, actor: actorOf(ctx), entries }] : [];
      await ledger.postMany(tx, txns);
      const cancelled = await repo.cancelRunBills(tx, billRunId, clock.now().toISOString());
      await audit.record(tx, ctx, {
        action: 'billing.bill.cancel_run',
        entityType: 'bill_run',
        entityId: billRunId,
        communityId,
        after: { cancelled, reversedCents: bills.reduce((s, b) => s + b.amount_cents - b.discount_cents - b.waived_cents + b.late_fee_cents, 0) },
      });
      return { cancelled };
    },
  };
}
