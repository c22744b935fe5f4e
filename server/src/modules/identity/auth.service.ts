import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { ApiTokenInfo, CreateApiTokenBody, Locale, Me, MfaEnrolment, SessionInfo } from '@courtyard/contracts';
import { isPermission } from '@courtyard/contracts';
import { DAY, MINUTE, HOUR, type Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Tx } from '../../core/db/schema.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { dummyHash, hashPassword, passwordStrongEnough, verifyPassword } from '../../core/crypto/password.js';
import { randomToken, type TokenHasher } from '../../core/crypto/tokens.js';
import { AppError, fieldError, notFound } from '../../core/http/errors.js';
import type { RequestContext, Scopes } from '../../core/http/context.js';
import type { AuditService } from '../audit/index.js';
import type { AccessService } from './access.service.js';
import type { IdentityPolicy } from './policy.js';
import * as repo from './identity.repository.js';

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** From Accept-Language; null when the client sent none (the user's own setting applies). */
  locale: Locale | null;
}

export type SignInOutcome = { status: 'signed_in'; token: string; me: Me } | { status: 'mfa_required'; challengeId: string };

export interface Authenticated {
  ctx: RequestContext;
  csrfToken: string | null;
  incomplete: { passwordChange: boolean; mfaEnrollment: boolean };
}

export interface AuthService {
  signIn(username: string, password: string, meta: ClientMeta): Promise<SignInOutcome>;
  verifyMfa(challengeId: string, code: string, meta: ClientMeta): Promise<SignInOutcome>;
  /** Resolves a session cookie; null when absent, unknown, expired or revoked. */
  authenticateSession(token: string, meta: ClientMeta): Promise<Authenticated | null>;
  authenticateApiToken(token: string, meta: ClientMeta): Promise<Authenticated | null>;
  /** Read-only: is the session still signed in (not revoked, expired or idle)? Touches nothing (live streams poll it). */
  sessionAlive(sessionId: string): Promise<boolean>;
  me(ctx: RequestContext): Promise<Me>;
  signOut(ctx: RequestContext): Promise<void>;
  signOutEverywhere(ctx: RequestContext): Promise<void>;
  changePassword(ctx: RequestContext, current: string, next: string): Promise<Me>;
  setLocale(ctx: RequestContext, locale: Locale): Promise<Me>;
  startMfaEnrolment(ctx: RequestContext): Promise<MfaEnrolment>;
  confirmMfaEnrolment(ctx: RequestContext, code: string): Promise<string[]>;
  disableMfa(ctx: RequestContext, password: string): Promise<Me>;
  listSessions(ctx: RequestContext): Promise<SessionInfo[]>;
  revokeSession(ctx: RequestContext, id: string): Promise<void>;
  listTokens(ctx: RequestContext): Promise<ApiTokenInfo[]>;
  createToken(ctx: RequestContext, body: CreateApiTokenBody): Promise<{ token: string; info: ApiTokenInfo }>;
  revokeToken(ctx: RequestContext, id: string): Promise<void>;
  /** Deletes sessions that ended more than `days` ago (the session list only shows live ones). */
  purgeSessions(days: number): Promise<number>;
  /** Shared by self-service and administrator resets: history, expiry, ending other sessions. */
  setPassword(tx: Tx, ctx: RequestContext, user: repo.UserRow, password: string, options: { mustChange: boolean; keepSessionId?: string | null }): Promise<void>;
}

/** Sessions refresh last_seen_at at most this often: one write per minute per session, not per request. */
const TOUCH_EVERY_MS = MINUTE;
const TOTP_PERIOD = 30;

export function totpFor(secretBase32: string, label = 'courtyard'): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Courtyard', label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

function recoveryHash(code: string): string {
  return crypto.createHash('sha256').update(code.replace(/[^a-z0-9]/gi, '').toLowerCase()).digest('base64url');
}

