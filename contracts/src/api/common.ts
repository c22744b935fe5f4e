import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** Time-ordered identifier (UUIDv7, text). */
export const Id = Type.String({ format: 'uuid', description: 'Time-ordered id (UUIDv7)' });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

/** An instant in UTC as an ISO-8601 string. */
export const Instant = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Keyset pagination: pass back `nextCursor` to get the following page. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const Ok = Type.Object({ ok: Type.Literal(true) });
export type Ok = Static<typeof Ok>;

export const LocaleSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')]);

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.String(),
    requestId: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    lockedUntil: Type.Optional(Type.String()),
  },
  { $id: 'Problem', description: 'application/problem+json' },
);

/** `?communityId=` — the community a per-community list or setting belongs to. */
export const CommunityQuery = Type.Object({ communityId: Id }, { additionalProperties: false });
export type CommunityQuery = Static<typeof CommunityQuery>;
