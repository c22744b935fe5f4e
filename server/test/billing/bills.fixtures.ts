import { systemContext } from '../../src/core/http/context.js';
import type { NewBill } from '../../src/modules/billing/index.js';
import { makeCommunity, type TestCourtyard } from '../harness.js';

export const sys = systemContext('test');

/** A community with one building, one unit and `n` rooms, and two fee items (property, water). */
export async function billingEstate(c: TestCourtyard, code: string, n = 3) {
  const communityId = await makeCommunity(c, code);
  const p = c.services.properties;
  const building = await p.createBuilding(sys, { communityId, code: '1', name: '1号楼', floors: 18 });
  const unit = await p.createUnit(sys, { buildingId: building.id, code: '1', name: '1单元' });
  const rooms: string[] = [];
  for (let i = 1; i <= n; i++) {
    rooms.push((await p.createRoom(sys, { unitId: unit.id, number: `${100 + i}`, floor: 1, buildingArea: '89.50', innerArea: '72.25', use: 'residence' })).id);
  }
  const at = c.clock.now().toISOString();
  const property = c.ids();
  const water = c.ids();
  await c.database.db
    .insertInto('fee_items')
    .values([
      { id: property, community_id: communityId, code: 'WYF', name: '物业费', category: 'property', rounding_unit: 'cent', rounding_mode: 'half_up', due_days: 30, late_fee_daily_ppm: 500, late_fee_grace_days: 0, late_fee_cap: 'principal', late_fee_cap_cents: null, active: 1, created_at: at, updated_at: at },
      { id: water, community_id: communityId, code: 'SF', name: '水费', category: 'water', rounding_unit: 'cent', rounding_mode: 'half_up', due_days: 30, late_fee_daily_ppm: null, late_fee_grace_days: 0, late_fee_cap: 'principal', late_fee_cap_cents: null, active: 1, created_at: at, updated_at: at },
    ])
    .execute();
  return { communityId, buildingId: building.id, rooms, feeItems: { property, water } };
}

/** A March 2026 bill of a room for a fee item. */
export function marchBill(roomId: string, feeItemId: string, amountCents: number): NewBill {
  return {
    roomId,
    feeItemId,
    periodStartOn: '2026-03-01',
    periodEndOn: '2026-03-31',
    periodLabel: '2026-03',
    dueOn: '2026-03-31',
    amountCents,
    explanation: { v: 1, rule: 'fixed', cents: amountCents },
  };
}
