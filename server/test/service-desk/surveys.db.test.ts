import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MySurveyList, Person, Survey, SurveyPage, SurveyResults } from '@courtyard/contracts';
import { respondentHash } from '../../src/modules/service-desk/index.js';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { code, makeRoom, signedIn } from '../people/fixtures.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let manager: Client;
/** Registers owners in any community. */
let registrar: Client;
let serviceB: Client;
let buildingOf1: string;
let vipTag: string;
const owners: Record<string, { userId: string; person: Person; client: Client }> = {};

const T0 = '2026-03-02T08:00:00.000Z';
const DAY = 86_400_000;
const MIN = 60_000;
/** Opened a day before the tests' clock. */
const OPEN = '2026-03-01T08:00:00.000Z';
const at = (ms: number) => new Date(ms).toISOString();

/** An owner account linked to a person living in `roomCode` of community A. */
async function owner(username: string, roomCode: string, communityId = communityA) {
  const userId = await makeUser(c, { username, kind: 'owner', role: 'resident', communityId });
  const res = await registrar.post('/api/persons', { communityId, kind: 'individual', name: username, userId });
  if (res.statusCode !== 201) throw new Error(res.body);
  const person = res.json<Person>();
  const roomId = await makeRoom(c, communityId, roomCode);
  const moved = await registrar.post('/api/occupancies', { personId: person.id, roomId, relation: 'owner', movedInOn: '2024-01-01' });
  if (moved.statusCode !== 201) throw new Error(moved.body);
  owners[username] = { userId, person, client: await signedIn(c, username) };
  return owners[username];
}

const questions = [
  { kind: 'rating', title: '总体满意度' },
  { kind: 'single', title: '最满意的服务', options: ['保洁', '安保', '维修'] },
  { kind: 'multiple', title: '希望改进', options: ['绿化', '停车', '门禁'] },
  { kind: 'text', title: '其他建议', required: false },
];

async function survey(extra: Record<string, unknown> = {}, client = manager): Promise<Survey> {
  const res = await client.post('/api/surveys', {
    communityId: communityA,
    title: '2026 年度满意度调查',
    opensAt: new Date(Date.parse(T0) + DAY).toISOString(),
    closesAt: new Date(Date.parse(T0) + 10 * DAY).toISOString(),
    questions,
    ...extra,
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json<Survey>();
}
async function published(extra: Record<string, unknown> = {}): Promise<Survey> {
  const s = await survey(extra);
  const res = await manager.post(`/api/surveys/${s.id}/publish`);
  expect(res.statusCode).toBe(200);
  return res.json<Survey>();
}
const answersFor = (s: Survey, rating = 5) => ({
  answers: [
    { questionId: s.questions[0]!.id, rating },
    { questionId: s.questions[1]!.id, choices: [2] },
    { questionId: s.questions[2]!.id, choices: [0, 1] },
    { questionId: s.questions[3]!.id, text: '电梯需要维修' },
  ],
});

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'SA');
  communityB = await makeCommunity(c, 'SB');
  await makeUser(c, { username: 'mgr_a', role: 'property_manager', communityId: communityA });
  await makeUser(c, { username: 'svc_b', role: 'customer_service', communityId: communityB });
  manager = await signedIn(c, 'mgr_a');
  await makeUser(c, { username: 'registrar', role: 'property_manager' });
  registrar = await signedIn(c, 'registrar');
  serviceB = await signedIn(c, 'svc_b');
  await owner('own1', '1-1-101');
  await owner('own2', '1-1-102');
  await owner('own3', '2-1-101');
  await owner('own4', '2-1-102');
  buildingOf1 = (await c.database.db.selectFrom('buildings').select('id').where('community_id', '=', communityA).where('code', '=', '1').executeTakeFirstOrThrow()).id;
  vipTag = randomUUID();
  await c.database.db.insertInto('tags').values({ id: vipTag, community_id: communityA, code: null, name: '楼长', kind: 'free', color: 'blue', created_at: T0 }).execute();
  await c.database.db.insertInto('taggings').values({ tag_id: vipTag, entity_type: 'person', entity_id: owners.own3!.person.id, community_id: communityA, created_by: null, created_at: T0 }).execute();
});
afterAll(() => c.dispose());

