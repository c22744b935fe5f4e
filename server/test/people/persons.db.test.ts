import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person, SearchHit } from '@courtyard/contracts';
import { makeCommunity, makeUser, startCourtyard, type TestCourtyard, type Client } from '../harness.js';
import { code, fields, makeRoom, residentId, signedIn } from './fixtures.js';

let c: TestCourtyard;
let communityA: string;
let communityB: string;
let manager: Client;
let serviceA: Client;
let guardA: Client;
let roomA: string;
let roomB: string;

const person = (res: { json: <T>() => T }) => res.json<Person>();

async function createPerson(client: Client, body: Record<string, unknown>): Promise<Person> {
  const res = await client.post('/api/persons', { kind: 'individual', ...body });
  if (res.statusCode !== 201) throw new Error(`create person: ${res.statusCode} ${res.body}`);
  return person(res);
}

beforeAll(async () => {
  c = await startCourtyard();
  communityA = await makeCommunity(c, 'PA');
  communityB = await makeCommunity(c, 'PB');
  await makeUser(c, { username: 'mgr', role: 'property_manager' });
  await makeUser(c, { username: 'svc_a', role: 'customer_service', communityId: communityA });
  await makeUser(c, { username: 'guard_a', role: 'guard', communityId: communityA });
  manager = await signedIn(c, 'mgr');
  serviceA = await signedIn(c, 'svc_a');
  guardA = await signedIn(c, 'guard_a');
  roomA = await makeRoom(c, communityA, '3-2-1502');
  roomB = await makeRoom(c, communityB, '3-2-1502');
});
afterAll(() => c.dispose());

describe('registering persons', () => {
  it('stores phone and ID number encrypted, answers them masked, and normalises +86', async () => {
    const id = residentId('19850612');
    const p = await createPerson(serviceA, { communityId: communityA, name: '张伟', gender: 'male', phone: '+86 138-0013-8000', idType: 'resident_id', idNumber: id, emergencyContact: '李娜', emergencyPhone: '13900139000' });
    expect(p).toMatchObject({ name: '张伟', phone: '138****8000', idNumber: `${id.slice(0, 4)}**********${id.slice(-4)}`, emergencyPhone: '139****9000', tags: [] });
    const row = await c.database.db.selectFrom('persons').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.phone_enc).toMatch(/^aes256gcm\.k1\./);
    expect(JSON.stringify(row)).not.toContain('13800138000');
    expect(JSON.stringify(row)).not.toContain(id);
  });

  it('refuses a bad mobile, a resident ID with a wrong checksum or birth date, naming each field at once', async () => {
    const good = residentId('19900101');
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    const res = await serviceA.post('/api/persons', { communityId: communityA, kind: 'individual', name: '王芳', phone: '12345', idType: 'resident_id', idNumber: bad, emergencyPhone: '010-1234' });
    expect([res.statusCode, code(res)]).toEqual([400, 'request.invalid']);
    expect(fields(res).sort()).toEqual(['/body/emergencyPhone', '/body/idNumber', '/body/phone']);
    const date = await serviceA.post('/api/persons', { communityId: communityA, kind: 'individual', name: '王芳', idNumber: '110105' + '19491331' + '0021' });
    expect(fields(date)).toEqual(['/body/idNumber']);
  });

  it('refuses an ID number already registered in the same community, but allows it in another', async () => {
    const id = residentId('19700101');
    await createPerson(manager, { communityId: communityA, name: '赵敏', idType: 'resident_id', idNumber: id });
    const dup = await manager.post('/api/persons', { communityId: communityA, kind: 'individual', name: '赵敏二', idType: 'resident_id', idNumber: id.toLowerCase() });
    expect([dup.statusCode, code(dup), fields(dup)]).toEqual([409, 'people.id_number_taken', ['/body/idNumber']]);
    expect((await manager.post('/api/persons', { communityId: communityB, kind: 'individual', name: '赵敏', idType: 'resident_id', idNumber: id })).statusCode).toBe(201);
  });

  it('edits a person, re-checking changed numbers; the audit keeps masked values only', async () => {
    const p = await createPerson(serviceA, { communityId: communityA, name: '陈静', phone: '13700137000' });
    const res = await serviceA.patch(`/api/persons/${p.id}`, { phone: '13600136000', notes: '独居' });
    expect(person(res)).toMatchObject({ phone: '136****6000', notes: '独居' });
    expect(fields(await serviceA.patch(`/api/persons/${p.id}`, { phone: '99' }))).toEqual(['/body/phone']);
    const audit = await c.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', p.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['people.person.create', 'people.person.update']);
    expect(JSON.stringify(audit)).not.toContain('13600136000');
    expect(JSON.stringify(audit)).toContain('136****6000');
  });

  it('links a portal account only when the user exists', async () => {
    const p = await createPerson(serviceA, { communityId: communityA, name: '刘洋' });
    const res = await serviceA.patch(`/api/persons/${p.id}`, { userId: '0190a1b2-0000-7000-8000-000000000000' });
    expect(fields(res)).toEqual(['/body/userId']);
  });
});

