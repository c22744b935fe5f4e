import { EngineError, requireSafeInteger } from './errors.js';
import type { ExplanationStep } from './explanation.js';
import { ratio, toJson, type Ratio } from './rational.js';

/**
 * One tier (阶梯) of a tiered price: usage up to `upToE3` (cumulative, from the start of the
 * threshold scope) is charged at `priceE4`; the last tier has `upToE3: null` (no upper bound).
 * Tiers are ascending; tier i covers (upTo of tier i−1, upTo of tier i].
 */
export interface Tier {
  upToE3: number | null;
  priceE4: number;
}

export interface TierSplit {
  tier: number;
  fromE3: number;
  toE3: number | null;
  qtyE3: number;
  priceE4: number;
  /** Exact amount in cents. */
  amount: Ratio;
}

export function validateTiers(tiers: readonly Tier[]): void {
  if (tiers.length === 0) throw new EngineError('engine.invalid_rule', 'a tiered price needs at least one tier');
  let prev = 0;
  tiers.forEach((t, i) => {
    requireSafeInteger(t.priceE4, `tiers[${i}].priceE4`, 0);
    const last = i === tiers.length - 1;
    if (t.upToE3 === null) {
      if (!last) throw new EngineError('engine.invalid_rule', 'only the last tier may be unbounded');
      return;
    }
    requireSafeInteger(t.upToE3, `tiers[${i}].upToE3`, 0);
    if (t.upToE3 <= prev) throw new EngineError('engine.invalid_rule', 'tier thresholds must increase');
    if (last) throw new EngineError('engine.invalid_rule', 'the last tier must be unbounded (upToE3: null)');
    prev = t.upToE3;
  });
}

/**
 * Splits `qtyE3` of usage over the tiers, starting at `priorQtyE3` (usage already billed in the
 * same threshold scope — this calendar year for yearly tiers, 0 for per-period tiers). Yearly
 * example: tiers 0–180 @ 3.00, 180–260 @ 4.00, >260 @ 7.00, prior 170, usage 20 →
 * 10 @ 3.00 + 10 @ 4.00.
 */
export function splitTiers(qtyE3: number, tiers: readonly Tier[], priorQtyE3 = 0): TierSplit[] {
  validateTiers(tiers);
  requireSafeInteger(qtyE3, 'quantity', 0);
  requireSafeInteger(priorQtyE3, 'prior quantity', 0);
  const out: TierSplit[] = [];
  let at = priorQtyE3;
  const endAt = priorQtyE3 + qtyE3;
  let lower = 0;
  tiers.forEach((t, i) => {
    const upper = t.upToE3 ?? Number.POSITIVE_INFINITY;
    const from = Math.max(at, lower);
    const to = Math.min(endAt, upper);
    if (to > from) {
      out.push({ tier: i + 1, fromE3: lower, toE3: t.upToE3, qtyE3: to - from, priceE4: t.priceE4, amount: usageAmount(to - from, t.priceE4) });
      at = to;
    }
    lower = upper;
  });
  return out;
}

/** qty (thousandths) × price (ten-thousandths of a yuan) in cents: qtyE3 × priceE4 / 10^5. */
export function usageAmount(qtyE3: number, priceE4: number): Ratio {
  return ratio(BigInt(qtyE3) * BigInt(priceE4), 100_000n);
}

export function tierStep(s: TierSplit): ExplanationStep {
  return { op: 'tier', tier: s.tier, fromE3: s.fromE3, toE3: s.toE3, qtyE3: s.qtyE3, priceE4: s.priceE4, amount: toJson(s.amount) };
}
