import { describe, expect, it } from 'vitest';
import { computeCharge, meterUsage, renderExplanation, type MeterSpec } from '../../../src/modules/billing/engine/index.js';

const water: MeterSpec = { multiplierE4: 10_000, maxValueE3: 99_999_000 };
const at = (readOn: string, valueE3: number, rolledOver?: boolean) => ({ readOn, valueE3, ...(rolledOver === undefined ? {} : { rolledOver }) });

describe('meter readings (抄表)', () => {
  it('computes usage as the difference of two readings', () => {
    const r = meterUsage(water, at('2026-02-28', 1_234_000), at('2026-03-31', 1_246_345));
    expect(r).toMatchObject({ ok: true, deltaE3: 12_345, usageE3: 12_345, rolledOver: false, flags: [] });
  });

  it('multiplies by the meter multiplier (倍率 40: 12 kWh on the register = 480 kWh)', () => {
    const r = meterUsage({ multiplierE4: 400_000, maxValueE3: null }, at('2026-02-28', 100_000), at('2026-03-31', 112_000));
    expect(r).toMatchObject({ ok: true, deltaE3: 12_000, usageE3: 480_000 });
  });

  it('keeps the exact usage of a fractional multiplier and bills it rounded half-up to the thousandth', () => {
    const r = meterUsage({ multiplierE4: 15_000, maxValueE3: null }, at('2026-02-28', 0), at('2026-03-31', 1));
    expect(r).toMatchObject({ ok: true, usageE3: 2, usageExact: { num: '3', den: '2' } });
  });

  it('counts a rollover 99999 → 00012 as 13 units when the reader marks it', () => {
    const r = meterUsage(water, at('2026-02-28', 99_999_000), at('2026-03-31', 12_000, true));
    expect(r).toMatchObject({ ok: true, deltaE3: 13_000, usageE3: 13_000, rolledOver: true, flags: ['rolled_over'] });
  });

  it('counts a rollover on a register with one decimal (9999.5 → 0000.3 is 0.8)', () => {
    const r = meterUsage({ multiplierE4: 10_000, maxValueE3: 9_999_900 }, at('2026-02-28', 9_999_500), at('2026-03-31', 300, true));
    expect(r).toMatchObject({ ok: true, deltaE3: 800 });
  });

  it.each([
    ['a reading lower than the previous one without the rollover mark', water, at('2026-02-28', 5_000), at('2026-03-31', 4_000), 'reading_lower'],
    ['a rollover on a meter without a maximum value', { multiplierE4: 10_000, maxValueE3: null }, at('2026-02-28', 5_000), at('2026-03-31', 4_000, true), 'rollover_without_max'],
    ['a rollover mark on a reading that went up', water, at('2026-02-28', 5_000), at('2026-03-31', 6_000, true), 'rollover_not_lower'],
    ['a reading above the register maximum', water, at('2026-02-28', 5_000), at('2026-03-31', 100_000_000), 'reading_above_max'],
    ['a reading on the same date as the previous one', water, at('2026-03-31', 5_000), at('2026-03-31', 6_000), 'date_not_after_previous'],
    ['a reading dated before the previous one', water, at('2026-03-31', 5_000), at('2026-03-01', 6_000), 'date_not_after_previous'],
  ] as const)('refuses %s', (_what, meter, prev, cur, reason) => {
    expect(meterUsage(meter, prev, cur)).toEqual({ ok: false, reason });
  });

  it('refuses a reading further from the previous one than the caller allows', () => {
    expect(meterUsage(water, at('2026-01-01', 0), at('2026-06-01', 1), [], { maxGapDays: 100 })).toEqual({ ok: false, reason: 'date_gap' });
  });

  it('flags usage above 3× the median of previous usages as a spike, but accepts it', () => {
    const history = [10_000, 12_000, 11_000];
    expect(meterUsage(water, at('2026-02-28', 0), at('2026-03-31', 34_000), history)).toMatchObject({ ok: true, flags: ['usage_spike'] });
    expect(meterUsage(water, at('2026-02-28', 0), at('2026-03-31', 33_000), history)).toMatchObject({ ok: true, flags: [] });
  });

  it('takes the mean of the two middle usages as the median of an even history', () => {
    const history = [10_000, 12_000, 11_000, 13_000]; // median 11.5 → limit 34.5
    expect(meterUsage(water, at('2026-02-28', 0), at('2026-03-31', 34_501), history)).toMatchObject({ flags: ['usage_spike'] });
    expect(meterUsage(water, at('2026-02-28', 0), at('2026-03-31', 34_500), history)).toMatchObject({ flags: [] });
  });

  it('does not judge spikes with fewer than three previous usages or after an idle meter', () => {
    expect(meterUsage(water, at('2026-02-28', 0), at('2026-03-31', 99_000), [1_000, 1_000])).toMatchObject({ flags: [] });
    expect(meterUsage(water, at('2026-02-28', 0), at('2026-03-31', 99_000), [0, 0, 0])).toMatchObject({ flags: [] });
  });

  it('flags zero usage for three consecutive periods (this one and the two before, newest first)', () => {
    expect(meterUsage(water, at('2026-02-28', 5_000), at('2026-03-31', 5_000), [0, 0, 7_000])).toMatchObject({ ok: true, flags: ['zero_streak'] });
    expect(meterUsage(water, at('2026-02-28', 5_000), at('2026-03-31', 5_000), [0, 7_000, 0])).toMatchObject({ ok: true, flags: [] });
  });

  it('feeds a usage charge whose explanation shows the readings', () => {
    const r = meterUsage({ multiplierE4: 10_000, maxValueE3: 99_999_000 }, at('2026-02-28', 99_999_000), at('2026-03-31', 12_000, true));
    if (!r.ok) throw new Error(r.reason);
    const c = computeCharge({ kind: 'usage', qtyE3: r.usageE3, priceE4: 30_000, reading: r.reading });
    expect(renderExplanation(c.explanation)).toEqual(['读数 99999.000（2026-02-28）→ 12.000（2026-03-31），表已翻转，倍率 1', '用量 13.000 × 3.0000 元 = 39.00 元']);
  });
});
