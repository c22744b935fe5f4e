/**
 * Invalid input to the billing engine. The engine is pure and never throws for business
 * outcomes (a refused meter reading is a result, not an exception); it throws only when a caller
 * hands it something that is not a valid amount, date, price or rule. Services translate the
 * `code` into their own `AppError`.
 */
export type EngineErrorCode =
  | 'engine.invalid_decimal'
  | 'engine.invalid_integer'
  | 'engine.invalid_date'
  | 'engine.invalid_period'
  | 'engine.invalid_rule'
  | 'engine.no_price'
  | 'engine.duplicate_key'
  | 'engine.overflow';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export function requireSafeInteger(value: number, what: string, min = Number.MIN_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new EngineError('engine.invalid_integer', `${what} must be a safe integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Converts an exact BigInt result back to a number, refusing anything beyond 2^53. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new EngineError('engine.overflow', `${what} exceeds the safe integer range`);
  }
  return Number(value);
}
