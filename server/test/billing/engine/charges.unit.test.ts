import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EngineError,
  computeCharge,
  add,
  apportion,
  fromJson,
  lateFee,
  meterUsage,
  nthPeriod,
  prepayDiscount,
  ratio,
  renderExplanation,
  vacancyDiscount,
  type Tier,
} from '../../../src/modules/billing/engine/index.js';

const march = { start: '2026-03-01', end: '2026-03-31' };
const q1 = { start: '2026-01-01', end: '2026-03-31' };

describe('unit price × area', () => {
  it('charges 89.50 m² × 2.3500 元/m²/月 for a whole month as 210.33 (210.325 rounded half-up)', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }] });
    expect(r.cents).toBe(21033);
    expect(r.explanation.exact).toEqual({ num: '42065', den: '2' });
    expect(renderExplanation(r.explanation, 'zh-CN')).toEqual(['建筑面积 89.50 m² × 2.3500 元/m²/月 = 210.33 元（四舍五入到分）']);
  });

  it('rounds the same exact half to 210.32 under banker’s rounding', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }], rounding: { unit: 'cent', mode: 'half_even' } });
    expect(r.cents).toBe(21032);
  });

  it('multiplies the monthly price by 3 for a quarter: 89.50 × 2.3500 × 3 = 630.975 → 630.98', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: q1, cycle: 'quarterly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }] });
    expect(r.cents).toBe(63098);
    expect(renderExplanation(r.explanation, 'en-US')).toEqual(['Building area 89.50 m² × 2.3500 yuan/m²/month × 3 months = 630.98 yuan (rounded half-up to the cent)']);
  });

  it('prorates a move-in on the 17th of a 31-day month: 89.50 × 2.3500 × 15/31 = 101.77', () => {
    const r = computeCharge({
      kind: 'area',
      basis: 'building',
      areaDm2: 8950,
      period: march,
      cycle: 'monthly',
      prices: [{ fromOn: '2026-01-01', priceE4: 23500 }],
      limits: { moveInOn: '2026-03-17' },
    });
    expect(r.cents).toBe(10177);
    expect(r.explanation.inputs.proration).toMatchObject({ activeDays: 15, periodDays: 31, startLimit: 'move_in' });
    expect(renderExplanation(r.explanation, 'zh-CN')).toEqual([
      '计费 2026-03-17 至 2026-03-31，15/31 天（入伙日起）',
      '建筑面积 89.50 m² × 2.3500 元/m²/月 × 15/31 天 = 101.77 元（四舍五入到分）',
    ]);
    expect(renderExplanation(r.explanation, 'en-US')[0]).toBe('Charged 2026-03-17 to 2026-03-31, 15/31 days (from move-in)');
  });

  it('names every date that clipped the chargeable days', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }], limits: { moveInOn: '2026-03-17', moveOutOn: '2026-03-25' } });
    expect(renderExplanation(r.explanation)[0]).toBe('计费 2026-03-17 至 2026-03-25，9/31 天（入伙日起，至迁出日）');
    expect(renderExplanation(r.explanation, 'en-US')[0]).toBe('Charged 2026-03-17 to 2026-03-25, 9/31 days (from move-in, to move-out)');
  });

  it('charges inner area when the rule says so', () => {
    const r = computeCharge({ kind: 'area', basis: 'inner', areaDm2: 7000, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 30000 }] });
    expect(r.cents).toBe(21000);
    expect(renderExplanation(r.explanation)[0]).toBe('套内面积 70.00 m² × 3.0000 元/m²/月 = 210.00 元');
  });

  it('charges nothing (and says so) when no day of the period is chargeable', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }], limits: { moveOutOn: '2026-02-28' } });
    expect(r.cents).toBe(0);
    expect(r.explanation.steps).toEqual([]);
    expect(renderExplanation(r.explanation)).toEqual(['本期无计费天数', '合计 0.00 元 → 0.00 元']);
  });

  it('bills the whole period for any chargeable day when the fee item does not prorate', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 10000, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 20000 }], limits: { moveInOn: '2026-03-30' }, prorate: false });
    expect(r.cents).toBe(20000);
  });

  it('property: prorating a full period equals the unprorated amount, for any cycle, area and price', () => {
    const cycle = fc.constantFrom('monthly' as const, 'quarterly' as const, 'half_yearly' as const, 'yearly' as const);
    fc.assert(
      fc.property(cycle, fc.integer({ min: -24, max: 24 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (c, k, area, price) => {
        const period = nthPeriod(c, '2026-01-01', k);
        const base = { kind: 'area' as const, basis: 'building' as const, areaDm2: area, period, cycle: c, prices: [{ fromOn: '2000-01-01', priceE4: price }] };
        const prorated = computeCharge({ ...base, limits: { deliveredOn: '1999-01-01', moveOutOn: '2099-01-01' } });
        const whole = computeCharge({ ...base, prorate: false });
        const months = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 }[c];
        expect(fromJson(prorated.explanation.exact)).toEqual(ratio(BigInt(area) * BigInt(price) * BigInt(months), 10_000n));
        expect(prorated.cents).toBe(whole.cents);
      }),
    );
  });
});

