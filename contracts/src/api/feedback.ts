import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';

/**
 * Service desk — feedback about the system itself (用户反馈, PRODUCT §3): staff and owners send
 * it from the console or the portal; administrators triage and answer it.
 */
export const FeedbackCategory = Type.Union([Type.Literal('function'), Type.Literal('operation'), Type.Literal('security'), Type.Literal('other')]);
export type FeedbackCategory = Static<typeof FeedbackCategory>;
export const FeedbackState = Type.Union([Type.Literal('new'), Type.Literal('in_triage'), Type.Literal('answered'), Type.Literal('closed')]);
export type FeedbackState = Static<typeof FeedbackState>;

export const Feedback = Type.Object({
  id: Id,
  communityId: Nullable(Id),
  senderUserId: Id,
  senderName: Type.String(),
  senderKind: Type.Union([Type.Literal('staff'), Type.Literal('owner')]),
  category: FeedbackCategory,
  body: Type.String(),
  /** Attached through the files module (owner type `feedback`, category `screenshot`). */
  screenshotFileId: Nullable(Id),
  state: FeedbackState,
  response: Nullable(Type.String()),
  respondedAt: Nullable(Instant),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Feedback = Static<typeof Feedback>;
export const FeedbackPage = Page(Feedback);
export type FeedbackPage = Static<typeof FeedbackPage>;

export const SendFeedbackBody = Type.Object(
  { category: FeedbackCategory, body: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);
export type SendFeedbackBody = Static<typeof SendFeedbackBody>;

export const FeedbackListQuery = Type.Object(
  { ...PageQuery, state: Type.Optional(FeedbackState), category: Type.Optional(FeedbackCategory) },
  { additionalProperties: false },
);
export type FeedbackListQuery = Static<typeof FeedbackListQuery>;
export const MyFeedbackQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type MyFeedbackQuery = Static<typeof MyFeedbackQuery>;

export const AnswerFeedbackBody = Type.Object({ response: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
export type AnswerFeedbackBody = Static<typeof AnswerFeedbackBody>;

export const FeedbackStats = Type.Object({
  byCategory: Type.Array(Type.Object({ category: FeedbackCategory, count: Type.Integer() })),
  byState: Type.Array(Type.Object({ state: FeedbackState, count: Type.Integer() })),
  total: Type.Integer(),
});
export type FeedbackStats = Static<typeof FeedbackStats>;
