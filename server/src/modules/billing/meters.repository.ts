import { sql, type Insertable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { MeterReadingTable, MeterTable, MeterKind } from './runs.tables.js';

/** SQL of meters and meter readings. */
export const meters = {
  byId: (exec: Exec, id: string) => exec.selectFrom('meters').selectAll().where('id', '=', id).executeTakeFirst(),
  byIds: (exec: Exec, ids: readonly string[]) => (ids.length ? exec.selectFrom('meters').selectAll().where('id', 'in', ids).execute() : Promise.resolve([])),
  bySerials: (exec: Exec, communityId: string, serials: readonly string[]) =>
    serials.length ? exec.selectFrom('meters').selectAll().where('community_id', '=', communityId).where('serial_number', 'in', serials).execute() : Promise.resolve([]),
  bySerial: (exec: Exec, communityId: string, serial: string) =>
    exec.selectFrom('meters').select('id').where('community_id', '=', communityId).where('serial_number', '=', serial).executeTakeFirst(),
  insert: (exec: Exec, row: Insertable<MeterTable>) => exec.insertInto('meters').values(row).execute(),
  update: (exec: Exec, id: string, row: Partial<MeterTable>) => exec.updateTable('meters').set(row).where('id', '=', id).execute(),
  page: (
    exec: Exec,
    q: { communityId: string; kind?: MeterKind; roomId?: string; buildingId?: string; shared?: boolean; after?: [string, string]; limit: number },
  ) => {
    let query = exec.selectFrom('meters').selectAll().where('community_id', '=', q.communityId);
    if (q.kind) query = query.where('kind', '=', q.kind);
    if (q.roomId) query = query.where('room_id', '=', q.roomId);
    if (q.buildingId) query = query.where('building_id', '=', q.buildingId);
    if (q.shared === true) query = query.where('room_id', 'is', null);
    if (q.shared === false) query = query.where('room_id', 'is not', null);
    if (q.after) {
      const [serial, id] = q.after;
      query = query.where((eb) => eb.or([eb('serial_number', '>', serial), eb.and([eb('serial_number', '=', serial), eb('id', '>', id)])]));
    }
    return query.orderBy('serial_number').orderBy('id').limit(q.limit + 1).execute();
  },
  /** The latest reading of each meter (one query however many meters). */
  async latest(exec: Exec, meterIds: readonly string[]): Promise<Map<string, MeterReadingTable>> {
    const out = new Map<string, MeterReadingTable>();
    if (!meterIds.length) return out;
    const rows = await exec
      .selectFrom('meter_readings as r')
      .selectAll('r')
      .where('r.meter_id', 'in', meterIds)
      .where('r.review_status', '<>', 'rejected')
      .where('r.read_on', '=', (eb) =>
        eb.selectFrom('meter_readings as x').select((e) => e.fn.max('x.read_on').as('m')).whereRef('x.meter_id', '=', 'r.meter_id').where('x.review_status', '<>', 'rejected'),
      )
      .execute();
    for (const r of rows) out.set(r.meter_id, r);
    return out;
  },
  /** The last `n` usages of each meter, newest first (window function, both dialects). */
  async recentUsages(exec: Exec, meterIds: readonly string[], n: number): Promise<Map<string, number[]>> {
    const out = new Map<string, number[]>();
    if (!meterIds.length) return out;
    const rows = await sql<{ meter_id: string; usage_e3: number }>`
      select meter_id, usage_e3 from (
        select meter_id, usage_e3, row_number() over (partition by meter_id order by read_on desc) as rn
          from meter_readings
         where meter_id in (${sql.join(meterIds)}) and usage_e3 is not null and review_status <> 'rejected'
      ) t where rn <= ${n} order by meter_id, rn`.execute(exec);
    for (const r of rows.rows) {
      const list = out.get(r.meter_id) ?? [];
      list.push(Number(r.usage_e3));
      out.set(r.meter_id, list);
    }
    return out;
  },
  insertReadings: async (exec: Exec, rows: Insertable<MeterReadingTable>[]) => {
    for (let i = 0; i < rows.length; i += 400) await exec.insertInto('meter_readings').values(rows.slice(i, i + 400)).execute();
  },
  readingById: (exec: Exec, id: string) => exec.selectFrom('meter_readings').selectAll().where('id', '=', id).executeTakeFirst(),
  readingsPage: (exec: Exec, meterId: string, after: [string, string] | undefined, limit: number) => {
    let q = exec.selectFrom('meter_readings').selectAll().where('meter_id', '=', meterId);
    if (after) q = q.where((eb) => eb.or([eb('read_on', '<', after[0]), eb.and([eb('read_on', '=', after[0]), eb('id', '<', after[1])])]));
    return q.orderBy('read_on', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  },
  pendingPage: (exec: Exec, communityId: string, after: [string, string] | undefined, limit: number) => {
    let q = exec.selectFrom('meter_readings').selectAll().where('community_id', '=', communityId).where('review_status', '=', 'pending');
    if (after) q = q.where((eb) => eb.or([eb('read_on', '>', after[0]), eb.and([eb('read_on', '=', after[0]), eb('id', '>', after[1])])]));
    return q.orderBy('read_on').orderBy('id').limit(limit + 1).execute();
  },
  review: (exec: Exec, id: string, status: 'accepted' | 'rejected', by: string, at: string) =>
    exec.updateTable('meter_readings').set({ review_status: status, reviewed_by: by, reviewed_at: at }).where('id', '=', id).where('review_status', '=', 'pending').executeTakeFirst(),
  roomCommunity: (exec: Exec, roomId: string) => exec.selectFrom('rooms').select(['community_id', 'building_id']).where('id', '=', roomId).executeTakeFirst(),
  buildingCommunity: (exec: Exec, buildingId: string) => exec.selectFrom('buildings').select('community_id').where('id', '=', buildingId).executeTakeFirst(),
};
