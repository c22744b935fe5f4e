import { EngineError, toSafeNumber } from './errors.js';
import { floorDiv, ratio, sub, toJson, type Ratio, type RatioJson } from './rational.js';

/** The unit an amount is rounded to: 分 (1 cent), 角 (10 cents) or 元 (100 cents). */
export type RoundingUnit = 'cent' | 'jiao' | 'yuan';
/**
 * `half_up`: 四舍五入 — a half goes away from zero (−0.5 → −1), so a refund rounds like the
 * charge it reverses. `half_even`: banker's rounding — a half goes to the even neighbour.
 */
export type RoundingMode = 'half_up' | 'half_even';

/** A fee item's rounding rule (计费规则的取整方式). */
export interface RoundingRule {
  unit: RoundingUnit;
  mode: RoundingMode;
}

export const DEFAULT_ROUNDING: RoundingRule = { unit: 'cent', mode: 'half_up' };

export const ROUNDING_UNIT_CENTS: Record<RoundingUnit, number> = { cent: 1, jiao: 10, yuan: 100 };

/** What the rounding step did, kept in every explanation. */
export interface RoundingApplied {
  unit: RoundingUnit;
  /** `largest_remainder` only on apportioned parts (see `apportion`). */
  mode: RoundingMode | 'largest_remainder';
  /** The exact amount before rounding, in cents. */
  exact: RatioJson;
  /** The rounded amount in cents. */
  cents: number;
  /** cents − exact, in cents (positive when rounded up). */
  adjustment: RatioJson;
  /**
   * Present when rounding would have gone above a cap (a late fee limited to the principal):
   * the result is then the largest multiple of the unit not above this many cents.
   */
  limitCents?: number;
}

/** Rounds an exact rational to the nearest integer under `mode`. */
export function roundRatio(value: Ratio, mode: RoundingMode): bigint {
  // Normalise: callers may hand in an unreduced {n, d} or one with a negative denominator.
  const { n, d } = ratio(value.n, value.d);
  const q = floorDiv(n, d);
  const rem2 = 2n * (n - q * d); // twice the fractional part, in units of 1/d: 0 ≤ rem2 < 2d
  if (rem2 < d) return q;
  if (rem2 > d) return q + 1n;
  // Exactly half.
  if (mode === 'half_even') return q % 2n === 0n ? q : q + 1n;
  return n < 0n ? q : q + 1n;
}

/**
 * THE rounding step of the billing engine: an exact amount of cents → integer cents under a
 * fee item's rounding rule. Nothing else in the engine rounds money.
 */
export function roundCents(exactCents: Ratio, rule: RoundingRule = DEFAULT_ROUNDING, options: { limitCents?: number } = {}): RoundingApplied {
  const unit = ROUNDING_UNIT_CENTS[rule.unit];
  if (unit === undefined) throw new EngineError('engine.invalid_rule', `unknown rounding unit: ${String(rule.unit)}`);
  if (rule.mode !== 'half_up' && rule.mode !== 'half_even') {
    throw new EngineError('engine.invalid_rule', `unknown rounding mode: ${String(rule.mode)}`);
  }
  const u = BigInt(unit);
  let cents = roundRatio(ratio(exactCents.n, exactCents.d * u), rule.mode) * u;
  const limit = options.limitCents === undefined ? undefined : BigInt(options.limitCents);
  const limited = limit !== undefined && cents > limit;
  if (limited) cents = floorDiv(limit, u) * u;
  const applied: RoundingApplied = {
    unit: rule.unit,
    mode: rule.mode,
    exact: toJson(exactCents),
    cents: toSafeNumber(cents, 'amount'),
    adjustment: toJson(sub(ratio(cents), exactCents)),
  };
  if (limited && options.limitCents !== undefined) applied.limitCents = options.limitCents;
  return applied;
}
