import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec } from '../../core/db/schema.js';
import type { Events } from '../../core/events/outbox.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { AppError, fieldError } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';

export interface PropertiesDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  events: Events;
  /** Contractor phones of renovations are personal data: encrypted at rest. */
  cipher: FieldCipher;
  /** Checks a community's manager account exists (identity, passed in by app.ts). */
  userExists?: (exec: Exec, id: string) => Promise<boolean>;
}

/** 409 naming the field whose value is already taken (code, number, name). */
export const taken = (field: string, en: string, zh: string) => new AppError('properties.code_taken', [fieldError(field, en, zh)]);

/** A unique constraint fired (a concurrent insert won the race after our check): same answer as the check. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function guardUnique<T>(work: Promise<T>, field: string): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (isUniqueViolation(err)) throw taken(field, 'already in use', '已被使用');
    throw err;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cursor parts come from the client: an id that is not a uuid would be a database error on PostgreSQL. */
export function cursorId(value: string | number | undefined): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new AppError('request.invalid', [fieldError('/querystring/cursor', 'malformed cursor', '分页参数不正确')]);
  return value;
}
export function cursorText(value: string | number | undefined): string {
  if (typeof value !== 'string') throw new AppError('request.invalid', [fieldError('/querystring/cursor', 'malformed cursor', '分页参数不正确')]);
  return value;
}
