import type { BillingCycle } from './cycles.js';
import type { DateOn, Period } from './dates.js';
import type { RatioJson } from './rational.js';
import type { RoundingApplied } from './rounding.js';

/**
 * How an amount was computed, stored verbatim as JSON on bill lines (`explanation_json`) and
 * rendered for staff, owners and receipts by `renderExplanation`. The shape is versioned (`v`);
 * fields are only ever added. Every exact amount is a `RatioJson` of **cents**; every other
 * number is an integer in the engine's units (`areaDm2`, `priceE4`, `qtyE3`, …).
 */
export interface Explanation {
  v: 1;
  rule: ExplanationRule;
  inputs: ExplanationInputs;
  steps: ExplanationStep[];
  /** Exact amount before discounts, in cents. */
  gross: RatioJson;
  discounts: DiscountApplied[];
  /** Exact amount after discounts, in cents: the value that was rounded. */
  exact: RatioJson;
  rounding: RoundingApplied;
  /** Final amount in cents (= rounding.cents). */
  cents: number;
}

export type ExplanationRule = 'fixed' | 'area' | 'usage' | 'tiered' | 'one_off' | 'apportioned' | 'late_fee';

/** Which date limited the chargeable range (start limits are first days, end limits last days). */
export type ActiveLimitKind = 'period' | 'delivered' | 'move_in' | 'rule_start' | 'move_out' | 'rule_end';

export interface ProrationInfo {
  /** Chargeable range inside the period, or null when no day is chargeable. */
  active: Period | null;
  activeDays: number;
  periodDays: number;
  startLimit: ActiveLimitKind;
  endLimit: ActiveLimitKind;
  /** false when the fee item charges whole periods (any active day bills the full period). */
  prorated: boolean;
}

export interface ReadingRef {
  previousE3: number;
  currentE3: number;
  previousOn: DateOn;
  currentOn: DateOn;
  multiplierE4: number;
  rolledOver: boolean;
}

export interface ExplanationInputs {
  label?: string;
  period?: Period;
  cycle?: BillingCycle;
  months?: number;
  proration?: ProrationInfo;
  basis?: 'building' | 'inner';
  areaDm2?: number;
  qtyE3?: number;
  /** Unit of the metered quantity for display ('m³', 'kWh'); the arithmetic ignores it. */
  unit?: string;
  reading?: ReadingRef;
  tierScope?: 'period' | 'year';
  priorQtyE3?: number;
  amountCents?: number;
  apportion?: {
    basis: ApportionBasis;
    totalCents: number;
    weight: string;
    totalWeight: string;
    parts: number;
    /** Every weight was zero, so the total was split equally. */
    equalFallback: boolean;
  };
  lateFee?: {
    principalCents: number;
    dueOn: DateOn;
    graceDays: number;
    dailyRatePpm: number;
    asOf: DateOn;
    capCents: number | null;
  };
}

export type ApportionBasis = 'area' | 'equal' | 'usage';

export type ExplanationStep =
  /** A stretch of days charged at one price: base × priceE4/month × months × days/periodDays. */
  | { op: 'segment'; start: DateOn; end: DateOn; days: number; periodDays: number; months: number; priceE4: number; amount: RatioJson }
  | { op: 'usage'; qtyE3: number; priceE4: number; amount: RatioJson }
  /** Part of the usage that fell in one tier; `tier` counts from 1, `toE3` null = unbounded. */
  | { op: 'tier'; tier: number; fromE3: number; toE3: number | null; qtyE3: number; priceE4: number; amount: RatioJson }
  | { op: 'one_off'; amountCents: number; amount: RatioJson }
  /** One priced item of a one-off charge (a paid repair's material or labour): quantity × unit price. */
  | { op: 'item'; kind: 'material' | 'labour'; name: string; quantity: number; unitPriceCents: number; amount: RatioJson }
  | { op: 'share'; totalCents: number; weight: string; totalWeight: string; amount: RatioJson }
  | { op: 'late_fee'; principalCents: number; dailyRatePpm: number; fromOn: DateOn; toOn: DateOn; days: number; amount: RatioJson }
  /** The amount was limited to `capCents` (late-fee cap). */
  | { op: 'cap'; capCents: number; before: RatioJson; amount: RatioJson };

export type DiscountSource = 'prepay' | 'vacancy' | 'manual' | 'rule';

export interface DiscountApplied {
  kind: 'percent' | 'fixed';
  source: DiscountSource;
  label?: string;
  /** Percentage off in basis points (kind percent). */
  offBp?: number;
  /** Amount off in cents (kind fixed), before being limited to what remained. */
  offCents?: number;
  /** Exact discount actually taken, in cents (never more than what remained). */
  amount: RatioJson;
  /** Prepaid months (source prepay). */
  months?: number;
}
