/**
 * The billing engine: pure, exact billing arithmetic (no database, no clock). See README.md.
 * Other modules import it through the billing module's index; billing's own code imports this file.
 */
export { EngineError, type EngineErrorCode } from './errors.js';
export { ratio, add, sub, mul, div, sum, cmp, isZero, toJson, fromJson, toDecimalText, ZERO, type Ratio, type RatioJson } from './rational.js';
export {
  parseScaled,
  formatScaled,
  parsePriceE4,
  formatPriceE4,
  parseCents,
  formatCents,
  parseAreaDm2,
  formatAreaDm2,
  parseQtyE3,
  formatQtyE3,
  parseMultiplierE4,
  formatMultiplierE4,
  parsePercentBp,
  formatPercentBp,
  parseDailyRatePpm,
  formatDailyRatePpm,
} from './decimal.js';
export { dayNumber, fromDayNumber, addDays, addMonths, daysBetween, periodDays, assertPeriod, type DateOn, type Period } from './dates.js';
export { BILLING_CYCLES, cycleMonths, nthPeriod, periodContaining, periodsBetween, type BillingCycle } from './cycles.js';
export {
  DEFAULT_ROUNDING,
  ROUNDING_UNIT_CENTS,
  roundCents,
  roundRatio,
  type RoundingApplied,
  type RoundingMode,
  type RoundingRule,
  type RoundingUnit,
} from './rounding.js';
export { prorationOf, prorationFactor, type ActiveLimits } from './proration.js';
export { splitTiers, validateTiers, usageAmount, type Tier, type TierSplit } from './tiers.js';
export { applyDiscounts, prepayDiscount, vacancyDiscount, type Discount, type PrepayRule } from './discounts.js';
export {
  computeCharge,
  finish,
  priceSegments,
  type AreaChargeInput,
  type ChargeInput,
  type ChargeResult,
  type EffectivePrice,
  type FixedChargeInput,
  type OneOffChargeInput,
  type OneOffItem,
  type TieredChargeInput,
  type UsageChargeInput,
} from './charges.js';
export { apportion, type ApportionInput, type ApportionPart, type ApportionResult, type ApportionedPart } from './apportion.js';
export type {
  ActiveLimitKind,
  ApportionBasis,
  DiscountApplied,
  DiscountSource,
  Explanation,
  ExplanationInputs,
  ExplanationRule,
  ExplanationStep,
  ProrationInfo,
  ReadingRef,
} from './explanation.js';
export {
  meterUsage,
  SPIKE_FACTOR,
  SPIKE_MIN_HISTORY,
  type MeterReadingInput,
  type MeterSpec,
  type MeterUsageResult,
  type ReadingFlag,
  type ReadingRefusal,
} from './meter.js';
export { lateFee, lateFeeIncrement, type LateFeeCap, type LateFeeInput, type LateFeeResult } from './late-fee.js';
export { renderExplanation, yuanText, type ExplanationLocale } from './render.js';
