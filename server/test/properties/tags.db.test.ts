import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomDetail, Room, Tag, TaggingResult } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { estate, ok, problem, signedIn } from './fixtures.js';

let c: TestCourtyard;
let manager: Client;
let desk: Client;
let a: string;
let b: string;
let roomsA: Room[];
let roomsB: Room[];
const tagsOf = async (client: Client, communityId: string) => (await ok<{ items: Tag[] }>(client.get(`/api/tags?communityId=${communityId}`))).items;
const systemTag = async (code: string) => (await tagsOf(manager, a)).find((t) => t.code === code)!;
const roomTags = async (roomId: string) => (await ok<RoomDetail>(manager.get(`/api/rooms/${roomId}`))).tags.map((t) => t.name);

beforeAll(async () => {
  c = await startCourtyard();
  a = await makeCommunity(c, 'TA');
  b = await makeCommunity(c, 'TB');
  await makeUser(c, { username: 'manager', role: 'property_manager' });
  await makeUser(c, { username: 'desk_a', role: 'customer_service', communityId: a });
  manager = await signedIn(c, 'manager');
  desk = await signedIn(c, 'desk_a');
  roomsA = (await estate(manager, a, '1', '1', ['101', '102', '103'])).rooms;
  roomsB = (await estate(manager, b, '1', '1', ['101'])).rooms;
});
afterAll(() => c.dispose());

describe('system tags', () => {
  it('are created at start-up, once, organisation-wide', async () => {
    await c.services.properties.ensureSystemTags();
    const tags = await tagsOf(manager, a);
    expect(tags.filter((t) => t.communityId === null).map((t) => [t.code, t.name, t.kind]).sort()).toEqual([
      ['accessibility', '无障碍设施需求', 'system'],
      ['arrears', '欠费', 'derived'],
      ['living_alone_elderly', '独居老人', 'system'],
      ['renovating', '装修中', 'system'],
      ['special_needs', '特殊需求', 'system'],
    ]);
    expect(await c.database.db.selectFrom('tags').select('id').where('community_id', 'is', null).execute()).toHaveLength(5);
  });

  it('cannot be deleted; derived and renovation-kept tags cannot be applied by hand', async () => {
    expect(await problem(manager.delete(`/api/tags/${(await systemTag('special_needs')).id}`))).toMatchObject({ status: 409, code: 'properties.tag.not_free' });
    for (const code of ['arrears', 'renovating']) {
      const tag = await systemTag(code);
      expect(await problem(manager.post(`/api/tags/${tag.id}/apply`, { entityType: 'room', entityIds: [roomsA[0]!.id] }))).toMatchObject({ status: 409, code: 'properties.tag.not_manual' });
      expect(await problem(manager.post(`/api/tags/${tag.id}/remove`, { entityType: 'room', entityIds: [roomsA[0]!.id] }))).toMatchObject({ status: 409, code: 'properties.tag.not_manual' });
    }
  });
});

describe('free tags', () => {
  it('belong to one community: listed there only, names unique (also against system tags)', async () => {
    const vip = await ok<Tag>(desk.post('/api/tags', { communityId: a, name: '重点关注', color: '#722ed1' }));
    expect(vip).toMatchObject({ communityId: a, code: null, name: '重点关注', kind: 'free', color: '#722ed1' });
    expect((await tagsOf(manager, a)).map((t) => t.id)).toContain(vip.id);
    expect((await tagsOf(manager, b)).map((t) => t.id)).not.toContain(vip.id);
    expect(await problem(desk.post('/api/tags', { communityId: a, name: '重点关注' }))).toEqual({ status: 409, code: 'properties.tag.name_taken', fields: ['/body/name'] });
    expect(await problem(desk.post('/api/tags', { communityId: a, name: '欠费' }))).toMatchObject({ status: 409, fields: ['/body/name'] });
    // the same name in another community is another tag
    await ok<Tag>(manager.post('/api/tags', { communityId: b, name: '重点关注' }));
    expect(await problem(desk.post('/api/tags', { communityId: b, name: '越权' }))).toMatchObject({ status: 403, code: 'auth.out_of_scope' });
  });

  it('are deleted together with their taggings', async () => {
    const temp = await ok<Tag>(manager.post('/api/tags', { communityId: a, name: '临时' }));
    await ok(manager.post(`/api/tags/${temp.id}/apply`, { entityType: 'room', entityIds: [roomsA[2]!.id] }));
    expect(await roomTags(roomsA[2]!.id)).toContain('临时');
    await ok(manager.delete(`/api/tags/${temp.id}`));
    expect(await roomTags(roomsA[2]!.id)).not.toContain('临时');
    expect((await tagsOf(manager, a)).map((t) => t.id)).not.toContain(temp.id);
  });
});

