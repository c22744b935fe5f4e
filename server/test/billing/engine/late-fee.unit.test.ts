import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, lateFee, lateFeeIncrement, renderExplanation, type LateFeeCap, type LateFeeInput } from '../../../src/modules/billing/engine/index.js';

const base: LateFeeInput = { principalCents: 100_000, dueOn: '2026-03-31', graceDays: 15, dailyRatePpm: 500, asOf: '2026-05-15' };

describe('late fees (滞纳金)', () => {
  it('charges 0.05%/day on 1000.00 from the day after the 15 grace days: 30 days to 05-15 = 15.00', () => {
    const r = lateFee(base);
    expect([r.accruesFrom, r.days, r.cents, r.capped]).toEqual(['2026-04-16', 30, 1500, false]);
    expect(renderExplanation(r.explanation)).toEqual([
      '到期日 2026-03-31，宽限 15 天，计至 2026-05-15',
      '滞纳金：欠费本金 1000.00 元 × 0.0500%/天 × 30 天（2026-04-16 至 2026-05-15） = 15.00 元',
    ]);
  });

  it('charges nothing within the grace days, including the last one', () => {
    expect(lateFee({ ...base, asOf: '2026-04-15' })).toMatchObject({ days: 0, cents: 0 });
    expect(lateFee({ ...base, asOf: '2026-04-16' })).toMatchObject({ days: 1, cents: 50 });
  });

  it('never exceeds the principal by default: 10.00 at 0.3%/day for 400 days is capped at 10.00', () => {
    const r = lateFee({ principalCents: 1_000, dueOn: '2025-01-01', graceDays: 0, dailyRatePpm: 3_000, asOf: '2026-02-05' });
    expect([r.days, r.cents, r.capped]).toEqual([400, 1_000, true]);
    expect(renderExplanation(r.explanation, 'en-US')).toEqual([
      'Due 2025-01-01, 0 grace days, as of 2026-02-05',
      'Late fee: outstanding principal 10.00 yuan × 0.3000%/day × 400 days (2025-01-02 to 2026-02-05) = 12.00 yuan',
      'capped at 10.00 yuan; 12.00 → 10.00 yuan',
      'Total 10.00 yuan → 10.00 yuan',
    ]);
  });

  it('applies a configured cap in cents, or no cap at all', () => {
    const long = { principalCents: 1_000, dueOn: '2025-01-01', graceDays: 0, dailyRatePpm: 3_000, asOf: '2026-02-05' };
    expect(lateFee({ ...long, cap: { kind: 'cents', cents: 500 } }).cents).toBe(500);
    expect(lateFee({ ...long, cap: { kind: 'none' } }).cents).toBe(1_200);
  });

  it('keeps the cap when rounding to 角 would go above it (10.05 principal → 10.00)', () => {
    const r = lateFee({ principalCents: 1_005, dueOn: '2025-01-01', graceDays: 0, dailyRatePpm: 100_000, asOf: '2025-12-31', rounding: { unit: 'jiao', mode: 'half_up' } });
    expect([r.cents, r.capped]).toEqual([1_000, true]);
    expect(r.explanation.rounding.limitCents).toBe(1_005);
    expect(renderExplanation(r.explanation).at(-1)).toBe('合计 10.05 元 → 10.00 元（四舍五入到角，不超过封顶 10.05 元）');
  });

  it('accrues on the reduced principal after a partial payment', () => {
    const r = lateFee({ principalCents: 100_000, principalChanges: [{ fromOn: '2026-04-20', principalCents: 40_000 }], dueOn: '2026-03-31', graceDays: 0, dailyRatePpm: 500, asOf: '2026-04-30' });
    // 19 days × 0.50 + 11 days × 0.20
    expect(r.cents).toBe(950 + 220);
    expect(r.explanation.steps).toHaveLength(2);
  });

  it('posts only the difference each day', () => {
    expect(lateFeeIncrement({ ...base, alreadyChargedCents: 1_450 })).toMatchObject({ addCents: 50, totalCents: 1_500 });
    expect(lateFeeIncrement({ ...base, alreadyChargedCents: 2_000 })).toMatchObject({ addCents: 0 });
  });

  it('property: daily increments summed over the days equal the one-shot fee and never exceed the cap', () => {
    const cap = fc.oneof(
      fc.constant<LateFeeCap>({ kind: 'principal' }),
      fc.constant<LateFeeCap>({ kind: 'none' }),
      fc.integer({ min: 0, max: 1_000_000 }).map<LateFeeCap>((cents) => ({ kind: 'cents', cents })),
    );
    const rounding = fc.record({ unit: fc.constantFrom('cent' as const, 'jiao' as const, 'yuan' as const), mode: fc.constantFrom('half_up' as const, 'half_even' as const) });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 120 }),
        cap,
        rounding,
        (principalCents, dailyRatePpm, graceDays, days, c, r) => {
          const input = { principalCents, dailyRatePpm, graceDays, dueOn: '2026-01-31', cap: c, rounding: r };
          const limit = c.kind === 'principal' ? principalCents : c.kind === 'cents' ? c.cents : Number.POSITIVE_INFINITY;
          let charged = 0;
          for (let d = 0; d <= days; d++) {
            const step = lateFeeIncrement({ ...input, asOf: addDays('2026-01-31', d), alreadyChargedCents: charged });
            expect(step.addCents).toBeGreaterThanOrEqual(0);
            charged += step.addCents;
            expect(charged).toBeLessThanOrEqual(limit);
          }
          expect(charged).toBe(lateFee({ ...input, asOf: addDays('2026-01-31', days) }).cents);
        },
      ),
      { numRuns: 60 },
    );
  });
});
