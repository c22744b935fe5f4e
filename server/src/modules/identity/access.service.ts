import {
  BUILT_IN_ROLES,
  PERMISSIONS,
  SENSITIVE_PERMISSIONS,
  isPermission,
  type CreateGrantBody,
  type CreateRoleBody,
  type Grant,
  type GrantListQuery,
  type Permission,
  type Role,
  type UpdateRoleBody,
} from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { Events } from '../../core/events/outbox.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import { assertCan, scopeOf, type RequestContext, type Scopes } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './identity.repository.js';

export interface Access {
  scopes: Scopes;
  roles: string[];
  /** Holds an administrator role: two-factor is mandatory. */
  sensitive: boolean;
}

export interface AccessService {
  /** The user's effective access, cached per (user, authz_version) so a request costs no query. */
  resolve(userId: string, version: number): Promise<Access>;
  listRoles(): Promise<Role[]>;
  createRole(ctx: RequestContext, body: CreateRoleBody): Promise<Role>;
  updateRole(ctx: RequestContext, id: string, body: UpdateRoleBody): Promise<Role>;
  deleteRole(ctx: RequestContext, id: string): Promise<void>;
  listGrants(ctx: RequestContext, query: GrantListQuery): Promise<{ items: Grant[]; nextCursor: string | null }>;
  requestGrant(ctx: RequestContext, body: CreateGrantBody, tx?: Tx): Promise<Grant>;
  approveGrant(ctx: RequestContext, id: string, reason?: string): Promise<Grant>;
  rejectGrant(ctx: RequestContext, id: string, reason?: string): Promise<Grant>;
  revokeGrant(ctx: RequestContext, id: string): Promise<Grant>;
  /** Creates missing built-in roles and brings their permissions up to the catalogue. */
  ensureBuiltInRoles(): Promise<void>;
  /** Grants a role without approval: for first-start bootstrap, the seed and the CLI only. */
  grantDirect(tx: Tx, ctx: RequestContext, userId: string, roleCode: string, communityId: string | null): Promise<void>;
}

export function toScopes(rows: { permission: string | null; community_id: string | null }[]): Scopes {
  const scopes = new Map<Permission, Set<string> | null>();
  for (const r of rows) {
    if (!r.permission || !isPermission(r.permission)) continue;
    const current = scopes.get(r.permission);
    if (r.community_id === null || current === null) scopes.set(r.permission, null);
    else scopes.set(r.permission, (current ?? new Set<string>()).add(r.community_id));
  }
  return scopes;
}

/** A role is sensitive when it holds any administrative permission (built-in or custom alike). */
export function isSensitive(permissions: readonly string[]): boolean {
  return permissions.some((p) => isPermission(p) && SENSITIVE_PERMISSIONS.has(p));
}

