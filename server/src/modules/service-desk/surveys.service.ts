import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type {
  CreateSurveyBody,
  MySurvey,
  SubmitSurveyBody,
  Survey,
  SurveyListQuery,
  SurveyQuestion,
  SurveyQuestionInput,
  SurveyQuestionResult,
  SurveyResults,
  SurveySummary,
  UpdateSurveyBody,
} from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { assertCan, can, scopeOf, type RequestContext } from '../../core/http/context.js';
import { AppError, forbidden, invalid, notFound } from '../../core/http/errors.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './surveys.repository.js';
import type { SurveyAnswerTable, SurveyQuestionTable, SurveyTable } from './surveys.tables.js';

type Page<T> = { items: T[]; nextCursor: string | null };

export interface SurveysService {
  list(ctx: RequestContext, query: SurveyListQuery): Promise<Page<SurveySummary>>;
  get(ctx: RequestContext, id: string): Promise<Survey>;
  create(ctx: RequestContext, body: CreateSurveyBody): Promise<Survey>;
  /** Drafts only: replaces everything, questions included. */
  update(ctx: RequestContext, id: string, body: UpdateSurveyBody): Promise<Survey>;
  publish(ctx: RequestContext, id: string): Promise<Survey>;
  close(ctx: RequestContext, id: string): Promise<Survey>;
  results(ctx: RequestContext, id: string): Promise<SurveyResults>;
  /** Every response as one row (anonymous ones without a name) and the per-question results. */
  exportXlsx(ctx: RequestContext, id: string): Promise<{ content: Buffer; fileName: string }>;
  /** Owner portal: the published surveys open now whose audience includes me. */
  mine(ctx: RequestContext): Promise<MySurvey[]>;
  submit(ctx: RequestContext, id: string, body: SubmitSurveyBody): Promise<void>;
}

export interface SurveysDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /** Its blind index is the keyed hash of the respondents ledger. */
  cipher: FieldCipher;
}

const READ = 'service_desk.survey.read';
const MANAGE = 'service_desk.survey.manage';
const PORTAL = 'portal.self.use';
const TEXTS_SHOWN = 50;

const parseIds = (json: string): string[] => JSON.parse(json) as string[];

function questionView(q: SurveyQuestionTable): SurveyQuestion {
  return { id: q.id, position: q.position, kind: q.kind, title: q.title, required: q.required === 1, options: JSON.parse(q.options_json) as string[] };
}

