import { Type } from '@sinclair/typebox';
import {
  ApiTokenInfo,
  ChangePasswordBody,
  CreateApiTokenBody,
  CreateGrantBody,
  CreateRoleBody,
  CreateUserBody,
  CreatedApiToken,
  CreatedUser,
  DecideGrantBody,
  Grant,
  GrantListQuery,
  IdParams,
  LocaleBody,
  Me,
  MfaConfirmBody,
  MfaDisableBody,
  MfaEnrolment,
  MfaVerifyBody,
  Ok,
  Page,
  PermissionInfo,
  RecoveryCodes,
  ResetPasswordResult,
  RevealedUser,
  Role,
  SessionList,
  SignInBody,
  SignInResult,
  UpdateRoleBody,
  UpdateUserBody,
  User,
  UserListQuery,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { AccessService } from './access.service.js';
import { PERMISSION_LIST } from './access.service.js';
import type { AuthService } from './auth.service.js';
import type { UsersService } from './users.service.js';
import { clearSessionCookie, clientMeta, setSessionCookie } from './authenticator.js';

export interface IdentityRouteDeps {
  auth: AuthService;
  users: UsersService;
  access: AccessService;
  cookie: { secure: boolean; maxAgeSeconds: number };
  signInRateLimit: { max: number; timeWindow: number };
}

const ok = { ok: true as const };
const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });

export function identityRoutes(app: App, deps: IdentityRouteDeps) {
  const { auth, users, access } = deps;
  const tags = ['identity'];

  // ---- sign-in and the signed-in user (auth.*) ----
  const signInLimit = { max: deps.signInRateLimit.max, timeWindow: deps.signInRateLimit.timeWindow };
  app.post(
    '/api/auth/sign-in',
    { schema: { tags, summary: 'Sign in with username and password', body: SignInBody, response: r(SignInResult), security: [] }, config: { access: 'public', rateLimit: signInLimit } },
    async (request, reply) => {
      const outcome = await auth.signIn(request.body.username, request.body.password, clientMeta(request));
      if (outcome.status === 'mfa_required') return outcome;
      setSessionCookie(reply, outcome.token, deps.cookie);
      return { status: outcome.status, me: outcome.me };
    },
  );
  app.post(
    '/api/auth/mfa',
    { schema: { tags, summary: 'Second sign-in step: TOTP or recovery code', body: MfaVerifyBody, response: r(SignInResult), security: [] }, config: { access: 'public', rateLimit: signInLimit } },
    async (request, reply) => {
      const outcome = await auth.verifyMfa(request.body.challengeId, request.body.code, clientMeta(request));
      if (outcome.status === 'signed_in') setSessionCookie(reply, outcome.token, deps.cookie);
      return outcome.status === 'signed_in' ? { status: outcome.status, me: outcome.me } : outcome;
    },
  );
  app.get('/api/auth/me', { schema: { tags, summary: 'The signed-in user, permissions and scopes', response: r(Me) }, config: { access: 'authenticated', allowIncomplete: true } }, (request) =>
    auth.me(request.ctx),
  );
  app.put('/api/auth/me/locale', { schema: { tags, body: LocaleBody, response: r(Me) }, config: { access: 'authenticated', allowIncomplete: true } }, (request) =>
    auth.setLocale(request.ctx, request.body.locale),
  );
  app.post('/api/auth/sign-out', { schema: { tags, response: r(Ok) }, config: { access: 'authenticated', allowIncomplete: true } }, async (request, reply) => {
    await auth.signOut(request.ctx);
    clearSessionCookie(reply);
    return ok;
  });
  app.post('/api/auth/sign-out-everywhere', { schema: { tags, response: r(Ok) }, config: { access: 'authenticated', allowIncomplete: true } }, async (request, reply) => {
    await auth.signOutEverywhere(request.ctx);
    clearSessionCookie(reply);
    return ok;
  });
  app.post('/api/auth/password', { schema: { tags, summary: 'Change my password', body: ChangePasswordBody, response: r(Me) }, config: { access: 'authenticated', allowIncomplete: true } }, (request) =>
    auth.changePassword(request.ctx, request.body.currentPassword, request.body.newPassword),
  );
  app.post('/api/auth/mfa/enrol', { schema: { tags, summary: 'Start two-factor enrolment', response: r(MfaEnrolment) }, config: { access: 'authenticated', allowIncomplete: true } }, (request) =>
    auth.startMfaEnrolment(request.ctx),
  );
  app.post('/api/auth/mfa/enrol/confirm', { schema: { tags, body: MfaConfirmBody, response: r(RecoveryCodes) }, config: { access: 'authenticated', allowIncomplete: true } }, async (request) => ({
    recoveryCodes: await auth.confirmMfaEnrolment(request.ctx, request.body.code),
  }));
  app.post('/api/auth/mfa/disable', { schema: { tags, body: MfaDisableBody, response: r(Me) }, config: { access: 'authenticated' } }, (request) =>
    auth.disableMfa(request.ctx, request.body.password),
  );
  app.get('/api/auth/sessions', { schema: { tags, summary: 'My active sessions', response: r(SessionList) }, config: { access: 'authenticated', allowIncomplete: true } }, async (request) => ({
    items: await auth.listSessions(request.ctx),
  }));
  app.delete('/api/auth/sessions/:id', { schema: { tags, params: IdParams, response: r(Ok) }, config: { access: 'authenticated', allowIncomplete: true } }, async (request) => {
    await auth.revokeSession(request.ctx, request.params.id);
    return ok;
  });
  app.get('/api/auth/tokens', { schema: { tags, summary: 'My API tokens', response: r(Type.Object({ items: Type.Array(ApiTokenInfo) })) }, config: { access: 'authenticated' } }, async (request) => ({
    items: await auth.listTokens(request.ctx),
  }));
  app.post('/api/auth/tokens', { schema: { tags, summary: 'Create an API token (shown once)', body: CreateApiTokenBody, response: r(CreatedApiToken) }, config: { access: 'authenticated' } }, (request) =>
    auth.createToken(request.ctx, request.body),
  );
  app.delete('/api/auth/tokens/:id', { schema: { tags, params: IdParams, response: r(Ok) }, config: { access: 'authenticated' } }, async (request) => {
    await auth.revokeToken(request.ctx, request.params.id);
    return ok;
  });

  // ---- user administration ----
  app.get('/api/users', { schema: { tags, querystring: UserListQuery, response: r(Page(User)) }, config: { access: 'identity.user.read' } }, (request) =>
    users.list(request.ctx, request.query),
  );
  app.post('/api/users', { schema: { tags, body: CreateUserBody, response: r(CreatedUser) }, config: { access: 'identity.user.manage' } }, (request) =>
    users.create(request.ctx, request.body),
  );
  app.get('/api/users/:id', { schema: { tags, params: IdParams, response: r(User) }, config: { access: 'identity.user.read' } }, (request) => users.get(request.ctx, request.params.id));
  app.patch('/api/users/:id', { schema: { tags, params: IdParams, body: UpdateUserBody, response: r(User) }, config: { access: 'identity.user.manage' } }, (request) =>
    users.update(request.ctx, request.params.id, request.body),
  );
  app.post('/api/users/:id/unlock', { schema: { tags, params: IdParams, response: r(User) }, config: { access: 'identity.user.unlock' } }, (request) =>
    users.unlock(request.ctx, request.params.id),
  );
  app.post('/api/users/:id/disable', { schema: { tags, params: IdParams, response: r(User) }, config: { access: 'identity.user.disable' } }, (request) =>
    users.setStatus(request.ctx, request.params.id, 'disabled'),
  );
  app.post('/api/users/:id/enable', { schema: { tags, params: IdParams, response: r(User) }, config: { access: 'identity.user.disable' } }, (request) =>
    users.setStatus(request.ctx, request.params.id, 'active'),
  );
  app.post('/api/users/:id/reset-password', { schema: { tags, params: IdParams, response: r(ResetPasswordResult) }, config: { access: 'identity.user.reset_credentials' } }, async (request) => ({
    temporaryPassword: await users.resetPassword(request.ctx, request.params.id),
  }));
  app.post('/api/users/:id/reveal', { schema: { tags, summary: 'Reveal personal data in clear (audited)', params: IdParams, response: r(RevealedUser) }, config: { access: 'identity.user.reveal' } }, (request) =>
    users.reveal(request.ctx, request.params.id),
  );
  app.post('/api/users/:id/reset-mfa', { schema: { tags, params: IdParams, response: r(User) }, config: { access: 'identity.user.reset_credentials' } }, (request) =>
    users.resetMfa(request.ctx, request.params.id),
  );

  // ---- roles, permissions and grants ----
  app.get('/api/permissions', { schema: { tags, response: r(Type.Object({ items: Type.Array(PermissionInfo) })) }, config: { access: 'identity.role.read' } }, () => ({ items: PERMISSION_LIST }));
  app.get('/api/roles', { schema: { tags, response: r(Type.Object({ items: Type.Array(Role) })) }, config: { access: 'identity.role.read' } }, async () => ({ items: await access.listRoles() }));
  app.post('/api/roles', { schema: { tags, body: CreateRoleBody, response: r(Role) }, config: { access: 'identity.role.manage' } }, (request) => access.createRole(request.ctx, request.body));
  app.patch('/api/roles/:id', { schema: { tags, params: IdParams, body: UpdateRoleBody, response: r(Role) }, config: { access: 'identity.role.manage' } }, (request) =>
    access.updateRole(request.ctx, request.params.id, request.body),
  );
  app.delete('/api/roles/:id', { schema: { tags, params: IdParams, response: r(Ok) }, config: { access: 'identity.role.manage' } }, async (request) => {
    await access.deleteRole(request.ctx, request.params.id);
    return ok;
  });
  app.get('/api/grants', { schema: { tags, querystring: GrantListQuery, response: r(Page(Grant)) }, config: { access: 'identity.role.read' } }, (request) => access.listGrants(request.ctx, request.query));
  app.post('/api/grants', { schema: { tags, summary: 'Grant a role (administrator roles wait for approval)', body: CreateGrantBody, response: r(Grant) }, config: { access: 'identity.grant.request' } }, (request) =>
    access.requestGrant(request.ctx, request.body),
  );
  app.post('/api/grants/:id/approve', { schema: { tags, params: IdParams, body: Type.Optional(DecideGrantBody), response: r(Grant) }, config: { access: 'identity.grant.approve' } }, (request) =>
    access.approveGrant(request.ctx, request.params.id, request.body?.reason),
  );
  app.post('/api/grants/:id/reject', { schema: { tags, params: IdParams, body: Type.Optional(DecideGrantBody), response: r(Grant) }, config: { access: 'identity.grant.approve' } }, (request) =>
    access.rejectGrant(request.ctx, request.params.id, request.body?.reason),
  );
  app.delete('/api/grants/:id', { schema: { tags, summary: 'Revoke a grant (ends the holder’s sessions)', params: IdParams, response: r(Grant) }, config: { access: 'identity.grant.request' } }, (request) =>
    access.revokeGrant(request.ctx, request.params.id),
  );
}