describe('building and publishing', () => {
  it('a draft can be edited whole; once published its questions freeze and only closing remains', async () => {
    const s = await survey();
    expect(s).toMatchObject({ state: 'draft', anonymous: false, responseCount: 0, audience: { buildingIds: [], tagIds: [] } });
    expect(s.questions.map((q) => [q.position, q.kind, q.required])).toEqual([[1, 'rating', true], [2, 'single', true], [3, 'multiple', true], [4, 'text', false]]);
    const edited = await manager.put(`/api/surveys/${s.id}`, { title: '改过的标题', opensAt: s.opensAt, closesAt: s.closesAt, questions: questions.slice(0, 2) });
    expect(edited.json<Survey>().questions).toHaveLength(2);
    expect((await manager.post(`/api/surveys/${s.id}/close`)).statusCode).toBe(409);
    expect((await manager.post(`/api/surveys/${s.id}/publish`)).json<Survey>().state).toBe('published');
    const late = await manager.put(`/api/surveys/${s.id}`, { title: 'x', opensAt: s.opensAt, closesAt: s.closesAt, questions });
    expect([late.statusCode, code(late)]).toEqual([409, 'service_desk.survey_not_editable']);
    expect((await manager.post(`/api/surveys/${s.id}/close`)).json<Survey>().state).toBe('closed');
  });

  it('refuses a window that ends before it opens, a choice question with one option, and a building of another community', async () => {
    const bad = await manager.post('/api/surveys', { communityId: communityA, title: 't', opensAt: T0, closesAt: T0, questions });
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/closesAt');
    const one = await manager.post('/api/surveys', { communityId: communityA, title: 't', opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', questions: [{ kind: 'single', title: 'q', options: ['a'] }] });
    expect(one.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/questions/0/options');
    const roomB = await makeRoom(c, communityB, '9-1-101');
    const buildingB = (await c.database.db.selectFrom('rooms').select('building_id').where('id', '=', roomB).executeTakeFirstOrThrow()).building_id;
    const foreign = await manager.post('/api/surveys', { communityId: communityA, title: 't', opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', questions, audience: { buildingIds: [buildingB], tagIds: [] } });
    expect(foreign.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/audience/buildingIds');
  });

  it('scope: community B staff neither see nor open nor create community A surveys', async () => {
    const s = await survey();
    const list = await serviceB.get('/api/surveys');
    expect(list.json<SurveyPage>().items.map((x) => x.id)).not.toContain(s.id);
    expect(code(await serviceB.get(`/api/surveys/${s.id}`))).toBe('auth.out_of_scope');
    expect(code(await serviceB.get(`/api/surveys/${s.id}/results`))).toBe('auth.out_of_scope');
    const create = await serviceB.post('/api/surveys', { communityId: communityA, title: 't', opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', questions });
    expect(code(create)).toBe('auth.out_of_scope');
    expect((await manager.get('/api/surveys')).json<SurveyPage>().items.map((x) => x.id)).toContain(s.id);
  });
});

describe('answering', () => {
  it('is refused before the window opens and from its closing instant on; accepted inside it', async () => {
    const start = c.clock.now().getTime();
    const s = await published({ opensAt: at(start + MIN), closesAt: at(start + 3 * MIN) });
    const own1 = owners.own1!.client;
    c.clock.advance(MIN - 1);
    expect((await own1.get('/api/portal/surveys')).json<MySurveyList>().items.map((x) => x.id)).not.toContain(s.id);
    const early = await own1.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s));
    expect([early.statusCode, code(early)]).toEqual([409, 'service_desk.survey_not_open']);
    c.clock.advance(1);
    expect((await own1.get('/api/portal/surveys')).json<MySurveyList>().items.find((x) => x.id === s.id)?.answered).toBe(false);
    c.clock.advance(2 * MIN);
    expect(code(await own1.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s)))).toBe('service_desk.survey_not_open');
    expect((await own1.get('/api/portal/surveys')).json<MySurveyList>().items.map((x) => x.id)).not.toContain(s.id);
  });

  it('a survey open now takes the answer and then shows it as answered', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    const own1 = owners.own1!.client;
    expect((await own1.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s))).statusCode).toBe(200);
    expect((await own1.get('/api/portal/surveys')).json<MySurveyList>().items.find((x) => x.id === s.id)?.answered).toBe(true);
  });

  it('a draft or closed survey takes no answers', async () => {
    const draft = await survey({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    expect(code(await owners.own1!.client.post(`/api/portal/surveys/${draft.id}/responses`, answersFor(draft)))).toBe('service_desk.survey_not_open');
  });

  it('audience: only owners of the chosen buildings, or carrying the chosen tag, may answer; outsiders do not even see it', async () => {
    const byBuilding = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', audience: { buildingIds: [buildingOf1], tagIds: [] } });
    const byTag = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', audience: { buildingIds: [], tagIds: [vipTag] } });
    const visible = async (u: string) => (await owners[u]!.client.get('/api/portal/surveys')).json<MySurveyList>().items.map((x) => x.id);
    expect(await visible('own2')).toContain(byBuilding.id);
    expect(await visible('own4')).not.toContain(byBuilding.id);
    expect(await visible('own3')).toContain(byTag.id);
    expect(await visible('own4')).not.toContain(byTag.id);
    const outside = await owners.own4!.client.post(`/api/portal/surveys/${byBuilding.id}/responses`, answersFor(byBuilding));
    expect([outside.statusCode, code(outside)]).toEqual([403, 'service_desk.survey_not_in_audience']);
    expect(code(await owners.own2!.client.post(`/api/portal/surveys/${byTag.id}/responses`, answersFor(byTag)))).toBe('service_desk.survey_not_in_audience');
    expect((await owners.own3!.client.post(`/api/portal/surveys/${byTag.id}/responses`, answersFor(byTag))).statusCode).toBe(200);
  });

  it('an owner of another community is outside the audience', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    await owner('own_b', '5-1-101', communityB);
    expect(code(await owners.own_b!.client.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s)))).toBe('service_desk.survey_not_in_audience');
  });

  it('checks every answer against its question kind, and requires required questions', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    const own = owners.own2!.client;
    const post = (answers: unknown[]) => own.post(`/api/portal/surveys/${s.id}/responses`, { answers });
    const [rating, single, multiple] = s.questions.map((q) => q.id);
    const field = async (answers: unknown[]) => (await post(answers)).json<{ errors?: { field: string }[] }>().errors?.[0]?.field;
    expect(await field([{ questionId: rating, rating: 6 }])).toBe('/body/answers/0/rating');
    expect(await field([{ questionId: rating, choices: [1] }, { questionId: single, choices: [0] }, { questionId: multiple, choices: [0] }])).toBe('/body/answers/0/rating');
    expect(await field([{ questionId: rating, rating: 3 }, { questionId: single, choices: [0, 1] }, { questionId: multiple, choices: [0] }])).toBe('/body/answers/1/choices');
    expect(await field([{ questionId: rating, rating: 3 }, { questionId: single, choices: [3] }, { questionId: multiple, choices: [0] }])).toBe('/body/answers/1/choices');
    expect(await field([{ questionId: rating, rating: 3 }, { questionId: single, choices: [1] }])).toBe('/body/answers');
    // Nothing was written by the refused attempts: the person can still answer once.
    expect((await post([{ questionId: rating, rating: 3 }, { questionId: single, choices: [1] }, { questionId: multiple, choices: [2] }])).statusCode).toBe(200);
  });
});

