/**
 * Money on screen: always integer cents in, text out; user input parsed as a decimal string
 * straight to cents (never through a float), so 0.1 + 0.2 problems cannot reach a payment.
 */

/** 123456 → "1,234.56"; negative amounts keep their sign. */
export function formatCents(cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.trunc(cents));
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fen = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${yuan}.${fen}`;
}

/** "¥1,234.56" */
export function yuan(cents: number): string {
  return `¥${formatCents(cents)}`;
}

/**
 * "1234.5" → 123450, "1,234.56" → 123456, "" / "abc" / "1.234" → null. Digits are read as text:
 * the amount is exact whatever its size (up to 1e11 cents, the API's limit).
 */
export function parseYuanToCents(text: string): number | null {
  const s = text.replace(/[,\s¥]/g, '');
  const m = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const fen = (m[2] ?? '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(fen);
}

/** Cents as the plain decimal text an input shows ("1234.50"). */
export function centsToInput(cents: number): string {
  return formatCents(cents).replace(/,/g, '');
}
