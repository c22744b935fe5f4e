import type { BusinessWindow, RequestState, SlaStage } from '@courtyard/contracts';

/**
 * The SLA clock (时限): time limits count business time only — the community's weekly business
 * hours, minus holidays (plus 调休 workdays, which take Monday's hours), minus the intervals during
 * which the request waited for the owner (`paused`). Pure functions over epoch milliseconds.
 */
export interface Calendar {
  /** Index 0 = Sunday; minutes after local midnight, [start, end). */
  week: readonly (readonly BusinessWindow[])[];
  utcOffsetMinutes: number;
  /** YYYY-MM-DD (local) → kind. */
  days: ReadonlyMap<string, 'holiday' | 'workday'>;
}

/** [start, end) in epoch ms; end null = still paused. */
export type Pause = readonly [number, number | null];

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Beyond this a limit is unreachable (a calendar without business hours). */
const HORIZON_DAYS = 3 * 366;

/**
 * A day's business windows, memoised per calendar: the board computes the clock of every open
 * request on each read, and a calendar object lives as long as its settings are unchanged.
 */
const dayWindows = new WeakMap<Calendar, Map<number, readonly (readonly [number, number])[]>>();
function windowsOfDay(cal: Calendar, day: number): readonly (readonly [number, number])[] {
  let memo = dayWindows.get(cal);
  if (!memo) dayWindows.set(cal, (memo = new Map<number, readonly (readonly [number, number])[]>()));
  let windows = memo.get(day);
  if (!windows) {
    const date = new Date(day * DAY);
    const kind = cal.days.get(date.toISOString().slice(0, 10));
    const hours = kind === 'holiday' ? [] : kind === 'workday' ? cal.week[1] : cal.week[date.getUTCDay()];
    const base = day * DAY - cal.utcOffsetMinutes * MINUTE;
    windows = (hours ?? []).filter((w) => w.end > w.start).map((w) => [base + w.start * MINUTE, base + w.end * MINUTE] as const);
    // Bounded: a calendar is replaced when its community's settings change, and old days are rarely asked again.
    if (memo.size > 4096) memo.clear();
    memo.set(day, windows);
  }
  return windows;
}

/** Removes the pauses from [start, end): the pieces during which the clock runs. */
function running(start: number, end: number, pauses: readonly Pause[]): [number, number][] {
  let pieces: [number, number][] = [[start, end]];
  for (const [ps, pe] of pauses) {
    const stop = pe ?? Number.POSITIVE_INFINITY;
    pieces = pieces.flatMap(([a, b]): [number, number][] => {
      if (stop <= a || ps >= b) return [[a, b]];
      const out: [number, number][] = [];
      if (ps > a) out.push([a, ps]);
      if (stop < b) out.push([stop, b]);
      return out;
    });
  }
  return pieces;
}

const localDay = (cal: Calendar, at: number) => Math.floor((at + cal.utcOffsetMinutes * MINUTE) / DAY);

/**
 * Whole days in O(1): the weekly pattern times the number of weeks, plus the holidays and 调休
 * workdays in the range (a handful). Derived once per calendar: the board computes the remaining
 * time of every open request, some of them opened long ago.
 */
interface WeekSums {
  normal: number[];
  week: number;
  exceptions: [day: number, delta: number][];
}
const sums = new WeakMap<Calendar, WeekSums>();
function weekSums(cal: Calendar): WeekSums {
  let w = sums.get(cal);
  if (!w) {
    const normal = Array.from({ length: 7 }, (_, d) => (cal.week[d] ?? []).reduce((sum, x) => sum + Math.max(0, x.end - x.start) * MINUTE, 0));
    const exceptions = [...cal.days.keys()].map((on): [number, number] => {
      const day = Math.floor(Date.parse(`${on}T00:00:00Z`) / DAY);
      return [day, windowsOfDay(cal, day).reduce((sum, [a, b]) => sum + (b - a), 0) - (normal[weekdayOf(day)] ?? 0)];
    });
    w = { normal, week: normal.reduce((a, b) => a + b, 0), exceptions };
    sums.set(cal, w);
  }
  return w;
}
/** Day 0 (1970-01-01) was a Thursday. */
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

/** Business milliseconds of the whole days first … last - 1. */
function wholeDays(cal: Calendar, first: number, last: number): number {
  if (last <= first) return 0;
  const w = weekSums(cal);
  const weeks = Math.floor((last - first) / 7);
  let total = weeks * w.week;
  for (let day = first + weeks * 7; day < last; day++) total += w.normal[weekdayOf(day)] ?? 0;
  for (const [day, delta] of w.exceptions) if (day >= first && day < last) total += delta;
  return total;
}

