import type { SurveyQuestionKind, SurveyState } from '@courtyard/contracts';

export interface SurveyTable {
  id: string;
  community_id: string;
  title: string;
  description: string | null;
  state: SurveyState;
  anonymous: number;
  opens_at: string;
  closes_at: string;
  /** JSON array of building ids; empty = the whole community. */
  audience_buildings_json: string;
  /** JSON array of tag ids; empty = everybody. */
  audience_tags_json: string;
  published_at: string | null;
  closed_at: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SurveyQuestionTable {
  id: string;
  community_id: string;
  survey_id: string;
  position: number;
  kind: SurveyQuestionKind;
  title: string;
  required: number;
  options_json: string;
}

export interface SurveyResponseTable {
  id: string;
  community_id: string;
  survey_id: string;
  /** Null for anonymous responses. */
  person_id: string | null;
  user_id: string | null;
  submitted_at: string;
}

export interface SurveyAnswerTable {
  id: string;
  community_id: string;
  survey_id: string;
  response_id: string;
  question_id: string;
  rating: number | null;
  option_index: number | null;
  text: string | null;
}

/** The ledger of who responded: a keyed hash per (survey, person), nothing else. */
export interface SurveyRespondentTable {
  survey_id: string;
  respondent_hash: string;
  community_id: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    surveys: SurveyTable;
    survey_questions: SurveyQuestionTable;
    survey_responses: SurveyResponseTable;
    survey_answers: SurveyAnswerTable;
    survey_respondents: SurveyRespondentTable;
  }
}
