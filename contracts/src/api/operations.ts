import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable } from './common.js';

export const JobStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('succeeded'),
  /** Gave up after its last attempt; `lastError` says why. */
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);
export const Job = Type.Object({
  id: Id,
  type: Type.String(),
  communityId: Nullable(Id),
  status: JobStatus,
  attempts: Type.Integer(),
  progressDone: Type.Integer(),
  progressTotal: Nullable(Type.Integer()),
  progressNote: Nullable(Type.String()),
  lastError: Nullable(Type.String()),
  runAt: Instant,
  createdAt: Instant,
  finishedAt: Nullable(Instant),
});
export type Job = Static<typeof Job>;
