import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable } from './common.js';

/**
 * Service desk — return visits (回访, PRODUCT §3): customer service calls back a sample of closed
 * requests and records the outcome; a dissatisfied caller gets a complaint linked to the request.
 */
export const VisitOutcome = Type.Union([Type.Literal('satisfied'), Type.Literal('dissatisfied'), Type.Literal('unreachable')]);
export type VisitOutcome = Static<typeof VisitOutcome>;

export const DueVisitQuery = Type.Object(
  {
    communityId: Id,
    /** Requests closed in [closedFrom, closedTo). */
    closedFrom: Instant,
    closedTo: Instant,
    /** Share of the due requests to call, 1–100; the sample is stable (chosen by the request id). */
    percent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  },
  { additionalProperties: false },
);
export type DueVisitQuery = Static<typeof DueVisitQuery>;

export const DueVisit = Type.Object({
  requestId: Id,
  communityId: Id,
  number: Type.String(),
  type: Type.String(),
  description: Type.String(),
  contactName: Nullable(Type.String()),
  rating: Nullable(Type.Integer()),
  closedAt: Instant,
  /** Earlier attempts that did not reach the caller. */
  unreachableAttempts: Type.Integer(),
});
export type DueVisit = Static<typeof DueVisit>;
export const DueVisitList = Type.Object({ items: Type.Array(DueVisit), total: Type.Integer() });
export type DueVisitList = Static<typeof DueVisitList>;

export const RecordVisitBody = Type.Object(
  { requestId: Id, outcome: VisitOutcome, notes: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type RecordVisitBody = Static<typeof RecordVisitBody>;

export const ReturnVisit = Type.Object({
  id: Id,
  communityId: Id,
  requestId: Id,
  requestNumber: Type.String(),
  outcome: VisitOutcome,
  notes: Nullable(Type.String()),
  /** The complaint opened because the caller was dissatisfied. */
  complaintRequestId: Nullable(Id),
  visitedBy: Nullable(Id),
  visitedAt: Instant,
});
export type ReturnVisit = Static<typeof ReturnVisit>;
export const ReturnVisitListQuery = Type.Object({ communityId: Id, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }, { additionalProperties: false });
export type ReturnVisitListQuery = Static<typeof ReturnVisitListQuery>;
export const ReturnVisitList = Type.Object({ items: Type.Array(ReturnVisit) });
export type ReturnVisitList = Static<typeof ReturnVisitList>;
