import type { Insertable, Updateable } from 'kysely';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { FeeItemTable } from './billing.tables.js';
import type { FeeItemRow } from './bills.repository.js';

export async function feeItemById(exec: Exec, id: string): Promise<FeeItemRow | undefined> {
  return exec.selectFrom('fee_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function feeItemsOf(exec: Exec, communityId: string, active?: boolean): Promise<FeeItemRow[]> {
  let q = exec.selectFrom('fee_items').selectAll().where('community_id', '=', communityId);
  if (active !== undefined) q = q.where('active', '=', active ? 1 : 0);
  return q.orderBy('code').execute();
}

export async function codeTaken(exec: Exec, communityId: string, code: string): Promise<boolean> {
  return (await exec.selectFrom('fee_items').select('id').where('community_id', '=', communityId).where('code', '=', code).executeTakeFirst()) !== undefined;
}

export async function insertFeeItem(tx: Tx, row: Insertable<FeeItemTable>): Promise<void> {
  await tx.insertInto('fee_items').values(row).execute();
}

export async function updateFeeItem(tx: Tx, id: string, set: Updateable<FeeItemTable>): Promise<void> {
  await tx.updateTable('fee_items').set(set).where('id', '=', id).execute();
}
