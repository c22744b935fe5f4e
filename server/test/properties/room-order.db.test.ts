import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Building, Room } from '@courtyard/contracts';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { estate, ok, signedIn } from './fixtures.js';

let c: TestCourtyard;
let manager: Client;
let communityId: string;

beforeAll(async () => {
  c = await startCourtyard();
  communityId = await makeCommunity(c, 'ORD');
  await makeUser(c, { username: 'order_manager', role: 'property_manager', communityId });
  manager = await signedIn(c, 'order_manager');
});
afterAll(() => c.dispose());

/** Every page of GET /api/rooms, `limit` rooms at a time, following nextCursor. */
async function allPages(limit: number): Promise<string[]> {
  const codes: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Room[]; nextCursor: string | null } = await ok(manager.get(`/api/rooms?communityId=${communityId}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
    codes.push(...page.items.map((r) => r.code));
    cursor = page.nextCursor;
  } while (cursor);
  return codes;
}

describe('rooms list order', () => {
  it('is natural — building, unit and room number as numbers (1-1-101 before 1-1-1001, building 2 before 10) — and keyset pages neither skip nor repeat', async () => {
    // Created out of order, so neither insertion order nor text order can pass.
    await estate(manager, communityId, '10', '1', ['101']);
    const two = await estate(manager, communityId, '2', '1', ['1001', '101', '99', '1002', '201']);
    await ok(manager.post('/api/units', { buildingId: two.building.id, code: '10', name: '10单元' }));
    await estate(manager, communityId, '1', '1', ['1001', '101']);
    const expected = ['1-1-101', '1-1-1001', '2-1-99', '2-1-101', '2-1-201', '2-1-1001', '2-1-1002', '10-1-101'];
    for (const limit of [1, 2, 3, 50]) expect([limit, await allPages(limit)]).toEqual([limit, expected]);
  });

  it('stays natural when a building code changes (its rooms are renamed in one statement)', async () => {
    const buildings = await ok<{ items: Building[] }>(manager.get(`/api/buildings?communityId=${communityId}`));
    const ten = buildings.items.find((b) => b.code === '10')!;
    await ok(manager.patch(`/api/buildings/${ten.id}`, { code: '3' }));
    expect(await allPages(4)).toEqual(['1-1-101', '1-1-1001', '2-1-99', '2-1-101', '2-1-201', '2-1-1001', '2-1-1002', '3-1-101']);
  });

  it('keeps the code prefix search (q) within the natural order', async () => {
    const page = await ok<{ items: Room[] }>(manager.get(`/api/rooms?communityId=${communityId}&q=2-1-1`));
    expect(page.items.map((r) => r.code)).toEqual(['2-1-101', '2-1-1001', '2-1-1002']);
  });
});
