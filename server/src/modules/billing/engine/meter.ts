import { dayNumber, type DateOn } from './dates.js';
import { EngineError, requireSafeInteger, toSafeNumber } from './errors.js';
import type { ReadingRef } from './explanation.js';
import { cmp, mul, ratio, toJson, type RatioJson } from './rational.js';
import { roundRatio } from './rounding.js';

export interface MeterSpec {
  /** 倍率, ten-thousandths (1 = 10000, 40 = 400000, 1.5 = 15000). */
  multiplierE4: number;
  /**
   * The highest value the register shows (all nines: 99999 → 99999000), or null when the meter
   * is not expected to roll over. After it the register restarts at zero, so the step across the
   * rollover is up to the next power of ten (99999 → 00012 is 13 units), whatever the resolution.
   */
  maxValueE3: number | null;
}

export interface MeterReadingInput {
  readOn: DateOn;
  valueE3: number;
  /** The reader says the register passed its maximum (required to accept a lower value). */
  rolledOver?: boolean;
}

export type ReadingRefusal =
  /** Lower than the previous reading and not marked as a rollover. */
  | 'reading_lower'
  /** Marked as a rollover, but the meter has no maximum value to roll over from. */
  | 'rollover_without_max'
  /** Marked as a rollover, but the value is not lower than the previous one. */
  | 'rollover_not_lower'
  /** Above the register's maximum value. */
  | 'reading_above_max'
  /** Read on or before the previous reading's date. */
  | 'date_not_after_previous'
  /** Further after the previous reading than the caller's `maxGapDays`. */
  | 'date_gap';

/** Flags for review: the reading is accepted but someone should look at it. */
export type ReadingFlag = 'usage_spike' | 'zero_streak' | 'rolled_over';

/** How many previous usages the spike check needs before it judges. */
export const SPIKE_MIN_HISTORY = 3;
/** A usage above this many times the median of previous usages is a spike. */
export const SPIKE_FACTOR = 3;

export type MeterUsageResult =
  | {
      ok: true;
      /** Register difference (with rollover), before the multiplier. */
      deltaE3: number;
      /** Billed usage: delta × multiplier, in thousandths (see `usageExact`). */
      usageE3: number;
      /** delta × multiplier exactly, in thousandths; differs from usageE3 only with a fractional multiplier. */
      usageExact: RatioJson;
      rolledOver: boolean;
      flags: ReadingFlag[];
      /** For the usage charge's explanation. */
      reading: ReadingRef;
    }
  | { ok: false; reason: ReadingRefusal };

function nextPowerOfTen(value: number): bigint {
  let p = 1n;
  while (p <= BigInt(value)) p *= 10n;
  return p;
}

/**
 * Usage between two readings of a meter, with the multiplier and a rollover, checked. Impossible
 * readings are refused with a reason (nothing is computed); suspicious ones are accepted with
 * flags: `usage_spike` — usage above 3× the median of `recentUsagesE3` (needs at least 3 of
 * them and a median above zero: a meter that was idle before is a move-in, not a spike);
 * `zero_streak` — no usage for three consecutive periods, this one and the two before;
 * `rolled_over` — the register passed its maximum.
 *
 * `recentUsagesE3`: the meter's previous usages, newest first, already multiplied. Usage is
 * delta × multiplier; a fractional multiplier can give more than three decimals, rounded half-up
 * to the thousandth (a quantity, not money; the exact value is kept in `usageExact`).
 */
export function meterUsage(
  meter: MeterSpec,
  previous: MeterReadingInput,
  current: MeterReadingInput,
  recentUsagesE3: readonly number[] = [],
  options: { maxGapDays?: number } = {},
): MeterUsageResult {
  requireSafeInteger(meter.multiplierE4, 'multiplierE4', 1);
  requireSafeInteger(previous.valueE3, 'previous reading', 0);
  requireSafeInteger(current.valueE3, 'reading', 0);
  if (meter.maxValueE3 !== null) requireSafeInteger(meter.maxValueE3, 'maxValueE3', 1);
  const gap = dayNumber(current.readOn, 'readOn') - dayNumber(previous.readOn, 'previous readOn');
  if (gap <= 0) return { ok: false, reason: 'date_not_after_previous' };
  if (options.maxGapDays !== undefined && gap > options.maxGapDays) return { ok: false, reason: 'date_gap' };
  if (meter.maxValueE3 !== null && (current.valueE3 > meter.maxValueE3 || previous.valueE3 > meter.maxValueE3)) {
    return { ok: false, reason: 'reading_above_max' };
  }
  let delta = BigInt(current.valueE3 - previous.valueE3);
  const rolledOver = current.rolledOver === true;
  if (rolledOver) {
    if (meter.maxValueE3 === null) return { ok: false, reason: 'rollover_without_max' };
    if (delta >= 0n) return { ok: false, reason: 'rollover_not_lower' };
    delta += nextPowerOfTen(meter.maxValueE3);
  } else if (delta < 0n) {
    return { ok: false, reason: 'reading_lower' };
  }
  const exact = mul(ratio(delta), ratio(meter.multiplierE4, 10_000));
  const usageE3 = toSafeNumber(roundRatio(exact, 'half_up'), 'usage');
  const flags: ReadingFlag[] = [];
  if (rolledOver) flags.push('rolled_over');
  for (const u of recentUsagesE3) requireSafeInteger(u, 'recent usage', 0);
  if (recentUsagesE3.length >= SPIKE_MIN_HISTORY) {
    const sorted = [...recentUsagesE3].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? ratio(sorted[mid] ?? 0) : ratio((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0), 2);
    if (median.n > 0n && cmp(ratio(usageE3), mul(median, ratio(SPIKE_FACTOR))) > 0) flags.push('usage_spike');
  }
  if (usageE3 === 0 && recentUsagesE3.length >= 2 && recentUsagesE3[0] === 0 && recentUsagesE3[1] === 0) flags.push('zero_streak');
  if (delta > BigInt(Number.MAX_SAFE_INTEGER)) throw new EngineError('engine.overflow', 'usage exceeds the safe integer range');
  return {
    ok: true,
    deltaE3: Number(delta),
    usageE3,
    usageExact: toJson(exact),
    rolledOver,
    flags,
    reading: {
      previousE3: previous.valueE3,
      currentE3: current.valueE3,
      previousOn: previous.readOn,
      currentOn: current.readOn,
      multiplierE4: meter.multiplierE4,
      rolledOver,
    },
  };
}