/** Business milliseconds of `day` that fall inside [from, to). */
function within(cal: Calendar, day: number, from: number, to: number): number {
  let total = 0;
  for (const [ws, we] of windowsOfDay(cal, day)) {
    const a = Math.max(ws, from);
    const b = Math.min(we, to);
    if (b > a) total += b - a;
  }
  return total;
}

/** Business milliseconds in [from, to) ignoring pauses: partial first and last days, whole days between. */
function plainElapsed(cal: Calendar, from: number, to: number): number {
  if (to <= from) return 0;
  const first = localDay(cal, from);
  const last = localDay(cal, to);
  if (first === last) return within(cal, first, from, to);
  return within(cal, first, from, Number.POSITIVE_INFINITY) + wholeDays(cal, first + 1, last) + within(cal, last, Number.NEGATIVE_INFINITY, to);
}

/** Business milliseconds elapsed between two instants, pauses (which never overlap) excluded. */
export function businessElapsed(cal: Calendar, from: number, to: number, pauses: readonly Pause[] = []): number {
  if (to <= from) return 0;
  let total = plainElapsed(cal, from, to);
  for (const [ps, pe] of pauses) total -= plainElapsed(cal, Math.max(ps, from), Math.min(pe ?? Number.POSITIVE_INFINITY, to));
  return total;
}

/**
 * The instant at which `amount` business milliseconds have elapsed since `from`; null when the
 * clock stops before (an open pause) or the calendar has no business hours within three years.
 */
export function businessDue(cal: Calendar, from: number, amount: number, pauses: readonly Pause[] = []): number | null {
  let left = amount;
  const first = localDay(cal, from);
  for (let day = first; day <= first + HORIZON_DAYS; day++) {
    for (const [ws, we] of windowsOfDay(cal, day)) {
      const a = Math.max(ws, from);
      if (we <= a) continue;
      for (const [x, y] of running(a, we, pauses)) {
        if (y - x >= left) return x + left;
        left -= y - x;
      }
    }
    // An open pause that began before the end of this day stops the clock for good.
    if (pauses.some(([ps, pe]) => pe === null && ps < (day + 1) * DAY - cal.utcOffsetMinutes * MINUTE)) return null;
  }
  return null;
}

/** The stage whose clock runs in a state (arrival counts once: a reopened request runs to resolve). */
export function stageOf(state: RequestState, arrived: boolean): SlaStage | null {
  switch (state) {
    case 'submitted':
      return 'accept';
    case 'accepted':
    case 'dispatched':
      return arrived ? 'resolve' : 'arrive';
    case 'in_progress':
    case 'paused':
    case 'waiting_parts':
      return 'resolve';
    default:
      return null;
  }
}

export interface Clocked {
  createdAt: number;
  limitMinutes: number;
  pauses: readonly Pause[];
}

/** Remaining whole business minutes (negative when overdue). */
export function remainingOf(cal: Calendar, c: Clocked, now: number) {
  const remaining = c.limitMinutes * MINUTE - businessElapsed(cal, c.createdAt, now, c.pauses);
  return { remainingMinutes: remaining >= 0 ? Math.floor(remaining / MINUTE) : -Math.ceil(-remaining / MINUTE), overdue: remaining < 0 };
}

/** Remaining whole business minutes, the due instant and the warning instant. */
export function clockOf(cal: Calendar, c: Clocked, now: number, warnAtPercent: number) {
  const limit = c.limitMinutes * MINUTE;
  return {
    ...remainingOf(cal, c, now),
    dueAt: businessDue(cal, c.createdAt, limit, c.pauses),
    warnAt: businessDue(cal, c.createdAt, Math.floor((limit * warnAtPercent) / 100), c.pauses),
  };
}

/** Whether a milestone reached at `at` met its limit. */
export function met(cal: Calendar, createdAt: number, at: number, limitMinutes: number, pauses: readonly Pause[]): boolean {
  return businessElapsed(cal, createdAt, at, pauses) <= limitMinutes * MINUTE;
}

/** 08:30–12:00 and 13:30–18:00 every day: property service desks work weekends (the default). */
export const DEFAULT_WEEK: BusinessWindow[][] = Array.from({ length: 7 }, () => [
  { start: 8 * 60 + 30, end: 12 * 60 },
  { start: 13 * 60 + 30, end: 18 * 60 },
]);
