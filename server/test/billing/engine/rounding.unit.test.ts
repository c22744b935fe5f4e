import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineError, ROUNDING_UNIT_CENTS, fromJson, ratio, roundCents, sub, cmp, type RoundingRule } from '../../../src/modules/billing/engine/index.js';

const cents = (n: number, d = 1) => roundCents(ratio(n, d), { unit: 'cent', mode: 'half_up' }).cents;

describe('rounding: the single place where exact amounts become cents', () => {
  it('rounds to the cent half-up (四舍五入): 0.5 cent goes up, 0.4999 down', () => {
    expect(cents(1, 2)).toBe(1);
    expect(cents(4999, 10000)).toBe(0);
    expect(cents(630975, 10)).toBe(63098);
  });

  it('rounds a half away from zero for negative amounts, so a refund mirrors its charge', () => {
    expect(cents(-1, 2)).toBe(-1);
    expect(cents(-630975, 10)).toBe(-63098);
  });

  it.each<[number, RoundingRule, number]>([
    [1225, { unit: 'jiao', mode: 'half_up' }, 1230],
    [1225, { unit: 'jiao', mode: 'half_even' }, 1220],
    [1235, { unit: 'jiao', mode: 'half_up' }, 1240],
    [1235, { unit: 'jiao', mode: 'half_even' }, 1240],
    [1226, { unit: 'jiao', mode: 'half_even' }, 1230],
    [1224, { unit: 'jiao', mode: 'half_up' }, 1220],
    [-1225, { unit: 'jiao', mode: 'half_up' }, -1230],
    [-1225, { unit: 'jiao', mode: 'half_even' }, -1220],
    [250, { unit: 'yuan', mode: 'half_up' }, 300],
    [250, { unit: 'yuan', mode: 'half_even' }, 200],
    [350, { unit: 'yuan', mode: 'half_even' }, 400],
  ])('%i cents to the %o → %i cents', (amount, rule, expected) => {
    expect(roundCents(ratio(amount), rule).cents).toBe(expected);
  });

  it('rounds 12.245 元 to 角 half-up as 12.20 and an exact 12.25 as 12.30 (only the half moves up)', () => {
    expect(roundCents(ratio(12245, 10), { unit: 'jiao', mode: 'half_up' }).cents).toBe(1220);
    expect(roundCents(ratio(1225), { unit: 'jiao', mode: 'half_up' }).cents).toBe(1230);
  });

  it('accepts a hand-built, unreduced numerator/denominator pair, even with a negative denominator', () => {
    expect(roundCents({ n: 10n, d: 4n }, { unit: 'cent', mode: 'half_even' }).cents).toBe(2);
    expect(roundCents({ n: 10n, d: -4n }, { unit: 'cent', mode: 'half_up' }).cents).toBe(-3);
  });

  it('records the exact amount and the adjustment it made', () => {
    const r = roundCents(ratio(1225), { unit: 'jiao', mode: 'half_even' });
    expect(r).toEqual({ unit: 'jiao', mode: 'half_even', exact: { num: '1225', den: '1' }, cents: 1220, adjustment: { num: '-5', den: '1' } });
  });

  it('refuses an unknown unit or mode and amounts beyond 2^53 cents', () => {
    expect(() => roundCents(ratio(1), { unit: 'fen' as 'cent', mode: 'half_up' })).toThrow(EngineError);
    expect(() => roundCents(ratio(1), { unit: 'cent', mode: 'up' as 'half_up' })).toThrow(EngineError);
    expect(() => roundCents(ratio(2n ** 60n), { unit: 'cent', mode: 'half_up' })).toThrow(/engine.overflow/);
  });

  const rule = fc.record({ unit: fc.constantFrom('cent' as const, 'jiao' as const, 'yuan' as const), mode: fc.constantFrom('half_up' as const, 'half_even' as const) });
  const amount = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 9n })).map(([n, d]) => ratio(n, d));

  it('property: rounding is idempotent (a rounded amount rounds to itself)', () => {
    fc.assert(
      fc.property(amount, rule, (a, r) => {
        const once = roundCents(a, r).cents;
        expect(roundCents(ratio(once), r).cents).toBe(once);
      }),
    );
  });

  it('property: the result is a multiple of the unit within half a unit of the exact amount', () => {
    fc.assert(
      fc.property(amount, rule, (a, r) => {
        const res = roundCents(a, r);
        const unit = ROUNDING_UNIT_CENTS[r.unit];
        expect(res.cents % unit === 0).toBe(true);
        const diff = sub(ratio(res.cents), a);
        const abs = diff.n < 0n ? ratio(-diff.n, diff.d) : diff;
        expect(cmp(abs, ratio(unit, 2))).toBeLessThanOrEqual(0);
        expect(fromJson(res.adjustment)).toEqual(diff);
      }),
    );
  });

  it('property: half-even and half-up agree except on exact halves', () => {
    fc.assert(
      fc.property(amount, (a) => {
        const up = roundCents(a, { unit: 'cent', mode: 'half_up' }).cents;
        const even = roundCents(a, { unit: 'cent', mode: 'half_even' }).cents;
        if (a.d !== 2n) expect(even).toBe(up);
        else expect(Math.abs(even - up)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
