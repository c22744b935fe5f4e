import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { JournalKind, LedgerAccount } from './billing.tables.js';
import { copyInsert, unnestInsert, valuesInsert, type UnnestColumn } from '../../core/db/bulk.js';
import { dialectOf } from '../../core/db/sql.js';

/**
 * The double-entry ledger (总账). Every money movement of billing is posted here as one journal
 * transaction of two or more entries summing to zero, in the transaction of the business change.
 * Amounts are debit-positive cents. Who posts what:
 *
 *   bill issued            Dr receivable(room)        Cr revenue(fee item)
 *   bill cancelled         the reverse of its issue
 *   payment received       Dr cash|bank|gateway_clearing   Cr prepaid(room)   — money lands on the room's balance
 *   allocation to bills    Dr prepaid(room)           Cr receivable(room)      — (also the automatic deduction)
 *   prepaid top-up         as a payment with no allocation
 *   discount / waiver      Dr discounts(fee item)     Cr receivable(room)
 *   late fee               Dr receivable(room)        Cr late_fee_revenue(fee item); waived by its reverse
 *   refund                 Dr prepaid(room)           Cr cash|bank|gateway_clearing
 *   reversal (冲正)        the reverse of the payment (after its allocations are reversed)
 *   deposit collected      Dr cash|bank               Cr deposit(room); returned: the reverse
 *
 * A payment therefore never "disappears": what is not allocated stays as the room's prepaid
 * balance, and prepaid / deposit balances (credit, so ≤ 0) can never cross zero — the
 * `ledger_balances` check constraint refuses it in the database.
 */
export interface Entry {
  account: LedgerAccount;
  /** Room / space id (receivable, prepaid, deposit), fee item id (revenue, discounts); '' otherwise. */
  subjectId: string;
  amountCents: number;
}

export interface JournalTransaction {
  communityId: string;
  kind: JournalKind;
  refType: string;
  refId: string;
  memo?: string | null;
  /** Who caused it: a user id, or a system actor such as `billing.late_fee`. */
  actor: string;
  entries: Entry[];
}

export interface LedgerProblem {
  check: 'unbalanced_transaction' | 'single_entry_transaction' | 'balance_mismatch' | 'negative_liability';
  detail: string;
}

export interface Ledger {
  /** Posts one transaction; throws when it does not balance. Returns its id. */
  post(tx: Tx, txn: JournalTransaction): Promise<string>;
  /** Posts many transactions set-based (bill runs): a few multi-row statements, not one per row. */
  postMany(tx: Tx, txns: readonly JournalTransaction[]): Promise<string[]>;
  /** Current balances of an account for some subjects (missing subjects have balance 0). */
  balances(exec: Exec, communityId: string, account: LedgerAccount, subjectIds: readonly string[]): Promise<Map<string, number>>;
  /** The ledger's own invariants; billing's `check` adds the bill and prepaid ones. */
  check(exec: Exec): Promise<LedgerProblem[]>;
}

/** PostgreSQL: entries from this many on are written by COPY. */
const COPY_ROWS = 100;
/** Rows per multi-row INSERT: well under SQLite's bound-parameter limit for every table here. */
const CHUNK = 400;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export function assertBalanced(txn: JournalTransaction): void {
  if (txn.entries.length < 2) throw new Error(`journal transaction ${txn.kind}/${txn.refId} has fewer than two entries`);
  let sum = 0;
  for (const e of txn.entries) {
    if (!Number.isSafeInteger(e.amountCents)) throw new Error(`journal entry amount ${e.amountCents} is not an integer number of cents`);
    sum += e.amountCents;
  }
  if (sum !== 0) throw new Error(`journal transaction ${txn.kind}/${txn.refId} does not balance (off by ${sum} cents)`);
}

