import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, LocaleSchema, Nullable } from './common.js';

export const UserKind = Type.Union([Type.Literal('staff'), Type.Literal('owner')]);
export type UserKind = Static<typeof UserKind>;

export const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

/** The signed-in user and what they may do. `null` community list in a scope means every community. */
export const Me = Type.Object({
  user: Type.Object({
    id: Id,
    username: Type.String(),
    displayName: Type.String(),
    kind: UserKind,
    locale: LocaleSchema,
    mfaEnabled: Type.Boolean(),
  }),
  permissions: Type.Array(Type.String()),
  /** Per permission: the community ids it applies to, or null for every community. */
  scopes: Type.Record(Type.String(), Nullable(Type.Array(Id))),
  roles: Type.Array(Type.String()),
  csrfToken: Type.String(),
  passwordChangeRequired: Type.Boolean(),
  mfaEnrollmentRequired: Type.Boolean(),
});
export type Me = Static<typeof Me>;

export const SignInResult = Type.Union([
  Type.Object({ status: Type.Literal('signed_in'), me: Me }),
  Type.Object({ status: Type.Literal('mfa_required'), challengeId: Type.String() }),
]);
export type SignInResult = Static<typeof SignInResult>;

export const MfaVerifyBody = Type.Object(
  {
    challengeId: Type.String({ minLength: 16, maxLength: 128 }),
    /** A 6-digit TOTP code or a recovery code (xxxx-xxxx-xxxx-xxxx). */
    code: Type.String({ minLength: 6, maxLength: 20 }),
  },
  { additionalProperties: false },
);
export type MfaVerifyBody = Static<typeof MfaVerifyBody>;

export const MfaEnrolment = Type.Object({ secret: Type.String(), otpauthUrl: Type.String(), qrDataUrl: Type.String() });
export type MfaEnrolment = Static<typeof MfaEnrolment>;
export const MfaConfirmBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false });
export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export type RecoveryCodes = Static<typeof RecoveryCodes>;
export const MfaDisableBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const LocaleBody = Type.Object({ locale: LocaleSchema }, { additionalProperties: false });

export const SessionInfo = Type.Object({
  id: Id,
  createdAt: Instant,
  lastSeenAt: Instant,
  expiresAt: Instant,
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean(),
});
export type SessionInfo = Static<typeof SessionInfo>;
export const SessionList = Type.Object({ items: Type.Array(SessionInfo) });

export const ApiTokenInfo = Type.Object({
  id: Id,
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Instant,
  lastUsedAt: Nullable(Instant),
  expiresAt: Nullable(Instant),
});
export type ApiTokenInfo = Static<typeof ApiTokenInfo>;
export const CreateApiTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 100 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export type CreateApiTokenBody = Static<typeof CreateApiTokenBody>;
/** `token` is shown once, here; only its hash is stored. */
export const CreatedApiToken = Type.Object({ token: Type.String(), info: ApiTokenInfo });
