import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EngineError,
  addMonths,
  cycleMonths,
  nthPeriod,
  periodContaining,
  periodDays,
  periodsBetween,
  prorationOf,
} from '../../../src/modules/billing/engine/index.js';

describe('billing cycles', () => {
  it('has 1, 3, 6 and 12 months per period', () => {
    expect([cycleMonths('monthly'), cycleMonths('quarterly'), cycleMonths('half_yearly'), cycleMonths('yearly')]).toEqual([1, 3, 6, 12]);
  });

  it('gives the period containing a date for each cycle anchored on 1 January', () => {
    expect(periodContaining('monthly', '2026-01-01', '2026-02-14')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodContaining('quarterly', '2026-01-01', '2026-05-31')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodContaining('half_yearly', '2026-01-01', '2026-07-01')).toEqual({ start: '2026-07-01', end: '2026-12-31' });
    expect(periodContaining('yearly', '2026-01-01', '2024-02-29')).toEqual({ start: '2024-01-01', end: '2024-12-31' });
  });

  it('keeps an anchor on the 31st from drifting: 01-31, 02-28, 03-31', () => {
    expect(nthPeriod('monthly', '2026-01-31', 0)).toEqual({ start: '2026-01-31', end: '2026-02-27' });
    expect(nthPeriod('monthly', '2026-01-31', 1)).toEqual({ start: '2026-02-28', end: '2026-03-30' });
    expect(nthPeriod('monthly', '2026-01-31', 2)).toEqual({ start: '2026-03-31', end: '2026-04-29' });
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });

  it('lists the periods overlapping a range', () => {
    expect(periodsBetween('quarterly', '2026-01-01', '2026-02-10', '2026-07-01')).toEqual([
      { start: '2026-01-01', end: '2026-03-31' },
      { start: '2026-04-01', end: '2026-06-30' },
      { start: '2026-07-01', end: '2026-09-30' },
    ]);
  });

  it('property: consecutive periods tile the calendar without gaps or overlaps', () => {
    const cycle = fc.constantFrom('monthly' as const, 'quarterly' as const, 'half_yearly' as const, 'yearly' as const);
    const anchor = fc.date({ min: new Date('2000-01-01'), max: new Date('2040-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(cycle, anchor, fc.integer({ min: -30, max: 30 }), (c, a, k) => {
        const p = nthPeriod(c, a, k);
        const next = nthPeriod(c, a, k + 1);
        expect(addMonths(p.start, 0)).toBe(p.start);
        expect(periodDays({ start: p.end, end: next.start })).toBe(2);
        expect(periodContaining(c, a, p.start)).toEqual(p);
        expect(periodContaining(c, a, p.end)).toEqual(p);
      }),
    );
  });

  it('refuses malformed and impossible dates', () => {
    expect(() => periodContaining('monthly', '2026-01-01', '2026-02-30')).toThrow(EngineError);
    expect(() => periodContaining('monthly', '2026-1-1', '2026-02-01')).toThrow(/engine.invalid_date/);
  });
});

describe('proration by days', () => {
  const march = { start: '2026-03-01', end: '2026-03-31' };

  it('charges a move-in on the 17th of a 31-day month for 15 of 31 days (the move-in day counts)', () => {
    expect(prorationOf(march, { moveInOn: '2026-03-17' })).toEqual({
      active: { start: '2026-03-17', end: '2026-03-31' },
      activeDays: 15,
      periodDays: 31,
      startLimit: 'move_in',
      endLimit: 'period',
      prorated: true,
    });
  });

  it('clips by the latest start and the earliest end of delivery, move-in, move-out and the rule dates', () => {
    const p = prorationOf(march, { deliveredOn: '2026-02-01', moveInOn: '2026-03-05', ruleStartOn: '2026-03-10', moveOutOn: '2026-03-20', ruleEndOn: '2026-03-25' });
    expect(p.active).toEqual({ start: '2026-03-10', end: '2026-03-20' });
    expect([p.activeDays, p.startLimit, p.endLimit]).toEqual([11, 'rule_start', 'move_out']);
  });

  it('has no chargeable day when the room is delivered after the period', () => {
    const p = prorationOf(march, { deliveredOn: '2026-04-02' });
    expect(p.active).toBeNull();
    expect(p.activeDays).toBe(0);
  });
});
