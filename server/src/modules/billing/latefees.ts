import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Tx } from '../../core/db/schema.js';
import { systemContext } from '../../core/http/context.js';
import type { AuditService } from '../audit/index.js';
import { addDays, lateFeeIncrement, type LateFeeCap } from './engine/index.js';
import type { JournalTransaction, Ledger } from './ledger.js';
import { chinaToday } from './bills.service.js';

/** Bills per transaction of the daily job: memory stays flat and writers are not blocked long. */
const BATCH = 500;
export const LATE_FEE_JOB = 'billing.late_fees';
/** 00:10 in China (UTC+8): the day that just ended is charged. */
export const LATE_FEE_CRON = '10 16 * * *';

export interface LateFees {
  /**
   * Charges late fees (滞纳金) through `asOf` (default: yesterday, China calendar) on every open,
   * overdue bill whose fee item has a rate: the fee as of `asOf` minus what the bill already
   * accrued (charged + waived), never negative, so a rerun the same day adds nothing and a missed
   * day is caught up by the next run. Posts Dr receivable(subject), Cr late_fee_revenue(fee item).
   */
  run(asOf?: string): Promise<{ bills: number; addedCents: number }>;
}

export interface LateFeeDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: AuditService;
  ledger: Ledger;
}

interface Candidate {
  id: string;
  community_id: string;
  subject_id: string;
  fee_item_id: string;
  due_on: string;
  amount_cents: number;
  discount_cents: number;
  waived_cents: number;
  late_fee_cents: number;
  late_fee_waived_cents: number;
  paid_cents: number;
  late_fee_daily_ppm: number;
  late_fee_grace_days: number;
  late_fee_cap: 'principal' | 'amount' | 'none';
  late_fee_cap_cents: number | null;
  rounding_unit: 'cent' | 'jiao' | 'yuan';
  rounding_mode: 'half_up' | 'half_even';
}

/**
 * The increment for one bill. The principal is what is still unpaid of amount − discount − waived
 * (payments cover the principal first, in the owner's favour); the cap is the bill's principal by
 * default, or the fee item's fixed amount. The engine applies the fee item's rounding to the total.
 */
export function lateFeeAdd(b: Candidate, asOf: string): number {
  const principal = b.amount_cents - b.discount_cents - b.waived_cents;
  const unpaid = Math.max(0, principal - b.paid_cents);
  const cap: LateFeeCap = b.late_fee_cap === 'principal' ? { kind: 'cents', cents: principal } : b.late_fee_cap === 'amount' ? { kind: 'cents', cents: b.late_fee_cap_cents ?? 0 } : { kind: 'none' };
  const { addCents } = lateFeeIncrement({
    principalCents: unpaid,
    dueOn: b.due_on,
    graceDays: b.late_fee_grace_days,
    dailyRatePpm: b.late_fee_daily_ppm,
    asOf,
    cap,
    rounding: { unit: b.rounding_unit, mode: b.rounding_mode },
    alreadyChargedCents: b.late_fee_cents + b.late_fee_waived_cents,
  });
  return addCents;
}

export function createLateFees(deps: LateFeeDeps): LateFees {
  const { db, dialect, clock, audit, ledger } = deps;
  const ctx = systemContext(LATE_FEE_JOB);
  const pg = dialect === 'postgres';

  /** One batch of one community in one transaction; returns the last id seen (keyset) or null when done. */
  async function batch(tx: Tx, communityId: string, asOf: string, afterId: string): Promise<{ last: string | null; bills: number; added: number }> {
    let q = tx
      .selectFrom('bills as b')
      .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
      .select([
        'b.id', 'b.community_id', 'b.subject_id', 'b.fee_item_id', 'b.due_on', 'b.amount_cents', 'b.discount_cents', 'b.waived_cents', 'b.late_fee_cents', 'b.late_fee_waived_cents', 'b.paid_cents',
        'f.late_fee_daily_ppm', 'f.late_fee_grace_days', 'f.late_fee_cap', 'f.late_fee_cap_cents', 'f.rounding_unit', 'f.rounding_mode',
      ])
      .where('b.community_id', '=', communityId)
      .where('b.status', '=', 'open')
      .where('b.due_on', '<', asOf)
      .where('f.late_fee_daily_ppm', 'is not', null)
      .where((eb) => eb.or([eb('b.late_fee_through_on', 'is', null), eb('b.late_fee_through_on', '<', asOf)]))
      .orderBy('b.id')
      .limit(BATCH);
    if (afterId) q = q.where('b.id', '>', afterId);
    // Payments lock the bills they settle; so does this job, so neither works on a stale amount.
    const rows = (pg ? await q.modifyEnd(sql`for update of b`).execute() : await q.execute()) as Candidate[];
    if (rows.length === 0) return { last: null, bills: 0, added: 0 };

    const adds = rows.map((b) => ({ b, add: lateFeeAdd(b, asOf) }));
    // Every bill looked at is marked through `asOf`: that is what makes a rerun the same day a no-op.
    const values = sql.join(adds.map(({ b, add }) => sql`(${b.id}, ${add})`));
    const idCast = pg ? sql`cast(v.id as uuid)` : sql`v.id`;
    await sql`
      with v(id, add_cents) as (values ${values})
      update bills set late_fee_cents = late_fee_cents + cast(v.add_cents as bigint), late_fee_through_on = ${asOf}, updated_at = ${clock.now().toISOString()}
        from v where bills.id = ${idCast}`.execute(tx);

    // One transaction per bill, referenced by the bill, so its ledger trail shows each day's fee.
    const txns: JournalTransaction[] = adds
      .filter((a) => a.add > 0)
      .map(({ b, add }) => ({
        communityId,
        kind: 'late_fee' as const,
        refType: 'bill',
        refId: b.id,
        memo: `through ${asOf}`,
        actor: LATE_FEE_JOB,
        entries: [
          { account: 'receivable' as const, subjectId: b.subject_id, amountCents: add },
          { account: 'late_fee_revenue' as const, subjectId: b.fee_item_id, amountCents: -add },
        ],
      }));
    await ledger.postMany(tx, txns);
    const added = adds.reduce((s, a) => s + a.add, 0);
    await audit.record(tx, ctx, { action: 'billing.late_fee.charge', entityType: 'community', entityId: communityId, communityId, after: { asOf, bills: rows.length, charged: txns.length, addedCents: added } });
    return { last: rows.length < BATCH ? null : rows[rows.length - 1]!.id, bills: txns.length, added };
  }

  return {
    async run(asOf) {
      const through = asOf ?? addDays(chinaToday(clock.now()), -1);
      const communities = await db
        .selectFrom('bills as b')
        .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
        .select('b.community_id')
        .distinct()
        .where('b.status', '=', 'open')
        .where('b.due_on', '<', through)
        .where('f.late_fee_daily_ppm', 'is not', null)
        .execute();
      let bills = 0;
      let addedCents = 0;
      for (const { community_id } of communities) {
        let after = '';
        for (;;) {
          const res = await db.transaction().execute((tx) => batch(tx, community_id, through, after));
          bills += res.bills;
          addedCents += res.added;
          if (res.last === null) break;
          after = res.last;
        }
      }
      return { bills, addedCents };
    },
  };
}
