import { sql, type Insertable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { BillRunTable } from './runs.tables.js';

/** A room as a bill run needs it (registry table, read-only). */
export interface RunRoom {
  id: string;
  code: string;
  building_id: string;
  building_area_dm2: number;
  inner_area_dm2: number | null;
  state: string;
  delivered_on: string | null;
}

const IN_CHUNK = 900;
async function inChunks<T>(values: readonly string[], f: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(...(await f(values.slice(i, i + IN_CHUNK))));
  return out;
}

/** SQL of bill runs and of the set-based reads a run makes per batch of rooms. */
export const runsRepo = {
  insert: (exec: Exec, row: Insertable<BillRunTable>) => exec.insertInto('bill_runs').values(row).execute(),
  byId: (exec: Exec, id: string) => exec.selectFrom('bill_runs').selectAll().where('id', '=', id).executeTakeFirst(),
  update: (exec: Exec, id: string, set: Partial<BillRunTable>) => exec.updateTable('bill_runs').set(set).where('id', '=', id).execute(),
  running: (exec: Exec, communityId: string, label: string) =>
    exec.selectFrom('bill_runs').select('id').where('community_id', '=', communityId).where('period_label', '=', label).where('status', '=', 'running').executeTakeFirst(),
  page: (exec: Exec, communityId: string, after: string | undefined, limit: number) => {
    let q = exec.selectFrom('bill_runs').selectAll().where('community_id', '=', communityId);
    if (after) q = q.where('id', '<', after);
    return q.orderBy('id', 'desc').limit(limit + 1).execute();
  },
  countRooms: async (exec: Exec, communityId: string) =>
    Number((await exec.selectFrom('rooms').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow()).n),
  /** The next batch of rooms after `afterId` (keyset on id). */
  rooms: (exec: Exec, communityId: string, afterId: string | null, limit: number): Promise<RunRoom[]> => {
    let q = exec
      .selectFrom('rooms')
      .select(['id', 'code', 'building_id', 'building_area_dm2', 'inner_area_dm2', 'state', 'delivered_on'])
      .where('community_id', '=', communityId);
    if (afterId) q = q.where('id', '>', afterId);
    return q.orderBy('id').limit(limit).execute();
  },
  /** Occupancies still current at the period start (people's table, read-only). */
  occupancies: (exec: Exec, roomIds: readonly string[], periodStart: string) =>
    inChunks(roomIds, (part) =>
      exec
        .selectFrom('occupancies')
        .select(['room_id', 'person_id', 'primary_contact', 'moved_in_on'])
        .where('room_id', 'in', part)
        .where((eb) => eb.or([eb('moved_out_on', 'is', null), eb('moved_out_on', '>=', periodStart)]))
        .execute(),
    ),
  /**
   * The active meters of some rooms, each with its readings in [from, to] (one row per reading, or
   * one row with null reading fields for a meter without any): one query instead of a meters read
   * and a readings read naming every meter. Ordered by room, meter, read_on.
   */
  roomMeterReadings: (exec: Exec, roomIds: readonly string[], from: string, to: string) =>
    inChunks(roomIds, (part) =>
      exec
        .selectFrom('meters as m')
        .leftJoin('meter_readings as r', (j) => j.onRef('r.meter_id', '=', 'm.id').on('r.read_on', '>=', from).on('r.read_on', '<=', to))
        .select(['m.id as meter_id', 'm.room_id', 'm.kind', 'r.read_on', 'r.reading_e3', 'r.usage_e3', 'r.review_status'])
        .where('m.room_id', 'in', part)
        .where('m.active', '=', 1)
        .orderBy('m.room_id')
        .orderBy('m.id')
        .orderBy('r.read_on')
        .execute(),
    ),
  /** Readings of some meters with read_on in [from, to]. */
  readings: (exec: Exec, meterIds: readonly string[], from: string, to: string) =>
    inChunks(meterIds, (part) =>
      exec
        .selectFrom('meter_readings')
        .select(['meter_id', 'read_on', 'reading_e3', 'usage_e3', 'review_status'])
        .where('meter_id', 'in', part)
        .where('read_on', '>=', from)
        .where('read_on', '<=', to)
        .orderBy('meter_id')
        .orderBy('read_on')
        .execute(),
    ),
  /** The unique keys among `keys` that already name a bill. */
  existingKeys: async (exec: Exec, keys: readonly string[]) =>
    new Set((await inChunks(keys, (part) => exec.selectFrom('bills').select('unique_key').where('unique_key', 'in', part).execute())).map((r) => r.unique_key)),
  /** The unique keys of some bills (by id). */
  keysOfBills: async (exec: Exec, billIds: readonly string[]) =>
    new Set((await inChunks(billIds, (part) => exec.selectFrom('bills').select('unique_key').where('id', 'in', part).execute())).map((r) => r.unique_key)),
  feeItems: (exec: Exec, communityId: string, ids: readonly string[]) =>
    exec.selectFrom('fee_items').select(['id', 'name', 'rounding_unit', 'rounding_mode', 'due_days']).where('community_id', '=', communityId).where('id', 'in', ids).execute(),
  /** Every room of the community with what apportionment weighs (one query; ~100 bytes a room). */
  allRooms: (exec: Exec, communityId: string) =>
    exec.selectFrom('rooms').select(['id', 'code', 'building_id', 'building_area_dm2', 'inner_area_dm2', 'state', 'delivered_on']).where('community_id', '=', communityId).orderBy('id').execute(),
  /** Usage per room of one meter kind in a period (accepted readings), for apportioning by usage. */
  usageByRoom: async (exec: Exec, communityId: string, kind: string, from: string, to: string) => {
    const rows = await sql<{ room_id: string; usage: number }>`
      select m.room_id, sum(r.usage_e3) as usage
        from meter_readings r join meters m on m.id = r.meter_id
       where m.community_id = ${communityId} and m.kind = ${kind} and m.room_id is not null
         and r.read_on >= ${from} and r.read_on <= ${to} and r.review_status = 'accepted' and r.usage_e3 is not null
       group by m.room_id`.execute(exec);
    return new Map(rows.rows.map((r) => [r.room_id, Number(r.usage)]));
  },
};
