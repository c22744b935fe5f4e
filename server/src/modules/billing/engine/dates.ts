import { EngineError } from './errors.js';

/**
 * Calendar dates as 'YYYY-MM-DD' strings, computed through a day number (days since
 * 1970-01-01). No clock is read: every date is an argument. Time zones do not enter: a date is a
 * calendar day in the community's local calendar.
 */
export type DateOn = string;

/** An inclusive range of days: both `start` and `end` are charged days. */
export interface Period {
  start: DateOn;
  end: DateOn;
}

const MS_PER_DAY = 86_400_000;

/**
 * Day numbers of dates already validated: a bill run asks for the same few dates (period bounds,
 * delivery and move-in days) hundreds of thousands of times. Bounded; only valid dates are kept.
 */
const known = new Map<string, number>();
const KNOWN_MAX = 50_000;

export function dayNumber(date: DateOn, what = 'date'): number {
  const hit = known.get(date);
  if (hit !== undefined) return hit;
  const n = parseDayNumber(date, what);
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(date, n);
  return n;
}

function parseDayNumber(date: DateOn, what: string): number {
  const m = typeof date === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(date) : null;
  if (!m) throw new EngineError('engine.invalid_date', `${what} must be YYYY-MM-DD, got ${String(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || y < 1900) {
    throw new EngineError('engine.invalid_date', `${what} is not a calendar date: ${date}`);
  }
  return ms / MS_PER_DAY;
}

export function fromDayNumber(day: number): DateOn {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: DateOn, days: number): DateOn {
  return fromDayNumber(dayNumber(date) + days);
}

/** Days from `a` to `b` (b − a): 0 for the same day. */
export function daysBetween(a: DateOn, b: DateOn): number {
  return dayNumber(b) - dayNumber(a);
}

/** Number of days in an inclusive period (1 for a one-day period). */
export function periodDays(period: Period): number {
  return daysBetween(period.start, period.end) + 1;
}

export function assertPeriod(period: Period, what = 'period'): void {
  const s = dayNumber(period.start, `${what}.start`);
  const e = dayNumber(period.end, `${what}.end`);
  if (e < s) throw new EngineError('engine.invalid_period', `${what} ends (${period.end}) before it starts (${period.start})`);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * The date `months` calendar months after `date`, keeping its day of month and clamping to the
 * month's last day (01-31 + 1 month = 02-28 or 02-29).
 */
export function addMonths(date: DateOn, months: number): DateOn {
  dayNumber(date);
  const y = Number(date.slice(0, 4));
  const m0 = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const year = y + Math.floor(m0 / 12);
  const month0 = ((m0 % 12) + 12) % 12;
  const day = Math.min(d, daysInMonth(year, month0));
  return `${String(year).padStart(4, '0')}-${String(month0 + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function maxDate(a: DateOn, b: DateOn): DateOn {
  return a >= b ? a : b;
}
export function minDate(a: DateOn, b: DateOn): DateOn {
  return a <= b ? a : b;
}