describe('reveal', () => {
  it('gives the clear value with people.person.reveal and audits the field, never the value', async () => {
    const id = residentId('19800808');
    const p = await createPerson(serviceA, { communityId: communityA, name: '孙丽', phone: '13512345678', idType: 'resident_id', idNumber: id });
    expect((await serviceA.post(`/api/persons/${p.id}/reveal`, { field: 'phone' })).json()).toEqual({ value: '13512345678' });
    expect((await serviceA.post(`/api/persons/${p.id}/reveal`, { field: 'idNumber' })).json()).toEqual({ value: id });
    expect((await serviceA.post(`/api/persons/${p.id}/reveal`, { field: 'emergencyPhone' })).json()).toEqual({ value: null });
    const audit = await c.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', p.id).where('action', '=', 'people.person.reveal').execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]?.after_json).toContain('phone');
    expect(JSON.stringify(audit)).not.toContain('13512345678');
    expect(JSON.stringify(audit)).not.toContain(id);
  });

  it('is refused without the permission (403) and outside the caller’s communities', async () => {
    const p = await createPerson(manager, { communityId: communityA, name: '周杰', phone: '13512340000' });
    const res = await guardA.post(`/api/persons/${p.id}/reveal`, { field: 'phone' });
    expect([res.statusCode, code(res)]).toEqual([403, 'auth.forbidden']);
    expect(res.body).not.toContain('13512340000');
    const b = await createPerson(manager, { communityId: communityB, name: '周杰', phone: '13512340001' });
    const out = await serviceA.post(`/api/persons/${b.id}/reveal`, { field: 'phone' });
    expect([out.statusCode, code(out)]).toEqual([403, 'auth.out_of_scope']);
  });
});

