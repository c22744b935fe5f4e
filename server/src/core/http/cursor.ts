import { invalid } from './errors.js';

/**
 * Keyset pagination cursors: the sort key of the last row, opaque to clients (base64url JSON).
 * A page is `WHERE (key) < (cursor) ORDER BY key DESC LIMIT n+1`, constant time at any depth.
 */
export function encodeCursor(values: (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === arity && parsed.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return parsed;
    }
  } catch {
    // fall through to the validation error below
  }
  throw invalid('/querystring/cursor', 'malformed cursor', '分页参数不正确');
}

/** Splits a fetched `limit + 1` rows into the page and the next cursor. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[]): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
