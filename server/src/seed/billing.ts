import { systemContext } from '../core/http/context.js';
import type { Db } from '../core/db/schema.js';
import type { Services } from '../app.js';
import type { NewBill } from '../modules/billing/index.js';
import { computeCharge } from '../modules/billing/engine/index.js';

/**
 * Demo billing for 翠湖花园 (CHHY), through the services: two fee items with their fee rules, one issued month
 * (2026-11, property fee by building area + garbage fee per room) so that every room has two
 * open bills, and the first rooms of building 1 paid in cash at the counter (receipts, ledger).
 * owner1's room 1-1-1502 and the rooms the journeys use (1-1-1501) stay open.
 */
export const DEMO_BILLING_PERIOD = { label: '2026-11', start: '2026-11-01', end: '2026-11-30', dueOn: '2026-12-15' } as const;
const PROPERTY_PRICE_E4 = 2_8000; // 2.80 元/m²·月
const GARBAGE_PRICE_E4 = 15_0000; // 15.00 元/户·月
/** Rooms paid in the demo (a few receipts in the history). */
const PAID_ROOMS = ['1-1-101', '1-1-102', '1-1-103', '1-1-104', '1-1-201', '1-1-202'];

export async function seedDemoBilling(services: Services, db: Db): Promise<void> {
  const communityId = await services.properties.communityIdByCode('CHHY');
  if (!communityId) return;
  const ctx = systemContext('seed');
  const billing = services.billing;
  const existing = await billing.fees.list(ctx, { communityId });
  if (existing.some((f) => f.code === 'WYF')) return;
  const property = await billing.fees.create(ctx, { communityId, code: 'WYF', name: '物业服务费', category: 'property', roundingUnit: 'cent', dueDays: 44 });
  const garbage = await billing.fees.create(ctx, { communityId, code: 'LJF', name: '生活垃圾处理费', category: 'garbage', roundingUnit: 'cent', dueDays: 44 });

  // The same prices as fee rules assigned to the community, so that a bill run previews and
  // issues the next months (and finds 2026-11 already billed: same unique keys).
  const rules = [
    // Prepaying the property fee at the counter: 6 months or more 3 % off, a year or more 5 % off.
    { fee: property, kind: 'area_building' as const, name: '住宅物业服务费 2.80 元/m²·月', price: '2.8000', prepay: [{ minMonths: 6, percent: '3' }, { minMonths: 12, percent: '5' }] },
    { fee: garbage, kind: 'fixed_per_room' as const, name: '生活垃圾处理费 15 元/户·月', price: '15.0000', prepay: [] },
  ];
  for (const r of rules) {
    const rule = await billing.rules.create(ctx, { communityId, feeItemId: r.fee.id, kind: r.kind, name: r.name, cycle: 'monthly', prepay: r.prepay, price: { effectiveOn: '2020-01-01', price: r.price } });
    await billing.rules.addAssignment(ctx, rule.id, { targetType: 'community', targetId: communityId, effectiveOn: '2020-01-01' });
  }

  const rooms = await db.selectFrom('rooms').select(['id', 'code', 'building_area_dm2']).where('community_id', '=', communityId)
    // Undelivered (unsold) rooms are not billed: the bill run skips them as `not_delivered` too.
    .where('delivered_on', 'is not', null)
    .where('delivered_on', '<=', DEMO_BILLING_PERIOD.end)
    .orderBy('code')
    .execute();
  const period = { start: DEMO_BILLING_PERIOD.start, end: DEMO_BILLING_PERIOD.end };
  const bills: NewBill[] = [];
  for (const room of rooms) {
    const p = computeCharge({ kind: 'area', basis: 'building', areaDm2: room.building_area_dm2, label: property.name, period, cycle: 'monthly', prices: [{ fromOn: '2020-01-01', priceE4: PROPERTY_PRICE_E4 }] });
    const g = computeCharge({ kind: 'fixed', label: garbage.name, period, cycle: 'monthly', prices: [{ fromOn: '2020-01-01', priceE4: GARBAGE_PRICE_E4 }] });
    for (const [fee, charge] of [
      [property, p],
      [garbage, g],
    ] as const) {
      bills.push({
        roomId: room.id,
        feeItemId: fee.id,
        source: 'one_off',
        periodStartOn: DEMO_BILLING_PERIOD.start,
        periodEndOn: DEMO_BILLING_PERIOD.end,
        periodLabel: DEMO_BILLING_PERIOD.label,
        dueOn: DEMO_BILLING_PERIOD.dueOn,
        amountCents: charge.cents,
        explanation: charge.explanation,
        uniqueKey: `run:${fee.id}:${room.id}:${DEMO_BILLING_PERIOD.label}`,
      });
    }
  }
  for (let i = 0; i < bills.length; i += 1000) {
    const chunk = bills.slice(i, i + 1000);
    await db.transaction().execute((tx) => billing.bills.issueMany(tx, ctx, { communityId, bills: chunk }));
  }

  const byCode = new Map(rooms.map((r) => [r.code, r.id]));
  for (const code of PAID_ROOMS) {
    const roomId = byCode.get(code);
    if (!roomId) continue;
    const owed = await db.selectFrom('bills').select((eb) => eb.fn.sum<number | string>('amount_cents').as('total')).where('subject_id', '=', roomId).where('status', '=', 'open').executeTakeFirst();
    const total = Number(owed?.total ?? 0);
    if (total > 0) await billing.payments.collect(ctx, `seed-${code}`, { communityId, roomId, amountCents: total, method: 'cash', payerName: '业主' });
  }
}
