import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Meter, MeterReading, ReadingBatchResult } from '@courtyard/contracts';
import { Client, startCourtyard, type TestCourtyard } from '../harness.js';
import { runsEstate, signedIn } from './runs.fixtures.js';

let c: TestCourtyard;
let a: Awaited<ReturnType<typeof runsEstate>>;
let b: Awaited<ReturnType<typeof runsEstate>>;
let manager: Client;
let tech: Client;
let water: Meter;
let power: Meter;

const problem = (res: { json: <T>() => T }) => res.json<{ code: string; errors?: { field: string; message: string }[] }>();

beforeAll(async () => {
  c = await startCourtyard();
  a = await runsEstate(c, 'MA', [{ number: '101' }, { number: '102' }]);
  b = await runsEstate(c, 'MB', [{ number: '101' }]);
  manager = await signedIn(c, 'meter_mgr', 'property_manager', a.communityId);
  tech = await signedIn(c, 'meter_tech', 'technician', a.communityId);
});
afterAll(() => c.dispose());

describe('meters (仪表)', () => {
  it('registers a room meter (its building is the room’s) and a shared building meter; serial numbers are unique per community', async () => {
    const w = await manager.post('/api/meters', { communityId: a.communityId, kind: 'water', roomId: a.rooms[0], serialNumber: 'W-101' });
    expect(w.statusCode, w.body).toBe(201);
    water = w.json<Meter>();
    expect(water).toMatchObject({ shared: false, buildingId: a.buildingId, multiplier: '1.0000', maxValue: null, lastReading: null });
    const p = await manager.post('/api/meters', { communityId: a.communityId, kind: 'electricity', buildingId: a.buildingId, serialNumber: 'E-B1', multiplier: '40', maxValue: '99999.999' });
    expect(p.statusCode, p.body).toBe(201);
    power = p.json<Meter>();
    expect(power).toMatchObject({ shared: true, roomId: null, multiplier: '40.0000', maxValue: '99999.999' });
    const dup = await manager.post('/api/meters', { communityId: a.communityId, kind: 'water', roomId: a.rooms[1], serialNumber: 'W-101' });
    expect(problem(dup).code).toBe('billing.meter_serial_taken');
    const foreign = await manager.post('/api/meters', { communityId: a.communityId, kind: 'water', roomId: b.rooms[0], serialNumber: 'W-X' });
    expect(problem(foreign).errors?.[0]?.field).toBe('/body/roomId');
    expect((await tech.post('/api/meters', { communityId: a.communityId, kind: 'water', roomId: a.rooms[1], serialNumber: 'W-102' })).statusCode).toBe(403);
    const list = await tech.get(`/api/meters?communityId=${a.communityId}&shared=true`);
    expect(list.json<{ items: Meter[] }>().items.map((m) => m.serialNumber)).toEqual(['E-B1']);
  });
});