describe('proration additivity', () => {
  it('property: charging a period in two parts (move-out on day x, move-in on x+1) sums exactly to the whole period', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 89 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (split, area, price) => {
        const period = nthPeriod('quarterly', '2026-01-01', 0);
        const base = { kind: 'area' as const, basis: 'building' as const, areaDm2: area, period, cycle: 'quarterly' as const, prices: [{ fromOn: '2026-01-01', priceE4: price }, { fromOn: '2026-02-15', priceE4: price + 1 }] };
        const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
        const first = computeCharge({ ...base, limits: { moveOutOn: day(split) } });
        const second = computeCharge({ ...base, limits: { moveInOn: day(split + 1) } });
        const whole = computeCharge(base);
        expect(add(fromJson(first.explanation.exact), fromJson(second.explanation.exact))).toEqual(fromJson(whole.explanation.exact));
      }),
    );
  });
});

describe('fixed amount per room or parking space', () => {
  it('charges 300.00/month × 3 for a quarter', () => {
    const r = computeCharge({ kind: 'fixed', period: q1, cycle: 'quarterly', prices: [{ fromOn: '2025-01-01', priceE4: 3_000_000 }] });
    expect(r.cents).toBe(90000);
    expect(renderExplanation(r.explanation)).toEqual(['300.0000 元/月 × 3 个月 = 900.00 元']);
  });

  it('prorates a parking space released on the 10th: 300.00 × 10/31 = 96.77', () => {
    const r = computeCharge({ kind: 'fixed', period: march, cycle: 'monthly', prices: [{ fromOn: '2025-01-01', priceE4: 3_000_000 }], limits: { ruleEndOn: '2026-03-10' } });
    expect(r.cents).toBe(9677);
  });
});

