import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin, seedDemo } from '../../src/seed/demo.js';
import { startCourtyard, type TestCourtyard } from '../harness.js';

describe('demo seed', () => {
  let c: TestCourtyard;
  beforeAll(async () => {
    c = await startCourtyard();
    await ensureAdmin(c.services, c.database.db, 'Seed#Admin-2026');
    expect(await seedDemo(c)).toBe(true);
  }, 120_000);
  afterAll(() => c.dispose());

  it('builds three communities with 2,572 rooms, their residents, parking and vehicles', async () => {
    const db = c.database.db;
    const count = async (table: 'rooms' | 'persons' | 'occupancies' | 'vehicles' | 'parking_spaces') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    expect(await count('rooms')).toBe(2572);
    expect(await count('persons')).toBeGreaterThan(4000);
    expect(await count('occupancies')).toBeGreaterThan(await count('persons'));
    expect(await count('vehicles')).toBeGreaterThan(500);
    expect(await count('parking_spaces')).toBe(1100);
  });

  it('links the demo portal users to their rooms', async () => {
    const rows = await c.database.db
      .selectFrom('persons')
      .innerJoin('users', 'users.id', 'persons.user_id')
      .innerJoin('occupancies', 'occupancies.person_id', 'persons.id')
      .innerJoin('rooms', 'rooms.id', 'occupancies.room_id')
      .select(['users.username', 'rooms.code', 'occupancies.relation', 'rooms.state'])
      .orderBy('users.username')
      .execute();
    expect(rows).toEqual([
      { username: 'owner1', code: '1-1-1502', relation: 'owner', state: 'occupied' },
      { username: 'owner2', code: '2-1-801', relation: 'tenant', state: 'rented' },
      { username: 'owner3', code: '1-1-1808', relation: 'owner', state: 'occupied' },
      { username: 'rep1', code: '3-2-1201', relation: 'owner', state: 'occupied' },
    ]);
  });

  it('gives every demo resident a car', async () => {
    const plates = await c.database.db
      .selectFrom('vehicles')
      .innerJoin('persons', 'persons.id', 'vehicles.person_id')
      .innerJoin('users', 'users.id', 'persons.user_id')
      .select(['users.username', 'vehicles.plate'])
      .execute();
    expect(plates.map((p) => p.username).sort()).toEqual(['owner1', 'owner2', 'owner3', 'rep1']);
    for (const p of plates) expect(p.plate).toMatch(/^浙[A-D]\d{4}[A-Z]$/);
  });

  it('leaves every room with a current occupant occupied or rented, and no other room so', async () => {
    const mismatched = await c.database.db
      .selectFrom('rooms')
      .select('rooms.code')
      .where((eb) =>
        eb.or([
          eb.and([eb('rooms.state', 'in', ['occupied', 'rented']), eb.not(eb.exists(eb.selectFrom('occupancies').select('occupancies.id').whereRef('occupancies.room_id', '=', 'rooms.id')))]),
          eb.and([eb('rooms.state', 'in', ['vacant', 'unsold']), eb.exists(eb.selectFrom('occupancies').select('occupancies.id').whereRef('occupancies.room_id', '=', 'rooms.id'))]),
        ]),
      )
      .execute();
    expect(mismatched).toEqual([]);
  });

  it('is idempotent', async () => {
    expect(await seedDemo(c)).toBe(false);
  });
});