function newRecoveryCode(): string {
  const raw = crypto.randomBytes(8).toString('hex'); // 64 bits
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8, 12)}-${raw.slice(12)}`;
}

export function createAuthService(deps: {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  cipher: FieldCipher;
  access: AccessService;
  /** The account policy in force (system settings over defaults); cheap to call, cached upstream. */
  policy: () => Promise<IdentityPolicy>;
  hashToken: TokenHasher;
}): AuthService {
  const { hashToken } = deps;
  const now = () => deps.clock.now();
  const iso = () => now().toISOString();

  const metaCtx = (meta: ClientMeta, actor: RequestContext['actor'], sessionId: string | null = null, scopes: Scopes = new Map()): RequestContext => ({
    actor,
    scopes,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
    locale: meta.locale ?? 'zh-CN',
    sessionId,
  });

  function passwordExpired(policy: IdentityPolicy, user: { kind: 'staff' | 'owner'; password_changed_at: string; password_must_change: number }): boolean {
    if (user.password_must_change === 1) return true;
    const days = policy.passwordExpiryDays[user.kind];
    return days > 0 && now().getTime() - new Date(user.password_changed_at).getTime() > days * DAY;
  }

  async function buildMe(userId: string, csrfToken: string): Promise<Me> {
    const policy = await deps.policy();
    const user = await repo.users.byId(deps.db, userId);
    if (!user) throw new AppError('auth.unauthenticated');
    const access = await deps.access.resolve(user.id, user.authz_version);
    return {
      user: { id: user.id, username: user.username, displayName: user.display_name, kind: user.kind, locale: user.locale, mfaEnabled: user.mfa_enabled_at !== null },
      permissions: [...access.scopes.keys()].sort(),
      scopes: Object.fromEntries([...access.scopes].map(([p, s]) => [p, s === null ? null : [...s]])),
      roles: access.roles,
      csrfToken,
      passwordChangeRequired: passwordExpired(policy, user),
      mfaEnrollmentRequired: access.sensitive && user.mfa_enabled_at === null,
    };
  }

  /**
   * The policy is read by the caller before its transaction: reading settings goes through the
   * database itself, which on SQLite waits for this transaction once the settings cache has expired.
   */
  async function openSession(tx: Tx, policy: IdentityPolicy, user: repo.UserRow, meta: ClientMeta, stage: 'mfa' | 'full'): Promise<{ token: string; id: string; csrf: string }> {
    const token = randomToken();
    const id = deps.ids();
    const csrf = randomToken(24);
    const lifetime = stage === 'mfa' ? policy.mfaChallengeMinutes * MINUTE : policy.absoluteHours * HOUR;
    await repo.sessions.insert(tx, {
      id,
      token_hash: hashToken(token),
      user_id: user.id,
      stage,
      csrf_token: csrf,
      created_at: iso(),
      last_seen_at: iso(),
      expires_at: new Date(now().getTime() + lifetime).toISOString(),
      ip: meta.ip,
      user_agent: meta.userAgent ? meta.userAgent.slice(0, 300) : null,
      mfa_attempts: 0,
      revoked_at: null,
      revoked_reason: null,
    });
    return { token, id, csrf };
  }

  async function completeSignIn(tx: Tx, policy: IdentityPolicy, user: repo.UserRow, meta: ClientMeta, method: string): Promise<{ token: string; id: string; csrf: string }> {
    await repo.users.update(tx, user.id, { failed_sign_ins: 0, locked_until: null, last_sign_in_at: iso() });
    const session = await openSession(tx, policy, user, meta, 'full');
    await deps.audit.record(tx, metaCtx(meta, { kind: 'user', userId: user.id, name: user.username }, session.id), {
      action: 'identity.sign_in',
      entityType: 'user',
      entityId: user.id,
      after: { method },
    });
    return session;
  }

  /** Accepts a TOTP code once: its time step must be later than the last one accepted. */
  function acceptTotp(user: repo.UserRow, secretEnc: string, code: string): number | null {
    if (!/^[0-9]{6}$/.test(code)) return null;
    const totp = totpFor(deps.cipher.decrypt(secretEnc));
    const timestamp = now().getTime();
    const delta = totp.validate({ token: code, timestamp, window: 1 });
    if (delta === null) return null;
    const step = Math.floor(timestamp / 1000 / TOTP_PERIOD) + delta;
    return step > user.mfa_last_step ? step : null;
  }

  async function checkPasswordPolicy(user: repo.UserRow, password: string, field: string) {
    const policy = await deps.policy();
    if (!passwordStrongEnough(password)) throw new AppError('auth.password_weak', [fieldError(field, 'weak', '密码强度不够')]);
    const previous = [user.password_hash, ...(await repo.passwordHistory.recent(deps.db, user.id, policy.passwordHistory - 1)).map((r) => r.password_hash)];
    for (const hash of previous.slice(0, policy.passwordHistory)) {
      if (await verifyPassword(hash, password)) throw new AppError('auth.password_reused', [fieldError(field, 'reused', '与最近用过的密码相同')]);
    }
  }

  const service: AuthService = {
    async signIn(username, password, meta) {
      const policy = await deps.policy();
      const user = await repo.users.byUsername(deps.db, username);
      const anonymous = metaCtx(meta, { kind: 'system', userId: null, name: username.slice(0, 64) });
      if (!user) {
        // Same work and the same answer as a wrong password, so usernames cannot be probed.
        await verifyPassword(await dummyHash(), password);
        await deps.audit.recordAlone(deps.db, anonymous, { action: 'identity.sign_in', result: 'failure', after: { reason: 'unknown_user' } });
        throw new AppError('auth.invalid_credentials');
      }
      const actor = metaCtx(meta, { kind: 'user', userId: user.id, name: user.username });
      if (user.locked_until && new Date(user.locked_until) > now()) {
        await verifyPassword(user.password_hash, password);
        await deps.audit.recordAlone(deps.db, actor, { action: 'identity.sign_in', entityType: 'user', entityId: user.id, result: 'failure', after: { reason: 'locked' } });
        throw new AppError('auth.locked', [], { lockedUntil: user.locked_until });
      }
      const ok = await verifyPassword(user.password_hash, password);
      if (!ok || user.status !== 'active') {
        const lockedUntil = await deps.db.transaction().execute(async (tx) => {
          // A lock that ran out starts a fresh count.
          if (user.locked_until) await repo.users.update(tx, user.id, { failed_sign_ins: 0, locked_until: null });
          const { failed_sign_ins } = await repo.users.registerFailure(tx, user.id);
          await deps.audit.record(tx, actor, { action: 'identity.sign_in', entityType: 'user', entityId: user.id, result: 'failure', after: { reason: ok ? 'disabled' : 'wrong_password', failures: failed_sign_ins } });
          if (failed_sign_ins < policy.lockThreshold) return null;
          const until = new Date(now().getTime() + policy.lockMinutes * MINUTE).toISOString();
          await repo.users.update(tx, user.id, { locked_until: until });
          await deps.audit.record(tx, actor, { action: 'identity.user.lock', entityType: 'user', entityId: user.id, after: { lockedUntil: until, failures: failed_sign_ins } });
          return until;
        });
        if (lockedUntil) throw new AppError('auth.locked', [], { lockedUntil });
        throw new AppError('auth.invalid_credentials');
      }
      if (user.mfa_enabled_at) {
        const challenge = await deps.db.transaction().execute(async (tx) => {
          const s = await openSession(tx, policy, user, meta, 'mfa');
          await deps.audit.record(tx, actor, { action: 'identity.sign_in.password_ok', entityType: 'user', entityId: user.id, after: { next: 'mfa' } });
          return s;
        });
        return { status: 'mfa_required', challengeId: challenge.token };
      }
      const session = await deps.db.transaction().execute((tx) => completeSignIn(tx, policy, user, meta, 'password'));
      return { status: 'signed_in', token: session.token, me: await buildMe(user.id, session.csrf) };
    },

    async verifyMfa(challengeId, code, meta) {
      const policy = await deps.policy();
      const row = await repo.sessions.withUserByToken(deps.db, hashToken(challengeId));
      if (!row || row.stage !== 'mfa' || row.revoked_at || new Date(row.expires_at) <= now() || row.mfa_attempts >= policy.mfaMaxAttempts) {
        throw new AppError('auth.mfa_challenge_expired');
      }
      const user = await repo.users.byId(deps.db, row.user_id);
      if (!user || !user.mfa_secret_enc || user.status !== 'active') throw new AppError('auth.mfa_challenge_expired');
      const actor = metaCtx(meta, { kind: 'user', userId: user.id, name: user.username }, row.session_id);
      const session = await deps.db.transaction().execute(async (tx) => {
        const step = acceptTotp(user, user.mfa_secret_enc!, code.trim());
        let method: string | null = step !== null ? 'totp' : null;
        if (step !== null) await repo.users.update(tx, user.id, { mfa_last_step: step });
        else if (await repo.recoveryCodes.consume(tx, user.id, recoveryHash(code), iso())) method = 'recovery_code';
        if (!method) return null;
        // The challenge is spent: its token can never become a session.
        await repo.sessions.update(tx, row.session_id, { revoked_at: iso(), revoked_reason: 'mfa completed' });
        return completeSignIn(tx, policy, user, meta, `password+${method}`);
      });
      if (!session) {
        await deps.db.transaction().execute(async (tx) => {
          await repo.sessions.update(tx, row.session_id, { mfa_attempts: row.mfa_attempts + 1 });
          await deps.audit.record(tx, actor, { action: 'identity.sign_in.mfa', entityType: 'user', entityId: user.id, result: 'failure', after: { attempt: row.mfa_attempts + 1 } });
        });
        throw new AppError('auth.mfa_invalid');
      }
      return { status: 'signed_in', token: session.token, me: await buildMe(user.id, session.csrf) };
    },

    async authenticateSession(token, meta) {
      const policy = await deps.policy();
      const row = await repo.sessions.withUserByToken(deps.db, hashToken(token));
      if (!row || row.stage !== 'full' || row.revoked_at || row.status !== 'active') return null;
      const at = now().getTime();
      const lastSeen = new Date(row.last_seen_at).getTime();
      // Absolute timeout (expires_at) and idle timeout (time since last activity) both end a session.
      if (at >= new Date(row.expires_at).getTime() || at - lastSeen >= policy.idleMinutes * MINUTE) return null;
      if (at - lastSeen >= TOUCH_EVERY_MS) await repo.sessions.update(deps.db, row.session_id, { last_seen_at: new Date(at).toISOString() });
      const access = await deps.access.resolve(row.user_id, row.authz_version);
      return {
        ctx: metaCtx({ ...meta, locale: meta.locale ?? row.locale }, { kind: 'user', userId: row.user_id, name: row.username }, row.session_id, access.scopes),
        csrfToken: row.csrf_token,
        incomplete: { passwordChange: passwordExpired(policy, row), mfaEnrollment: access.sensitive && row.mfa_enabled_at === null },
      };
    },

    async sessionAlive(sessionId) {
      const policy = await deps.policy();
      const row = await repo.sessions.byId(deps.db, sessionId);
      if (!row || row.stage !== 'full' || row.revoked_at) return false;
      const at = now().getTime();
      return at < new Date(row.expires_at).getTime() && at - new Date(row.last_seen_at).getTime() < policy.idleMinutes * MINUTE;
    },

    async authenticateApiToken(token, meta) {
      const row = await repo.apiTokens.withUserByHash(deps.db, hashToken(token));
      if (!row || row.revoked_at || row.status !== 'active' || (row.expires_at && new Date(row.expires_at) <= now())) return null;
      const access = await deps.access.resolve(row.user_id, row.authz_version);
      // A token can do at most what its owner can, narrowed to the scopes it was issued with.
      const allowed = new Set(JSON.parse(row.scopes_json) as string[]);
      const scopes = new Map([...access.scopes].filter(([p]) => allowed.has(p)));
      if (!row.last_used_at || now().getTime() - new Date(row.last_used_at).getTime() >= TOUCH_EVERY_MS) await repo.apiTokens.update(deps.db, row.id, { last_used_at: iso() });
      return { ctx: metaCtx({ ...meta, locale: meta.locale ?? row.locale }, { kind: 'token', userId: row.user_id, name: row.username }, null, scopes), csrfToken: null, incomplete: { passwordChange: false, mfaEnrollment: false } };
    },

    async me(ctx) {
      if (!ctx.actor.userId) throw new AppError('auth.unauthenticated');
      const session = ctx.sessionId ? await repo.sessions.byId(deps.db, ctx.sessionId) : undefined;
      return buildMe(ctx.actor.userId, session?.csrf_token ?? '');
    },

    async signOut(ctx) {
      if (!ctx.sessionId) return;
      await deps.db.transaction().execute(async (tx) => {
        await repo.sessions.update(tx, ctx.sessionId!, { revoked_at: iso(), revoked_reason: 'signed out' });
        await deps.audit.record(tx, ctx, { action: 'identity.sign_out', entityType: 'session', entityId: ctx.sessionId });
      });
    },

    async signOutEverywhere(ctx) {
      await deps.db.transaction().execute(async (tx) => {
        await repo.sessions.revokeAllOfUser(tx, ctx.actor.userId!, iso(), 'signed out everywhere');
        await deps.audit.record(tx, ctx, { action: 'identity.sign_out_everywhere', entityType: 'user', entityId: ctx.actor.userId });
      });
    },

    async purgeSessions(days) {
      const cutoff = new Date(now().getTime() - days * DAY).toISOString();
      return repo.sessions.purgeEndedBefore(deps.db, cutoff);
    },

    async setPassword(tx, ctx, user, password, options) {
      await repo.passwordHistory.insert(tx, { id: deps.ids(), user_id: user.id, password_hash: user.password_hash, created_at: iso() });
      await repo.users.update(tx, user.id, {
        password_hash: await hashPassword(password),
        password_changed_at: iso(),
        password_must_change: options.mustChange ? 1 : 0,
        failed_sign_ins: 0,
        locked_until: null,
        updated_at: iso(),
      });
      // A new password ends every other session of the account (PRODUCT §10).
      await repo.sessions.revokeAllOfUser(tx, user.id, iso(), 'password changed', options.keepSessionId ?? undefined);
    },

    async changePassword(ctx, current, next) {
      const user = await repo.users.byId(deps.db, ctx.actor.userId!);
      if (!user) throw new AppError('auth.unauthenticated');
      if (!(await verifyPassword(user.password_hash, current))) throw new AppError('auth.password_wrong', [fieldError('/body/currentPassword', 'wrong', '不正确')]);
      await checkPasswordPolicy(user, next, '/body/newPassword');
      await deps.db.transaction().execute(async (tx) => {
        await service.setPassword(tx, ctx, user, next, { mustChange: false, keepSessionId: ctx.sessionId });
        await deps.audit.record(tx, ctx, { action: 'identity.password.change', entityType: 'user', entityId: user.id });
      });
      return service.me(ctx);
    },

    async setLocale(ctx, locale) {
      await deps.db.transaction().execute(async (tx) => {
        const user = await repo.users.byId(tx, ctx.actor.userId!);
        await repo.users.update(tx, ctx.actor.userId!, { locale, updated_at: iso() });
        await deps.audit.record(tx, ctx, { action: 'identity.user.locale', entityType: 'user', entityId: ctx.actor.userId, before: { locale: user?.locale }, after: { locale } });
      });
      return service.me(ctx);
    },

    async startMfaEnrolment(ctx) {
      const user = await repo.users.byId(deps.db, ctx.actor.userId!);
      if (!user) throw new AppError('auth.unauthenticated');
      if (user.mfa_enabled_at) throw new AppError('auth.mfa_already_enabled');
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      await deps.db.transaction().execute(async (tx) => {
        await repo.users.update(tx, user.id, { mfa_pending_secret_enc: deps.cipher.encrypt(secret), updated_at: iso() });
        await deps.audit.record(tx, ctx, { action: 'identity.mfa.enrol_start', entityType: 'user', entityId: user.id });
      });
      const otpauthUrl = totpFor(secret, user.username).toString();
      return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 }) };
    },

    async confirmMfaEnrolment(ctx, code) {
      const user = await repo.users.byId(deps.db, ctx.actor.userId!);
      if (!user) throw new AppError('auth.unauthenticated');
      if (user.mfa_enabled_at) throw new AppError('auth.mfa_already_enabled');
      if (!user.mfa_pending_secret_enc) throw new AppError('request.invalid', [fieldError('/body/code', 'start enrolment first', '请先开始设置两步验证')]);
      const step = acceptTotp(user, user.mfa_pending_secret_enc, code);
      if (step === null) throw new AppError('auth.mfa_invalid', [fieldError('/body/code', 'wrong code', '验证码错误')]);
      const codes = Array.from({ length: 10 }, newRecoveryCode);
      await deps.db.transaction().execute(async (tx) => {
        await repo.users.update(tx, user.id, { mfa_secret_enc: user.mfa_pending_secret_enc, mfa_pending_secret_enc: null, mfa_enabled_at: iso(), mfa_last_step: step, updated_at: iso() });
        await repo.recoveryCodes.replace(tx, user.id, codes.map((c) => ({ id: deps.ids(), code_hash: recoveryHash(c), created_at: iso() })));
        await deps.audit.record(tx, ctx, { action: 'identity.mfa.enable', entityType: 'user', entityId: user.id });
      });
      return codes;
    },

    async disableMfa(ctx, password) {
      const user = await repo.users.byId(deps.db, ctx.actor.userId!);
      if (!user) throw new AppError('auth.unauthenticated');
      if (!(await verifyPassword(user.password_hash, password))) throw new AppError('auth.password_wrong', [fieldError('/body/password', 'wrong', '不正确')]);
      const access = await deps.access.resolve(user.id, user.authz_version);
      if (access.sensitive) throw new AppError('auth.mfa_not_removable');
      await deps.db.transaction().execute(async (tx) => {
        await repo.users.update(tx, user.id, { mfa_secret_enc: null, mfa_pending_secret_enc: null, mfa_enabled_at: null, updated_at: iso() });
        await repo.recoveryCodes.clear(tx, user.id);
        await deps.audit.record(tx, ctx, { action: 'identity.mfa.disable', entityType: 'user', entityId: user.id });
      });
      return service.me(ctx);
    },

    async listSessions(ctx) {
      const policy = await deps.policy();
      const rows = await repo.sessions.activeOfUser(deps.db, ctx.actor.userId!, iso());
      const idleCutoff = now().getTime() - policy.idleMinutes * MINUTE;
      return rows
        .filter((r) => new Date(r.last_seen_at).getTime() > idleCutoff)
        .map((r) => ({ id: r.id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, ip: r.ip, userAgent: r.user_agent, current: r.id === ctx.sessionId }));
    },

    async revokeSession(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await repo.sessions.byId(tx, id);
        if (!row || row.user_id !== ctx.actor.userId) throw notFound();
        await repo.sessions.update(tx, id, { revoked_at: iso(), revoked_reason: 'revoked by user' });
        await deps.audit.record(tx, ctx, { action: 'identity.session.revoke', entityType: 'session', entityId: id });
      });
    },

    async listTokens(ctx) {
      const rows = await repo.apiTokens.ofUser(deps.db, ctx.actor.userId!);
      return rows.map((r) => ({ id: r.id, name: r.name, scopes: JSON.parse(r.scopes_json) as string[], createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at }));
    },

    async createToken(ctx, body) {
      const unknown = body.scopes.filter((s) => !isPermission(s));
      if (unknown.length) throw new AppError('request.invalid', [fieldError('/body/scopes', `unknown permissions: ${unknown.join(', ')}`, `未知的权限：${unknown.join('、')}`)]);
      const token = `cyt_${randomToken()}`;
      const info: ApiTokenInfo = {
        id: deps.ids(),
        name: body.name,
        scopes: [...new Set(body.scopes)].sort(),
        createdAt: iso(),
        lastUsedAt: null,
        expiresAt: body.expiresInDays ? new Date(now().getTime() + body.expiresInDays * DAY).toISOString() : null,
      };
      await deps.db.transaction().execute(async (tx) => {
        await repo.apiTokens.insert(tx, { id: info.id, user_id: ctx.actor.userId!, name: info.name, token_hash: hashToken(token), scopes_json: JSON.stringify(info.scopes), created_at: info.createdAt, last_used_at: null, expires_at: info.expiresAt, revoked_at: null });
        await deps.audit.record(tx, ctx, { action: 'identity.token.create', entityType: 'api_token', entityId: info.id, after: { name: info.name, scopes: info.scopes, expiresAt: info.expiresAt } });
      });
      return { token, info };
    },

    async revokeToken(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await repo.apiTokens.byId(tx, id);
        if (!row || row.user_id !== ctx.actor.userId) throw notFound();
        await repo.apiTokens.update(tx, id, { revoked_at: iso() });
        await deps.audit.record(tx, ctx, { action: 'identity.token.revoke', entityType: 'api_token', entityId: id });
      });
    },
  };
  return service;
}
