/**
 * Money in the registry (renovation deposits) travels as integer cents. Amounts typed in yuan are
 * parsed from the string, digit by digit: "1234.5" → 123450 exactly, never through a float
 * (0.1 + 0.2 must not become 30.000000000000004 cents).
 */

/** Yuan as typed ("1,234.50", "¥800", "0.5") → cents; null when it is not an amount with at most two decimals. */
export function yuanToCents(text: string): number | null {
  const cleaned = text.trim().replace(/^¥\s*/, '').replace(/,/g, '');
  const match = /^(\d{1,10})(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').padEnd(2, '0');
  const cents = Number(whole) * 100 + Number(fraction);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Cents → "¥1,234.50" (grouping by thousands, always two decimals). */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}¥${whole}.${fraction}`;
}

/** Cents → the plain yuan string a form field shows ("1234.50"). */
export function centsToYuanText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
