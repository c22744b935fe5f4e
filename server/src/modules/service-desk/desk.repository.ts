import { sql, type Selectable, type SqlBool, type Expression } from 'kysely';
import type { RequestPriority, RequestState, RequestType } from '@courtyard/contracts';
import type { Exec } from '../../core/db/schema.js';
import type {
  ServiceCategoryTable,
  ServiceChargeTable,
  ServiceDispatchRuleTable,
  ServiceRequestEventTable,
  ServiceRequestTable,
  ServiceTeamTable,
  ServiceTechnicianTable,
} from './desk.tables.js';

export type CategoryRow = Selectable<ServiceCategoryTable>;
export type TeamRow = Selectable<ServiceTeamTable>;
export type TechnicianRow = Selectable<ServiceTechnicianTable>;
export type RuleRow = Selectable<ServiceDispatchRuleTable>;
export type RequestRow = Selectable<ServiceRequestTable>;
export type EventRow = Selectable<ServiceRequestEventTable>;
export type ChargeRow = Selectable<ServiceChargeTable>;

const EMPTY_IN = '00000000-0000-0000-0000-000000000000';
/** `in ()` is not valid SQL: an empty list matches nothing through an id no row has. */
const nonEmpty = (ids: readonly string[]) => (ids.length ? [...ids] : [EMPTY_IN]);

/** The same predicate as the partial indexes of migration 202612030300 (so the planner uses them). */
export const OPEN_SQL = sql<SqlBool>`service_requests.state not in ('rejected', 'closed', 'cancelled')`;

export const categories = {
  byId: (db: Exec, id: string) => db.selectFrom('service_categories').selectAll().where('id', '=', id).executeTakeFirst(),
  byIds: (db: Exec, ids: readonly string[]) => db.selectFrom('service_categories').selectAll().where('id', 'in', nonEmpty(ids)).execute(),
  byCode: (db: Exec, communityId: string, type: RequestType, code: string) =>
    db.selectFrom('service_categories').selectAll().where('community_id', '=', communityId).where('type', '=', type).where('code', '=', code).executeTakeFirst(),
  ofCommunity: (db: Exec, communityId: string, type?: RequestType) => {
    let q = db.selectFrom('service_categories').selectAll().where('community_id', '=', communityId);
    if (type) q = q.where('type', '=', type);
    return q.orderBy('type').orderBy('sort').orderBy('code').execute();
  },
};

export const teams = {
  byId: (db: Exec, id: string) => db.selectFrom('service_teams').selectAll().where('id', '=', id).executeTakeFirst(),
  ofCommunity: (db: Exec, communityId: string) => db.selectFrom('service_teams').selectAll().where('community_id', '=', communityId).orderBy('name').execute(),
  members: (db: Exec, teamIds: readonly string[]) =>
    db
      .selectFrom('service_team_members as m')
      .innerJoin('service_technicians as t', 't.id', 'm.technician_id')
      .select(['m.team_id', 'm.technician_id', 't.name', 't.on_duty', 't.user_id'])
      .where('m.team_id', 'in', nonEmpty(teamIds))
      .orderBy('t.name')
      .execute(),
  supervisorsOf: (db: Exec, communityId: string) =>
    db.selectFrom('service_teams').select('supervisor_user_id').where('community_id', '=', communityId).where('supervisor_user_id', 'is not', null).execute(),
};