describe('price change effective mid-period', () => {
  const prices = [
    { fromOn: '2026-03-16', priceE4: 28000 },
    { fromOn: '2025-01-01', priceE4: 23500 },
  ];

  it('splits the period into segments charged by their days, summed exactly and rounded once', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices });
    // 89.50 × 2.35 × 15/31 + 89.50 × 2.80 × 16/31 = 315487.5/31 + 400960/31 cents = 231.112… 元
    expect(r.explanation.steps).toMatchObject([
      { op: 'segment', start: '2026-03-01', end: '2026-03-15', days: 15, priceE4: 23500 },
      { op: 'segment', start: '2026-03-16', end: '2026-03-31', days: 16, priceE4: 28000 },
    ]);
    expect(fromJson(r.explanation.exact)).toEqual(ratio(1432895, 62));
    expect(r.cents).toBe(23111);
    expect(renderExplanation(r.explanation)).toEqual([
      '2026-03-01 至 2026-03-15：建筑面积 89.50 m² × 2.3500 元/m²/月 × 15/31 天 = 101.7701… 元',
      '2026-03-16 至 2026-03-31：建筑面积 89.50 m² × 2.8000 元/m²/月 × 16/31 天 = 129.3419… 元',
      '合计 231.1120… 元 → 231.11 元（四舍五入到分）',
    ]);
  });

  it('rounds once where rounding each segment would drift: 3 × 1/3-day segments of 0.01 元', () => {
    // 3 days in a 3-day period, price changing every day; each segment is 1/3 cent.
    const r = computeCharge({
      kind: 'fixed',
      period: { start: '2026-03-01', end: '2026-03-03' },
      cycle: 'monthly',
      prices: [
        { fromOn: '2026-03-01', priceE4: 100 },
        { fromOn: '2026-03-02', priceE4: 101 },
        { fromOn: '2026-03-03', priceE4: 99 },
      ],
    });
    expect(fromJson(r.explanation.exact)).toEqual(ratio(1));
    expect(r.cents).toBe(1);
  });

  it('only charges from the move-in inside the later segment', () => {
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 10000, period: march, cycle: 'monthly', prices, limits: { moveInOn: '2026-03-20' } });
    expect(r.explanation.steps).toHaveLength(1);
    expect(r.cents).toBe(Math.round((28000 * 12) / 31));
  });

  it('refuses a period that starts before any price is effective', () => {
    expect(() => computeCharge({ kind: 'area', basis: 'building', areaDm2: 10000, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-03-05', priceE4: 1 }] })).toThrow(/engine.no_price/);
  });
});

describe('metered usage and tiered (阶梯) prices', () => {
  const yearly: Tier[] = [
    { upToE3: 180_000, priceE4: 30000 },
    { upToE3: 260_000, priceE4: 40000 },
    { upToE3: null, priceE4: 70000 },
  ];

  it('charges unit price × usage: 12.345 m³ × 3.0000 = 37.035 → 37.04', () => {
    const r = computeCharge({ kind: 'usage', qtyE3: 12345, priceE4: 30000 });
    expect(r.cents).toBe(3704);
    expect(renderExplanation(r.explanation)).toEqual(['用量 12.345 × 3.0000 元 = 37.04 元（四舍五入到分）']);
    const withUnit = computeCharge({ kind: 'usage', qtyE3: 12345, priceE4: 30000, unit: 'm³' });
    expect(renderExplanation(withUnit.explanation, 'en-US')).toEqual(['Usage 12.345 m³ × 3.0000 yuan/m³ = 37.04 yuan (rounded half-up to the cent)']);
  });

  it('yearly tiers: prior 170 m³, this period 20 m³ → 10 @ 3.00 + 10 @ 4.00 = 70.00', () => {
    const r = computeCharge({ kind: 'tiered', scope: 'year', tiers: yearly, priorQtyE3: 170_000, qtyE3: 20_000 });
    expect(r.cents).toBe(7000);
    expect(r.explanation.steps).toEqual([
      { op: 'tier', tier: 1, fromE3: 0, toE3: 180_000, qtyE3: 10_000, priceE4: 30000, amount: { num: '3000', den: '1' } },
      { op: 'tier', tier: 2, fromE3: 180_000, toE3: 260_000, qtyE3: 10_000, priceE4: 40000, amount: { num: '4000', den: '1' } },
    ]);
    expect(renderExplanation(r.explanation)).toEqual([
      '本年度已计用量 170.000',
      '第 1 档（0.000–180.000） 10.000 × 3.0000 元 = 30.00 元',
      '第 2 档（180.000–260.000） 10.000 × 4.0000 元 = 40.00 元',
      '合计 70.00 元 → 70.00 元',
    ]);
  });

  it('yearly tiers: usage crossing two thresholds in one period uses all three tiers', () => {
    const r = computeCharge({ kind: 'tiered', scope: 'year', tiers: yearly, priorQtyE3: 175_000, qtyE3: 100_000 });
    // 5 @ 3 + 80 @ 4 + 15 @ 7 = 15 + 320 + 105
    expect(r.cents).toBe(44000);
  });

  it('per-period tiers start from zero every period and refuse a carried prior usage', () => {
    expect(computeCharge({ kind: 'tiered', scope: 'period', tiers: yearly, qtyE3: 200_000 }).cents).toBe(62000);
    expect(() => computeCharge({ kind: 'tiered', scope: 'period', tiers: yearly, qtyE3: 1, priorQtyE3: 5 })).toThrow(EngineError);
  });

  it('refuses tiers that do not increase or do not end unbounded', () => {
    expect(() => computeCharge({ kind: 'tiered', scope: 'period', qtyE3: 1, tiers: [{ upToE3: 10, priceE4: 1 }, { upToE3: 10, priceE4: 2 }, { upToE3: null, priceE4: 3 }] })).toThrow(/engine.invalid_rule/);
    expect(() => computeCharge({ kind: 'tiered', scope: 'period', qtyE3: 1, tiers: [{ upToE3: 10, priceE4: 1 }] })).toThrow(/engine.invalid_rule/);
  });

  it('property: tier splits add up to the usage and the tiered amount equals the flat price when all tiers share it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 100_000 }), (prior, qty, price) => {
        const flat: Tier[] = yearly.map((t) => ({ ...t, priceE4: price }));
        const t = computeCharge({ kind: 'tiered', scope: 'year', tiers: flat, priorQtyE3: prior, qtyE3: qty });
        const u = computeCharge({ kind: 'usage', qtyE3: qty, priceE4: price });
        expect(t.explanation.exact).toEqual(u.explanation.exact);
        const used = t.explanation.steps.reduce((s, step) => s + (step.op === 'tier' ? step.qtyE3 : 0), 0);
        expect(used).toBe(qty);
      }),
    );
  });
});

