import { sql } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { SurveyAnswerTable, SurveyQuestionTable, SurveyResponseTable, SurveyTable } from './surveys.tables.js';

/** `in ()` is invalid SQL: an impossible id keeps the statement valid and empty. */
const nonEmpty = (ids: readonly string[]) => (ids.length ? [...ids] : ['00000000-0000-0000-0000-000000000000']);

export const surveys = {
  insert: (db: Exec, row: SurveyTable) => db.insertInto('surveys').values(row).execute(),
  byId: (db: Exec, id: string) => db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst(),
  update: (db: Exec, id: string, patch: Partial<SurveyTable>) => db.updateTable('surveys').set(patch).where('id', '=', id).execute(),
  /** Newest first (UUIDv7 ids are time-ordered), keyset on id, within the scope (null = all). */
  page: (db: Exec, scope: string[] | null, q: { communityId?: string; state?: string }, after: string | undefined, limit: number) => {
    let query = db.selectFrom('surveys').selectAll();
    if (scope) query = query.where('community_id', 'in', nonEmpty(scope));
    if (q.communityId) query = query.where('community_id', '=', q.communityId);
    if (q.state) query = query.where('state', '=', q.state as SurveyTable['state']);
    if (after) query = query.where('id', '<', after);
    return query.orderBy('id', 'desc').limit(limit).execute();
  },
  /** Published surveys whose window contains `now`, in these communities. */
  openIn: (db: Exec, communityIds: readonly string[], now: string) =>
    db
      .selectFrom('surveys as s')
      .innerJoin('communities as c', 'c.id', 's.community_id')
      .selectAll('s')
      .select('c.name as community_name')
      .where('s.state', '=', 'published')
      .where('s.community_id', 'in', nonEmpty(communityIds))
      .where('s.opens_at', '<=', now)
      .where('s.closes_at', '>', now)
      .orderBy('s.closes_at')
      .orderBy('s.id')
      .execute(),
};

export const questions = {
  insert: (db: Exec, rows: SurveyQuestionTable[]) => (rows.length ? db.insertInto('survey_questions').values(rows).execute() : Promise.resolve([])),
  deleteOf: (db: Exec, surveyId: string) => db.deleteFrom('survey_questions').where('survey_id', '=', surveyId).execute(),
  of: (db: Exec, surveyIds: readonly string[]) => db.selectFrom('survey_questions').selectAll().where('survey_id', 'in', nonEmpty(surveyIds)).orderBy('survey_id').orderBy('position').execute(),
};

export const responses = {
  insert: (db: Exec, row: SurveyResponseTable) => db.insertInto('survey_responses').values(row).execute(),
  counts: async (db: Exec, surveyIds: readonly string[]) => {
    const rows = await db
      .selectFrom('survey_responses')
      .select(['survey_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('survey_id', 'in', nonEmpty(surveyIds))
      .groupBy('survey_id')
      .execute();
    return new Map(rows.map((r) => [r.survey_id, Number(r.n)]));
  },
  /** Every response with its answers, oldest first (the export). */
  withAnswers: (db: Exec, surveyId: string) =>
    db
      .selectFrom('survey_responses as r')
      .leftJoin('persons as p', 'p.id', 'r.person_id')
      .leftJoin('survey_answers as a', 'a.response_id', 'r.id')
      .select(['r.id as response_id', 'r.submitted_at', 'p.name as person_name', 'a.question_id', 'a.rating', 'a.option_index', 'a.text'])
      .where('r.survey_id', '=', surveyId)
      .orderBy('r.submitted_at')
      .orderBy('r.id')
      .orderBy('a.question_id')
      .orderBy('a.option_index')
      .execute(),
};

export const answers = {
  insert: (db: Exec, rows: SurveyAnswerTable[]) => (rows.length ? db.insertInto('survey_answers').values(rows).execute() : Promise.resolve([])),
  /** Per question: how many responses answered it, the rating sum, and counts per rating / option. */
  aggregate: async (db: Exec, surveyId: string) => {
    const answered = await db
      .selectFrom('survey_answers')
      .select(['question_id', sql<number | string>`count(distinct response_id)`.as('n'), sql<number | string | null>`sum(rating)`.as('rating_sum')])
      .where('survey_id', '=', surveyId)
      .groupBy('question_id')
      .execute();
    const buckets = await db
      .selectFrom('survey_answers')
      .select(['question_id', 'rating', 'option_index', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('survey_id', '=', surveyId)
      .where('text', 'is', null)
      .groupBy(['question_id', 'rating', 'option_index'])
      .execute();
    return { answered, buckets };
  },
  /** The latest text answers of each text question (at most `limit` each, ordered by response id). */
  texts: (db: Exec, surveyId: string, questionIds: readonly string[]) =>
    db
      .selectFrom('survey_answers')
      .select(['question_id', 'text'])
      .where('survey_id', '=', surveyId)
      .where('question_id', 'in', nonEmpty(questionIds))
      .where('text', 'is not', null)
      .orderBy('response_id', 'desc')
      .execute(),
};

export const respondents = {
  insert: (db: Exec, row: { survey_id: string; respondent_hash: string; community_id: string }) => db.insertInto('survey_respondents').values(row).execute(),
  answered: async (db: Exec, pairs: { surveyId: string; hash: string }[]) => {
    if (!pairs.length) return new Set<string>();
    const rows = await db
      .selectFrom('survey_respondents')
      .select(['survey_id', 'respondent_hash'])
      .where('respondent_hash', 'in', pairs.map((p) => p.hash))
      .execute();
    return new Set(rows.map((r) => `${r.survey_id}|${r.respondent_hash}`));
  },
};

/** The registry facts the audience rule needs (read-only, lower layer). */
export const registry = {
  personsOfUser: (db: Exec, userId: string) => db.selectFrom('persons').select(['id', 'community_id']).where('user_id', '=', userId).orderBy('id').execute(),
  /** Buildings of the persons' current rooms. */
  buildingsOf: (db: Exec, personIds: readonly string[]) =>
    db
      .selectFrom('occupancies as o')
      .innerJoin('rooms as r', 'r.id', 'o.room_id')
      .select(['o.person_id', 'r.building_id'])
      .where('o.person_id', 'in', nonEmpty(personIds))
      .where('o.moved_out_on', 'is', null)
      .execute(),
  tagsOf: (db: Exec, personIds: readonly string[]) =>
    db.selectFrom('taggings').select(['entity_id as person_id', 'tag_id']).where('entity_type', '=', 'person').where('entity_id', 'in', nonEmpty(personIds)).execute(),
  buildingsIn: (db: Exec, communityId: string, ids: readonly string[]) =>
    db.selectFrom('buildings').select('id').where('community_id', '=', communityId).where('id', 'in', nonEmpty(ids)).execute(),
  tagsUsableIn: (db: Exec, communityId: string, ids: readonly string[]) =>
    db
      .selectFrom('tags')
      .select('id')
      .where((eb) => eb.or([eb('community_id', '=', communityId), eb('community_id', 'is', null)]))
      .where('id', 'in', nonEmpty(ids))
      .execute(),
};
