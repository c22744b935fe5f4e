import { EngineError, requireSafeInteger } from './errors.js';
import type { ApportionBasis, Explanation } from './explanation.js';
import { ratio, sub, toJson, type Ratio } from './rational.js';

export interface ApportionPart {
  /** Stable, unique key (a room id or code): breaks ties between equal remainders. */
  key: string;
  /**
   * The part's weight: building area in dm² (`area`), its own usage in thousandths (`usage`);
   * ignored for `equal`. Any non-negative integer, BigInt for sums beyond 2^53.
   */
  weight?: number | bigint;
}

export interface ApportionInput {
  totalCents: number;
  basis: ApportionBasis;
  parts: readonly ApportionPart[];
  label?: string;
}

export interface ApportionedPart {
  key: string;
  cents: number;
  /** The part's exact share of the total, in cents. */
  exact: Ratio;
  explanation: Explanation;
}

export interface ApportionResult {
  parts: ApportionedPart[];
  /** Every weight was zero (no usage at all, say), so the total was split equally. */
  equalFallback: boolean;
}

function compareKeys(a: string, b: string): number {
  // Code-unit order, not locale order: the same on every machine and in every database.
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Apportions (公摊) `totalCents` over the parts in proportion to their weights with the
 * largest-remainder method: each part gets the floor of its exact share, and the cents left over
 * go one each to the parts with the largest fractional remainders; equal remainders go first to
 * the smaller `key` (code-unit order). The parts always sum exactly to the total, and each part
 * differs from its exact share by less than one cent. A negative total (a credit) is apportioned
 * as its absolute value and negated. When every weight is zero the total is split equally.
 * Parts come back in input order.
 */
export function apportion(input: ApportionInput): ApportionResult {
  const total = requireSafeInteger(input.totalCents, 'totalCents');
  const parts = input.parts;
  if (parts.length === 0) {
    if (total !== 0) throw new EngineError('engine.invalid_rule', 'cannot apportion an amount over no parts');
    return { parts: [], equalFallback: false };
  }
  const seen = new Set<string>();
  for (const p of parts) {
    if (seen.has(p.key)) throw new EngineError('engine.duplicate_key', `duplicate apportionment key ${p.key}`);
    seen.add(p.key);
  }
  let weights = parts.map((p, i) => {
    if (input.basis === 'equal') return 1n;
    const w = p.weight;
    if (w === undefined) throw new EngineError('engine.invalid_rule', `parts[${i}] has no weight`);
    const b = typeof w === 'bigint' ? w : BigInt(requireSafeInteger(w, `parts[${i}].weight`, 0));
    if (b < 0n) throw new EngineError('engine.invalid_integer', `parts[${i}].weight is negative`);
    return b;
  });
  let totalWeight = weights.reduce((a, b) => a + b, 0n);
  const equalFallback = totalWeight === 0n;
  if (equalFallback) {
    weights = weights.map(() => 1n);
    totalWeight = BigInt(weights.length);
  }
  const sign = total < 0 ? -1n : 1n;
  const abs = BigInt(total) * sign;
  const floors = weights.map((w) => (abs * w) / totalWeight);
  const remainders = weights.map((w) => (abs * w) % totalWeight);
  let left = abs - floors.reduce((a, b) => a + b, 0n);
  // Remainders are below totalWeight: compare them as numbers when that is exact (the usual case).
  const rem: readonly (number | bigint)[] = totalWeight <= BigInt(Number.MAX_SAFE_INTEGER) ? remainders.map(Number) : remainders;
  const keys = parts.map((p) => p.key);
  const order = keys
    .map((_, i) => i)
    .sort((i, j) => {
      const ri = rem[i] ?? 0;
      const rj = rem[j] ?? 0;
      if (ri !== rj) return ri > rj ? -1 : 1;
      return compareKeys(keys[i] ?? '', keys[j] ?? '');
    });
  const cents = [...floors];
  for (const i of order) {
    if (left === 0n) break;
    cents[i] = (cents[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return {
    equalFallback,
    parts: parts.map((p, i) => {
      const weight = weights[i] ?? 0n;
      const exact = ratio(sign * abs * weight, totalWeight);
      const c = Number(sign * (cents[i] ?? 0n));
      const inputs: Explanation['inputs'] = {
        amountCents: total,
        apportion: {
          basis: input.basis,
          totalCents: total,
          weight: weight.toString(),
          totalWeight: totalWeight.toString(),
          parts: parts.length,
          equalFallback,
        },
      };
      if (input.label !== undefined) inputs.label = input.label;
      const explanation: Explanation = {
        v: 1,
        rule: 'apportioned',
        inputs,
        steps: [{ op: 'share', totalCents: total, weight: weight.toString(), totalWeight: totalWeight.toString(), amount: toJson(exact) }],
        gross: toJson(exact),
        discounts: [],
        exact: toJson(exact),
        rounding: { unit: 'cent', mode: 'largest_remainder', exact: toJson(exact), cents: c, adjustment: toJson(sub(ratio(c), exact)) },
        cents: c,
      };
      return { key: p.key, cents: c, exact, explanation };
    }),
  };
}