describe('one-off amounts', () => {
  it('charges the amount as given', () => {
    const r = computeCharge({ kind: 'one_off', amountCents: 50000, label: '装修垃圾清运费' });
    expect(r.cents).toBe(50000);
    expect(renderExplanation(r.explanation)).toEqual(['装修垃圾清运费', '一次性收费 500.00 元 = 500.00 元']);
  });

  it('a paid repair explains each material and labour item and totals them exactly', () => {
    const items = [
      { kind: 'material' as const, name: '阀芯', quantity: 2, unitPriceCents: 1990 },
      { kind: 'labour' as const, name: '上门维修', quantity: 1, unitPriceCents: 5000 },
    ];
    const r = computeCharge({ kind: 'one_off', amountCents: 8980, items, label: '有偿维修服务费 BX-2026-000001' });
    expect(r.cents).toBe(8980);
    expect(renderExplanation(r.explanation)).toEqual(['有偿维修服务费 BX-2026-000001', '材料 阀芯 2 × 19.90 元 = 39.80 元', '人工 上门维修 1 × 50.00 元 = 50.00 元', '合计 89.80 元 → 89.80 元']);
    expect(renderExplanation(r.explanation, 'en-US')).toEqual(['有偿维修服务费 BX-2026-000001', 'Material 阀芯 2 × 19.90 yuan = 39.80 yuan', 'Labour 上门维修 1 × 50.00 yuan = 50.00 yuan', 'Total 89.80 yuan → 89.80 yuan']);
  });

  it('refuses items that do not add up to the amount', () => {
    expect(() => computeCharge({ kind: 'one_off', amountCents: 100, items: [{ kind: 'labour', name: '工时', quantity: 1, unitPriceCents: 99 }] })).toThrow(/99 cents, not 100/);
  });
});

