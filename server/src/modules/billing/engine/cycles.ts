import { addDays, addMonths, dayNumber, type DateOn, type Period } from './dates.js';
import { EngineError } from './errors.js';

export type BillingCycle = 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';
export const BILLING_CYCLES: readonly BillingCycle[] = ['monthly', 'quarterly', 'half_yearly', 'yearly'];

const MONTHS: Record<BillingCycle, number> = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 };

/** Months in one period of the cycle: a monthly price is multiplied by this (×3 for a quarter). */
export function cycleMonths(cycle: BillingCycle): number {
  const m = MONTHS[cycle];
  if (m === undefined) throw new EngineError('engine.invalid_rule', `unknown billing cycle: ${String(cycle)}`);
  return m;
}

/**
 * The k-th period of a cycle anchored at `anchorOn` (k = 0 is the period starting on the anchor;
 * k may be negative). Every period start is computed from the anchor, not from the previous
 * period, so an anchor on the 31st gives 01-31, 02-28, 03-31… and never drifts to the 28th.
 * A period ends the day before the next one starts.
 */
export function nthPeriod(cycle: BillingCycle, anchorOn: DateOn, k: number): Period {
  const m = cycleMonths(cycle);
  return { start: addMonths(anchorOn, k * m), end: addDays(addMonths(anchorOn, (k + 1) * m), -1) };
}

/** The period of the cycle that contains `dateOn` (anchor: any period start, e.g. '2026-01-01'). */
export function periodContaining(cycle: BillingCycle, anchorOn: DateOn, dateOn: DateOn): Period {
  const m = cycleMonths(cycle);
  dayNumber(anchorOn, 'anchor');
  const t = dayNumber(dateOn);
  const months = (Number(dateOn.slice(0, 4)) - Number(anchorOn.slice(0, 4))) * 12 + Number(dateOn.slice(5, 7)) - Number(anchorOn.slice(5, 7));
  let k = Math.floor(months / m);
  // The month estimate can be one off around the anchor's day of month; settle it exactly.
  for (let i = 0; i < 4; i++) {
    const p = nthPeriod(cycle, anchorOn, k);
    if (t < dayNumber(p.start)) k -= 1;
    else if (t > dayNumber(p.end)) k += 1;
    else return p;
  }
  throw new EngineError('engine.invalid_period', `no period of ${cycle} from ${anchorOn} contains ${dateOn}`);
}

/** Every period of the cycle that overlaps [fromOn, toOn], in order. */
export function periodsBetween(cycle: BillingCycle, anchorOn: DateOn, fromOn: DateOn, toOn: DateOn): Period[] {
  if (dayNumber(toOn) < dayNumber(fromOn)) throw new EngineError('engine.invalid_period', `${toOn} is before ${fromOn}`);
  const out: Period[] = [];
  let p = periodContaining(cycle, anchorOn, fromOn);
  while (p.start <= toOn) {
    out.push(p);
    p = periodContaining(cycle, anchorOn, addDays(p.end, 1));
  }
  return out;
}