describe('one response per person', () => {
  it('a second answer is refused, and two concurrent submissions store exactly one response', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    const own = owners.own1!.client;
    const [a, b] = await Promise.all([own.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s, 4)), own.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s, 2))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(code(a.statusCode === 409 ? a : b)).toBe('service_desk.survey_already_answered');
    const again = await own.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s));
    expect(code(again)).toBe('service_desk.survey_already_answered');
    const rows = await c.database.db.selectFrom('survey_responses').select('id').where('survey_id', '=', s.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('concurrent anonymous submissions by one person also store exactly one response (the ledger’s key)', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', anonymous: true });
    const own = owners.own2!.client;
    const results = await Promise.all([1, 2, 3].map(() => own.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await c.database.db.selectFrom('survey_responses').select('id').where('survey_id', '=', s.id).execute()).toHaveLength(1);
  });
});

describe('anonymity', () => {
  it('an anonymous response stores no person or user, a random id and only the day; the ledger holds only a keyed hash', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z', anonymous: true });
    const own = owners.own3!;
    expect((await own.client.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s))).statusCode).toBe(200);
    const db = c.database.db;
    const response = await db.selectFrom('survey_responses').selectAll().where('survey_id', '=', s.id).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ person_id: null, user_id: null, submitted_at: `${c.clock.now().toISOString().slice(0, 10)}T00:00:00.000Z` });
    expect(response.id[14]).toBe('4'); // UUID version 4: no time inside
    const answers = await db.selectFrom('survey_answers').select('id').where('response_id', '=', response.id).execute();
    expect(answers.every((a) => a.id[14] === '4')).toBe(true);
    const ledger = await db.selectFrom('survey_respondents').selectAll().where('survey_id', '=', s.id).execute();
    expect(ledger).toEqual([{ survey_id: s.id, respondent_hash: respondentHash(c.cipher, s.id, own.person.id), community_id: communityA }]);
    expect(JSON.stringify(ledger)).not.toContain(own.person.id);
    // The audit trail says that they answered, never which response is theirs.
    const audit = await db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'service_desk.survey.respond').where('entity_id', '=', s.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after_json).not.toContain(response.id);
    // The export names nobody.
    const file = await manager.get(`/api/surveys/${s.id}/export`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[1]!.getRow(2).getCell(2).value).toBe('匿名');
  });

  it('a named response keeps the person, and the export shows the name', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    const own = owners.own4!;
    await own.client.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s));
    const row = await c.database.db.selectFrom('survey_responses').selectAll().where('survey_id', '=', s.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ person_id: own.person.id, user_id: own.userId });
    const file = await manager.get(`/api/surveys/${s.id}/export`);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[1]!.getRow(2).values).toEqual([undefined, row.submitted_at, 'own4', '5', '维修', '绿化、停车', '电梯需要维修']);
  });
});