export const technicians = {
  byId: (db: Exec, id: string) => db.selectFrom('service_technicians').selectAll().where('id', '=', id).executeTakeFirst(),
  byIds: (db: Exec, ids: readonly string[]) => db.selectFrom('service_technicians').selectAll().where('id', 'in', nonEmpty(ids)).execute(),
  byUser: (db: Exec, userId: string, communityId: string) => db.selectFrom('service_technicians').selectAll().where('user_id', '=', userId).where('community_id', '=', communityId).executeTakeFirst(),
  ofUser: (db: Exec, userId: string) => db.selectFrom('service_technicians').selectAll().where('user_id', '=', userId).execute(),
  ofCommunity: (db: Exec, communityId: string) => db.selectFrom('service_technicians').selectAll().where('community_id', '=', communityId).orderBy('name').execute(),
  skills: (db: Exec, ids: readonly string[]) => db.selectFrom('service_technician_skills').select(['technician_id', 'category_id']).where('technician_id', 'in', nonEmpty(ids)).execute(),
  teams: (db: Exec, ids: readonly string[]) => db.selectFrom('service_team_members').select(['technician_id', 'team_id']).where('technician_id', 'in', nonEmpty(ids)).execute(),
  async openCounts(db: Exec, ids: readonly string[]): Promise<Map<string, number>> {
    const rows = await db
      .selectFrom('service_requests')
      .select(['technician_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('technician_id', 'in', nonEmpty(ids))
      .where(sql<SqlBool>`state in ('dispatched', 'in_progress', 'paused', 'waiting_parts')`)
      .groupBy('technician_id')
      .execute();
    return new Map(rows.map((r) => [r.technician_id as string, Number(r.n)]));
  },
  /**
   * Dispatch candidates: members of the team on duty, holding the category as a skill (any
   * member when the request has no category), each with the number of requests they have open
   * — one grouped query.
   */
  candidates: (db: Exec, teamId: string, categoryId: string | null) => {
    let q = db
      .selectFrom('service_team_members as m')
      .innerJoin('service_technicians as t', 't.id', 'm.technician_id')
      .leftJoin('service_requests as r', (j) => j.onRef('r.technician_id', '=', 't.id').on(sql<SqlBool>`r.state in ('dispatched', 'in_progress', 'paused', 'waiting_parts')`))
      .select(['t.id', 't.name', 't.user_id', (eb) => eb.fn.count<number>('r.id').as('open')])
      .where('m.team_id', '=', teamId)
      .where('t.on_duty', '=', 1);
    if (categoryId) q = q.where((eb) => eb.exists(eb.selectFrom('service_technician_skills as s').select('s.technician_id').whereRef('s.technician_id', '=', 't.id').where('s.category_id', '=', categoryId)));
    return q.groupBy(['t.id', 't.name', 't.user_id']).orderBy('t.id').execute();
  },
};

export const rules = {
  ofCommunity: (db: Exec, communityId: string) => db.selectFrom('service_dispatch_rules').selectAll().where('community_id', '=', communityId).orderBy('id').execute(),
  /** The rule for the category, else the community's fallback rule (no category). */
  async forCategory(db: Exec, communityId: string, categoryId: string | null): Promise<RuleRow | undefined> {
    const rows = await db
      .selectFrom('service_dispatch_rules')
      .selectAll()
      .where('community_id', '=', communityId)
      .where((eb) => (categoryId ? eb.or([eb('category_id', '=', categoryId), eb('category_id', 'is', null)]) : eb('category_id', 'is', null)))
      .execute();
    return rows.find((r) => r.category_id !== null) ?? rows[0];
  },
  deleteFor: (db: Exec, communityId: string, categoryId: string | null) =>
    db
      .deleteFrom('service_dispatch_rules')
      .where('community_id', '=', communityId)
      .where((eb) => (categoryId ? eb('category_id', '=', categoryId) : eb('category_id', 'is', null)))
      .execute(),
};

export const sla = {
  ofCommunity: (db: Exec, communityId: string) => db.selectFrom('service_sla_policies').selectAll().where('community_id', '=', communityId).orderBy('type').orderBy('priority').execute(),
  one: (db: Exec, communityId: string, type: RequestType, priority: RequestPriority) =>
    db.selectFrom('service_sla_policies').selectAll().where('community_id', '=', communityId).where('type', '=', type).where('priority', '=', priority).executeTakeFirst(),
};

export const settings = {
  get: (db: Exec, communityId: string) => db.selectFrom('service_desk_settings').selectAll().where('community_id', '=', communityId).executeTakeFirst(),
  holidays: (db: Exec, communityId: string) => db.selectFrom('service_holidays').selectAll().where('community_id', '=', communityId).orderBy('on').execute(),
  /** Auto-close hours of every community that set them (the others use the default). */
  autoClose: (db: Exec) => db.selectFrom('service_desk_settings').select(['community_id', 'auto_close_hours']).execute(),
};

/** Read-only lookups in other modules' tables (display names, the caller's rooms, photo ids). */
export const users = {
  async names(db: Exec, ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', nonEmpty(ids)).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  },
  /**
   * Active staff accounts with an active grant in the community or in every community (the
   * people who can be technicians or supervisors there), at most 50, by display name.
   */
  staffOf(db: Exec, communityId: string, q: string | undefined) {
    let query = db
      .selectFrom('users as u')
      .leftJoin('service_technicians as t', (j) => j.onRef('t.user_id', '=', 'u.id').on('t.community_id', '=', communityId))
      .select(['u.id', 'u.username', 'u.display_name', 't.id as technician_id'])
      .where('u.kind', '=', 'staff')
      .where('u.status', '=', 'active')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('grants as g')
            .select('g.id')
            .whereRef('g.user_id', '=', 'u.id')
            .where('g.status', '=', 'active')
            .where((w) => w.or([w('g.community_id', '=', communityId), w('g.community_id', 'is', null)])),
        ),
      );
    const term = q?.trim().toLowerCase();
    if (term) {
      // Usernames contain `_`, a LIKE wildcard: escape it (and `%`, `!`) rather than drop it.
      const pattern = sql<string>`${`%${term.replace(/[!%_]/g, (m) => `!${m}`)}%`} escape '!'`;
      query = query.where((eb) => eb.or([eb('u.username', 'like', pattern), eb(eb.fn('lower', ['u.display_name']), 'like', pattern)]));
    }
    return query.orderBy('u.display_name').orderBy('u.id').limit(50).execute();
  },
  /** Rooms the user currently lives in (through their person records' open occupancies). */
  currentRooms: (db: Exec, userId: string) =>
    db
      .selectFrom('persons as p')
      .innerJoin('occupancies as o', 'o.person_id', 'p.id')
      .select(['o.room_id', 'o.community_id'])
      .where('p.user_id', '=', userId)
      .where('o.moved_out_on', 'is', null)
      .where('o.room_id', 'is not', null)
      .execute(),
};

export const photos = {
  ids: async (db: Exec, requestId: string) =>
    (await db.selectFrom('files').select('id').where('owner_type', '=', 'service_request').where('owner_id', '=', requestId).where('deleted_at', 'is', null).orderBy('id').execute()).map((r) => r.id),
};

/** A request joined to the names lists, the board and the detail show. */
const withNames = (db: Exec) =>
  db
    .selectFrom('service_requests')
    .leftJoin('service_categories as cat', 'cat.id', 'service_requests.category_id')
    .leftJoin('service_teams as team', 'team.id', 'service_requests.team_id')
    .leftJoin('service_technicians as tech', 'tech.id', 'service_requests.technician_id')
    .leftJoin('rooms as room', 'room.id', 'service_requests.room_id');
const NAMES = ['cat.name as category_name', 'team.name as team_name', 'tech.name as technician_name', 'room.code as room_code'] as const;
type Names = { category_name: string | null; team_name: string | null; technician_name: string | null; room_code: string | null };

/** Whole request rows with their names (the detail page). */
export const requestView = (db: Exec) => withNames(db).selectAll('service_requests').select(NAMES);
export type RequestViewRow = RequestRow & Names;

/**
 * The columns a list row (board, lists, my tasks) needs, and the description cut to the summary's
 * 200 characters in SQL: the board reads 50 rows per request, and half of a request row's columns
 * (lines, results, contact, ratings, timestamps of every stage) are only shown on the detail page.
 */
const SUMMARY_COLUMNS = [
  'id',
  'community_id',
  'number',
  'type',
  'category_id',
  'state',
  'priority',
  'channel',
  'room_id',
  'location',
  'team_id',
  'technician_id',
  'created_at',
  'updated_at',
  'version',
  'sla_stage',
  'sla_due_at',
  'sla_accept_minutes',
  'sla_arrive_minutes',
  'sla_resolve_minutes',
  'pauses',
] as const satisfies readonly (keyof RequestRow)[];
export type SummaryRow = Pick<RequestRow, (typeof SUMMARY_COLUMNS)[number] | 'description'> & Names;
export const summaryView = (db: Exec) =>
  withNames(db)
    .select(SUMMARY_COLUMNS.map((c) => `service_requests.${c}` as const))
    .select([sql<string>`substr(service_requests.description, 1, 200)`.as('description'), ...NAMES]);

export const requests = {
  byId: (db: Exec, id: string) => db.selectFrom('service_requests').selectAll().where('id', '=', id).executeTakeFirst(),
  viewById: (db: Exec, id: string) => requestView(db).where('service_requests.id', '=', id).executeTakeFirst() as Promise<RequestViewRow | undefined>,
  timeline: (db: Exec, id: string) => db.selectFrom('service_request_events').selectAll().where('request_id', '=', id).orderBy('version').orderBy('id').execute(),
  /** Gap-free numbering: the counter row is bumped (and locked) in the creating transaction. */
  async nextNumber(db: Exec, communityId: string, prefix: string, year: number): Promise<number> {
    const row = await db
      .insertInto('service_request_counters')
      .values({ community_id: communityId, prefix, year, last_number: 1 })
      .onConflict((oc) => oc.columns(['community_id', 'prefix', 'year']).doUpdateSet({ last_number: sql`service_request_counters.last_number + 1` }))
      .returning('last_number')
      .executeTakeFirstOrThrow();
    return Number(row.last_number);
  },
};

export const charges = {
  ofRequest: (db: Exec, requestId: string) => db.selectFrom('service_charges').selectAll().where('request_id', '=', requestId).orderBy('id', 'desc').executeTakeFirst(),
};

export const openStates: readonly RequestState[] = ['submitted', 'accepted', 'dispatched', 'in_progress', 'paused', 'waiting_parts', 'resolved', 'confirmed'];
export type { Expression };
