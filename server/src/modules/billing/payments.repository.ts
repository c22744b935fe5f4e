import { sql } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { LedgerAccount } from './billing.tables.js';
import type { PaymentTable } from './payments.tables.js';
import type { ReceiptTable } from './receipts.tables.js';

/** SQL of payments, receipts, deposits, refunds and gateway orders (allocation SQL: allocation.ts). */

export type PaymentRow = PaymentTable;

export const payments = {
  byId: (exec: Exec, id: string) => exec.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst(),
  /** Locks the payment (PostgreSQL) so a reversal and another decision cannot both act on it. */
  lock: async (tx: Tx, dialect: Dialect, id: string) => {
    let q = tx.selectFrom('payments').selectAll().where('id', '=', id);
    if (dialect === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  },
  byGatewayOrder: (exec: Exec, orderId: string) => exec.selectFrom('payments').selectAll().where('gateway_order_id', '=', orderId).executeTakeFirst(),
  /** Newest first, keyset on (received_at, id). */
  page: (exec: Exec, f: { communityIds: string[] | null; communityId?: string; subjectIds?: readonly string[]; after?: [string, string]; limit: number }) => {
    let q = exec.selectFrom('payments').selectAll();
    if (f.communityIds) q = q.where('community_id', 'in', f.communityIds.length ? f.communityIds : ['00000000-0000-0000-0000-000000000000']);
    if (f.communityId) q = q.where('community_id', '=', f.communityId);
    if (f.subjectIds) q = q.where('subject_id', 'in', f.subjectIds.length ? f.subjectIds : ['00000000-0000-0000-0000-000000000000']);
    if (f.after) {
      const [at, id] = f.after;
      q = q.where((eb) => eb.or([eb('received_at', '<', at), eb.and([eb('received_at', '=', at), eb('id', '<', id)])]));
    }
    return q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },
  markReversed: (tx: Tx, id: string, at: string) => tx.updateTable('payments').set({ status: 'reversed', reversed_at: at }).where('id', '=', id).where('status', '=', 'completed').execute(),
};

export const allocations = {
  /** Net allocations per payment (reversal rows included), for views. */
  ofPayments: (exec: Exec, paymentIds: readonly string[]) =>
    paymentIds.length === 0
      ? Promise.resolve([])
      : exec
          .selectFrom('payment_allocations as a')
          .innerJoin('bills as b', 'b.id', 'a.bill_id')
          .select(['a.payment_id', 'a.bill_id', sql<number>`sum(a.amount_cents)`.as('amount_cents')])
          .where('a.payment_id', 'in', paymentIds)
          .groupBy(['a.payment_id', 'a.bill_id', 'b.due_on', 'b.issued_at'])
          .orderBy('b.due_on')
          .orderBy('b.issued_at')
          .orderBy('a.bill_id')
          .execute(),
  /** The payment's allocations that have not been reversed yet. */
  unreversedOf: (exec: Exec, paymentId: string) =>
    exec
      .selectFrom('payment_allocations as a')
      .selectAll('a')
      .where('a.payment_id', '=', paymentId)
      .where('a.reverses_id', 'is', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('payment_allocations as r').select('r.id').whereRef('r.reverses_id', '=', 'a.id'))))
      .execute(),
};

export const receipts = {
  /**
   * The next number of the community's year: the counter row is created or incremented in the
   * payment's transaction, so a rolled-back payment gives its number back (no gaps) and two
   * concurrent payments queue on the row (PostgreSQL row lock; SQLite single writer).
   */
  nextSeq: async (tx: Tx, communityId: string, year: number): Promise<number> => {
    const row = await tx
      .insertInto('receipt_counters')
      .values({ community_id: communityId, year, last_seq: 1 })
      .onConflict((oc) => oc.columns(['community_id', 'year']).doUpdateSet({ last_seq: sql<number>`receipt_counters.last_seq + 1` }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return Number(row.last_seq);
  },
  insert: (tx: Tx, row: ReceiptTable) => tx.insertInto('receipts').values(row).execute(),
  byId: (exec: Exec, id: string) => exec.selectFrom('receipts').selectAll().where('id', '=', id).executeTakeFirst(),
  ofPayments: (exec: Exec, paymentIds: readonly string[]) =>
    paymentIds.length === 0 ? Promise.resolve([]) : exec.selectFrom('receipts').selectAll().where('payment_id', 'in', paymentIds).where('status', '=', 'issued').execute(),
  ofSubjects: (exec: Exec, subjectIds: readonly string[]) =>
    subjectIds.length === 0 ? Promise.resolve([]) : exec.selectFrom('receipts').selectAll().where('subject_id', 'in', subjectIds).orderBy('issued_at', 'desc').orderBy('id', 'desc').limit(200).execute(),
  void: (tx: Tx, id: string, f: { at: string; by: string; reason: string }) =>
    tx.updateTable('receipts').set({ status: 'void', voided_at: f.at, voided_by: f.by, void_reason: f.reason }).where('id', '=', id).where('status', '=', 'issued').execute(),
};

/** The lines a receipt prints: bills the payment settled, with fee item and period. */
export function receiptLines(exec: Exec, paymentId: string) {
  return exec
    .selectFrom('payment_allocations as a')
    .innerJoin('bills as b', 'b.id', 'a.bill_id')
    .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
    .select(['a.bill_id', 'f.name as fee_item_name', 'b.period_label', sql<number>`sum(a.amount_cents)`.as('amount_cents')])
    .where('a.payment_id', '=', paymentId)
    .where('a.reverses_id', 'is', null)
    .groupBy(['a.bill_id', 'f.name', 'b.period_label', 'b.due_on'])
    .orderBy('b.due_on')
    .execute();
}

/** Community code and name for receipt numbers and prints (registry data billing is allowed to read). */
export function community(exec: Exec, id: string) {
  return exec.selectFrom('communities').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst();
}

/** A prepaid or deposit balance, locked on PostgreSQL for a check-then-post (refund, prepaid payment). */
export async function lockedBalance(tx: Tx, dialect: Dialect, communityId: string, account: LedgerAccount, subjectId: string): Promise<number> {
  let q = tx.selectFrom('ledger_balances').select('balance_cents').where('community_id', '=', communityId).where('account', '=', account).where('subject_id', '=', subjectId);
  if (dialect === 'postgres') q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? Number(row.balance_cents) : 0;
}

/**
 * A prepaid account's movements with the balance after each, newest first, keyset on
 * (occurred_at, entry id). The running balance is a window sum over the subject's entries, computed
 * before the page is cut, so every page shows true balances.
 */
export async function prepaidMovements(exec: Exec, communityId: string, subjectId: string, after: [string, string] | undefined, limit: number) {
  const cursor = after ? sql`where (m.occurred_at < ${after[0]} or (m.occurred_at = ${after[0]} and m.entry_id < ${after[1]}))` : sql``;
  const rows = await sql<{ entry_id: string; transaction_id: string; kind: string; ref_type: string; ref_id: string; amount_cents: number; balance_cents: number; occurred_at: string | Date }>`
    select * from (
      select e.id as entry_id, t.id as transaction_id, t.kind, t.ref_type, t.ref_id, e.amount_cents, t.occurred_at,
             sum(e.amount_cents) over (order by t.occurred_at, e.id rows between unbounded preceding and current row) as balance_cents
        from journal_entries e join journal_transactions t on t.id = e.transaction_id
       where e.community_id = ${communityId} and e.account = 'prepaid' and e.subject_id = ${subjectId}
    ) m ${cursor}
    order by m.occurred_at desc, m.entry_id desc
    limit ${limit}`.execute(exec);
  return rows.rows;
}