describe('results', () => {
  it('counts, the rating average and distributions per question', async () => {
    const s = await published({ opensAt: OPEN, closesAt: '2026-04-01T00:00:00.000Z' });
    await owners.own1!.client.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s, 5));
    await owners.own2!.client.post(`/api/portal/surveys/${s.id}/responses`, answersFor(s, 4));
    const own3 = answersFor(s, 4);
    own3.answers = own3.answers.slice(0, 3);
    await owners.own3!.client.post(`/api/portal/surveys/${s.id}/responses`, own3);
    const res = (await manager.get(`/api/surveys/${s.id}/results`)).json<SurveyResults>();
    expect(res.responseCount).toBe(3);
    const [rating, single, multiple, text] = res.questions;
    expect(rating).toMatchObject({ answered: 3, average: 4.33, distribution: [{ label: '1', count: 0 }, { label: '2', count: 0 }, { label: '3', count: 0 }, { label: '4', count: 2 }, { label: '5', count: 1 }] });
    expect(single).toMatchObject({ answered: 3, average: null, distribution: [{ label: '保洁', count: 0 }, { label: '安保', count: 0 }, { label: '维修', count: 3 }] });
    expect(multiple).toMatchObject({ answered: 3, distribution: [{ label: '绿化', count: 3 }, { label: '停车', count: 3 }, { label: '门禁', count: 0 }] });
    expect(text).toMatchObject({ answered: 2, texts: ['电梯需要维修', '电梯需要维修'] });
  });

  it('an export needs data.export.run besides reading the survey', async () => {
    const s = await survey();
    await makeUser(c, { username: 'tech_a', role: 'technician', communityId: communityA });
    const tech = await signedIn(c, 'tech_a');
    expect((await tech.get(`/api/surveys/${s.id}/export`)).statusCode).toBe(403);
  });
});