function summaryView(s: SurveyTable, responseCount: number): SurveySummary {
  return {
    id: s.id,
    communityId: s.community_id,
    title: s.title,
    description: s.description,
    state: s.state,
    anonymous: s.anonymous === 1,
    opensAt: s.opens_at,
    closesAt: s.closes_at,
    responseCount,
    publishedAt: s.published_at,
    closedAt: s.closed_at,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

/**
 * The keyed hash under which the ledger remembers that a person answered a survey. The blind
 * index is an HMAC under a key derived from the field key: a copy of the database alone cannot
 * tell who answered, and the hash differs per survey, so ledgers cannot be joined across surveys.
 */
export function respondentHash(cipher: FieldCipher, surveyId: string, personId: string): string {
  return cipher.blindIndex(`survey|${surveyId}|${personId}`);
}

/** Whether a person is in a survey's audience: its community, one of its buildings (if any are set), one of its tags (if any). */
export function inAudience(survey: Pick<SurveyTable, 'community_id' | 'audience_buildings_json' | 'audience_tags_json'>, person: { communityId: string; buildingIds: ReadonlySet<string>; tagIds: ReadonlySet<string> }): boolean {
  if (person.communityId !== survey.community_id) return false;
  const buildings = parseIds(survey.audience_buildings_json);
  if (buildings.length && !buildings.some((b) => person.buildingIds.has(b))) return false;
  const tags = parseIds(survey.audience_tags_json);
  if (tags.length && !tags.some((t) => person.tagIds.has(t))) return false;
  return true;
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function createSurveysService(deps: SurveysDeps): SurveysService {
  const now = () => deps.clock.now().toISOString();

  async function load(exec: Exec, ctx: RequestContext, id: string, permission: typeof READ | typeof MANAGE) {
    const row = await repo.surveys.byId(exec, id);
    if (!row) throw notFound();
    assertCan(ctx, permission, row.community_id);
    return row;
  }

  async function full(exec: Exec, row: SurveyTable): Promise<Survey> {
    const [qs, counts] = await Promise.all([repo.questions.of(exec, [row.id]), repo.responses.counts(exec, [row.id])]);
    return {
      ...summaryView(row, counts.get(row.id) ?? 0),
      audience: { buildingIds: parseIds(row.audience_buildings_json), tagIds: parseIds(row.audience_tags_json) },
      questions: qs.map(questionView),
    };
  }

  /** Checks the body's rules (window, options, audience inside the community); returns the question rows' data. */
  async function checked(exec: Exec, communityId: string, body: UpdateSurveyBody) {
    if (Date.parse(body.closesAt) <= Date.parse(body.opensAt)) throw invalid('/body/closesAt', 'must be after opensAt', '必须晚于开始时间');
    body.questions.forEach((q: SurveyQuestionInput, i) => {
      const options = q.options ?? [];
      if (q.kind === 'single' || q.kind === 'multiple') {
        if (options.length < 2) throw invalid(`/body/questions/${i}/options`, 'a choice question needs at least two options', '选择题至少需要两个选项');
        if (new Set(options.map((o) => o.trim())).size !== options.length) throw invalid(`/body/questions/${i}/options`, 'options must differ', '选项不能重复');
      } else if (options.length) {
        throw invalid(`/body/questions/${i}/options`, 'only choice questions have options', '只有选择题才有选项');
      }
    });
    const audience = body.audience ?? { buildingIds: [], tagIds: [] };
    const buildingIds = [...new Set(audience.buildingIds)];
    const tagIds = [...new Set(audience.tagIds)];
    if ((await repo.registry.buildingsIn(exec, communityId, buildingIds)).length !== buildingIds.length) throw invalid('/body/audience/buildingIds', 'every building must belong to the survey’s community', '楼栋必须属于调查所在的小区');
    if ((await repo.registry.tagsUsableIn(exec, communityId, tagIds)).length !== tagIds.length) throw invalid('/body/audience/tagIds', 'unknown tag for this community', '该小区没有这个标签');
    return { buildingIds, tagIds };
  }

  async function writeQuestions(tx: Tx, surveyId: string, communityId: string, qs: SurveyQuestionInput[]) {
    await repo.questions.insert(
      tx,
      qs.map((q, i) => ({
        id: deps.ids(),
        community_id: communityId,
        survey_id: surveyId,
        position: i + 1,
        kind: q.kind,
        title: q.title.trim(),
        required: q.required === false ? 0 : 1,
        options_json: JSON.stringify((q.options ?? []).map((o) => o.trim())),
      })),
    );
  }

  async function transition(ctx: RequestContext, id: string, from: SurveyTable['state'], to: SurveyTable['state'], action: string) {
    return deps.db.transaction().execute(async (tx) => {
      const row = await load(tx, ctx, id, MANAGE);
      if (row.state !== from) throw new AppError('service_desk.survey_illegal_transition');
      const at = now();
      await repo.surveys.update(tx, id, { state: to, updated_at: at, ...(to === 'published' ? { published_at: at } : { closed_at: at }) });
      await deps.audit.record(tx, ctx, { action, entityType: 'survey', entityId: id, communityId: row.community_id, before: { state: from }, after: { state: to } });
      return full(tx, { ...row, state: to, updated_at: at, ...(to === 'published' ? { published_at: at } : { closed_at: at }) });
    });
  }

  /** My persons (one per community) with the buildings of their current rooms and their tags. */
  async function myPersons(exec: Exec, userId: string) {
    const persons = await repo.registry.personsOfUser(exec, userId);
    const ids = persons.map((p) => p.id);
    const [buildings, tags] = await Promise.all([repo.registry.buildingsOf(exec, ids), repo.registry.tagsOf(exec, ids)]);
    return persons.map((p) => ({
      personId: p.id,
      communityId: p.community_id,
      buildingIds: new Set(buildings.filter((b) => b.person_id === p.id).map((b) => b.building_id)),
      tagIds: new Set(tags.filter((t) => t.person_id === p.id).map((t) => t.tag_id)),
    }));
  }

  /** The answer rows of a submission, every rule of the question kinds checked. */
  function answerRows(survey: SurveyTable, qs: SurveyQuestionTable[], body: SubmitSurveyBody, responseId: string, newId: () => string): Omit<SurveyAnswerTable, never>[] {
    const byId = new Map(qs.map((q) => [q.id, q]));
    const seen = new Set<string>();
    const rows: SurveyAnswerTable[] = [];
    const base = (questionId: string) => ({ community_id: survey.community_id, survey_id: survey.id, response_id: responseId, question_id: questionId, rating: null, option_index: null, text: null });
    body.answers.forEach((a, i) => {
      const at = `/body/answers/${i}`;
      const q = byId.get(a.questionId);
      if (!q) throw invalid(`${at}/questionId`, 'not a question of this survey', '不是本调查的问题');
      if (seen.has(q.id)) throw invalid(`${at}/questionId`, 'answered twice', '重复作答');
      seen.add(q.id);
      const options = JSON.parse(q.options_json) as string[];
      const choices = a.choices ?? [];
      if (q.kind === 'rating') {
        if (a.rating === undefined || choices.length || a.text !== undefined) throw invalid(`${at}/rating`, 'a rating question takes a rating 1–5 only', '评分题只能填 1–5 分');
        rows.push({ ...base(q.id), id: newId(), rating: a.rating });
      } else if (q.kind === 'text') {
        const text = a.text?.trim() ?? '';
        if (a.rating !== undefined || choices.length) throw invalid(`${at}/text`, 'a text question takes text only', '文字题只能填写文字');
        if (!text) {
          if (q.required === 1) throw invalid(`${at}/text`, 'required', '必须填写');
          return;
        }
        rows.push({ ...base(q.id), id: newId(), text });
      } else {
        if (a.rating !== undefined || a.text !== undefined) throw invalid(`${at}/choices`, 'a choice question takes choices only', '选择题只能选择选项');
        const unique = [...new Set(choices)];
        if (unique.length !== choices.length || unique.some((c) => c >= options.length)) throw invalid(`${at}/choices`, 'unknown or repeated option', '选项不存在或重复');
        if (q.kind === 'single' && unique.length !== 1) throw invalid(`${at}/choices`, 'exactly one option', '只能选一个选项');
        if (q.kind === 'multiple' && unique.length === 0) throw invalid(`${at}/choices`, 'at least one option', '至少选一个选项');
        for (const c of unique.sort((x, y) => x - y)) rows.push({ ...base(q.id), id: newId(), option_index: c });
      }
    });
    const missing = qs.findIndex((q) => q.required === 1 && !rows.some((r) => r.question_id === q.id));
    if (missing >= 0) throw invalid('/body/answers', `question ${missing + 1} is required`, `第 ${missing + 1} 题必须作答`);
    return rows;
  }

  const service: SurveysService = {
    async list(ctx, query) {
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 1)?.[0] as string | undefined;
      const rows = await repo.surveys.page(deps.db, scopeOf(ctx, READ), query, after, limit + 1);
      const counts = await repo.responses.counts(deps.db, rows.map((r) => r.id));
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map((r) => summaryView(r, counts.get(r.id) ?? 0)), nextCursor: page.nextCursor };
    },

    async get(ctx, id) {
      return full(deps.db, await load(deps.db, ctx, id, READ));
    },

    async create(ctx, body) {
      assertCan(ctx, MANAGE, body.communityId);
      return deps.db.transaction().execute(async (tx) => {
        const audience = await checked(tx, body.communityId, body);
        const at = now();
        const row: SurveyTable = {
          id: deps.ids(),
          community_id: body.communityId,
          title: body.title.trim(),
          description: body.description?.trim() || null,
          state: 'draft',
          anonymous: body.anonymous ? 1 : 0,
          opens_at: new Date(body.opensAt).toISOString(),
          closes_at: new Date(body.closesAt).toISOString(),
          audience_buildings_json: JSON.stringify(audience.buildingIds),
          audience_tags_json: JSON.stringify(audience.tagIds),
          published_at: null,
          closed_at: null,
          created_by: ctx.actor.userId,
          created_at: at,
          updated_at: at,
        };
        await repo.surveys.insert(tx, row);
        await writeQuestions(tx, row.id, row.community_id, body.questions);
        await deps.audit.record(tx, ctx, { action: 'service_desk.survey.create', entityType: 'survey', entityId: row.id, communityId: row.community_id, after: { title: row.title, anonymous: body.anonymous ?? false, questions: body.questions.length, audience } });
        return full(tx, row);
      });
    },

    async update(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const row = await load(tx, ctx, id, MANAGE);
        // Answers must mean what the respondent read: the questions freeze at publication.
        if (row.state !== 'draft') throw new AppError('service_desk.survey_not_editable');
        const audience = await checked(tx, row.community_id, body);
        const next: SurveyTable = {
          ...row,
          title: body.title.trim(),
          description: body.description?.trim() || null,
          anonymous: body.anonymous ? 1 : 0,
          opens_at: new Date(body.opensAt).toISOString(),
          closes_at: new Date(body.closesAt).toISOString(),
          audience_buildings_json: JSON.stringify(audience.buildingIds),
          audience_tags_json: JSON.stringify(audience.tagIds),
          updated_at: now(),
        };
        await repo.surveys.update(tx, id, next);
        await repo.questions.deleteOf(tx, id);
        await writeQuestions(tx, id, row.community_id, body.questions);
        await deps.audit.record(tx, ctx, { action: 'service_desk.survey.update', entityType: 'survey', entityId: id, communityId: row.community_id, before: { title: row.title }, after: { title: next.title, questions: body.questions.length, audience } });
        return full(tx, next);
      });
    },

    publish: (ctx, id) => transition(ctx, id, 'draft', 'published', 'service_desk.survey.publish'),
    close: (ctx, id) => transition(ctx, id, 'published', 'closed', 'service_desk.survey.close'),

    async results(ctx, id) {
      const row = await load(deps.db, ctx, id, READ);
      const qs = await repo.questions.of(deps.db, [id]);
      const [{ answered, buckets }, counts, texts] = await Promise.all([
        repo.answers.aggregate(deps.db, id),
        repo.responses.counts(deps.db, [id]),
        repo.answers.texts(
          deps.db,
          id,
          qs.filter((q) => q.kind === 'text').map((q) => q.id),
        ),
      ]);
      const questions: SurveyQuestionResult[] = qs.map((q) => {
        const a = answered.find((x) => x.question_id === q.id);
        const n = Number(a?.n ?? 0);
        const mine = buckets.filter((b) => b.question_id === q.id);
        const options = JSON.parse(q.options_json) as string[];
        const distribution =
          q.kind === 'rating'
            ? [1, 2, 3, 4, 5].map((v) => ({ label: String(v), count: Number(mine.find((b) => b.rating === v)?.n ?? 0) }))
            : q.kind === 'text'
              ? []
              : options.map((label, i) => ({ label, count: Number(mine.find((b) => b.option_index === i)?.n ?? 0) }));
        // Average in hundredths, rounded half up, from the integer sum (no float accumulation).
        const average = q.kind === 'rating' && n > 0 ? Math.round((Number(a?.rating_sum ?? 0) * 100) / n) / 100 : null;
        return {
          questionId: q.id,
          position: q.position,
          kind: q.kind,
          title: q.title,
          answered: n,
          average,
          distribution,
          texts: texts
            .filter((t) => t.question_id === q.id)
            .slice(0, TEXTS_SHOWN)
            .map((t) => t.text ?? ''),
        };
      });
      return { surveyId: id, title: row.title, responseCount: counts.get(id) ?? 0, questions };
    },

    async exportXlsx(ctx, id) {
      const row = await load(deps.db, ctx, id, READ);
      // An export is a copy leaving the system: it needs the export right as every list export does.
      assertCan(ctx, 'data.export.run', row.community_id);
      const results = await service.results(ctx, id);
      const qs = (await repo.questions.of(deps.db, [id])).map(questionView);
      const flat = await repo.responses.withAnswers(deps.db, id);
      const zh = ctx.locale === 'zh-CN';
      const wb = new ExcelJS.Workbook();
      const summary = wb.addWorksheet(zh ? '统计' : 'Results');
      summary.addRow([zh ? '题目' : 'Question', zh ? '回答数' : 'Answered', zh ? '平均分' : 'Average', zh ? '分布' : 'Distribution']).font = { bold: true };
      for (const q of results.questions) summary.addRow([`${q.position}. ${q.title}`, q.answered, q.average ?? '', q.distribution.map((d) => `${d.label}: ${d.count}`).join('; ')]);
      summary.columns.forEach((c) => (c.width = 30));
      const sheet = wb.addWorksheet(zh ? '答卷' : 'Responses');
      sheet.addRow([zh ? '提交时间' : 'Submitted at', zh ? '答卷人' : 'Respondent', ...qs.map((q) => `${q.position}. ${q.title}`)]).font = { bold: true };
      const byResponse = new Map<string, { at: string; name: string | null; cells: Map<string, string[]> }>();
      for (const r of flat) {
        let entry = byResponse.get(r.response_id);
        if (!entry) byResponse.set(r.response_id, (entry = { at: r.submitted_at, name: r.person_name, cells: new Map() }));
        if (!r.question_id) continue;
        const q = qs.find((x) => x.id === r.question_id);
        const value = r.rating !== null ? String(r.rating) : r.option_index !== null ? (q?.options[r.option_index] ?? '') : (r.text ?? '');
        entry.cells.set(r.question_id, [...(entry.cells.get(r.question_id) ?? []), value]);
      }
      for (const e of byResponse.values()) sheet.addRow([e.at, e.name ?? (zh ? '匿名' : 'anonymous'), ...qs.map((q) => (e.cells.get(q.id) ?? []).join('、'))]);
      const content = Buffer.from(await wb.xlsx.writeBuffer());
      await deps.audit.recordAlone(deps.db, ctx, { action: 'service_desk.survey.export', entityType: 'survey', entityId: id, communityId: row.community_id, after: { responses: byResponse.size } });
      return { content, fileName: `survey-${id}.xlsx` };
    },

    async mine(ctx) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      // Only communities where the caller's portal access holds (a resident's grant is per community).
      const persons = (await myPersons(deps.db, userId)).filter((p) => can(ctx, PORTAL, p.communityId));
      const open = await repo.surveys.openIn(deps.db, [...new Set(persons.map((p) => p.communityId))], now());
      const mineWithPerson = open.flatMap((s) => {
        const person = persons.find((p) => inAudience(s, p));
        return person ? [{ s, person, hash: respondentHash(deps.cipher, s.id, person.personId) }] : [];
      });
      const [answered, qs] = await Promise.all([
        repo.respondents.answered(deps.db, mineWithPerson.map((m) => ({ surveyId: m.s.id, hash: m.hash }))),
        repo.questions.of(deps.db, mineWithPerson.map((m) => m.s.id)),
      ]);
      return mineWithPerson.map(({ s, hash }) => ({
        id: s.id,
        communityName: s.community_name,
        title: s.title,
        description: s.description,
        anonymous: s.anonymous === 1,
        closesAt: s.closes_at,
        answered: answered.has(`${s.id}|${hash}`),
        questions: qs.filter((q) => q.survey_id === s.id).map(questionView),
      }));
    },

    async submit(ctx, id, body) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      try {
        await deps.db.transaction().execute(async (tx) => {
          const survey = await repo.surveys.byId(tx, id);
          if (!survey) throw notFound();
          const person = (await myPersons(tx, userId)).find((p) => inAudience(survey, p));
          // Outside the audience the survey does not exist for the caller, except as a refusal.
          if (!person || !can(ctx, PORTAL, survey.community_id)) throw new AppError('service_desk.survey_not_in_audience');
          const at = deps.clock.now();
          if (survey.state !== 'published' || at.toISOString() < survey.opens_at || at.toISOString() >= survey.closes_at) throw new AppError('service_desk.survey_not_open');
          const anonymous = survey.anonymous === 1;
          // Anonymous rows get random (not time-ordered) ids and only the day: neither the id
          // nor the time can be matched to the audit record or the ledger.
          const newId = anonymous ? () => randomUUID() : deps.ids;
          const responseId = newId();
          const rows = answerRows(survey, await repo.questions.of(tx, [id]), body, responseId, newId);
          await repo.respondents.insert(tx, { survey_id: id, respondent_hash: respondentHash(deps.cipher, id, person.personId), community_id: survey.community_id });
          await repo.responses.insert(tx, {
            id: responseId,
            community_id: survey.community_id,
            survey_id: id,
            person_id: anonymous ? null : person.personId,
            user_id: anonymous ? null : userId,
            submitted_at: anonymous ? `${at.toISOString().slice(0, 10)}T00:00:00.000Z` : at.toISOString(),
          });
          await repo.answers.insert(tx, rows);
          // The audit record says who answered (as the ledger does), never which response is theirs when anonymous.
          await deps.audit.record(tx, ctx, {
            action: 'service_desk.survey.respond',
            entityType: 'survey',
            entityId: id,
            communityId: survey.community_id,
            after: anonymous ? { anonymous: true } : { anonymous: false, responseId, answers: rows.length },
          });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('service_desk.survey_already_answered');
        throw err;
      }
    },
  };
  return service;
}
