import { cycleMonths, type BillingCycle } from './cycles.js';
import { addDays, dayNumber, maxDate, minDate, type DateOn, type Period } from './dates.js';
import { applyDiscounts, type Discount } from './discounts.js';
import { EngineError, requireSafeInteger } from './errors.js';
import type { Explanation, ExplanationInputs, ExplanationRule, ExplanationStep, ProrationInfo, ReadingRef } from './explanation.js';
import { prorationOf, type ActiveLimits } from './proration.js';
import { mul, ratio, sum, toJson, type Ratio } from './rational.js';
import { DEFAULT_ROUNDING, roundCents, type RoundingRule } from './rounding.js';
import { splitTiers, tierStep, usageAmount, type Tier } from './tiers.js';

/** A price effective from `fromOn` (inclusive) until the next entry's `fromOn`. */
export interface EffectivePrice {
  fromOn: DateOn;
  priceE4: number;
}

interface ChargeCommon {
  /** Fee item name, carried into the explanation for display. */
  label?: string;
  rounding?: RoundingRule;
  discounts?: readonly Discount[];
}

/**
 * A charge that recurs each period at a monthly price: `fixed` (per room / parking space per
 * month) or `area` (per m² of building or inner area per month). The price is multiplied by the
 * cycle's months (×3 for a quarter) and by the chargeable fraction of the period's days.
 */
interface PeriodicCharge extends ChargeCommon {
  period: Period;
  cycle: BillingCycle;
  /** Monthly price(s) in ten-thousandths of a yuan; several entries = a price change (see README). */
  prices: readonly EffectivePrice[];
  limits?: ActiveLimits;
  /** Default true: charge by days. false: any chargeable day bills the whole period. */
  prorate?: boolean;
}

export interface FixedChargeInput extends PeriodicCharge {
  kind: 'fixed';
}
export interface AreaChargeInput extends PeriodicCharge {
  kind: 'area';
  basis: 'building' | 'inner';
  areaDm2: number;
}
/** Unit price × metered usage (already multiplied by the meter's multiplier, see `meterUsage`). */
export interface UsageChargeInput extends ChargeCommon {
  kind: 'usage';
  qtyE3: number;
  priceE4: number;
  /** Display unit of the quantity ('m³', 'kWh'). */
  unit?: string;
  reading?: ReadingRef;
}
/**
 * Tiered price (阶梯价). `scope: 'period'` — thresholds restart every billing period;
 * `scope: 'year'` — thresholds count usage since 1 January of the reading's year, and
 * `priorQtyE3` is the usage already billed in that year (the caller sums earlier readings whose
 * date falls in the same calendar year; a period crossing 1 January is not split by days).
 */
export interface TieredChargeInput extends ChargeCommon {
  kind: 'tiered';
  qtyE3: number;
  tiers: readonly Tier[];
  scope: 'period' | 'year';
  priorQtyE3?: number;
  /** Display unit of the quantity ('m³', 'kWh'). */
  unit?: string;
  reading?: ReadingRef;
}
export interface OneOffChargeInput extends ChargeCommon {
  kind: 'one_off';
  amountCents: number;
  /**
   * What the amount is made of (a paid repair's materials and labour): one explanation step per
   * item; their sum must be `amountCents`, so the bill says exactly what was charged for.
   */
  items?: readonly OneOffItem[];
}
/** One priced item of a one-off charge: whole units × a unit price in cents. */
export interface OneOffItem {
  kind: 'material' | 'labour';
  name: string;
  quantity: number;
  unitPriceCents: number;
}

export type ChargeInput = FixedChargeInput | AreaChargeInput | UsageChargeInput | TieredChargeInput | OneOffChargeInput;

export interface ChargeResult {
  /** Amount due in cents, after discounts and rounding. */
  cents: number;
  /** The amount before discounts, rounded by the same rule. */
  grossCents: number;
  /** grossCents − cents: what the discounts took, as it shows on the bill. */
  discountCents: number;
  explanation: Explanation;
}

/**
 * The stretches of `range` with one price each. The price of a day is the last entry whose
 * `fromOn` is not after it; a day before every entry has no price (engine.no_price).
 */
export function priceSegments(range: Period, prices: readonly EffectivePrice[]): { start: DateOn; end: DateOn; days: number; priceE4: number }[] {
  if (prices.length === 0) throw new EngineError('engine.no_price', 'no price given');
  const sorted = [...prices].sort((a, b) => dayNumber(a.fromOn, 'price.fromOn') - dayNumber(b.fromOn, 'price.fromOn'));
  sorted.forEach((p, i) => {
    requireSafeInteger(p.priceE4, 'priceE4', 0);
    if (i > 0 && sorted[i - 1]?.fromOn === p.fromOn) throw new EngineError('engine.invalid_rule', `two prices from ${p.fromOn}`);
  });
  if (sorted[0] !== undefined && sorted[0].fromOn > range.start) {
    throw new EngineError('engine.no_price', `no price is effective on ${range.start}`);
  }
  const out: { start: DateOn; end: DateOn; days: number; priceE4: number }[] = [];
  sorted.forEach((p, i) => {
    const next = sorted[i + 1];
    const start = maxDate(p.fromOn, range.start);
    const end = minDate(next ? addDays(next.fromOn, -1) : range.end, range.end);
    if (end >= start) out.push({ start, end, days: dayNumber(end) - dayNumber(start) + 1, priceE4: p.priceE4 });
  });
  return out;
}

