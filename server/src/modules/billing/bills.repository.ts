import { sql, type Insertable, type Selectable } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { BillTable } from './bills.tables.js';
import type { FeeItemTable } from './billing.tables.js';
import { copyInsert, unnestInsert, valuesInsert, type UnnestColumn } from '../../core/db/bulk.js';
import { dialectOf } from '../../core/db/sql.js';

export type BillRow = Selectable<BillTable>;
export type FeeItemRow = Selectable<FeeItemTable>;

/** Rows per multi-row INSERT: 27 columns × 400 stays well under SQLite's bound-parameter limit. */
const CHUNK = 400;

function chunks<T>(rows: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const BILL_COLUMNS: readonly UnnestColumn<Insertable<BillTable>>[] = [
  ['id', 'uuid'],
  ['community_id', 'uuid'],
  ['room_id', 'uuid'],
  ['parking_space_id', 'uuid'],
  ['subject_id', 'uuid'],
  ['person_id', 'uuid'],
  ['fee_item_id', 'uuid'],
  ['bill_run_id', 'uuid'],
  ['source', 'text'],
  ['period_start_on', 'date'],
  ['period_end_on', 'date'],
  ['period_label', 'text'],
  ['due_on', 'date'],
  ['amount_cents', 'bigint'],
  ['discount_cents', 'bigint'],
  ['waived_cents', 'bigint'],
  ['late_fee_cents', 'bigint'],
  ['late_fee_waived_cents', 'bigint'],
  ['late_fee_through_on', 'date'],
  ['paid_cents', 'bigint'],
  ['status', 'text'],
  ['explanation_json', 'text'],
  ['unique_key', 'text'],
  ['issued_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['paid_at', 'timestamptz'],
];

const BILL_COLUMN_NAMES = BILL_COLUMNS.map(([name]) => name);

/**
 * Inserts bills, skipping those whose unique key exists; returns the ids actually inserted.
 * SQLite: cached multi-row VALUES statements (no RETURNING: when the database inserted fewer rows
 * than given — an issue racing another for the same key — the new ids are read back).
 * `between` runs between SQLite's statements (the bill run yields the event loop there).
 * `newKeys` (a first run of a period): PostgreSQL writes by COPY, which skips nothing — a key that
 * exists fails the statement with a unique violation (23505) and the caller retries without it.
 */
export async function insertBills(tx: Tx, rows: readonly (Insertable<BillTable> & { id: string })[], between?: () => Promise<void>, options: { newKeys?: boolean } = {}): Promise<Set<string>> {
  if (rows.length === 0) return new Set<string>();
  if (dialectOf(tx) === 'postgres') {
    if (options.newKeys) {
      await copyInsert(tx, 'bills', BILL_COLUMN_NAMES, rows);
      return new Set(rows.map((r) => r.id));
    }
    const inserted = new Set<string>();
    const got = await unnestInsert('bills', BILL_COLUMNS, rows, sql`on conflict (unique_key) do nothing returning id`).execute(tx);
    for (const r of got.rows as { id: string }[]) inserted.add(r.id);
    return inserted;
  }
  // A yielding caller (the bill run) gets 100-row statements: into a bills table of millions of
  // rows a 500-row statement usually took 25–60 ms but now and then 120–160 ms (index pages read
  // from disk), all of it with the event loop held; /healthz must answer within 100 ms.
  const changed = await valuesInsert(tx, 'bills', BILL_COLUMN_NAMES, rows, { tail: 'on conflict (unique_key) do nothing', between, ...(between ? { rows: 100 } : {}) });
  if (changed === rows.length) return new Set(rows.map((r) => r.id));
  const inserted = new Set<string>();
  for (const part of chunks(rows.map((r) => r.id), 900)) {
    for (const r of await tx.selectFrom('bills').select('id').where('id', 'in', part).execute()) inserted.add(r.id);
  }
  return inserted;
}

/** The fee items of a community among `ids` (one query). */
export async function feeItemsIn(exec: Exec, communityId: string, ids: readonly string[]): Promise<FeeItemRow[]> {
  if (ids.length === 0) return [];
  return exec.selectFrom('fee_items').selectAll().where('community_id', '=', communityId).where('id', 'in', [...ids]).execute();
}

/** Bills of a run that are not cancelled. */
export async function liveBillsOfRun(exec: Exec, billRunId: string): Promise<BillRow[]> {
  return exec.selectFrom('bills').selectAll().where('bill_run_id', '=', billRunId).where('status', '<>', 'cancelled').execute();
}

/**
 * Cancels a run's live bills and moves their unique keys aside (`<key>:cancelled:<billId>`), so the
 * period can be billed again after a cancel while a rerun of a live run still creates nothing.
 */
export async function cancelRunBills(tx: Tx, billRunId: string, at: string): Promise<number> {
  const res = await tx
    .updateTable('bills')
    .set({ status: 'cancelled', updated_at: at, unique_key: sql<string>`unique_key || ':cancelled:' || id` }).where('bill_run_id', '=', billRunId).where('status', '<>', 'cancelled').executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Whether a table exists. The payments part of billing owns `payment_allocations`; checks and the
 * cancel rule read it only when it is there (asking first: a failed query aborts a PostgreSQL
 * transaction).
 */
export async function tableExists(exec: Exec, dialect: Dialect, name: string): Promise<boolean> {
  const rows =
    dialect === 'postgres'
      ? await sql<{ n: number }>`select 1 as n from information_schema.tables where table_schema = current_schema() and table_name = ${name}`.execute(exec)
      : await sql<{ n: number }>`select 1 as n from sqlite_master where type = 'table' and name = ${name}`.execute(exec);
  return rows.rows.length > 0;
}

/** Whether any bill of a run has a payment allocation (even one later reversed). */
export async function runHasAllocations(exec: Exec, billRunId: string): Promise<boolean> {
  const rows = await sql<{ n: number }>`
    select 1 as n from payment_allocations a join bills b on b.id = a.bill_id
     where b.bill_run_id = ${billRunId} limit 1`.execute(exec);
  return rows.rows.length > 0;
}

export async function billById(exec: Exec, id: string): Promise<BillRow | undefined> {
  return exec.selectFrom('bills').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A bill locked for the rest of the transaction on PostgreSQL (SQLite serialises writers anyway). */
export async function billForUpdate(tx: Tx, dialect: Dialect, id: string): Promise<BillRow | undefined> {
  const q = tx.selectFrom('bills').selectAll().where('id', '=', id);
  return dialect === 'postgres' ? q.forUpdate().executeTakeFirst() : q.executeTakeFirst();
}

export type BillListRow = BillRow & { fee_item_name: string; subject_code: string };

export interface BillFilter {
  /** null = every community. */
  communityIds: string[] | null;
  communityId?: string;
  buildingId?: string;
  roomId?: string;
  parkingSpaceId?: string;
  feeItemId?: string;
  periodLabel?: string;
  status?: BillRow['status'];
  /** Open and due before `today`. */
  overdue?: boolean;
  today: string;
  /** Keyset: [period_start_on, id] of the last row, newest first. */
  after?: [string, string];
  limit: number;
}

/**
 * Bills newest period first, with their fee item's name and their room code or space number.
 * Reads the registry's rooms and parking spaces in the same statement (filter by building, codes
 * for display): one query per page, no lookups per row.
 */
export async function listBills(exec: Exec, f: BillFilter): Promise<BillListRow[]> {
  if (f.communityIds !== null && f.communityIds.length === 0) return [];
  let q = exec
    .selectFrom('bills as b')
    .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
    .leftJoin('rooms as r', 'r.id', 'b.room_id')
    .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
    .selectAll('b')
    .select(['f.name as fee_item_name', sql<string>`coalesce(r.code, s.number, '')`.as('subject_code')]);
  if (f.communityIds !== null) q = q.where('b.community_id', 'in', f.communityIds);
  if (f.communityId) q = q.where('b.community_id', '=', f.communityId);
  if (f.buildingId) q = q.where('r.building_id', '=', f.buildingId);
  if (f.roomId) q = q.where('b.room_id', '=', f.roomId);
  if (f.parkingSpaceId) q = q.where('b.parking_space_id', '=', f.parkingSpaceId);
  if (f.feeItemId) q = q.where('b.fee_item_id', '=', f.feeItemId);
  if (f.periodLabel) q = q.where('b.period_label', '=', f.periodLabel);
  if (f.status) q = q.where('b.status', '=', f.status);
  if (f.overdue === true) q = q.where('b.status', '=', 'open').where('b.due_on', '<', f.today);
  if (f.overdue === false) q = q.where((eb) => eb.or([eb('b.status', '<>', 'open'), eb('b.due_on', '>=', f.today)]));
  if (f.after) {
    const [start, id] = f.after;
    q = q.where((eb) => eb.or([eb('b.period_start_on', '<', start), eb.and([eb('b.period_start_on', '=', start), eb('b.id', '<', id)])]));
  }
  return q.orderBy('b.period_start_on', 'desc').orderBy('b.id', 'desc').limit(f.limit + 1).execute();
}

export async function billListRowById(exec: Exec, id: string): Promise<BillListRow | undefined> {
  return exec
    .selectFrom('bills as b')
    .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
    .leftJoin('rooms as r', 'r.id', 'b.room_id')
    .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
    .selectAll('b')
    .select(['f.name as fee_item_name', sql<string>`coalesce(r.code, s.number, '')`.as('subject_code')])
    .where('b.id', '=', id)
    .executeTakeFirst();
}

export interface TrailRow {
  id: string;
  kind: string;
  ref_type: string;
  ref_id: string;
  memo: string | null;
  actor: string;
  occurred_at: string;
}

/**
 * A bill's ledger trail: its own postings (one-off issue, discounts, waivers, late fees), its run's
 * issue and cancel postings for its subject, and the payments allocated to it (when the payments
 * tables exist). Two queries: the transactions, then their entries.
 */
export async function ledgerTrail(
  exec: Exec,
  bill: BillRow,
  withAllocations: boolean,
): Promise<{ txns: TrailRow[]; entries: { transaction_id: string; account: string; subject_id: string; amount_cents: number }[] }> {
  const runClause = bill.bill_run_id
    ? sql`or (t.ref_type = 'bill_run' and t.ref_id = ${bill.bill_run_id} and exists (select 1 from journal_entries e where e.transaction_id = t.id and e.account = 'receivable' and e.subject_id = ${bill.subject_id}))`
    : sql``;
  const paymentClause = withAllocations
    ? sql`or (t.ref_type = 'payment' and t.ref_id in (select a.payment_id from payment_allocations a where a.bill_id = ${bill.id} and a.payment_id is not null))`
    : sql``;
  const txns = await sql<TrailRow>`
    select t.id, t.kind, t.ref_type, t.ref_id, t.memo, t.actor, t.occurred_at from journal_transactions t
     where t.community_id = ${bill.community_id} and ((t.ref_type = 'bill' and t.ref_id = ${bill.id}) ${runClause} ${paymentClause})
     order by t.occurred_at, t.id`.execute(exec);
  if (txns.rows.length === 0) return { txns: [], entries: [] };
  // A run's transactions cover many rooms: only the entries naming this bill's room or space and
  // its fee item belong on its trail (the revenue entry is the fee item's total for that slice).
  const runTxns = new Set(txns.rows.filter((t) => t.ref_type === 'bill_run').map((t) => t.id));
  const entries = (
    await exec
      .selectFrom('journal_entries')
      .select(['transaction_id', 'account', 'subject_id', 'amount_cents'])
      .where('transaction_id', 'in', txns.rows.map((t) => t.id))
      .orderBy('id')
      .execute()
  ).filter((e) => !runTxns.has(e.transaction_id) || e.subject_id === bill.subject_id || e.subject_id === bill.fee_item_id);
  return { txns: txns.rows, entries };
}
