import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Satisfaction surveys (满意度调查, PRODUCT §3). Anonymity is structural: an anonymous response
 * row has no person or user column filled, and who has responded lives only in
 * `survey_respondents` as a keyed hash, with no time and no link to the response. Responses,
 * answers and the ledger are append-only: results cannot be edited after the fact.
 */
export const serviceDeskSurveys: ModuleMigration = {
  name: '202612030330_service_desk_surveys',
  async up(db, c) {
    await db.schema
      .createTable('surveys')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('title', c.text, (col) => col.notNull())
      .addColumn('description', c.text)
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('anonymous', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('opens_at', c.instant, (col) => col.notNull())
      .addColumn('closes_at', c.instant, (col) => col.notNull())
      // JSON arrays of ids; empty = no restriction (the whole community, everybody).
      .addColumn('audience_buildings_json', c.text, (col) => col.notNull())
      .addColumn('audience_tags_json', c.text, (col) => col.notNull())
      .addColumn('published_at', c.instant)
      .addColumn('closed_at', c.instant)
      .addColumn('created_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('surveys_community').on('surveys').columns(['community_id', 'id']).execute();
    await db.schema.createIndex('surveys_open').on('surveys').columns(['state', 'community_id', 'closes_at']).execute();

    await db.schema
      .createTable('survey_questions')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('survey_id', c.id, (col) => col.notNull().references('surveys.id'))
      .addColumn('position', c.int, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('title', c.text, (col) => col.notNull())
      .addColumn('required', c.int, (col) => col.notNull())
      .addColumn('options_json', c.text, (col) => col.notNull())
      .addUniqueConstraint('survey_questions_position', ['survey_id', 'position'])
      .execute();

    await db.schema
      .createTable('survey_responses')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('survey_id', c.id, (col) => col.notNull().references('surveys.id'))
      // Both null for an anonymous response (no link to anybody is stored).
      .addColumn('person_id', c.id)
      .addColumn('user_id', c.id)
      // An instant for named responses; for anonymous ones midnight UTC of the day (no timing link).
      .addColumn('submitted_at', c.instant, (col) => col.notNull())
      // One response per person for named responses; the ledger below enforces it for all.
      .addUniqueConstraint('survey_responses_person', ['survey_id', 'person_id'])
      .execute();
    await db.schema.createIndex('survey_responses_survey').on('survey_responses').columns(['survey_id', 'id']).execute();
    await c.appendOnly('survey_responses');

    await db.schema
      .createTable('survey_answers')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('survey_id', c.id, (col) => col.notNull())
      .addColumn('response_id', c.id, (col) => col.notNull().references('survey_responses.id'))
      .addColumn('question_id', c.id, (col) => col.notNull().references('survey_questions.id'))
      // Exactly one of: rating (1–5), option_index (one row per chosen option), text.
      .addColumn('rating', c.int)
      .addColumn('option_index', c.int)
      .addColumn('text', c.text)
      .execute();
    await db.schema.createIndex('survey_answers_question').on('survey_answers').columns(['survey_id', 'question_id']).execute();
    await c.appendOnly('survey_answers');

    // Who has responded, for every survey (anonymous or not): the keyed hash (blind index under
    // the field key) of "survey|<survey id>|<person id>". Its primary key is the one-response-per-
    // person rule; it has no time column, so it cannot be matched to a response by when.
    await db.schema
      .createTable('survey_respondents')
      .addColumn('survey_id', c.id, (col) => col.notNull().references('surveys.id'))
      .addColumn('respondent_hash', c.text, (col) => col.notNull())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addPrimaryKeyConstraint('survey_respondents_pk', ['survey_id', 'respondent_hash'])
      .execute();
    await c.appendOnly('survey_respondents');
  },
};
