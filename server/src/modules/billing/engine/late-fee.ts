import { finish, priceSegments, type ChargeResult } from './charges.js';
import { addDays, dayNumber, type DateOn } from './dates.js';
import { EngineError, requireSafeInteger } from './errors.js';
import type { ExplanationStep } from './explanation.js';
import { cmp, min, ratio, sum, toJson, type Ratio } from './rational.js';
import { DEFAULT_ROUNDING, type RoundingRule } from './rounding.js';

/**
 * Ceiling of the late fee on one bill: by default never above the principal (`principal`),
 * or a fixed amount of cents, or none.
 */
export type LateFeeCap = { kind: 'principal' } | { kind: 'cents'; cents: number } | { kind: 'none' };

export interface LateFeeInput {
  /** Outstanding principal from the due date. */
  principalCents: number;
  /**
   * Later changes of the outstanding principal (a partial payment on 04-20 → `{ fromOn:
   * '2026-04-20', principalCents: 400_00 }`): from that day on the fee accrues on the new amount.
   */
  principalChanges?: readonly { fromOn: DateOn; principalCents: number }[];
  dueOn: DateOn;
  /** Days after the due date without a fee (宽限期). */
  graceDays: number;
  /** Parts per million of the principal per day (0.05 %/day = 500). */
  dailyRatePpm: number;
  /** The fee is computed as of the end of this day. */
  asOf: DateOn;
  cap?: LateFeeCap;
  rounding?: RoundingRule;
  label?: string;
}

export interface LateFeeResult extends ChargeResult {
  /** Days the fee accrued (0 while within the grace days). */
  days: number;
  /** First day that accrues a fee: dueOn + graceDays + 1. */
  accruesFrom: DateOn;
  /** The cap limited the amount. */
  capped: boolean;
}

/**
 * The late fee (滞纳金) on one overdue bill as of `asOf`: principal × daily rate × days, for each
 * day after the due date plus the grace days (due 03-31 with 15 grace days: the first fee day is
 * 04-16), capped, rounded once by the fee item's rule. The cap always wins over rounding: with
 * 角 rounding and a principal of 10.05 the fee stops at 10.00.
 */
export function lateFee(input: LateFeeInput): LateFeeResult {
  const principal = requireSafeInteger(input.principalCents, 'principalCents', 0);
  requireSafeInteger(input.graceDays, 'graceDays', 0);
  requireSafeInteger(input.dailyRatePpm, 'dailyRatePpm', 0);
  const accruesFrom = addDays(input.dueOn, input.graceDays + 1);
  const days = Math.max(0, dayNumber(input.asOf, 'asOf') - dayNumber(accruesFrom) + 1);
  const cap = input.cap ?? { kind: 'principal' };
  let capCents: number | null;
  if (cap.kind === 'principal') capCents = principal;
  else if (cap.kind === 'cents') capCents = requireSafeInteger(cap.cents, 'cap', 0);
  else if (cap.kind === 'none') capCents = null;
  else throw new EngineError('engine.invalid_rule', 'unknown late-fee cap');

  const steps: ExplanationStep[] = [];
  if (days > 0) {
    for (const c of input.principalChanges ?? []) {
      requireSafeInteger(c.principalCents, 'principalChanges.principalCents', 0);
      if (dayNumber(c.fromOn) <= dayNumber(input.dueOn)) throw new EngineError('engine.invalid_rule', 'a principal change must come after the due date');
    }
    // The principal history splits the accrual days like effective-dated prices split a period.
    const segments = priceSegments({ start: accruesFrom, end: input.asOf }, [
      { fromOn: input.dueOn, priceE4: principal },
      ...(input.principalChanges ?? []).map((c) => ({ fromOn: c.fromOn, priceE4: c.principalCents })),
    ]);
    for (const s of segments) {
      const amount = ratio(BigInt(s.priceE4) * BigInt(input.dailyRatePpm) * BigInt(s.days), 1_000_000n);
      steps.push({ op: 'late_fee', principalCents: s.priceE4, dailyRatePpm: input.dailyRatePpm, fromOn: s.start, toOn: s.end, days: s.days, amount: toJson(amount) });
    }
  }
  let gross: Ratio = sum(steps.map((s) => (s.op === 'late_fee' ? ratio(BigInt(s.amount.num), BigInt(s.amount.den)) : ratio(0))));
  let capped = false;
  if (capCents !== null && cmp(gross, ratio(capCents)) > 0) {
    capped = true;
    const before = gross;
    gross = min(gross, ratio(capCents));
    steps.push({ op: 'cap', capCents, before: toJson(before), amount: toJson(gross) });
  }
  const result = finish(
    'late_fee',
    {
      ...(input.label !== undefined ? { label: input.label } : {}),
      lateFee: { principalCents: principal, dueOn: input.dueOn, graceDays: input.graceDays, dailyRatePpm: input.dailyRatePpm, asOf: input.asOf, capCents },
    },
    steps,
    gross,
    [],
    input.rounding ?? DEFAULT_ROUNDING,
    capCents ?? undefined,
  );
  return { ...result, days, accruesFrom, capped: capped || result.explanation.rounding.limitCents !== undefined };
}

/**
 * What a daily job posts today: the late fee as of `asOf` minus what was already charged on the
 * bill, never negative. Summed over consecutive days it equals `lateFee` as of the last day (the
 * total only grows with the days, and the cap is applied to the total, not per day).
 */
export function lateFeeIncrement(input: LateFeeInput & { alreadyChargedCents: number }): { addCents: number; totalCents: number; result: LateFeeResult } {
  requireSafeInteger(input.alreadyChargedCents, 'alreadyChargedCents', 0);
  const result = lateFee(input);
  return { addCents: Math.max(0, result.cents - input.alreadyChargedCents), totalCents: result.cents, result };
}
