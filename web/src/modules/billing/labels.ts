import type { Bill } from '@courtyard/contracts';

/** Open bills oldest first (due date, then period), the order a payment settles them in. */
export function oldestFirst<T extends Pick<Bill, 'dueOn' | 'periodLabel' | 'id'>>(bills: readonly T[]): T[] {
  return [...bills].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.periodLabel.localeCompare(b.periodLabel) || a.id.localeCompare(b.id));
}

/** Integer sum; every input is cents. */
export function sumCents(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}

export const PRINT_CSS = `
@media print {
  body * { visibility: hidden !important; }
  .billing-print, .billing-print * { visibility: visible !important; }
  html, body { background: #fff !important; }
  .billing-print { position: fixed; left: 0; top: 0; width: 100%; padding: 12mm; box-sizing: border-box; background: #fff; }
  .billing-no-print { display: none !important; }
}`;
