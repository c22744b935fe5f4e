import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Exec } from '../../core/db/schema.js';
import { assertCan, systemContext, type RequestContext } from '../../core/http/context.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationsService } from '../notifications/index.js';
import { tableExists } from './bills.repository.js';
import type { Ledger, LedgerProblem } from './ledger.js';

export const LEDGER_CHECK_JOB = 'billing.ledger_check';
/** 02:30 in China, after the late fees. */
export const LEDGER_CHECK_CRON = '30 18 * * *';

/** A broken invariant: the ledger's own, or billing's (bills against allocations and the ledger). */
export interface BillingProblem {
  check: LedgerProblem['check'] | 'bill_paid_mismatch' | 'bill_overpaid' | 'receivable_mismatch' | 'prepaid_negative';
  detail: string;
}

export interface LedgerCheck {
  /**
   * Every billing invariant (PRODUCT: ledger check): transactions balance, balances equal their
   * entries, each bill's paid amount equals its allocations and never exceeds what is due, each
   * subject's receivable equals its bills' outstanding, prepaid and deposit balances never negative.
   */
  run(exec?: Exec): Promise<BillingProblem[]>;
  /** `run` for a user holding `billing.ledger.check`. */
  runFor(ctx: RequestContext): Promise<{ ok: boolean; checkedAt: string; problems: BillingProblem[] }>;
  /** The daily job: runs the check and, on failure, logs, audits and notifies the holders of `billing.ledger.check`. */
  daily(): Promise<BillingProblem[]>;
}

export interface LedgerCheckDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ledger: Ledger;
  audit: AuditService;
  notifications: Pick<NotificationsService, 'send'>;
  log: (msg: string) => void;
}

const LIMIT = 100;

export function createLedgerCheck(deps: LedgerCheckDeps): LedgerCheck {
  const { db, dialect, clock, ledger, audit, notifications, log } = deps;

  async function run(exec: Exec = db): Promise<BillingProblem[]> {
    const problems: BillingProblem[] = [...(await ledger.check(exec))];

    // The payments part owns the allocations; before it exists every paid amount must be zero.
    const allocations = (await tableExists(exec, dialect, 'payment_allocations'))
      ? sql`(select bill_id, sum(amount_cents) as allocated from payment_allocations group by bill_id)`
      : sql`(select id as bill_id, 0 as allocated from bills where 1 = 0)`;
    const paid = await sql<{ id: string; paid_cents: number; allocated: number | null }>`
      select b.id, b.paid_cents, a.allocated from bills b left join ${allocations} a on a.bill_id = b.id
       where b.paid_cents <> coalesce(a.allocated, 0) limit ${LIMIT}`.execute(exec);
    for (const r of paid.rows) problems.push({ check: 'bill_paid_mismatch', detail: `bill ${r.id}: paid ${r.paid_cents}, allocations sum to ${r.allocated ?? 0}` });

    const over = await sql<{ id: string; paid_cents: number; due: number }>`
      select id, paid_cents, amount_cents - discount_cents - waived_cents + late_fee_cents as due from bills
       where paid_cents < 0 or paid_cents > amount_cents - discount_cents - waived_cents + late_fee_cents limit ${LIMIT}`.execute(exec);
    for (const r of over.rows) problems.push({ check: 'bill_overpaid', detail: `bill ${r.id}: paid ${r.paid_cents} of ${r.due} due` });

    // Receivable(subject) = Σ outstanding of its live bills; compared both ways (a subject with a
    // receivable and no bill is as wrong as bills with no receivable).
    const receivable = await sql<{ community_id: string; subject_id: string; stored: number | null; owed: number | null }>`
      with owed as (
        select community_id, cast(subject_id as text) as subject_id, sum(amount_cents - discount_cents - waived_cents + late_fee_cents - paid_cents) as owed
          from bills where status <> 'cancelled' group by community_id, subject_id
      ), stored as (
        select community_id, subject_id, balance_cents as stored from ledger_balances where account = 'receivable'
      )
      select s.community_id, s.subject_id, s.stored, o.owed from stored s
        left join owed o on o.community_id = s.community_id and o.subject_id = s.subject_id
       where coalesce(o.owed, 0) <> s.stored
      union all
      select o.community_id, o.subject_id, null as stored, o.owed from owed o
        left join stored s on s.community_id = o.community_id and s.subject_id = o.subject_id
       where s.subject_id is null and o.owed <> 0
      limit ${LIMIT}`.execute(exec);
    for (const r of receivable.rows) {
      problems.push({ check: 'receivable_mismatch', detail: `receivable/${r.subject_id} in ${r.community_id}: ledger ${r.stored ?? 0}, bills owe ${r.owed ?? 0}` });
    }

    // From the entries themselves, not the stored balances: a liability summing to a claim.
    const negative = await exec
      .selectFrom('journal_entries')
      .select(['community_id', 'account', 'subject_id', sql<number>`sum(amount_cents)`.as('sum')])
      .where('account', 'in', ['prepaid', 'deposit'])
      .groupBy(['community_id', 'account', 'subject_id'])
      .having(sql`sum(amount_cents)`, '>', 0)
      .limit(LIMIT)
      .execute();
    for (const r of negative) problems.push({ check: 'prepaid_negative', detail: `${r.account}/${r.subject_id} in ${r.community_id}: entries sum to ${r.sum} (the owner would owe it)` });
    return problems;
  }

  /** Users holding `billing.ledger.check` through an active grant (any community). */
  async function checkers(): Promise<string[]> {
    const rows = await db
      .selectFrom('grants as g')
      .innerJoin('role_permissions as p', 'p.role_id', 'g.role_id')
      .select('g.user_id')
      .distinct()
      .where('g.status', '=', 'active')
      .where('p.permission', '=', 'billing.ledger.check')
      .execute();
    return rows.map((r) => r.user_id);
  }

  return {
    run,

    async runFor(ctx) {
      assertCan(ctx, 'billing.ledger.check');
      const problems = await run();
      return { ok: problems.length === 0, checkedAt: clock.now().toISOString(), problems };
    },

    async daily() {
      const problems = await run();
      if (problems.length === 0) return problems;
      // Loudly: the log, the audit trail and every holder of billing.ledger.check.
      log(`LEDGER CHECK FAILED: ${problems.length} problem(s): ${problems.slice(0, 10).map((p) => `${p.check}: ${p.detail}`).join('; ')}`);
      const recipients = await checkers();
      const ctx = systemContext(LEDGER_CHECK_JOB);
      await db.transaction().execute(async (tx) => {
        await audit.record(tx, ctx, { action: 'billing.ledger.check_failed', result: 'failure', after: { problems: problems.length, first: problems.slice(0, 10) } });
        if (recipients.length > 0) {
          await notifications.send(tx, ctx, { recipients, template: 'billing.ledger_check_failed', data: { count: String(problems.length), first: `${problems[0]!.check}: ${problems[0]!.detail}` }, channels: ['in_app', 'email'] });
        }
      });
      return problems;
    },
  };
}

/** `courtyard ledger check`: prints every problem and answers the exit code (1 when any). */
export async function ledgerCheckCommand(check: LedgerCheck, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const problems = await check.run();
  if (problems.length === 0) {
    out('ledger check clean: every billing invariant holds');
    return 0;
  }
  for (const p of problems) err(`${p.check}\t${p.detail}`);
  err(`LEDGER CHECK FAILED: ${problems.length} problem(s)`);
  return 1;
}