export function createAccessService(deps: {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  events: Events;
  /** Whether a community exists: answered by the registry, which this lower layer cannot import. */
  communityExists: (exec: Exec, id: string) => Promise<boolean>;
}): AccessService {
  const cache = new Map<string, { version: number; access: Access }>();
  const now = () => deps.clock.now().toISOString();

  async function roleView(exec: Exec, id: string): Promise<Role> {
    const all = await repo.roles.all(exec);
    const row = all.find((r) => r.id === id);
    if (!row) throw notFound();
    const perms = await repo.roles.permissionsOf(exec, [id]);
    return toRole(row, perms.map((p) => p.permission));
  }

  function toRole(row: repo.RoleRow & { holders?: number | string | null }, permissions: string[]): Role {
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      builtIn: row.built_in === 1,
      sensitive: row.sensitive === 1,
      permissions: permissions.sort(),
      holders: Number(row.holders ?? 0),
    };
  }

  function checkPermissions(list: readonly string[]) {
    const unknown = list.filter((p) => !isPermission(p));
    if (unknown.length) throw invalid('/body/permissions', `unknown permissions: ${unknown.join(', ')}`, `未知的权限：${unknown.join('、')}`);
  }

  /** Every change of a grant's status is an outbox event (webhooks, later notifications). */
  async function grantChanged(tx: Tx, grant: Grant): Promise<Grant> {
    await deps.events.emit(tx, {
      type: 'identity.grant.changed',
      payload: { grantId: grant.id, userId: grant.userId, roleCode: grant.roleCode, communityId: grant.communityId, status: grant.status },
      communityId: grant.communityId,
    });
    return grant;
  }

  async function grantView(exec: Exec, id: string): Promise<Grant> {
    const row = await repo.grants.view(exec, id);
    if (!row) throw notFound();
    return toGrant(row);
  }

  function toGrant(r: repo.GrantView): Grant {
    return {
      id: r.id,
      userId: r.user_id,
      username: r.username,
      roleId: r.role_id,
      roleCode: r.role_code,
      roleName: r.role_name,
      communityId: r.community_id,
      status: r.status,
      requestedBy: r.requested_by,
      requestedByName: r.requested_by_name,
      decidedBy: r.decided_by,
      createdAt: r.created_at,
      decidedAt: r.decided_at,
      reason: r.reason,
    };
  }

  async function decide(ctx: RequestContext, id: string, outcome: 'active' | 'rejected', reason?: string): Promise<Grant> {
    return deps.db.transaction().execute(async (tx) => {
      const grant = await repo.grants.byId(tx, id);
      if (!grant) throw notFound();
      if (grant.status !== 'pending') throw new AppError('identity.grant_not_pending');
      // Separation of duties: the second pair of eyes belongs to neither the requester nor the grantee.
      if (grant.requested_by === ctx.actor.userId) throw new AppError('identity.grant_self_approval');
      if (grant.user_id === ctx.actor.userId) throw new AppError('identity.grant_self_approval_grantee');
      assertCan(ctx, 'identity.grant.approve', grant.community_id ?? undefined);
      const patch = { status: outcome, decided_by: ctx.actor.userId, decided_at: now(), reason: reason ?? null };
      await repo.grants.update(tx, id, patch);
      if (outcome === 'active') await repo.users.bumpAuthz(tx, grant.user_id);
      await deps.audit.record(tx, ctx, {
        action: outcome === 'active' ? 'identity.grant.approve' : 'identity.grant.reject',
        entityType: 'grant',
        entityId: id,
        communityId: grant.community_id,
        before: { status: grant.status },
        after: { status: outcome, userId: grant.user_id, roleId: grant.role_id, reason: reason ?? null },
      });
      return grantChanged(tx, await grantView(tx, id));
    });
  }

  const service: AccessService = {
    async resolve(userId, version) {
      const hit = cache.get(userId);
      if (hit && hit.version === version) return hit.access;
      const rows = await repo.grants.effective(deps.db, userId);
      const access: Access = {
        scopes: toScopes(rows),
        roles: [...new Set(rows.map((r) => r.code))].sort(),
        sensitive: rows.some((r) => r.sensitive === 1),
      };
      // Bounded: past 10 000 users the entry computed longest ago is dropped (and recomputed on need).
      cache.delete(userId);
      if (cache.size >= 10_000) cache.delete(cache.keys().next().value!);
      cache.set(userId, { version, access });
      return access;
    },

    async listRoles() {
      const rows = await repo.roles.all(deps.db);
      const perms = await repo.roles.permissionsOf(deps.db, rows.map((r) => r.id));
      return rows.map((r) => toRole(r, perms.filter((p) => p.role_id === r.id).map((p) => p.permission)));
    },

    async createRole(ctx, body) {
      checkPermissions(body.permissions);
      return deps.db.transaction().execute(async (tx) => {
        if (await repo.roles.byCode(tx, body.code)) throw new AppError('identity.role_code_taken', [fieldError('/body/code', 'taken', '已被使用')]);
        const id = deps.ids();
        await repo.roles.insert(tx, { id, code: body.code, name: body.name, name_en: null, built_in: 0, sensitive: isSensitive(body.permissions) ? 1 : 0, created_at: now(), updated_at: now() });
        await repo.roles.setPermissions(tx, id, body.permissions);
        await deps.audit.record(tx, ctx, { action: 'identity.role.create', entityType: 'role', entityId: id, after: body });
        return roleView(tx, id);
      });
    },

    async updateRole(ctx, id, body) {
      if (body.permissions) checkPermissions(body.permissions);
      return deps.db.transaction().execute(async (tx) => {
        const role = await repo.roles.byId(tx, id);
        if (!role) throw notFound();
        if (role.built_in === 1) throw new AppError('identity.role_built_in');
        const before = await roleView(tx, id);
        if (body.name) await repo.roles.update(tx, id, { name: body.name, updated_at: now() });
        if (body.permissions) {
          const sensitive = isSensitive(body.permissions);
          // Holders were granted the role without a second administrator's approval: it may not
          // turn administrative under them.
          if (sensitive && role.sensitive === 0 && before.holders > 0) throw new AppError('identity.role_sensitive_in_use');
          await repo.roles.setPermissions(tx, id, body.permissions);
          await repo.roles.update(tx, id, { sensitive: sensitive ? 1 : 0 });
          await repo.users.bumpAuthzForRole(tx, id);
        }
        const after = await roleView(tx, id);
        await deps.audit.record(tx, ctx, { action: 'identity.role.update', entityType: 'role', entityId: id, before, after });
        return after;
      });
    },

    async deleteRole(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const role = await roleView(tx, id);
        if (role.builtIn) throw new AppError('identity.role_built_in');
        if (role.holders > 0) throw new AppError('identity.role_in_use');
        await tx.deleteFrom('grants').where('role_id', '=', id).where('status', 'in', ['rejected', 'revoked', 'pending']).execute();
        await repo.roles.delete(tx, id);
        await deps.audit.record(tx, ctx, { action: 'identity.role.delete', entityType: 'role', entityId: id, before: role });
      });
    },

    async listGrants(ctx, query) {
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, 1);
      const rows = await repo.grants.list(deps.db, {
        status: query.status,
        userId: query.userId,
        before: cursor ? String(cursor[0]) : undefined,
        limit,
        communities: scopeOf(ctx, 'identity.role.read'),
      });
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map(toGrant), nextCursor: page.nextCursor };
    },

    async requestGrant(ctx, body, outer) {
      const run = async (tx: Tx) => {
        const communityId = body.communityId ?? null;
        // A manager of community A may only hand out roles over A.
        assertCan(ctx, 'identity.grant.request', communityId ?? undefined);
        const role = await repo.roles.byId(tx, body.roleId);
        if (!role) throw invalid('/body/roleId', 'no such role', '角色不存在');
        const user = await repo.users.byId(tx, body.userId);
        if (!user) throw invalid('/body/userId', 'no such user', '用户不存在');
        if (communityId && !(await deps.communityExists(tx, communityId))) throw invalid('/body/communityId', 'no such community', '小区不存在');
        if (await repo.grants.openFor(tx, user.id, role.id, communityId)) throw new AppError('identity.grant_duplicate');
        const id = deps.ids();
        // Sensitive (administrator) roles wait for a second administrator; until then they grant nothing.
        const status = role.sensitive === 1 ? 'pending' : 'active';
        const row: repo.GrantRow = {
          id,
          user_id: user.id,
          role_id: role.id,
          community_id: communityId,
          status,
          requested_by: ctx.actor.userId,
          decided_by: status === 'active' ? ctx.actor.userId : null,
          reason: null,
          created_at: now(),
          decided_at: status === 'active' ? now() : null,
        };
        await repo.grants.insert(tx, row);
        if (status === 'active') await repo.users.bumpAuthz(tx, row.user_id);
        await deps.audit.record(tx, ctx, {
          action: status === 'active' ? 'identity.grant.create' : 'identity.grant.request',
          entityType: 'grant',
          entityId: id,
          communityId,
          after: { userId: user.id, username: user.username, role: role.code, communityId, status },
        });
        return grantChanged(tx, await grantView(tx, id));
      };
      return outer ? run(outer) : deps.db.transaction().execute(run);
    },

    approveGrant: (ctx, id, reason) => decide(ctx, id, 'active', reason),
    rejectGrant: (ctx, id, reason) => decide(ctx, id, 'rejected', reason),

    async revokeGrant(ctx, id) {
      return deps.db.transaction().execute(async (tx) => {
        const grant = await repo.grants.byId(tx, id);
        if (!grant) throw notFound();
        assertCan(ctx, 'identity.grant.request', grant.community_id ?? undefined);
        if (grant.status !== 'active' && grant.status !== 'pending') throw new AppError('identity.grant_not_pending');
        await repo.grants.update(tx, id, { status: 'revoked', decided_by: ctx.actor.userId, decided_at: now() });
        await repo.users.bumpAuthz(tx, grant.user_id);
        // Losing a role ends the user's sessions at once (PRODUCT §10).
        await repo.sessions.revokeAllOfUser(tx, grant.user_id, now(), 'role revoked');
        await deps.audit.record(tx, ctx, { action: 'identity.grant.revoke', entityType: 'grant', entityId: id, communityId: grant.community_id, before: { status: grant.status }, after: { status: 'revoked', userId: grant.user_id } });
        return grantChanged(tx, await grantView(tx, id));
      });
    },

    async ensureBuiltInRoles() {
      await deps.db.transaction().execute(async (tx) => {
        for (const def of BUILT_IN_ROLES) {
          // Several processes may start together on a new database: inserting is idempotent.
          await repo.roles.insertIfAbsent(tx, { id: deps.ids(), code: def.code, name: def.zh, name_en: def.en, built_in: 1, sensitive: def.sensitive ? 1 : 0, created_at: now(), updated_at: now() });
          const role = (await repo.roles.byCode(tx, def.code))!;
          const current = (await repo.roles.permissionsOf(tx, [role.id])).map((p) => p.permission).sort();
          const wanted = [...def.permissions].sort();
          if (current.join() !== wanted.join()) {
            await repo.roles.setPermissions(tx, role.id, wanted);
            await repo.users.bumpAuthzForRole(tx, role.id);
          }
        }
      });
    },

    async grantDirect(tx, ctx, userId, roleCode, communityId) {
      const role = await repo.roles.byCode(tx, roleCode);
      if (!role) throw new Error(`unknown role ${roleCode}`);
      if (await repo.grants.openFor(tx, userId, role.id, communityId)) return;
      const row: repo.GrantRow = {
        id: deps.ids(),
        user_id: userId,
        role_id: role.id,
        community_id: communityId,
        status: 'active',
        requested_by: null,
        decided_by: null,
        reason: 'bootstrap',
        created_at: now(),
        decided_at: now(),
      };
      await repo.grants.insert(tx, row);
      await repo.users.bumpAuthz(tx, userId);
      await deps.audit.record(tx, ctx, { action: 'identity.grant.bootstrap', entityType: 'grant', entityId: row.id, communityId, after: { userId, role: roleCode, communityId } });
      await grantChanged(tx, await grantView(tx, row.id));
    },
  };
  return service;
}

export const PERMISSION_LIST = Object.entries(PERMISSIONS).map(([code, label]) => ({ code, zh: label.zh, en: label.en }));