function periodic(input: FixedChargeInput | AreaChargeInput): { gross: Ratio; steps: ExplanationStep[]; inputs: ExplanationInputs } {
  const months = cycleMonths(input.cycle);
  const proration: ProrationInfo = prorationOf(input.period, input.limits, input.prorate ?? true);
  // Base per month in cents per unit of priceE4: per room 1/100; per area areaDm2/10^4.
  const base = input.kind === 'area' ? ratio(requireSafeInteger(input.areaDm2, 'areaDm2', 0), 10_000) : ratio(1, 100);
  const steps: ExplanationStep[] = [];
  if (proration.active !== null) {
    // Not prorated: the whole period is charged at the price in force on its first chargeable day.
    const charged: Period = proration.prorated ? proration.active : input.period;
    const segments = proration.prorated
      ? priceSegments(charged, input.prices)
      : priceSegments({ start: proration.active.start, end: proration.active.start }, input.prices).map((s) => ({
          ...s,
          start: charged.start,
          end: charged.end,
          days: proration.periodDays,
        }));
    for (const s of segments) {
      const amount = mul(mul(base, ratio(BigInt(s.priceE4) * BigInt(months))), ratio(s.days, proration.periodDays));
      steps.push({ op: 'segment', start: s.start, end: s.end, days: s.days, periodDays: proration.periodDays, months, priceE4: s.priceE4, amount: toJson(amount) });
    }
  }
  const gross = sum(steps.map((s) => ratioOf(s.amount)));
  const inputs: ExplanationInputs = { period: input.period, cycle: input.cycle, months, proration };
  if (input.kind === 'area') {
    inputs.basis = input.basis;
    inputs.areaDm2 = input.areaDm2;
  }
  return { gross, steps, inputs };
}

function ratioOf(j: { num: string; den: string }): Ratio {
  return ratio(BigInt(j.num), BigInt(j.den));
}

/**
 * Computes one charge exactly, applies its discounts, rounds once under the fee item's rule and
 * explains every step. Pure: no clock, no database.
 */
export function computeCharge(input: ChargeInput): ChargeResult {
  let gross: Ratio;
  let steps: ExplanationStep[];
  let inputs: ExplanationInputs;
  switch (input.kind) {
    case 'fixed':
    case 'area':
      ({ gross, steps, inputs } = periodic(input));
      break;
    case 'usage': {
      requireSafeInteger(input.qtyE3, 'qtyE3', 0);
      requireSafeInteger(input.priceE4, 'priceE4', 0);
      gross = usageAmount(input.qtyE3, input.priceE4);
      steps = [{ op: 'usage', qtyE3: input.qtyE3, priceE4: input.priceE4, amount: toJson(gross) }];
      inputs = { qtyE3: input.qtyE3 };
      if (input.unit !== undefined) inputs.unit = input.unit;
      if (input.reading) inputs.reading = input.reading;
      break;
    }
    case 'tiered': {
      const prior = input.scope === 'year' ? (input.priorQtyE3 ?? 0) : 0;
      if (input.scope === 'period' && input.priorQtyE3) {
        throw new EngineError('engine.invalid_rule', 'per-period tiers do not carry prior usage');
      }
      const splits = splitTiers(input.qtyE3, input.tiers, prior);
      gross = sum(splits.map((s) => s.amount));
      steps = splits.map(tierStep);
      inputs = { qtyE3: input.qtyE3, tierScope: input.scope, priorQtyE3: prior };
      if (input.unit !== undefined) inputs.unit = input.unit;
      if (input.reading) inputs.reading = input.reading;
      break;
    }
    case 'one_off':
      requireSafeInteger(input.amountCents, 'amountCents');
      gross = ratio(input.amountCents);
      if (input.items && input.items.length > 0) {
        steps = input.items.map((it) => {
          requireSafeInteger(it.quantity, 'quantity', 0);
          requireSafeInteger(it.unitPriceCents, 'unitPriceCents', 0);
          return { op: 'item' as const, kind: it.kind, name: it.name, quantity: it.quantity, unitPriceCents: it.unitPriceCents, amount: toJson(ratio(it.quantity * it.unitPriceCents)) };
        });
        const itemsCents = input.items.reduce((s, it) => s + it.quantity * it.unitPriceCents, 0);
        if (itemsCents !== input.amountCents) throw new EngineError('engine.invalid_rule', `one-off items sum to ${itemsCents} cents, not ${input.amountCents}`);
      } else steps = [{ op: 'one_off', amountCents: input.amountCents, amount: toJson(gross) }];
      inputs = { amountCents: input.amountCents };
      break;
    default:
      throw new EngineError('engine.invalid_rule', `unknown charge kind: ${String((input as { kind: unknown }).kind)}`);
  }
  if (input.label !== undefined) inputs.label = input.label;
  return finish(input.kind, inputs, steps, gross, input.discounts ?? [], input.rounding ?? DEFAULT_ROUNDING);
}

/** Discounts, the single rounding, and the explanation: shared by every charge kind. */
export function finish(
  rule: ExplanationRule,
  inputs: ExplanationInputs,
  steps: ExplanationStep[],
  gross: Ratio,
  discounts: readonly Discount[],
  rounding: RoundingRule,
  limitCents?: number,
): ChargeResult {
  const { net, applied } = applyDiscounts(gross, discounts);
  const rounded = roundCents(net, rounding, limitCents === undefined ? {} : { limitCents });
  const grossCents = applied.length === 0 ? rounded.cents : roundCents(gross, rounding).cents;
  return {
    cents: rounded.cents,
    grossCents,
    discountCents: grossCents - rounded.cents,
    explanation: {
      v: 1,
      rule,
      inputs,
      steps,
      gross: toJson(gross),
      discounts: applied,
      exact: toJson(net),
      rounding: rounded,
      cents: rounded.cents,
    },
  };
}
