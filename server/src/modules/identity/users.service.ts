import type { CreateUserBody, Locale, UpdateUserBody, User, UserListQuery } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { Events } from '../../core/events/outbox.js';
import { maskPhone, type FieldCipher } from '../../core/crypto/field.js';
import { generatePassword, hashPassword, passwordStrongEnough } from '../../core/crypto/password.js';
import { AppError, fieldError, notFound } from '../../core/http/errors.js';
import type { RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import type { AuthService } from './auth.service.js';
import * as repo from './identity.repository.js';

export interface NewUser {
  username: string;
  displayName: string;
  kind: 'staff' | 'owner';
  locale?: Locale;
  email?: string | null;
  phone?: string | null;
  password?: string;
  /** Administrator-chosen or generated passwords must be changed at first sign-in. */
  mustChangePassword?: boolean;
}

export interface UsersService {
  list(ctx: RequestContext, query: UserListQuery): Promise<{ items: User[]; nextCursor: string | null }>;
  get(ctx: RequestContext, id: string): Promise<User>;
  create(ctx: RequestContext, body: CreateUserBody): Promise<{ user: User; initialPassword: string | null }>;
  /** The create use case inside a caller's transaction (seed, CLI, bootstrap). */
  createIn(tx: Tx, ctx: RequestContext, input: NewUser): Promise<string>;
  update(ctx: RequestContext, id: string, body: UpdateUserBody): Promise<User>;
  unlock(ctx: RequestContext, id: string): Promise<User>;
  setStatus(ctx: RequestContext, id: string, status: 'active' | 'disabled'): Promise<User>;
  resetPassword(ctx: RequestContext, id: string): Promise<string>;
  resetMfa(ctx: RequestContext, id: string): Promise<User>;
  /** The clear phone number, for viewers allowed to reveal it; every reveal is audited. */
  reveal(ctx: RequestContext, id: string): Promise<{ phone: string | null }>;
  idByUsername(username: string): Promise<string | undefined>;
  /** Recipients' language and contact details (phone decrypted), one query: for notifications only. */
  contactsOf(exec: Exec, userIds: string[]): Promise<{ id: string; displayName: string; locale: Locale; email: string | null; phone: string | null }[]>;
  /** Display names by user id (read-only, any status) for modules that show who did something; unknown ids are absent. */
  displayNames(exec: Exec, userIds: readonly string[]): Promise<Map<string, string>>;
  /** Whether a user with this id exists (other modules check owners through it, in their transaction). */
  exists(exec: Exec, id: string): Promise<boolean>;
}

/** What the audit trail keeps of a user: never hashes, secrets or clear-text phone numbers. */
function auditView(u: repo.UserRow) {
  return { username: u.username, displayName: u.display_name, kind: u.kind, status: u.status, locale: u.locale, email: u.email, phone: u.phone_enc ? 'encrypted' : null, mfa: u.mfa_enabled_at !== null, lockedUntil: u.locked_until };
}

export function createUsersService(deps: { db: Db; clock: Clock; ids: IdGenerator; audit: AuditService; cipher: FieldCipher; auth: AuthService; events: Events }): UsersService {
  const iso = () => deps.clock.now().toISOString();

  async function views(exec: Exec, ctx: RequestContext, rows: repo.UserRow[]): Promise<User[]> {
    const roleRows = await repo.grants.rolesOfUsers(exec, rows.map((r) => r.id));
    // Personal data is always shown masked (PRODUCT §1: 138****1234); the clear value comes only
    // from reveal(), which is permission-checked and audited.
    return rows.map((u) => {
      const phone = u.phone_enc ? deps.cipher.decrypt(u.phone_enc) : null;
      return {
        id: u.id,
        username: u.username,
        displayName: u.display_name,
        kind: u.kind,
        status: u.status,
        locale: u.locale,
        phone: phone === null ? null : maskPhone(phone),
        email: u.email,
        mfaEnabled: u.mfa_enabled_at !== null,
        lockedUntil: u.locked_until && new Date(u.locked_until) > deps.clock.now() ? u.locked_until : null,
        failedSignIns: u.failed_sign_ins,
        lastSignInAt: u.last_sign_in_at,
        createdAt: u.created_at,
        roles: [...new Set(roleRows.filter((r) => r.user_id === u.id).map((r) => r.code))].sort(),
      };
    });
  }

  async function one(exec: Exec, ctx: RequestContext, id: string): Promise<User> {
    const row = await repo.users.byId(exec, id);
    if (!row) throw notFound();
    const [view] = await views(exec, ctx, [row]);
    return view!;
  }

  /**
   * Resetting another administrator's password or two-factor through the API would let one
   * administrator take over another's account (三员分立). The operator on the server does it with
   * the CLI instead; the system itself (CLI, jobs) is not refused.
   */
  async function refuseAdminTakeover(tx: Tx, ctx: RequestContext, userId: string) {
    if (ctx.actor.kind === 'system') return;
    const held = await repo.grants.effective(tx, userId);
    if (held.some((g) => g.sensitive === 1)) throw new AppError('identity.admin_credentials_cli_only');
  }

  /** Loads, changes and audits one user in one transaction. */
  async function change(ctx: RequestContext, id: string, action: string, apply: (tx: Tx, user: repo.UserRow) => Promise<void>): Promise<User> {
    return deps.db.transaction().execute(async (tx) => {
      const before = await repo.users.byId(tx, id);
      if (!before) throw notFound();
      await apply(tx, before);
      const after = (await repo.users.byId(tx, id))!;
      await deps.audit.record(tx, ctx, { action, entityType: 'user', entityId: id, before: auditView(before), after: auditView(after) });
      return one(tx, ctx, id);
    });
  }

  const service: UsersService = {
    async list(ctx, query) {
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, 1);
      const digits = query.q?.replace(/\D/g, '');
      const rows = await repo.users.list(deps.db, {
        q: query.q,
        kind: query.kind,
        status: query.status,
        phoneIdx: digits && digits.length >= 5 ? deps.cipher.blindIndex(digits) : undefined,
        after: cursor ? String(cursor[0]) : undefined,
        limit,
      });
      const page = pageOf(rows, limit, (r) => [r.username]);
      return { items: await views(deps.db, ctx, page.items), nextCursor: page.nextCursor };
    },

    get: (ctx, id) => one(deps.db, ctx, id),

    async createIn(tx, ctx, input) {
      const username = input.username.toLowerCase();
      if (await repo.users.byUsername(tx, username)) throw new AppError('identity.username_taken', [fieldError('/body/username', 'taken', '已被使用')]);
      const password = input.password ?? generatePassword();
      if (!passwordStrongEnough(password)) throw new AppError('auth.password_weak', [fieldError('/body/password', 'weak', '密码强度不够')]);
      const id = deps.ids();
      const at = iso();
      const row: repo.UserRow = {
        id,
        username,
        display_name: input.displayName,
        kind: input.kind,
        status: 'active',
        locale: input.locale ?? 'zh-CN',
        password_hash: await hashPassword(password),
        password_changed_at: at,
        password_must_change: input.mustChangePassword ? 1 : 0,
        phone_enc: input.phone ? deps.cipher.encrypt(input.phone) : null,
        phone_idx: input.phone ? deps.cipher.blindIndex(input.phone) : null,
        email: input.email ?? null,
        mfa_secret_enc: null,
        mfa_pending_secret_enc: null,
        mfa_enabled_at: null,
        mfa_last_step: 0,
        failed_sign_ins: 0,
        locked_until: null,
        last_sign_in_at: null,
        authz_version: 1,
        created_at: at,
        updated_at: at,
      };
      await repo.users.insert(tx, row);
      await deps.audit.record(tx, ctx, { action: 'identity.user.create', entityType: 'user', entityId: id, after: auditView(row) });
      await deps.events.emit(tx, { type: 'identity.user.created', payload: { userId: id, username, kind: row.kind } });
      return id;
    },

    async create(ctx, body) {
      const generated = body.password ? null : generatePassword();
      const id = await deps.db.transaction().execute((tx) =>
        service.createIn(tx, ctx, { ...body, password: body.password ?? generated!, mustChangePassword: true }),
      );
      return { user: await one(deps.db, ctx, id), initialPassword: generated };
    },

    update: (ctx, id, body) =>
      change(ctx, id, 'identity.user.update', async (tx) => {
        await repo.users.update(tx, id, {
          ...(body.displayName !== undefined ? { display_name: body.displayName } : {}),
          ...(body.email !== undefined ? { email: body.email } : {}),
          ...(body.locale !== undefined ? { locale: body.locale } : {}),
          ...(body.phone !== undefined
            ? { phone_enc: body.phone ? deps.cipher.encrypt(body.phone) : null, phone_idx: body.phone ? deps.cipher.blindIndex(body.phone) : null }
            : {}),
          updated_at: iso(),
        });
      }),

    unlock: (ctx, id) =>
      change(ctx, id, 'identity.user.unlock', async (tx) => {
        await repo.users.update(tx, id, { failed_sign_ins: 0, locked_until: null, updated_at: iso() });
      }),

    setStatus: (ctx, id, status) =>
      change(ctx, id, status === 'disabled' ? 'identity.user.disable' : 'identity.user.enable', async (tx, user) => {
        if (status === 'disabled' && id === ctx.actor.userId) throw new AppError('identity.cannot_disable_self');
        await repo.users.update(tx, id, { status, updated_at: iso() });
        // A disabled account is signed out everywhere at once.
        if (status === 'disabled') await repo.sessions.revokeAllOfUser(tx, id, iso(), 'user disabled');
        if (status === 'disabled' && user.status !== 'disabled') await deps.events.emit(tx, { type: 'identity.user.disabled', payload: { userId: id, username: user.username } });
      }),

    async resetPassword(ctx, id) {
      const temporary = generatePassword();
      await change(ctx, id, 'identity.user.reset_password', async (tx, user) => {
        await refuseAdminTakeover(tx, ctx, user.id);
        await deps.auth.setPassword(tx, ctx, user, temporary, { mustChange: true });
      });
      return temporary;
    },

    resetMfa: (ctx, id) =>
      change(ctx, id, 'identity.user.reset_mfa', async (tx) => {
        await refuseAdminTakeover(tx, ctx, id);
        await repo.users.update(tx, id, { mfa_secret_enc: null, mfa_pending_secret_enc: null, mfa_enabled_at: null, updated_at: iso() });
        await repo.recoveryCodes.clear(tx, id);
        await repo.sessions.revokeAllOfUser(tx, id, iso(), 'two-factor reset');
      }),

    async reveal(ctx, id) {
      return deps.db.transaction().execute(async (tx) => {
        const user = await repo.users.byId(tx, id);
        if (!user) throw notFound();
        await deps.audit.record(tx, ctx, { action: 'identity.user.reveal', entityType: 'user', entityId: id, after: { fields: ['phone'] } });
        return { phone: user.phone_enc ? deps.cipher.decrypt(user.phone_enc) : null };
      });
    },

    async idByUsername(username) {
      return (await repo.users.byUsername(deps.db, username))?.id;
    },
    async contactsOf(exec, userIds) {
      const rows = await repo.users.contacts(exec, userIds);
      return rows.map((u) => ({ id: u.id, displayName: u.display_name, locale: u.locale, email: u.email, phone: u.phone_enc ? deps.cipher.decrypt(u.phone_enc) : null }));
    },
    async displayNames(exec, userIds) {
      // Actors that are not users (system, API tokens by name) are simply not found.
      const ids = [...new Set(userIds)].filter((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id));
      const rows = await repo.users.names(exec, ids);
      return new Map(rows.map((u) => [u.id, u.display_name]));
    },
    async exists(exec, id) {
      return (await repo.users.byId(exec, id)) !== undefined;
    },
  };
  return service;
}