describe('bulk tagging', () => {
  it('applies and removes a tag on many rooms at once, counting what changed, audited once per batch', async () => {
    const tag = await systemTag('special_needs');
    const ids = roomsA.map((r) => r.id);
    expect(await ok<TaggingResult>(desk.post(`/api/tags/${tag.id}/apply`, { entityType: 'room', entityIds: ids.slice(0, 2) }))).toEqual({ tagId: tag.id, entityType: 'room', requested: 2, changed: 2 });
    expect(await ok<TaggingResult>(desk.post(`/api/tags/${tag.id}/apply`, { entityType: 'room', entityIds: ids }))).toMatchObject({ requested: 3, changed: 1 });
    expect(await roomTags(ids[0]!)).toEqual(['特殊需求']);
    const filtered = await ok<{ items: Room[] }>(manager.get(`/api/rooms?tagId=${tag.id}`));
    expect(filtered.items.map((r) => r.id).sort()).toEqual([...ids].sort());
    const audit = await c.services.audit.list(c.database.db, { limit: 1 });
    expect(audit.items[0]).toMatchObject({ action: 'properties.tag.apply', communityId: a, after: { requested: 3, changed: 1, entityType: 'room' } });
    expect(await ok<TaggingResult>(desk.post(`/api/tags/${tag.id}/remove`, { entityType: 'room', entityIds: ids.slice(1) }))).toMatchObject({ requested: 2, changed: 2 });
    expect((await ok<{ items: Room[] }>(manager.get(`/api/rooms?tagId=${tag.id}`))).items.map((r) => r.id)).toEqual([ids[0]]);
  });

  it('fails as a whole, writing nothing, when any entity is outside the caller’s scope', async () => {
    const tag = await systemTag('accessibility');
    const before = await c.services.audit.list(c.database.db, { limit: 1 });
    expect(await problem(desk.post(`/api/tags/${tag.id}/apply`, { entityType: 'room', entityIds: [roomsA[1]!.id, roomsB[0]!.id] }))).toMatchObject({ status: 403, code: 'auth.out_of_scope' });
    expect(await roomTags(roomsA[1]!.id)).not.toContain('无障碍设施需求');
    expect((await c.services.audit.list(c.database.db, { limit: 1 })).items[0]!.id).toBe(before.items[0]!.id);
  });

  it('refuses unknown ids and a community tag on another community’s rooms, naming entityIds', async () => {
    const tag = await systemTag('accessibility');
    expect(await problem(manager.post(`/api/tags/${tag.id}/apply`, { entityType: 'room', entityIds: ['01a20fba-bc25-7894-92fa-ed59faf81c69'] }))).toMatchObject({ status: 400, fields: ['/body/entityIds'] });
    const own = (await tagsOf(manager, a)).find((t) => t.name === '重点关注')!;
    expect(await problem(manager.post(`/api/tags/${own.id}/apply`, { entityType: 'room', entityIds: [roomsB[0]!.id] }))).toMatchObject({ status: 400, fields: ['/body/entityIds'] });
    expect(await problem(manager.post(`/api/tags/${own.id}/apply`, { entityType: 'room', entityIds: Array.from({ length: 1001 }, () => crypto.randomUUID()) }))).toMatchObject({ status: 400 });
  });

  it('tags persons through the people module’s registration, scope-checked the same way', async () => {
    const personA = await ok<{ id: string }>(manager.post('/api/persons', { communityId: a, kind: 'individual', name: '张三' }));
    const personB = await ok<{ id: string }>(manager.post('/api/persons', { communityId: b, kind: 'individual', name: '李四' }));
    const tag = await systemTag('living_alone_elderly');
    expect(await ok<TaggingResult>(desk.post(`/api/tags/${tag.id}/apply`, { entityType: 'person', entityIds: [personA.id] }))).toMatchObject({ changed: 1 });
    expect(await problem(desk.post(`/api/tags/${tag.id}/apply`, { entityType: 'person', entityIds: [personB.id] }))).toMatchObject({ status: 403 });
    const map = await c.services.properties.tagsOf(c.database.db, 'person', [personA.id, personB.id]);
    expect(map.get(personA.id)!.map((t) => t.code)).toEqual(['living_alone_elderly']);
    expect(map.get(personB.id)).toEqual([]);
  });
});

describe('derived tags', () => {
  it('are set and cleared only through setDerivedTag, audited when something changes', async () => {
    const ctx = systemContext('billing');
    const room = roomsA[2]!.id;
    await c.database.db.transaction().execute((tx) => c.services.properties.setDerivedTag(tx, ctx, 'arrears', 'room', room, true));
    await c.database.db.transaction().execute((tx) => c.services.properties.setDerivedTag(tx, ctx, 'arrears', 'room', room, true));
    expect(await roomTags(room)).toContain('欠费');
    const audit = await c.services.audit.list(c.database.db, { limit: 2 });
    expect(audit.items.filter((e) => e.action === 'properties.tag.derived')).toHaveLength(1);
    await c.database.db.transaction().execute((tx) => c.services.properties.setDerivedTag(tx, ctx, 'arrears', 'room', room, false));
    expect(await roomTags(room)).not.toContain('欠费');
    await expect(c.database.db.transaction().execute((tx) => c.services.properties.setDerivedTag(tx, ctx, 'special_needs', 'room', room, true))).rejects.toThrow(/not a derived tag/);
  });
});
