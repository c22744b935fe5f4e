import { EngineError } from './errors.js';

/**
 * Exact decimal text ⇄ scaled integers. Every unit of the engine is an integer count of a fixed
 * fraction: cents (2 places of a yuan), `priceE4` (4 places of a yuan), `areaDm2` (2 places of a
 * m²), `qtyE3` (3 places of a unit), `multiplierE4` and `percent` basis points. Parsing accepts
 * only strings such as "2.35" or "-12.5" with at most the allowed number of places: a JavaScript
 * number (a float), an exponent, spaces, commas or a fourth decimal on a 3-place quantity are
 * refused rather than silently rounded.
 */
export function parseScaled(text: unknown, places: number, what: string, options: { allowNegative?: boolean } = {}): number {
  if (typeof text !== 'string') {
    throw new EngineError('engine.invalid_decimal', `${what} must be a decimal string, got ${typeof text}`);
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new EngineError('engine.invalid_decimal', `${what} is not a decimal number: "${text}"`);
  const [, sign = '', whole = '', frac = ''] = m;
  if (sign === '-' && !options.allowNegative) throw new EngineError('engine.invalid_decimal', `${what} must not be negative: "${text}"`);
  if (frac.length > places) {
    throw new EngineError('engine.invalid_decimal', `${what} has more than ${places} decimal places: "${text}"`);
  }
  const digits = BigInt(whole + frac.padEnd(places, '0'));
  const value = sign === '-' ? -digits : digits;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new EngineError('engine.invalid_decimal', `${what} is out of range: "${text}"`);
  }
  return Number(value);
}

/** Formats a scaled integer with exactly `places` decimals ("2.3500" for 23500 at 4 places). */
export function formatScaled(value: number | bigint, places: number): string {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new EngineError('engine.invalid_integer', `not a safe integer: ${String(value)}`);
  }
  const v = BigInt(value);
  const neg = v < 0n;
  const abs = (neg ? -v : v).toString().padStart(places + 1, '0');
  const whole = abs.slice(0, abs.length - places);
  const frac = abs.slice(abs.length - places);
  return `${neg ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
}

/** "2.35" / "2.3500" → 23500 (ten-thousandths of a yuan). */
export const parsePriceE4 = (text: unknown): number => parseScaled(text, 4, 'price');
/** 23500 → "2.3500". */
export const formatPriceE4 = (priceE4: number): string => formatScaled(priceE4, 4);
/** "115.35" → 11535; negative amounts allowed (refunds, reversals). */
export const parseCents = (text: unknown): number => parseScaled(text, 2, 'amount', { allowNegative: true });
/** 11535 → "115.35". */
export const formatCents = (cents: number): string => formatScaled(cents, 2);
/** "89.50" m² → 8950. */
export const parseAreaDm2 = (text: unknown): number => parseScaled(text, 2, 'area');
export const formatAreaDm2 = (areaDm2: number): string => formatScaled(areaDm2, 2);
/** "12.345" → 12345 (thousandths of a unit: m³, kWh…). */
export const parseQtyE3 = (text: unknown): number => parseScaled(text, 3, 'quantity');
export const formatQtyE3 = (qtyE3: number): string => formatScaled(qtyE3, 3);
/** Meter multiplier (倍率) "40" or "1.5" → 400000 / 15000 (ten-thousandths). */
export const parseMultiplierE4 = (text: unknown): number => parseScaled(text, 4, 'multiplier');
export const formatMultiplierE4 = (multiplierE4: number): string => formatScaled(multiplierE4, 4);
/** Percentage "12.5" → 1250 basis points (hundredths of a percent). */
export const parsePercentBp = (text: unknown): number => parseScaled(text, 2, 'percentage');
export const formatPercentBp = (bp: number): string => formatScaled(bp, 2);
/** Daily late-fee rate as a percentage per day "0.05" → 500 ppm (parts per million per day). */
export const parseDailyRatePpm = (text: unknown): number => parseScaled(text, 4, 'daily rate');
export const formatDailyRatePpm = (ppm: number): string => formatScaled(ppm, 4);