describe('discounts', () => {
  const parking = { kind: 'fixed' as const, period: { start: '2026-01-01', end: '2026-12-31' }, cycle: 'yearly' as const, prices: [{ fromOn: '2025-01-01', priceE4: 3_000_000 }] };

  it('prepaying 12 months earns the best matching rule (10% off), not every rule', () => {
    const d = prepayDiscount([{ minMonths: 6, offBp: 500 }, { minMonths: 12, offBp: 1000 }, { minMonths: 24, offBp: 1500 }], 12);
    expect(d).toEqual({ kind: 'percent', offBp: 1000, source: 'prepay', months: 12 });
    const r = computeCharge({ ...parking, discounts: d ? [d] : [] });
    expect([r.grossCents, r.discountCents, r.cents]).toEqual([360000, 36000, 324000]);
    expect(renderExplanation(r.explanation)).toEqual(['300.0000 元/月 × 12 个月 = 3600.00 元', '预存12个月优惠 10.00% −360.00 元', '合计 3240.00 元 → 3240.00 元']);
    expect(prepayDiscount([{ minMonths: 6, offBp: 500 }], 5)).toBeNull();
  });

  it('a vacant room charged at 70%: discount on the exact amount, rounded once (147.2275 → 147.23)', () => {
    const d = vacancyDiscount(7000);
    expect(d).toEqual({ kind: 'percent', offBp: 3000, source: 'vacancy' });
    const r = computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }], discounts: d ? [d] : [] });
    expect(r.cents).toBe(14723);
    expect(r.grossCents - r.discountCents).toBe(r.cents);
    expect(renderExplanation(r.explanation, 'en-US')).toEqual([
      'Building area 89.50 m² × 2.3500 yuan/m²/month = 210.3250 yuan',
      'Vacant room charged at 70.00%: 30.00% off −63.0975 yuan',
      'Total 147.2275 yuan → 147.23 yuan (rounded half-up to the cent)',
    ]);
    expect(renderExplanation(r.explanation)[1]).toBe('空置房按 70.00% 收费，优惠 30.00% −63.0975 元');
  });

  it('applies discounts in order, each on what is left, and a fixed discount never exceeds the amount', () => {
    const r = computeCharge({
      kind: 'one_off',
      amountCents: 10000,
      discounts: [
        { kind: 'percent', offBp: 1000, source: 'rule' },
        { kind: 'percent', offBp: 500, source: 'rule' },
        { kind: 'fixed', offCents: 100_000, source: 'manual', label: '困难户减免' },
      ],
    });
    expect(r.explanation.discounts.map((d) => fromJson(d.amount))).toEqual([ratio(1000), ratio(450), ratio(8550)]);
    expect(r.cents).toBe(0);
    expect(r.discountCents).toBe(10000);
  });

  it('property: the discounted amount is between zero and the gross amount', () => {
    const discount = fc.oneof(
      fc.record({ kind: fc.constant('percent' as const), offBp: fc.integer({ min: 0, max: 10_000 }), source: fc.constant('manual' as const) }),
      fc.record({ kind: fc.constant('fixed' as const), offCents: fc.integer({ min: 0, max: 1_000_000 }), source: fc.constant('manual' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), fc.array(discount, { maxLength: 4 }), (amount, discounts) => {
        const r = computeCharge({ kind: 'one_off', amountCents: amount, discounts });
        expect(r.cents).toBeGreaterThanOrEqual(0);
        expect(r.cents).toBeLessThanOrEqual(amount);
        expect(r.grossCents - r.discountCents).toBe(r.cents);
      }),
    );
  });

  it('refuses a percentage above 100%', () => {
    expect(() => vacancyDiscount(12_000)).toThrow(EngineError);
  });
});

describe('explanations', () => {
  const reading = meterUsage({ multiplierE4: 10_000, maxValueE3: null }, { readOn: '2026-02-28', valueE3: 0 }, { readOn: '2026-03-31', valueE3: 5_000 });
  const examples = {
    tiered: computeCharge({ kind: 'tiered', scope: 'year', tiers: [{ upToE3: 1000, priceE4: 1 }, { upToE3: null, priceE4: 2 }], priorQtyE3: 0, qtyE3: 5000, label: '水费', ...(reading.ok ? { reading: reading.reading } : {}) }).explanation,
    area: computeCharge({ kind: 'area', basis: 'building', areaDm2: 8950, period: march, cycle: 'monthly', prices: [{ fromOn: '2026-01-01', priceE4: 23500 }], limits: { moveInOn: '2026-03-17' }, discounts: [{ kind: 'fixed', offCents: 100, source: 'manual', label: '减免' }] }).explanation,
    lateFee: lateFee({ principalCents: 1_000, dueOn: '2025-01-01', graceDays: 0, dailyRatePpm: 3_000, asOf: '2026-02-05' }).explanation,
    apportioned: apportion({ totalCents: 100, basis: 'usage', parts: [{ key: 'a', weight: 0 }] }).parts[0]!.explanation,
  };

  it.each(Object.entries(examples))('survive a JSON round trip unchanged and render the same afterwards (%s)', (_kind, e) => {
    const back = JSON.parse(JSON.stringify(e)) as typeof e;
    expect(back).toStrictEqual(e);
    expect(renderExplanation(back, 'en-US')).toEqual(renderExplanation(e, 'en-US'));
    expect(renderExplanation(back, 'zh-CN')).toEqual(renderExplanation(e, 'zh-CN'));
  });
});
