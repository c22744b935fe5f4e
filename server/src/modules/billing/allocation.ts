import { sql } from 'kysely';
import type { Dialect } from '../../core/db/database.js';
import type { Tx } from '../../core/db/schema.js';
import type { IdGenerator } from '../../core/ids.js';

/** What allocation needs to know of an open bill. */
export interface PayableBill {
  id: string;
  subject_id: string;
  due_on: string;
  issued_at: string;
  amount_cents: number;
  discount_cents: number;
  waived_cents: number;
  late_fee_cents: number;
  paid_cents: number;
  status: string;
}

/** Outstanding = amount − discount − waived + late fee − paid (BILLING.md, "The bill"). */
export function outstandingOf(b: Pick<PayableBill, 'amount_cents' | 'discount_cents' | 'waived_cents' | 'late_fee_cents' | 'paid_cents'>): number {
  return Number(b.amount_cents) - Number(b.discount_cents) - Number(b.waived_cents) + Number(b.late_fee_cents) - Number(b.paid_cents);
}

/**
 * Oldest first (issue 5: "oldest first unless chosen"): by due date, then issue time, then id so
 * that the order — and the order rows are locked in — is total and the same in every transaction.
 */
export function oldestFirst<T extends Pick<PayableBill, 'due_on' | 'issued_at' | 'id'>>(bills: readonly T[]): T[] {
  const key = (b: T) => `${b.due_on}\u0000${b.issued_at}\u0000${b.id}`;
  return [...bills].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Spreads `available` cents over bills in the given order; never more than a bill's outstanding. */
export function plan(bills: readonly PayableBill[], available: number): { billId: string; amountCents: number }[] {
  const out: { billId: string; amountCents: number }[] = [];
  let left = available;
  for (const b of bills) {
    if (left <= 0) break;
    if (b.status !== 'open') continue;
    const take = Math.min(left, outstandingOf(b));
    if (take <= 0) continue;
    out.push({ billId: b.id, amountCents: take });
    left -= take;
  }
  return out;
}

/**
 * Open bills locked for the transaction: `for update` on PostgreSQL (a concurrent payment waits and
 * then sees the new paid amount); SQLite's single writer serialises. Locked oldest first, always in
 * the same order, so two payments cannot deadlock on each other's bills.
 */
export async function lockBills(tx: Tx, dialect: Dialect, where: { communityId: string; subjectIds?: readonly string[]; billIds?: readonly string[] }): Promise<PayableBill[]> {
  let q = tx
    .selectFrom('bills')
    .select(['id', 'subject_id', 'due_on', 'issued_at', 'amount_cents', 'discount_cents', 'waived_cents', 'late_fee_cents', 'paid_cents', 'status'])
    .where('community_id', '=', where.communityId);
  if (where.billIds) q = q.where('id', 'in', where.billIds);
  else q = q.where('status', '=', 'open');
  if (where.subjectIds) q = q.where('subject_id', 'in', where.subjectIds);
  q = q.orderBy('due_on').orderBy('issued_at').orderBy('id');
  if (dialect === 'postgres') q = q.forUpdate();
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, due_on: String(r.due_on), issued_at: String(r.issued_at) }));
}

/**
 * Writes allocations set-based: one multi-row insert into the append-only `payment_allocations`,
 * one UPDATE of the bills with a CASE per bill (paid amount up; `paid` when nothing is left).
 */
export async function applyAllocations(
  tx: Tx,
  deps: { ids: IdGenerator; dialect: Dialect; at: string; actor: string },
  communityId: string,
  rows: readonly { billId: string; subjectId: string; paymentId: string | null; amountCents: number; reversesId?: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 400) {
    await tx
      .insertInto('payment_allocations')
      .values(
        rows.slice(i, i + 400).map((r) => ({
          id: deps.ids(),
          community_id: communityId,
          bill_id: r.billId,
          subject_id: r.subjectId,
          payment_id: r.paymentId,
          amount_cents: r.amountCents,
          reverses_id: r.reversesId ?? null,
          created_at: deps.at,
          actor: deps.actor,
        })),
      )
      .execute();
  }
  const delta = new Map<string, number>();
  for (const r of rows) delta.set(r.billId, (delta.get(r.billId) ?? 0) + r.amountCents);
  const entries = [...delta.entries()];
  for (let i = 0; i < entries.length; i += 300) {
    const part = entries.slice(i, i + 300);
    const cases = sql.join(part.map(([id, d]) => sql`when ${id} then ${d}`), sql` `);
    const add = sql<number>`(case id ${cases} else 0 end)`;
    const due = sql<number>`amount_cents - discount_cents - waived_cents + late_fee_cents`;
    const at = deps.dialect === 'postgres' ? sql<string>`cast(${deps.at} as timestamptz)` : sql<string>`${deps.at}`;
    await tx
      .updateTable('bills')
      .set({
        paid_cents: sql<number>`paid_cents + ${add}`,
        status: sql<'open' | 'paid'>`case when paid_cents + ${add} >= ${due} then 'paid' else 'open' end`,
        paid_at: sql<string | null>`case when paid_cents + ${add} >= ${due} then coalesce(paid_at, ${at}) else null end`,
        updated_at: deps.at,
      })
      .where('id', 'in', part.map(([id]) => id))
      .execute();
  }
}