describe('readings (抄表): refused when impossible, flagged when suspicious', () => {
  it('stores the first reading without usage, then usage = Δ × multiplier', async () => {
    const first = await tech.post('/api/meter-readings', { meterId: power.id, readOn: '2026-01-31', reading: '99990.000' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json<MeterReading>()).toMatchObject({ usage: null, reviewStatus: 'accepted', source: 'manual' });
    // The register passed 99999.999 and restarted: 9.999 + 0.001 + 12.5 = 22.5 units × 40.
    const rolled = await tech.post('/api/meter-readings', { meterId: power.id, readOn: '2026-02-28', reading: '12.500', rolledOver: true });
    expect(rolled.statusCode, rolled.body).toBe(201);
    expect(rolled.json<MeterReading>()).toMatchObject({ usage: '900.000', rolledOver: true, reviewStatus: 'accepted' });
  });

  it('refuses a lower reading without rollover, a date not after the previous one, and a gap over 100 days, each with its reason code', async () => {
    await tech.post('/api/meter-readings', { meterId: water.id, readOn: '2026-01-31', reading: '100' });
    const lower = await tech.post('/api/meter-readings', { meterId: water.id, readOn: '2026-02-28', reading: '99.999' });
    expect(lower.statusCode).toBe(409);
    expect(problem(lower)).toMatchObject({ code: 'billing.reading_lower', errors: [{ field: '/body/reading', message: 'reading_lower' }] });
    const before = await tech.post('/api/meter-readings', { meterId: water.id, readOn: '2026-01-30', reading: '120' });
    expect(problem(before).code).toBe('billing.reading_date_order');
    const same = await tech.post('/api/meter-readings', { meterId: water.id, readOn: '2026-01-31', reading: '120' });
    expect(problem(same).code).toBe('billing.reading_duplicate_date');
    // 2026-01-31 → 2026-05-12 is 101 days: one day too many.
    const gap = await tech.post('/api/meter-readings', { meterId: water.id, readOn: '2026-05-12', reading: '120' });
    expect(problem(gap).code).toBe('billing.reading_date_gap');
    const noMax = await tech.post('/api/meter-readings', { meterId: water.id, readOn: '2026-02-28', reading: '5', rolledOver: true });
    expect(problem(noMax).code).toBe('billing.reading_rollover_invalid');
  });

  it('a reading round keeps the valid lines, reports the refused ones, and flags a spike above 3× the median for review', async () => {
    const round = await tech.post('/api/meter-readings/batch', {
      readings: [
        { meterId: water.id, readOn: '2026-02-28', reading: '110' },
        { meterId: water.id, readOn: '2026-03-31', reading: '120' },
        { meterId: water.id, readOn: '2026-04-30', reading: '130' },
        { meterId: water.id, readOn: '2026-05-31', reading: '131' },
        // 100 units after a median of 10: accepted but pending review.
        { meterId: water.id, readOn: '2026-06-30', reading: '231' },
        { meterId: water.id, readOn: '2026-07-31', reading: '200' },
      ],
    });
    expect(round.statusCode, round.body).toBe(200);
    const r = round.json<ReadingBatchResult>();
    expect(r).toMatchObject({ accepted: 5, flagged: 1, refused: 1 });
    expect(r.items[4]!.reading).toMatchObject({ usage: '100.000', flags: ['usage_spike'], reviewStatus: 'pending' });
    expect(r.items[5]).toMatchObject({ accepted: false, reason: 'reading_lower', reading: null });

    const review = await tech.get(`/api/meter-readings/review?communityId=${a.communityId}`);
    const pending = review.json<{ items: MeterReading[] }>().items;
    expect(pending.map((x) => x.readOn)).toEqual(['2026-06-30']);
    // Reviewing needs billing.meter.manage (the technician only enters readings).
    expect((await tech.post(`/api/meter-readings/${pending[0]!.id}/review`, { decision: 'accepted' })).statusCode).toBe(403);
    const ok = await manager.post(`/api/meter-readings/${pending[0]!.id}/review`, { decision: 'accepted' });
    expect(ok.json<MeterReading>()).toMatchObject({ reviewStatus: 'accepted', reviewedBy: expect.any(String) as string });
    expect(problem(await manager.post(`/api/meter-readings/${pending[0]!.id}/review`, { decision: 'rejected' })).code).toBe('billing.reading_not_pending');

    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'billing.reading.enter').execute();
    // One audit record per round, not per reading: three single entries and this round (refusals write nothing).
    expect(audit.length).toBe(4);
    const history = await tech.get(`/api/meter-readings?meterId=${water.id}&limit=2`);
    expect(history.json<{ items: MeterReading[]; nextCursor: string | null }>().items.map((x) => x.readOn)).toEqual(['2026-06-30', '2026-05-31']);
  });

  it('takes device readings only from API tokens, naming meters by serial number', async () => {
    const body = { communityId: a.communityId, readings: [{ serialNumber: 'E-B1', readOn: '2026-03-31', reading: '20.000' }, { serialNumber: 'NOPE', readOn: '2026-03-31', reading: '1' }] };
    expect(problem(await manager.post('/api/devices/meter-readings', body)).code).toBe('billing.device_token_required');
    const created = await manager.post('/api/auth/tokens', { name: 'meter-gateway', scopes: ['billing.reading.enter'] });
    expect(created.statusCode, created.body).toBe(200);
    const device = new Client(c.app, { authorization: `Bearer ${created.json<{ token: string }>().token}` });
    const res = await device.post('/api/devices/meter-readings', body);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<ReadingBatchResult>();
    expect(out).toMatchObject({ accepted: 1, refused: 1 });
    expect(out.items[0]!.reading).toMatchObject({ source: 'device', usage: '300.000' });
    expect(out.items[1]).toMatchObject({ accepted: false, reason: 'unknown_meter' });
    // The token's scope is billing.reading.enter only: it cannot read meters.
    expect((await device.get(`/api/meters?communityId=${a.communityId}`)).statusCode).toBe(403);
  });
});
