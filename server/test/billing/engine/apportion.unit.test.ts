import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError, apportion, cmp, ratio, renderExplanation, sub } from '../../../src/modules/billing/engine/index.js';

describe('apportionment (公摊) by the largest-remainder method', () => {
  it('splits 1000.00 over three rooms of equal area as 333.34 + 333.33 + 333.33', () => {
    const r = apportion({ totalCents: 100000, basis: 'area', parts: [{ key: 'room-1', weight: 8950 }, { key: 'room-2', weight: 8950 }, { key: 'room-3', weight: 8950 }] });
    expect(r.parts.map((p) => p.cents)).toEqual([33334, 33333, 33333]);
    expect(renderExplanation(r.parts[0]!.explanation)).toEqual(['按面积分摊 1000.00 元 × 89.50/268.50 = 333.34 元（最大余数法分配到分）']);
    expect(renderExplanation(r.parts[1]!.explanation, 'en-US')).toEqual(['Share by area 1000.00 yuan × 89.50/268.50 = 333.33 yuan (largest remainder, to the cent)']);
  });

  it('gives a tied leftover cent to the smallest key, whatever the input order', () => {
    const r = apportion({ totalCents: 100000, basis: 'equal', parts: [{ key: 'c' }, { key: 'a' }, { key: 'b' }] });
    expect(r.parts.map((p) => [p.key, p.cents])).toEqual([['c', 33333], ['a', 33334], ['b', 33333]]);
  });

  it('gives leftover cents to the largest remainders first', () => {
    // 100 cents by 1:1:1:3 → exact 16.67, 16.67, 16.67, 50: the three remainders of 2/3 win.
    const r = apportion({ totalCents: 101, basis: 'usage', parts: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }, { key: 'c', weight: 1 }, { key: 'd', weight: 3 }] });
    expect(r.parts.map((p) => p.cents)).toEqual([17, 17, 17, 50]);
  });

  it('splits by each part’s own usage, a part with no usage paying nothing', () => {
    const r = apportion({ totalCents: 30000, basis: 'usage', parts: [{ key: 'a', weight: 2000 }, { key: 'b', weight: 0 }, { key: 'c', weight: 1000 }] });
    expect(r.parts.map((p) => p.cents)).toEqual([20000, 0, 10000]);
  });

  it('falls back to equal shares when every weight is zero, and says so', () => {
    const r = apportion({ totalCents: 100, basis: 'usage', parts: [{ key: 'a', weight: 0 }, { key: 'b', weight: 0 }, { key: 'c', weight: 0 }] });
    expect(r.equalFallback).toBe(true);
    expect(r.parts.map((p) => p.cents)).toEqual([34, 33, 33]);
    expect(renderExplanation(r.parts[0]!.explanation)).toEqual(['所有权重为零，改为平均分摊', '平均分摊 1.00 元 × 1/3 = 0.34 元（最大余数法分配到分）']);
  });

  it('apportions a credit (negative total) symmetrically', () => {
    expect(apportion({ totalCents: -100000, basis: 'equal', parts: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] }).parts.map((p) => p.cents)).toEqual([-33334, -33333, -33333]);
  });

  it('refuses duplicate keys, negative weights and an amount over no parts', () => {
    expect(() => apportion({ totalCents: 1, basis: 'equal', parts: [{ key: 'a' }, { key: 'a' }] })).toThrow(/engine.duplicate_key/);
    expect(() => apportion({ totalCents: 1, basis: 'area', parts: [{ key: 'a', weight: -1 }] })).toThrow(EngineError);
    expect(() => apportion({ totalCents: 1, basis: 'area', parts: [] })).toThrow(EngineError);
  });

  const weight = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max: 2n ** 90n }));
  const parts = fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), weight), { minLength: 1, maxLength: 30, selector: ([k]) => k });
  const total = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 });

  it('property: parts always sum exactly to the total and each is within one cent of its exact share', () => {
    fc.assert(
      fc.property(total, parts, fc.constantFrom('area' as const, 'usage' as const, 'equal' as const), (t, ps, basis) => {
        const r = apportion({ totalCents: t, basis, parts: ps.map(([key, w]) => ({ key, weight: w })) });
        expect(r.parts.reduce((s, p) => s + p.cents, 0)).toBe(t);
        for (const p of r.parts) {
          const d = sub(ratio(p.cents), p.exact);
          expect(cmp(d.n < 0n ? ratio(-d.n, d.d) : d, ratio(1))).toBe(-1);
        }
      }),
    );
  });

  it('property: the result does not depend on the order of the parts', () => {
    fc.assert(
      fc.property(total, parts, (t, ps) => {
        const forward = apportion({ totalCents: t, basis: 'area', parts: ps.map(([key, w]) => ({ key, weight: w })) });
        const backward = apportion({ totalCents: t, basis: 'area', parts: [...ps].reverse().map(([key, w]) => ({ key, weight: w })) });
        const byKey = new Map(backward.parts.map((p) => [p.key, p.cents]));
        for (const p of forward.parts) expect(byKey.get(p.key)).toBe(p.cents);
      }),
    );
  });
});