type TxnRow = { id: string; community_id: string; kind: string; ref_type: string; ref_id: string; memo: string | null; actor: string; occurred_at: string };
type EntryRow = { id: string; transaction_id: string; community_id: string; account: string; subject_id: string; amount_cents: number };
type BalanceRow = { community_id: string; account: string; subject_id: string; balance_cents: number; updated_at: string };
const TXN_COLUMNS: readonly UnnestColumn<TxnRow>[] = [['id', 'uuid'], ['community_id', 'uuid'], ['kind', 'text'], ['ref_type', 'text'], ['ref_id', 'uuid'], ['memo', 'text'], ['actor', 'text'], ['occurred_at', 'timestamptz']];
const ENTRY_COLUMNS: readonly UnnestColumn<EntryRow>[] = [['id', 'uuid'], ['transaction_id', 'uuid'], ['community_id', 'uuid'], ['account', 'text'], ['subject_id', 'text'], ['amount_cents', 'bigint']];
const BALANCE_COLUMNS: readonly UnnestColumn<BalanceRow>[] = [['community_id', 'uuid'], ['account', 'text'], ['subject_id', 'text'], ['balance_cents', 'bigint'], ['updated_at', 'timestamptz']];
const TXN_NAMES = TXN_COLUMNS.map(([name]) => name);
const ENTRY_NAMES = ENTRY_COLUMNS.map(([name]) => name);
const BALANCE_NAMES = BALANCE_COLUMNS.map(([name]) => name);

