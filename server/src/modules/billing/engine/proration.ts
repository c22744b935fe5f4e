import { assertPeriod, dayNumber, periodDays, type DateOn, type Period } from './dates.js';
import type { ActiveLimitKind, ProrationInfo } from './explanation.js';
import { ratio, type Ratio } from './rational.js';

/**
 * Dates that limit the chargeable days of a period. Start limits are the **first** chargeable
 * day (a room delivered or moved into on the 17th is charged from the 17th, inclusive); end limits
 * are the **last** chargeable day (a move-out on the 10th is charged through the 10th).
 */
export interface ActiveLimits {
  deliveredOn?: DateOn | null;
  moveInOn?: DateOn | null;
  ruleStartOn?: DateOn | null;
  moveOutOn?: DateOn | null;
  ruleEndOn?: DateOn | null;
}

/** Chargeable range of a period: the period clipped by every limit, latest start, earliest end. */
export function prorationOf(period: Period, limits: ActiveLimits = {}, prorated = true): ProrationInfo {
  assertPeriod(period);
  let start = period.start;
  let startLimit: ActiveLimitKind = 'period';
  let end = period.end;
  let endLimit: ActiveLimitKind = 'period';
  const starts: [ActiveLimitKind, DateOn | null | undefined][] = [
    ['delivered', limits.deliveredOn],
    ['move_in', limits.moveInOn],
    ['rule_start', limits.ruleStartOn],
  ];
  for (const [kind, on] of starts) {
    if (on != null && dayNumber(on, kind) > dayNumber(start)) {
      start = on;
      startLimit = kind;
    }
  }
  const ends: [ActiveLimitKind, DateOn | null | undefined][] = [
    ['move_out', limits.moveOutOn],
    ['rule_end', limits.ruleEndOn],
  ];
  for (const [kind, on] of ends) {
    if (on != null && dayNumber(on, kind) < dayNumber(end)) {
      end = on;
      endLimit = kind;
    }
  }
  const total = periodDays(period);
  const empty = dayNumber(end) < dayNumber(start);
  return {
    active: empty ? null : { start, end },
    activeDays: empty ? 0 : dayNumber(end) - dayNumber(start) + 1,
    periodDays: total,
    startLimit,
    endLimit,
    prorated,
  };
}

/** The charged fraction of the period: activeDays/periodDays, or 1/0 when not prorated. */
export function prorationFactor(info: ProrationInfo): Ratio {
  if (!info.prorated) return ratio(info.activeDays > 0 ? 1 : 0);
  return ratio(info.activeDays, info.periodDays);
}