describe('list and search', () => {
  let listed: Person[];
  beforeAll(async () => {
    for (const name of ['马一', '马二', '马三', '马四', '马五']) await createPerson(manager, { communityId: communityA, name, phone: `1881234000${name.length}` });
    await createPerson(manager, { communityId: communityB, name: '马六', phone: '18812349999' });
    listed = [];
    let cursor: string | null = null;
    do {
      const res = await serviceA.get(`/api/persons?q=${encodeURIComponent('马')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = res.json<{ items: Person[]; nextCursor: string | null }>();
      listed.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  });

  it('pages by name with a keyset cursor, and a name prefix finds only those names in the caller’s communities', () => {
    expect(listed.map((p) => p.name)).toEqual(['马一', '马三', '马二', '马五', '马四'].sort());
    expect(listed.every((p) => p.communityId === communityA)).toBe(true);
  });

  it('a malformed cursor is a field error', async () => {
    const res = await serviceA.get('/api/persons?cursor=nope');
    expect([res.statusCode, fields(res)]).toEqual([400, ['/querystring/cursor']]);
  });

  it('search finds a person by exact phone in any spelling, by exact ID number, by name prefix — never in another community', async () => {
    const id = residentId('19950505');
    const p = await createPerson(manager, { communityId: communityA, name: '欧阳娜', phone: '15011112222', idType: 'resident_id', idNumber: id });
    const hits = async (client: Client, q: string) => (await client.get(`/api/search?q=${encodeURIComponent(q)}`)).json<{ items: SearchHit[] }>().items;
    for (const q of ['15011112222', '+86 150 1111 2222', id, '欧阳']) expect((await hits(serviceA, q)).map((h) => h.id)).toContain(p.id);
    const b = await createPerson(manager, { communityId: communityB, name: '欧阳锋', phone: '15011113333' });
    expect((await hits(serviceA, '15011113333')).map((h) => h.id)).not.toContain(b.id);
    expect((await hits(serviceA, '欧阳')).map((h) => h.id)).not.toContain(b.id);
    expect((await hits(manager, '欧阳')).map((h) => h.id)).toContain(b.id);
    // A caller who sees every community finds an ID number in any of them.
    const idB = residentId('19960606');
    const c = await createPerson(manager, { communityId: communityB, name: '欧阳克', idType: 'resident_id', idNumber: idB });
    expect((await hits(manager, idB)).map((h) => h.id)).toEqual([c.id]);
    expect((await hits(manager, id)).map((h) => h.id)).toEqual([p.id]);
    expect(await hits(serviceA, idB)).toEqual([]);
    const hit = (await hits(serviceA, '15011112222')).find((h) => h.id === p.id);
    expect(hit).toMatchObject({ kind: 'person', title: '欧阳娜' });
    expect(hit?.subtitle).toContain('150****2222');
  });

  it('a person hit shows the masked phone and the current room codes, never the clear phone', async () => {
    const p = await createPerson(manager, { communityId: communityA, name: '司马光', phone: '15022223333' });
    const moved = await manager.post('/api/occupancies', { personId: p.id, roomId: roomA, relation: 'owner', movedInOn: '2024-01-01' });
    expect(moved.statusCode).toBe(201);
    const res = await serviceA.get(`/api/search?q=${encodeURIComponent('司马')}`);
    expect(res.json<{ items: SearchHit[] }>().items).toEqual([{ kind: 'person', id: p.id, communityId: communityA, title: '司马光', subtitle: '150****3333 · 3-2-1502' }]);
    expect(res.body).not.toContain('15022223333');
  });

  it('search finds rooms by code and code prefix, only in the caller’s communities', async () => {
    const hits = async (q: string) => (await serviceA.get(`/api/search?q=${encodeURIComponent(q)}`)).json<{ items: SearchHit[] }>().items.filter((h) => h.kind === 'room');
    expect((await hits('3-2-1502')).map((h) => h.id)).toEqual([roomA]);
    expect((await hits('3-2-')).map((h) => h.id)).toEqual([roomA]);
    expect((await hits('3-2-')).map((h) => h.id)).not.toContain(roomB);
  });

  it('a user without people or room permissions finds nothing', async () => {
    await makeUser(c, { username: 'resident_x', kind: 'owner', role: 'resident', communityId: communityA });
    const resident = await signedIn(c, 'resident_x');
    const res = await resident.get('/api/search?q=3-2');
    expect(res.json()).toEqual({ items: [] });
  });
});

describe('data scope', () => {
  it('a customer-service user of A gets 403 on B’s person, and B is absent from the list', async () => {
    const b = await createPerson(manager, { communityId: communityB, name: '钱多多' });
    for (const [method, url, body] of [
      ['GET', `/api/persons/${b.id}`, undefined],
      ['PATCH', `/api/persons/${b.id}`, { notes: 'x' }],
      ['GET', `/api/persons/${b.id}/occupancies`, undefined],
    ] as const) {
      const res = await serviceA.request(method, url, body);
      expect([url, res.statusCode, code(res)]).toEqual([url, 403, 'auth.out_of_scope']);
    }
    const create = await serviceA.post('/api/persons', { communityId: communityB, kind: 'individual', name: '越权' });
    expect([create.statusCode, code(create)]).toEqual([403, 'auth.out_of_scope']);
    const all = (await serviceA.get(`/api/persons?limit=200`)).json<{ items: Person[] }>().items;
    expect(all.some((p) => p.communityId === communityB)).toBe(false);
    const filtered = await serviceA.get(`/api/persons?communityId=${communityB}`);
    expect(filtered.json()).toEqual({ items: [], nextCursor: null });
  });
});
