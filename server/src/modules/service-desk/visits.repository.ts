import type { Exec } from '../../core/db/schema.js';
import type { ReturnVisitTable } from './visits.tables.js';

/** Most closed requests a due list reads at once (the date range bounds it further). */
export const DUE_LIMIT = 5_000;

export const visits = {
  insert: (db: Exec, row: ReturnVisitTable) => db.insertInto('return_visits').values(row).execute(),
  /** Whether the request already has a visit that reached the caller. */
  reached: (db: Exec, requestId: string) => db.selectFrom('return_visits').select('id').where('request_id', '=', requestId).where('outcome', '<>', 'unreachable').executeTakeFirst(),
  recent: (db: Exec, communityId: string, limit: number) =>
    db
      .selectFrom('return_visits as v')
      .innerJoin('service_requests as r', 'r.id', 'v.request_id')
      .selectAll('v')
      .select('r.number as request_number')
      .where('v.community_id', '=', communityId)
      .orderBy('v.id', 'desc')
      .limit(limit)
      .execute(),
};

/** The service desk's requests, read-only: closed ones in a range without a reached visit. */
export const requests = {
  byId: (db: Exec, id: string) => db.selectFrom('service_requests').select(['id', 'community_id', 'number', 'state', 'room_id', 'location']).where('id', '=', id).executeTakeFirst(),
  dueForVisit: (db: Exec, communityId: string, from: string, to: string) =>
    db
      .selectFrom('service_requests as r')
      .select((eb) => [
        'r.id',
        'r.community_id',
        'r.number',
        'r.type',
        'r.description',
        'r.contact_name',
        'r.rating',
        'r.closed_at',
        eb.selectFrom('return_visits as u').select((e) => e.fn.countAll<number | string>().as('n')).whereRef('u.request_id', '=', 'r.id').where('u.outcome', '=', 'unreachable').as('unreachable'),
      ])
      .where('r.community_id', '=', communityId)
      .where('r.state', '=', 'closed')
      .where('r.closed_at', '>=', from)
      .where('r.closed_at', '<', to)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('return_visits as v').select('v.id').whereRef('v.request_id', '=', 'r.id').where('v.outcome', '<>', 'unreachable'))))
      .orderBy('r.closed_at')
      .orderBy('r.id')
      .limit(DUE_LIMIT)
      .execute(),
};
