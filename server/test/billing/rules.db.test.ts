import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeeRule } from '@courtyard/contracts';
import { startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { runsEstate, signedIn } from './runs.fixtures.js';

let c: TestCourtyard;
let a: Awaited<ReturnType<typeof runsEstate>>;
let b: Awaited<ReturnType<typeof runsEstate>>;
let manager: Client;
let tech: Client;

beforeAll(async () => {
  c = await startCourtyard();
  a = await runsEstate(c, 'RA', [{ number: '101' }]);
  b = await runsEstate(c, 'RB', [{ number: '101' }]);
  manager = await signedIn(c, 'rules_mgr', 'property_manager', a.communityId);
  tech = await signedIn(c, 'rules_tech', 'technician', a.communityId);
});
afterAll(() => c.dispose());

describe('fee rules (收费标准) are data: a kind, numbers, dated prices and assignments', () => {
  let ruleId: string;

  it('creates an area rule with its first price, then a price change and a building assignment; all audited', async () => {
    const res = await manager.post('/api/fee-rules', {
      communityId: a.communityId,
      feeItemId: a.fees.property,
      name: '住宅物业费',
      kind: 'area_building',
      vacantRatePercent: '50',
      prepay: [{ minMonths: 12, percent: '5' }],
      price: { effectiveOn: '2026-01-01', price: '2.35' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const rule = res.json<FeeRule>();
    ruleId = rule.id;
    expect(rule).toMatchObject({ kind: 'area_building', cycle: 'monthly', prorate: true, vacantRatePercent: '50.00', prepay: [{ minMonths: 12, percent: '5.00' }] });
    expect(rule.prices).toEqual([{ id: expect.any(String) as string, effectiveOn: '2026-01-01', price: '2.3500', tiers: null }]);

    const changed = await manager.post(`/api/fee-rules/${ruleId}/prices`, { effectiveOn: '2026-03-16', price: '2.8000' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<FeeRule>().prices.map((p) => [p.effectiveOn, p.price])).toEqual([
      ['2026-01-01', '2.3500'],
      ['2026-03-16', '2.8000'],
    ]);
    const assigned = await manager.post(`/api/fee-rules/${ruleId}/assignments`, { targetType: 'building', targetId: a.buildingId, effectiveOn: '2026-01-01' });
    expect(assigned.statusCode, assigned.body).toBe(200);
    const assignment = assigned.json<FeeRule>().assignments[0]!;
    expect(assignment).toMatchObject({ targetType: 'building', targetId: a.buildingId, endsOn: null });

    const ended = await manager.post(`/api/fee-rules/${ruleId}/assignments/${assignment.id}/end`, { endsOn: '2026-12-31' });
    expect(ended.json<FeeRule>().assignments[0]!.endsOn).toBe('2026-12-31');

    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', ruleId).execute();
    expect(audit.map((x) => x.action).sort()).toEqual(['billing.rule.assign', 'billing.rule.create', 'billing.rule.price', 'billing.rule.unassign']);
  });

  it('refuses a second price from the same day (409) and a price with five decimals (400)', async () => {
    expect((await manager.post(`/api/fee-rules/${ruleId}/prices`, { effectiveOn: '2026-03-16', price: '3' })).statusCode).toBe(409);
    expect((await manager.post(`/api/fee-rules/${ruleId}/prices`, { effectiveOn: '2026-05-01', price: '2.12345' })).statusCode).toBe(400);
  });

  it('checks that the fields fit the kind: metered needs a meter kind, tiers need a tier scope and must rise, apportionment needs one source', async () => {
    const base = { communityId: a.communityId, feeItemId: a.fees.water, name: '水费' };
    const noKind = await manager.post('/api/fee-rules', { ...base, kind: 'metered', price: { effectiveOn: '2026-01-01', price: '3.5' } });
    expect(noKind.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/meterKind');
    const flatTiers = await manager.post('/api/fee-rules', { ...base, kind: 'metered', meterKind: 'water', price: { effectiveOn: '2026-01-01', tiers: [{ upTo: null, price: '3' }] } });
    expect(flatTiers.statusCode).toBe(400);
    const falling = await manager.post('/api/fee-rules', {
      ...base,
      kind: 'metered',
      meterKind: 'water',
      tierScope: 'year',
      price: { effectiveOn: '2026-01-01', tiers: [{ upTo: '180', price: '3' }, { upTo: '100', price: '4' }, { upTo: null, price: '7' }] },
    });
    expect(falling.statusCode).toBe(400);
    expect(falling.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/price/tiers');
    const ok = await manager.post('/api/fee-rules', {
      ...base,
      kind: 'metered',
      meterKind: 'water',
      tierScope: 'year',
      price: { effectiveOn: '2026-01-01', tiers: [{ upTo: '180', price: '3' }, { upTo: '260', price: '4' }, { upTo: null, price: '7' }] },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<FeeRule>().prices[0]!.tiers).toEqual([
      { upTo: '180.000', price: '3.0000' },
      { upTo: '260.000', price: '4.0000' },
      { upTo: null, price: '7.0000' },
    ]);
    const both = await manager.post('/api/fee-rules', { ...base, feeItemId: a.fees.shared, kind: 'apportion', apportionBasis: 'equal', amount: '100.00', sharedMeterId: a.rooms[0] });
    expect(both.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/sharedMeterId');
    const fixedTotal = await manager.post('/api/fee-rules', { ...base, feeItemId: a.fees.shared, kind: 'apportion', apportionBasis: 'building_area', amount: '1000.00' });
    expect(fixedTotal.statusCode, fixedTotal.body).toBe(201);
  });

  it('keeps rules inside their community: another community’s fee item or room is refused, and so is a manager of another community', async () => {
    const foreignItem = await manager.post('/api/fee-rules', { communityId: a.communityId, feeItemId: b.fees.property, name: 'x', kind: 'fixed_per_room', price: { effectiveOn: '2026-01-01', price: '10' } });
    expect(foreignItem.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/feeItemId');
    const foreignRoom = await manager.post(`/api/fee-rules/${ruleId}/assignments`, { targetType: 'room', targetId: b.rooms[0], effectiveOn: '2026-01-01' });
    expect(foreignRoom.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/targetId');
    const outOfScope = await manager.post('/api/fee-rules', { communityId: b.communityId, feeItemId: b.fees.property, name: 'x', kind: 'fixed_per_room', price: { effectiveOn: '2026-01-01', price: '10' } });
    expect(outOfScope.json<{ code: string }>().code).toBe('auth.out_of_scope');
    expect((await manager.get(`/api/fee-rules?communityId=${b.communityId}`)).statusCode).toBe(403);
    const technician = await tech.post('/api/fee-rules', { communityId: a.communityId, feeItemId: a.fees.property, name: 'x', kind: 'fixed_per_room', price: { effectiveOn: '2026-01-01', price: '10' } });
    expect(technician.json<{ code: string }>().code).toBe('auth.forbidden');
  });

  it('lists the community’s rules with prices and assignments, and edits a rule (deactivate)', async () => {
    const list = await manager.get(`/api/fee-rules?communityId=${a.communityId}`);
    expect(list.json<{ items: FeeRule[] }>().items.length).toBe(3);
    const off = await manager.patch(`/api/fee-rules/${ruleId}`, { active: false, name: '住宅物业费（旧）' });
    expect(off.json<FeeRule>()).toMatchObject({ active: false, name: '住宅物业费（旧）' });
    const swap = await manager.patch(`/api/fee-rules/${ruleId}`, { kind: 'metered' });
    expect(swap.statusCode).toBe(400);
  });
});
