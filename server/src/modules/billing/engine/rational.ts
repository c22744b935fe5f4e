import { EngineError } from './errors.js';

/**
 * An exact rational number n/d (d > 0, reduced). Every amount stays a `Ratio` of cents until the
 * single rounding step (`roundCents`), so that segments, tiers and discounts sum exactly.
 */
export interface Ratio {
  readonly n: bigint;
  readonly d: bigint;
}

/** The JSON form of a `Ratio` (BigInt is not JSON-serialisable): decimal integer strings. */
export interface RatioJson {
  num: string;
  den: string;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function ratio(n: bigint | number, d: bigint | number = 1n): Ratio {
  const bn = typeof n === 'number' ? toBig(n) : n;
  let bd = typeof d === 'number' ? toBig(d) : d;
  if (bd === 0n) throw new EngineError('engine.invalid_rule', 'division by zero');
  let num = bn;
  if (bd < 0n) {
    num = -num;
    bd = -bd;
  }
  const g = gcd(num, bd);
  return g > 1n ? { n: num / g, d: bd / g } : { n: num, d: bd };
}

function toBig(value: number): bigint {
  if (!Number.isSafeInteger(value)) throw new EngineError('engine.invalid_integer', `not a safe integer: ${String(value)}`);
  return BigInt(value);
}

export const ZERO: Ratio = { n: 0n, d: 1n };

export function add(a: Ratio, b: Ratio): Ratio {
  return ratio(a.n * b.d + b.n * a.d, a.d * b.d);
}
export function sub(a: Ratio, b: Ratio): Ratio {
  return ratio(a.n * b.d - b.n * a.d, a.d * b.d);
}
export function mul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.n * b.n, a.d * b.d);
}
export function div(a: Ratio, b: Ratio): Ratio {
  return ratio(a.n * b.d, a.d * b.n);
}
export function sum(values: readonly Ratio[]): Ratio {
  return values.reduce(add, ZERO);
}
export function cmp(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}
export function min(a: Ratio, b: Ratio): Ratio {
  return cmp(a, b) <= 0 ? a : b;
}
export function max(a: Ratio, b: Ratio): Ratio {
  return cmp(a, b) >= 0 ? a : b;
}
export function isZero(a: Ratio): boolean {
  return a.n === 0n;
}
export function isInteger(a: Ratio): boolean {
  return a.d === 1n;
}

export function toJson(a: Ratio): RatioJson {
  return { num: a.n.toString(), den: a.d.toString() };
}
export function fromJson(j: RatioJson): Ratio {
  if (!/^-?\d+$/.test(j.num) || !/^\d+$/.test(j.den)) throw new EngineError('engine.invalid_integer', 'malformed ratio');
  return ratio(BigInt(j.num), BigInt(j.den));
}

/** Floor division for BigInt (rounds toward −∞, unlike `/`). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return (n % d !== 0n && (n < 0n) !== (d < 0n)) ? q - 1n : q;
}

/**
 * Decimal text of `a / scale` truncated to `places` digits, with `exact` telling whether digits
 * were dropped. Used only for display ("115.3395…"); never for arithmetic.
 */
export function toDecimalText(a: Ratio, scale: bigint, places: number): { text: string; exact: boolean } {
  const neg = a.n < 0n;
  const n = neg ? -a.n : a.n;
  const p = 10n ** BigInt(places);
  const scaledN = n * p;
  const scaledD = a.d * scale;
  const q = scaledN / scaledD;
  const exact = scaledN % scaledD === 0n;
  const whole = q / p;
  const frac = (q % p).toString().padStart(places, '0');
  const text = `${neg && q !== 0n ? '-' : ''}${whole.toString()}${places > 0 ? `.${frac}` : ''}`;
  return { text, exact };
}
