import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';

/**
 * Service desk — satisfaction surveys (满意度调查, PRODUCT §3): questions (rating 1–5, single
 * choice, multiple choice, text), an audience (a community, optionally some of its buildings and
 * people with given tags), an open window, an anonymous option, one response per person, results
 * per question and an .xlsx export.
 */
export const SurveyQuestionKind = Type.Union([Type.Literal('rating'), Type.Literal('single'), Type.Literal('multiple'), Type.Literal('text')]);
export type SurveyQuestionKind = Static<typeof SurveyQuestionKind>;
export const SurveyState = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('closed')]);
export type SurveyState = Static<typeof SurveyState>;

export const SurveyQuestionInput = Type.Object(
  {
    kind: SurveyQuestionKind,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    required: Type.Optional(Type.Boolean({ default: true })),
    /** Choice questions only: 2–20 options. */
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type SurveyQuestionInput = Static<typeof SurveyQuestionInput>;

export const SurveyQuestion = Type.Object({
  id: Id,
  position: Type.Integer(),
  kind: SurveyQuestionKind,
  title: Type.String(),
  required: Type.Boolean(),
  options: Type.Array(Type.String()),
});
export type SurveyQuestion = Static<typeof SurveyQuestion>;

export const SurveyAudience = Type.Object(
  {
    /** Empty: every building of the community. */
    buildingIds: Type.Array(Id, { maxItems: 200 }),
    /** Empty: everybody; otherwise people carrying at least one of these tags. */
    tagIds: Type.Array(Id, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type SurveyAudience = Static<typeof SurveyAudience>;

export const Survey = Type.Object({
  id: Id,
  communityId: Id,
  title: Type.String(),
  description: Nullable(Type.String()),
  state: SurveyState,
  anonymous: Type.Boolean(),
  opensAt: Instant,
  closesAt: Instant,
  audience: SurveyAudience,
  questions: Type.Array(SurveyQuestion),
  responseCount: Type.Integer(),
  publishedAt: Nullable(Instant),
  closedAt: Nullable(Instant),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Survey = Static<typeof Survey>;

export const SurveySummary = Type.Omit(Survey, ['questions', 'audience']);
export type SurveySummary = Static<typeof SurveySummary>;
export const SurveyPage = Page(SurveySummary);
export type SurveyPage = Static<typeof SurveyPage>;

export const SurveyListQuery = Type.Object(
  { ...PageQuery, communityId: Type.Optional(Id), state: Type.Optional(SurveyState) },
  { additionalProperties: false },
);
export type SurveyListQuery = Static<typeof SurveyListQuery>;

export const CreateSurveyBody = Type.Object(
  {
    communityId: Id,
    title: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
    anonymous: Type.Optional(Type.Boolean({ default: false })),
    opensAt: Instant,
    closesAt: Instant,
    audience: Type.Optional(SurveyAudience),
    questions: Type.Array(SurveyQuestionInput, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type CreateSurveyBody = Static<typeof CreateSurveyBody>;

/** A draft is edited whole (the questions are replaced); a published survey cannot change. */
export const UpdateSurveyBody = Type.Omit(CreateSurveyBody, ['communityId']);
export type UpdateSurveyBody = Static<typeof UpdateSurveyBody>;

export const SurveyAnswerInput = Type.Object(
  {
    questionId: Id,
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    /** Option indexes (0-based): exactly one for a single-choice question. */
    choices: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 19 }), { maxItems: 20 })),
    text: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SurveyAnswerInput = Static<typeof SurveyAnswerInput>;

export const SubmitSurveyBody = Type.Object({ answers: Type.Array(SurveyAnswerInput, { maxItems: 50 }) }, { additionalProperties: false });
export type SubmitSurveyBody = Static<typeof SubmitSurveyBody>;

/** A survey as the owner portal shows it: open for me, and whether I already answered. */
export const MySurvey = Type.Object({
  id: Id,
  communityName: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  anonymous: Type.Boolean(),
  closesAt: Instant,
  answered: Type.Boolean(),
  questions: Type.Array(SurveyQuestion),
});
export type MySurvey = Static<typeof MySurvey>;
export const MySurveyList = Type.Object({ items: Type.Array(MySurvey) });
export type MySurveyList = Static<typeof MySurveyList>;

export const SurveyQuestionResult = Type.Object({
  questionId: Id,
  position: Type.Integer(),
  kind: SurveyQuestionKind,
  title: Type.String(),
  /** Responses that answered this question. */
  answered: Type.Integer(),
  /** Rating questions: mean to two decimals, null without answers. */
  average: Nullable(Type.Number()),
  /** Rating: counts of 1..5 (5 entries); choice: count per option (same order as options). */
  distribution: Type.Array(Type.Object({ label: Type.String(), count: Type.Integer() })),
  /** Text questions: the latest answers (at most 50). */
  texts: Type.Array(Type.String()),
});
export type SurveyQuestionResult = Static<typeof SurveyQuestionResult>;

export const SurveyResults = Type.Object({
  surveyId: Id,
  title: Type.String(),
  responseCount: Type.Integer(),
  questions: Type.Array(SurveyQuestionResult),
});
export type SurveyResults = Static<typeof SurveyResults>;
