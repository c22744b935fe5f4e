import { describe, expect, it } from 'vitest';
import { businessDue, businessElapsed, clockOf, met, stageOf, type Calendar } from '../../src/modules/service-desk/sla.js';

// Business hours 09:00–12:00 and 13:00–18:00 Beijing time (UTC+8), Monday to Friday.
const weekday = [
  { start: 9 * 60, end: 12 * 60 },
  { start: 13 * 60, end: 18 * 60 },
];
const cal: Calendar = {
  week: [[], weekday, weekday, weekday, weekday, weekday, []],
  utcOffsetMinutes: 480,
  // 2026-03-04 (Wednesday) is a holiday; Saturday 2026-03-07 is worked (调休).
  days: new Map([
    ['2026-03-04', 'holiday'],
    ['2026-03-07', 'workday'],
  ]),
};
/** Beijing local time → epoch ms. */
const bj = (local: string) => Date.parse(`${local}+08:00`);
const H = 3_600_000;
const M = 60_000;

describe('SLA clock: business time', () => {
  it('counts only business hours on a working day', () => {
    // Monday 2026-03-02 08:00 → 20:00: 3 h + 5 h.
    expect(businessElapsed(cal, bj('2026-03-02T08:00:00'), bj('2026-03-02T20:00:00'))).toBe(8 * H);
    // Lunch does not count.
    expect(businessElapsed(cal, bj('2026-03-02T11:30:00'), bj('2026-03-02T13:30:00'))).toBe(60 * M);
  });

  it('skips nights, weekends and holidays; a 调休 Saturday counts', () => {
    // Tuesday 17:00 → Thursday 10:00 over the Wednesday holiday: 1 h + 1 h.
    expect(businessElapsed(cal, bj('2026-03-03T17:00:00'), bj('2026-03-05T10:00:00'))).toBe(2 * H);
    // Friday 17:00 → Monday 10:00: Friday 1 h, Saturday (workday) 8 h, Sunday 0, Monday 1 h.
    expect(businessElapsed(cal, bj('2026-03-06T17:00:00'), bj('2026-03-09T10:00:00'))).toBe(10 * H);
  });

  it('due instants fall inside business hours, across lunch, nights and the holiday', () => {
    // 2 h from Monday 11:00: 1 h before lunch, 1 h after → 14:00.
    expect(businessDue(cal, bj('2026-03-02T11:00:00'), 2 * H)).toBe(bj('2026-03-02T14:00:00'));
    // Submitted at night: the clock starts at 09:00.
    expect(businessDue(cal, bj('2026-03-02T22:00:00'), 30 * M)).toBe(bj('2026-03-03T09:30:00'));
    // 4 h from Tuesday 16:00: 2 h Tuesday, Wednesday is a holiday, 2 h Thursday → 11:00.
    expect(businessDue(cal, bj('2026-03-03T16:00:00'), 4 * H)).toBe(bj('2026-03-05T11:00:00'));
  });

  it('a pause (waiting for the owner) stops the clock', () => {
    const from = bj('2026-03-02T09:00:00');
    const pause = [[bj('2026-03-02T10:00:00'), bj('2026-03-02T15:00:00')]] as const;
    // 09–10 runs, 10–15 paused, 15–18 runs.
    expect(businessElapsed(cal, from, bj('2026-03-02T18:00:00'), pause)).toBe(4 * H);
    expect(businessDue(cal, from, 2 * H, pause)).toBe(bj('2026-03-02T16:00:00'));
    // Still paused: no due instant, the remaining time is frozen.
    const open = [[bj('2026-03-02T10:00:00'), null]] as const;
    expect(businessDue(cal, from, 2 * H, open)).toBeNull();
    expect(businessElapsed(cal, from, bj('2026-03-05T18:00:00'), open)).toBe(1 * H);
  });

  it('long spans (an old open request on the board) add up like their parts', () => {
    const a = bj('2024-02-10T10:17:00');
    const b = bj('2025-07-01T15:45:00');
    const end = bj('2026-03-05T11:00:00');
    const pause = [[bj('2025-06-30T09:00:00'), bj('2025-07-02T12:00:00')]] as const;
    expect(businessElapsed(cal, a, end, pause)).toBe(businessElapsed(cal, a, b, pause) + businessElapsed(cal, b, end, pause));
    // A 52-week year without holidays in it: 52 × 5 days × 8 h.
    expect(businessElapsed(cal, bj('2023-01-02T00:00:00'), bj('2024-01-01T00:00:00'))).toBe(52 * 5 * 8 * H);
  });

  it('a calendar without business hours never comes due', () => {
    const closed: Calendar = { week: [[], [], [], [], [], [], []], utcOffsetMinutes: 480, days: new Map() };
    expect(businessDue(closed, bj('2026-03-02T09:00:00'), M)).toBeNull();
  });
});

describe('SLA clock: status of a request (injected now)', () => {
  const created = bj('2026-03-02T09:00:00');
  it('remaining minutes, due and warning instants, overdue', () => {
    const c = { createdAt: created, limitMinutes: 120, pauses: [] };
    const early = clockOf(cal, c, bj('2026-03-02T09:30:00'), 80);
    expect(early).toEqual({ remainingMinutes: 90, dueAt: bj('2026-03-02T11:00:00'), warnAt: bj('2026-03-02T10:36:00'), overdue: false });
    const late = clockOf(cal, c, bj('2026-03-02T13:30:00'), 80);
    expect(late.overdue).toBe(true);
    expect(late.remainingMinutes).toBe(-90);
    // Overnight the remaining time does not move.
    expect(clockOf(cal, c, bj('2026-03-02T23:00:00'), 80).remainingMinutes).toBe(clockOf(cal, c, bj('2026-03-03T09:00:00'), 80).remainingMinutes);
  });

  it('milestones met or missed', () => {
    expect(met(cal, created, bj('2026-03-02T11:00:00'), 120, [])).toBe(true);
    expect(met(cal, created, bj('2026-03-02T11:01:00'), 120, [])).toBe(false);
  });

  it('stage per state', () => {
    expect(stageOf('submitted', false)).toBe('accept');
    expect(stageOf('dispatched', false)).toBe('arrive');
    expect(stageOf('dispatched', true)).toBe('resolve');
    expect(stageOf('paused', true)).toBe('resolve');
    expect(stageOf('resolved', true)).toBeNull();
  });
});
