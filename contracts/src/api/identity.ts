import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, LocaleSchema, Nullable, PageQuery } from './common.js';
import { UserKind } from './auth.js';

export const UserStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);

export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  kind: UserKind,
  status: UserStatus,
  locale: LocaleSchema,
  /** Always masked (138****1234); POST /api/users/:id/reveal returns it in clear, audited. */
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  mfaEnabled: Type.Boolean(),
  lockedUntil: Nullable(Instant),
  failedSignIns: Type.Integer(),
  lastSignInAt: Nullable(Instant),
  createdAt: Instant,
  roles: Type.Array(Type.String()),
});
export type User = Static<typeof User>;

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 100 })),
    kind: Type.Optional(UserKind),
    status: Type.Optional(UserStatus),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });
export const Phone = Type.String({ pattern: '^\\+?[0-9]{5,20}$' });

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    kind: UserKind,
    locale: Type.Optional(LocaleSchema),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    phone: Type.Optional(Phone),
    /** When omitted, a random initial password is generated and returned once. */
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 200 }))),
    phone: Type.Optional(Nullable(Phone)),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const RevealedUser = Type.Object({ phone: Nullable(Type.String()) });
export const CreatedUser = Type.Object({ user: User, initialPassword: Nullable(Type.String()) });
export const ResetPasswordResult = Type.Object({ temporaryPassword: Type.String() });

export const Role = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  builtIn: Type.Boolean(),
  sensitive: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  holders: Type.Integer(),
});
export type Role = Static<typeof Role>;

export const CreateRoleBody = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 50, pattern: '^[a-z][a-z0-9_]*$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    permissions: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateRoleBody = Static<typeof CreateRoleBody>;
export const UpdateRoleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    permissions: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 500, uniqueItems: true })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRoleBody = Static<typeof UpdateRoleBody>;

export const PermissionInfo = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

export const GrantStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('active'),
  Type.Literal('rejected'),
  Type.Literal('revoked'),
]);
export const Grant = Type.Object({
  id: Id,
  userId: Id,
  username: Type.String(),
  roleId: Id,
  roleCode: Type.String(),
  roleName: Type.String(),
  /** null: every community of the organisation. */
  communityId: Nullable(Id),
  status: GrantStatus,
  requestedBy: Nullable(Id),
  requestedByName: Nullable(Type.String()),
  decidedBy: Nullable(Id),
  createdAt: Instant,
  decidedAt: Nullable(Instant),
  reason: Nullable(Type.String()),
});
export type Grant = Static<typeof Grant>;
export const GrantListQuery = Type.Object(
  { status: Type.Optional(GrantStatus), userId: Type.Optional(Id), ...PageQuery },
  { additionalProperties: false },
);
export type GrantListQuery = Static<typeof GrantListQuery>;
export const CreateGrantBody = Type.Object(
  { userId: Id, roleId: Id, communityId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export type CreateGrantBody = Static<typeof CreateGrantBody>;
export const DecideGrantBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
