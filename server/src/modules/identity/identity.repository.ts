import { sql, type CompiledQuery, type Selectable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { ApiTokenTable, GrantTable, RoleTable, SessionTable, UserTable } from './identity.tables.js';

/** The only place in identity that speaks SQL. Every function takes the db or a transaction. */

export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type RoleRow = Selectable<RoleTable>;
export type GrantRow = Selectable<GrantTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

export const users = {
  byId: (db: Exec, id: string) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
  byUsername: (db: Exec, username: string) => db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst(),
  insert: (db: Exec, row: UserRow) => db.insertInto('users').values(row).execute(),
  update: (db: Exec, id: string, patch: Partial<UserRow>) => db.updateTable('users').set(patch).where('id', '=', id).execute(),
  /** Contact details of many users at once (notifications); disabled accounts receive nothing. */
  contacts: (db: Exec, ids: string[]) =>
    ids.length
      ? db.selectFrom('users').select(['id', 'display_name', 'locale', 'email', 'phone_enc']).where('id', 'in', ids).where('status', '=', 'active').execute()
      : Promise.resolve([]),
  /** Display names of many users at once, whatever their status (names on past records). */
  names: (db: Exec, ids: string[]) => (ids.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute() : Promise.resolve([])),
  /** Set-based: bumps the authz version of every holder of a role. */
  bumpAuthzForRole: (db: Exec, roleId: string) =>
    db
      .updateTable('users')
      .set({ authz_version: sql<number>`authz_version + 1` })
      .where('id', 'in', (eb) => eb.selectFrom('grants').select('user_id').where('role_id', '=', roleId))
      .execute(),
  bumpAuthz: (db: Exec, userId: string) => db.updateTable('users').set({ authz_version: sql<number>`authz_version + 1` }).where('id', '=', userId).execute(),
  /** Atomic increment so that concurrent wrong passwords cannot under-count. */
  registerFailure: (db: Exec, id: string) =>
    db.updateTable('users').set({ failed_sign_ins: sql<number>`failed_sign_ins + 1` }).where('id', '=', id).returning(['failed_sign_ins']).executeTakeFirstOrThrow(),
  list: (db: Exec, filter: { q?: string; kind?: string; status?: string; phoneIdx?: string; after?: string; limit: number }) => {
    let q = db.selectFrom('users').selectAll();
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[%_]/g, '')}%`;
      q = q.where((eb) => {
        const any = [eb('username', 'like', like), eb(eb.fn('lower', ['display_name']), 'like', like)];
        if (filter.phoneIdx) any.push(eb('phone_idx', '=', filter.phoneIdx));
        return eb.or(any);
      });
    }
    if (filter.kind) q = q.where('kind', '=', filter.kind as UserRow['kind']);
    if (filter.status) q = q.where('status', '=', filter.status as UserRow['status']);
    if (filter.after) q = q.where('username', '>', filter.after);
    return q.orderBy('username').limit(filter.limit + 1).execute();
  },
};

export const passwordHistory = {
  recent: (db: Exec, userId: string, n: number) =>
    db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(n).execute(),
  insert: (db: Exec, row: { id: string; user_id: string; password_hash: string; created_at: string }) => db.insertInto('password_history').values(row).execute(),
};

export const recoveryCodes = {
  replace: async (db: Exec, userId: string, rows: { id: string; code_hash: string; created_at: string }[]) => {
    await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    if (rows.length) await db.insertInto('recovery_codes').values(rows.map((r) => ({ ...r, user_id: userId, used_at: null }))).execute();
  },
  /** Marks an unused code used; returns false when there was none (wrong or already used). */
  consume: async (db: Exec, userId: string, codeHash: string, at: string) => {
    const r = await db.updateTable('recovery_codes').set({ used_at: at }).where('user_id', '=', userId).where('code_hash', '=', codeHash).where('used_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  clear: (db: Exec, userId: string) => db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute(),
};

function sessionLookup(db: Exec, tokenHash: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.stage',
      's.csrf_token',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      's.mfa_attempts',
      'u.id as user_id',
      'u.username',
      'u.display_name',
      'u.kind',
      'u.status',
      'u.locale',
      'u.password_changed_at',
      'u.password_must_change',
      'u.mfa_enabled_at',
      'u.authz_version',
    ])
    .where('s.token_hash', '=', tokenHash);
}
// Building a Kysely query costs more than running this one on SQLite; the SQL text differs by
// dialect, so keep one compiled copy per database handle.
type SessionLookupRow = Awaited<ReturnType<ReturnType<typeof sessionLookup>['executeTakeFirstOrThrow']>>;
const compiledLookups = new WeakMap<Exec, CompiledQuery<SessionLookupRow>>();

export const sessions = {
  insert: (db: Exec, row: SessionRow) => db.insertInto('sessions').values(row).execute(),
  byId: (db: Exec, id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),
  /** The per-request lookup: one indexed read joining the session to its user, compiled once. */
  withUserByToken: async (db: Exec, tokenHash: string): Promise<SessionLookupRow | undefined> => {
    let compiled = compiledLookups.get(db);
    if (!compiled) {
      compiled = sessionLookup(db, '').compile();
      compiledLookups.set(db, compiled);
    }
    const query: CompiledQuery<SessionLookupRow> = { ...compiled, parameters: [tokenHash] };
    return (await db.executeQuery(query)).rows[0];
  },
  update: (db: Exec, id: string, patch: Partial<SessionRow>) => db.updateTable('sessions').set(patch).where('id', '=', id).execute(),
  purgeEndedBefore: async (db: Exec, cutoff: string) => {
    const r = await db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  },
  revokeAllOfUser: (db: Exec, userId: string, at: string, reason: string, exceptId?: string) => {
    let q = db.updateTable('sessions').set({ revoked_at: at, revoked_reason: reason }).where('user_id', '=', userId).where('revoked_at', 'is', null);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return q.execute();
  },
  activeOfUser: (db: Exec, userId: string, now: string) =>
    db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('stage', '=', 'full')
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_seen_at', 'desc')
      .execute(),
};

export const roles = {
  all: (db: Exec) =>
    db
      .selectFrom('roles as r')
      .selectAll('r')
      .select((eb) => eb.selectFrom('grants as g').select(eb.fn.countAll<number>().as('n')).whereRef('g.role_id', '=', 'r.id').where('g.status', '=', 'active').as('holders'))
      .orderBy('r.built_in', 'desc')
      .orderBy('r.code')
      .execute(),
  byId: (db: Exec, id: string) => db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst(),
  byCode: (db: Exec, code: string) => db.selectFrom('roles').selectAll().where('code', '=', code).executeTakeFirst(),
  insert: (db: Exec, row: RoleRow) => db.insertInto('roles').values(row).execute(),
  insertIfAbsent: (db: Exec, row: RoleRow) => db.insertInto('roles').values(row).onConflict((oc) => oc.column('code').doNothing()).execute(),
  update: (db: Exec, id: string, patch: Partial<RoleRow>) => db.updateTable('roles').set(patch).where('id', '=', id).execute(),
  delete: (db: Exec, id: string) => db.deleteFrom('roles').where('id', '=', id).execute(),
  permissionsOf: (db: Exec, roleIds: string[]) =>
    roleIds.length ? db.selectFrom('role_permissions').selectAll().where('role_id', 'in', roleIds).execute() : Promise.resolve([]),
  setPermissions: async (db: Exec, roleId: string, permissions: readonly string[]) => {
    await db.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
    if (permissions.length) await db.insertInto('role_permissions').values(permissions.map((permission) => ({ role_id: roleId, permission }))).execute();
  },
};

function grantViews(db: Exec) {
  return db
    .selectFrom('grants as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .innerJoin('roles as r', 'r.id', 'g.role_id')
    .leftJoin('users as req', 'req.id', 'g.requested_by')
    .selectAll('g')
    .select(['u.username', 'r.code as role_code', 'r.name as role_name', 'r.name_en as role_name_en', 'req.display_name as requested_by_name']);
}
export type GrantView = NonNullable<Awaited<ReturnType<ReturnType<typeof grantViews>['executeTakeFirst']>>>;

export const grants = {
  byId: (db: Exec, id: string) => db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst(),
  insert: (db: Exec, row: GrantRow) => db.insertInto('grants').values(row).execute(),
  update: (db: Exec, id: string, patch: Partial<GrantRow>) => db.updateTable('grants').set(patch).where('id', '=', id).execute(),
  /** What the user may do: (permission, community) pairs of active grants only. */
  effective: (db: Exec, userId: string) =>
    db
      .selectFrom('grants as g')
      .innerJoin('roles as r', 'r.id', 'g.role_id')
      .leftJoin('role_permissions as p', 'p.role_id', 'g.role_id')
      .select(['r.code', 'r.sensitive', 'p.permission', 'g.community_id'])
      .where('g.user_id', '=', userId)
      .where('g.status', '=', 'active')
      .execute(),
  openFor: (db: Exec, userId: string, roleId: string, communityId: string | null) =>
    db
      .selectFrom('grants')
      .select('id')
      .where('user_id', '=', userId)
      .where('role_id', '=', roleId)
      .where((eb) => (communityId === null ? eb('community_id', 'is', null) : eb('community_id', '=', communityId)))
      .where('status', 'in', ['pending', 'active'])
      .executeTakeFirst(),
  view: (db: Exec, id: string) => grantViews(db).where('g.id', '=', id).executeTakeFirst(),
  /** `communities` null = every grant; otherwise only grants scoped to those communities. */
  list: (db: Exec, filter: { status?: string; userId?: string; before?: string; limit: number; communities: string[] | null }) => {
    let q = grantViews(db);
    if (filter.communities !== null) {
      if (filter.communities.length === 0) return Promise.resolve([]);
      q = q.where('g.community_id', 'in', filter.communities);
    }
    if (filter.status) q = q.where('g.status', '=', filter.status as GrantRow['status']);
    if (filter.userId) q = q.where('g.user_id', '=', filter.userId);
    if (filter.before) q = q.where('g.id', '<', filter.before);
    return q.orderBy('g.id', 'desc').limit(filter.limit + 1).execute();
  },
  rolesOfUsers: (db: Exec, userIds: string[]) =>
    userIds.length
      ? db
          .selectFrom('grants as g')
          .innerJoin('roles as r', 'r.id', 'g.role_id')
          .select(['g.user_id', 'r.code'])
          .where('g.user_id', 'in', userIds)
          .where('g.status', '=', 'active')
          .execute()
      : Promise.resolve([]),
};

export const apiTokens = {
  insert: (db: Exec, row: ApiTokenRow) => db.insertInto('api_tokens').values(row).execute(),
  byId: (db: Exec, id: string) => db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst(),
  withUserByHash: (db: Exec, tokenHash: string) =>
    db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['t.id', 't.scopes_json', 't.expires_at', 't.revoked_at', 't.last_used_at', 'u.id as user_id', 'u.username', 'u.status', 'u.locale', 'u.authz_version'])
      .where('t.token_hash', '=', tokenHash)
      .executeTakeFirst(),
  ofUser: (db: Exec, userId: string) => db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute(),
  update: (db: Exec, id: string, patch: Partial<ApiTokenRow>) => db.updateTable('api_tokens').set(patch).where('id', '=', id).execute(),
};
