import { EngineError, requireSafeInteger } from './errors.js';
import type { DiscountApplied, DiscountSource } from './explanation.js';
import { cmp, min, mul, ratio, sub, toJson, ZERO, type Ratio } from './rational.js';

/**
 * A discount (折扣) on one charge: a percentage (basis points: 10% = 1000) or a fixed amount of
 * cents. `source` says where it came from — a prepayment rule, the vacant-room rate, another
 * rule, or a person (manual, with a label saying why; waivers 减免 with approval are the
 * billing service's business and arrive here as manual discounts).
 */
export type Discount =
  | { kind: 'percent'; offBp: number; source: DiscountSource; label?: string; months?: number }
  | { kind: 'fixed'; offCents: number; source: DiscountSource; label?: string };

/** "Prepay at least `minMonths` months ahead → `offBp` off." */
export interface PrepayRule {
  minMonths: number;
  offBp: number;
}

/**
 * The prepayment discount earned by paying `monthsAhead` months in advance: the rule with the
 * largest `minMonths` not above it (rules do not stack), or null.
 */
export function prepayDiscount(rules: readonly PrepayRule[], monthsAhead: number): Discount | null {
  requireSafeInteger(monthsAhead, 'months ahead', 0);
  let best: PrepayRule | null = null;
  for (const r of rules) {
    requireSafeInteger(r.minMonths, 'minMonths', 1);
    checkBp(r.offBp);
    if (r.minMonths <= monthsAhead && (best === null || r.minMonths > best.minMonths)) best = r;
  }
  return best && best.offBp > 0 ? { kind: 'percent', offBp: best.offBp, source: 'prepay', months: monthsAhead } : null;
}

/**
 * A vacant room (空置房) charged at `chargedBp` of the normal rate (e.g. 7000 = 70%) as a
 * discount of the difference, so the bill line still shows the full rate and the reduction.
 */
export function vacancyDiscount(chargedBp: number): Discount | null {
  checkBp(chargedBp);
  return chargedBp < 10_000 ? { kind: 'percent', offBp: 10_000 - chargedBp, source: 'vacancy' } : null;
}

function checkBp(bp: number): void {
  requireSafeInteger(bp, 'percentage (basis points)', 0);
  if (bp > 10_000) throw new EngineError('engine.invalid_rule', 'a percentage cannot exceed 100%');
}

/**
 * Applies discounts in the order given, each to what the previous ones left (10% then 5% is
 * 14.5% off, not 15%), on the exact amount. A discount never takes more than what remains, so
 * the result is never below zero; on a zero or negative amount (a credit) no discount applies.
 */
export function applyDiscounts(gross: Ratio, discounts: readonly Discount[]): { net: Ratio; applied: DiscountApplied[] } {
  let remaining = gross;
  const applied: DiscountApplied[] = [];
  for (const d of discounts) {
    let off: Ratio;
    if (d.kind === 'percent') {
      checkBp(d.offBp);
      off = mul(remaining, ratio(d.offBp, 10_000));
    } else {
      requireSafeInteger(d.offCents, 'discount amount', 0);
      off = ratio(d.offCents);
    }
    off = cmp(remaining, ZERO) <= 0 ? ZERO : min(off, remaining);
    remaining = sub(remaining, off);
    const entry: DiscountApplied = { kind: d.kind, source: d.source, amount: toJson(off) };
    if (d.label !== undefined) entry.label = d.label;
    if (d.kind === 'percent') {
      entry.offBp = d.offBp;
      if (d.months !== undefined) entry.months = d.months;
    } else entry.offCents = d.offCents;
    applied.push(entry);
  }
  return { net: remaining, applied };
}
