import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, PageQuery } from './common.js';

export const AuditResult = Type.Union([Type.Literal('success'), Type.Literal('failure')]);

export const AuditRecord = Type.Object({
  id: Id,
  seq: Type.Integer(),
  occurredAt: Instant,
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  action: Type.String(),
  entityType: Nullable(Type.String()),
  entityId: Nullable(Type.String()),
  communityId: Nullable(Type.String()),
  result: AuditResult,
  before: Nullable(Type.Unknown()),
  after: Nullable(Type.Unknown()),
  requestId: Nullable(Type.String()),
});
export type AuditRecord = Static<typeof AuditRecord>;

export const AuditListQuery = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    entityType: Type.Optional(Type.String({ maxLength: 100 })),
    entityId: Type.Optional(Type.String({ maxLength: 100 })),
    result: Type.Optional(AuditResult),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type AuditListQuery = Static<typeof AuditListQuery>;

export const SignInActivityQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 14 })) }, { additionalProperties: false });
export type SignInActivityQuery = Static<typeof SignInActivityQuery>;

/** Sign-ins per UTC day: accepted, refused, and accounts locked — every day of the window, zeros included. */
export const SignInActivity = Type.Object({
  days: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), succeeded: Type.Integer(), failed: Type.Integer(), locked: Type.Integer() })),
});
export type SignInActivity = Static<typeof SignInActivity>;

export const AuditVerifyResult = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  /** First sequence number where the chain breaks, when it does. */
  brokenAtSeq: Nullable(Type.Integer()),
  problem: Nullable(Type.String()),
});
export type AuditVerifyResult = Static<typeof AuditVerifyResult>;