export function createLedger(deps: { ids: IdGenerator; clock: Clock }): Ledger {
  const { ids, clock } = deps;

  async function postMany(tx: Tx, txns: readonly JournalTransaction[]): Promise<string[]> {
    if (txns.length === 0) return [];
    const at = clock.now().toISOString();
    const txnRows = [];
    const entryRows = [];
    const deltas = new Map<string, { community_id: string; account: LedgerAccount; subject_id: string; balance_cents: number }>();
    const txnIds: string[] = [];
    for (const txn of txns) {
      assertBalanced(txn);
      const id = ids();
      txnIds.push(id);
      txnRows.push({ id, community_id: txn.communityId, kind: txn.kind, ref_type: txn.refType, ref_id: txn.refId, memo: txn.memo ?? null, actor: txn.actor, occurred_at: at });
      for (const e of txn.entries) {
        if (e.amountCents === 0) continue;
        entryRows.push({ id: ids(), transaction_id: id, community_id: txn.communityId, account: e.account, subject_id: e.subjectId, amount_cents: e.amountCents });
        const key = `${txn.communityId}\u0000${e.account}\u0000${e.subjectId}`;
        const d = deltas.get(key);
        if (d) d.balance_cents += e.amountCents;
        else deltas.set(key, { community_id: txn.communityId, account: e.account, subject_id: e.subjectId, balance_cents: e.amountCents });
      }
    }
    // In key order: concurrent transactions (a bill run's parallel slices, payments) then lock
    // shared balance rows in the same order and wait for each other instead of deadlocking.
    const changed = [...deltas]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .filter(([, d]) => d.balance_cents !== 0)
      .map(([, d]) => ({ ...d, updated_at: at }));
    // Both databases check `ledger_balances_liability_not_negative` on the proposed INSERT row
    // before ON CONFLICT turns it into an update, so a debit of prepaid / deposit (a positive delta)
    // would be refused even when the existing credit covers it: those few rows are updated in place
    // (the CHECK then sees the real new balance), and inserted only when there is no balance yet.
    const liabilityDebits = changed.filter((d) => (d.account === 'prepaid' || d.account === 'deposit') && d.balance_cents > 0);
    const balanceRows = changed.filter((d) => !liabilityDebits.includes(d));
    for (const d of liabilityDebits) {
      const res = await tx
        .updateTable('ledger_balances')
        .set({ balance_cents: sql<number>`balance_cents + ${d.balance_cents}`, updated_at: at })
        .where('community_id', '=', d.community_id)
        .where('account', '=', d.account)
        .where('subject_id', '=', d.subject_id)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) await tx.insertInto('ledger_balances').values(d).execute();
    }
    if (dialectOf(tx) === 'postgres') {
      // One statement per table whatever the size; the many entries of a bill run's call by COPY
      // (new ids: nothing can conflict), the few of a payment as one INSERT (COPY costs a round trip more).
      await unnestInsert('journal_transactions', TXN_COLUMNS, txnRows).execute(tx);
      if (entryRows.length >= COPY_ROWS) await copyInsert(tx, 'journal_entries', ENTRY_NAMES, entryRows);
      else if (entryRows.length) await unnestInsert('journal_entries', ENTRY_COLUMNS, entryRows).execute(tx);
      if (balanceRows.length) {
        await unnestInsert(
          'ledger_balances',
          BALANCE_COLUMNS,
          balanceRows,
          sql`on conflict (community_id, account, subject_id) do update set balance_cents = ledger_balances.balance_cents + excluded.balance_cents, updated_at = excluded.updated_at`,
        ).execute(tx);
      }
      return txnIds;
    }
    // SQLite: cached multi-row statements, parameters bound from the rows (no query tree per call).
    await valuesInsert(tx, 'journal_transactions', TXN_NAMES, txnRows);
    if (entryRows.length) await valuesInsert(tx, 'journal_entries', ENTRY_NAMES, entryRows);
    if (balanceRows.length) {
      await valuesInsert(tx, 'ledger_balances', BALANCE_NAMES, balanceRows, {
        tail: 'on conflict (community_id, account, subject_id) do update set balance_cents = ledger_balances.balance_cents + excluded.balance_cents, updated_at = excluded.updated_at',
      });
    }
    return txnIds;
  }

  return {
    postMany,
    async post(tx, txn) {
      const [id] = await postMany(tx, [txn]);
      return id!;
    },
    async balances(exec, communityId, account, subjectIds) {
      const out = new Map<string, number>(subjectIds.map((s) => [s, 0]));
      for (const part of chunks(subjectIds)) {
        const rows = await exec
          .selectFrom('ledger_balances')
          .select(['subject_id', 'balance_cents'])
          .where('community_id', '=', communityId)
          .where('account', '=', account)
          .where('subject_id', 'in', part)
          .execute();
        for (const r of rows) out.set(r.subject_id, Number(r.balance_cents));
      }
      return out;
    },
    async check(exec) {
      const problems: LedgerProblem[] = [];
      const unbalanced = await exec
        .selectFrom('journal_entries')
        .select(['transaction_id', sql<number>`sum(amount_cents)`.as('sum'), sql<number>`count(*)`.as('n')])
        .groupBy('transaction_id')
        .having((eb) => eb.or([eb(sql`sum(amount_cents)`, '<>', 0), eb(sql`count(*)`, '<', 2)]))
        .limit(100)
        .execute();
      for (const r of unbalanced) {
        if (Number(r.n) < 2) problems.push({ check: 'single_entry_transaction', detail: `transaction ${r.transaction_id} has ${r.n} entry` });
        if (Number(r.sum) !== 0) problems.push({ check: 'unbalanced_transaction', detail: `transaction ${r.transaction_id} is off by ${r.sum} cents` });
      }
      // Every stored balance equals the sum of its account's entries, and no account with entries
      // lacks its balance row (a full outer comparison done as two anti-joins on both dialects).
      const mismatched = await sql<{ community_id: string; account: string; subject_id: string; stored: number | null; summed: number | null }>`
        with sums as (
          select community_id, account, subject_id, sum(amount_cents) as summed
          from journal_entries group by community_id, account, subject_id
        )
        select b.community_id, b.account, b.subject_id, b.balance_cents as stored, s.summed
          from ledger_balances b left join sums s
            on s.community_id = b.community_id and s.account = b.account and s.subject_id = b.subject_id
         where coalesce(s.summed, 0) <> b.balance_cents
        union all
        select s.community_id, s.account, s.subject_id, null as stored, s.summed
          from sums s left join ledger_balances b
            on s.community_id = b.community_id and s.account = b.account and s.subject_id = b.subject_id
         where b.account is null and s.summed <> 0
        limit 100`.execute(exec);
      for (const r of mismatched.rows) {
        problems.push({ check: 'balance_mismatch', detail: `${r.account}/${r.subject_id} in ${r.community_id}: stored ${r.stored ?? 'none'}, entries sum to ${r.summed ?? 0}` });
      }
      const negative = await exec
        .selectFrom('ledger_balances')
        .select(['community_id', 'account', 'subject_id', 'balance_cents'])
        .where('account', 'in', ['prepaid', 'deposit'])
        .where('balance_cents', '>', 0)
        .limit(100)
        .execute();
      for (const r of negative) problems.push({ check: 'negative_liability', detail: `${r.account}/${r.subject_id} in ${r.community_id} is ${r.balance_cents} cents in the owner's debt` });
      return problems;
    },
  };
}
