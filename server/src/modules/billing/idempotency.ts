import crypto from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Db, Tx } from '../../core/db/schema.js';
import { AppError, fieldError, invalid } from '../../core/http/errors.js';
import type { RequestContext } from '../../core/http/context.js';

/**
 * Idempotency keys (PRODUCT issue 5: "same key replays the first result, a different body with the
 * same key is refused"). How it works, on both dialects:
 *
 * - The key row is inserted `pending` as the FIRST statement of the use case's transaction and
 *   completed with the response at its end, in the same transaction. Nobody else ever sees a
 *   pending row: an error or a crash rolls back the key together with the effect, and the retry
 *   simply runs again (failures are not stored — a refused request can be corrected and retried).
 * - A concurrent request with the same key waits instead of getting 409: on PostgreSQL its
 *   `insert … on conflict do nothing` blocks on the unique index until the first transaction ends,
 *   then finds the completed row; on SQLite the single connection serialises the transactions.
 * - Same key, same body → the stored status and body, byte for byte. Same key, other body →
 *   422 `billing.idempotency_conflict`.
 */
export interface IdempotentResult {
  status: number;
  /** The JSON body exactly as first sent. */
  body: string;
  replayed: boolean;
}

export interface Idempotency {
  run(scope: string, key: string, request: unknown, work: (tx: Tx) => Promise<{ status: number; body: unknown }>): Promise<IdempotentResult>;
}

const KEY_PATTERN = /^[A-Za-z0-9_\-:.]{8,200}$/;

/** The scope of a key: who asked (user or API token) and which route, so keys never collide across callers. */
export function idempotencyScope(ctx: RequestContext, route: string): string {
  return `${ctx.actor.kind}:${ctx.actor.userId ?? ctx.actor.name} ${route}`;
}

/** Validates the `Idempotency-Key` header: required on every payment request. */
export function requireKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) throw new AppError('billing.idempotency_key_required', [fieldError('/headers/idempotency-key', 'required', '必须填写')]);
  if (!KEY_PATTERN.test(key)) throw invalid('/headers/idempotency-key', 'use 8–200 letters, digits, -, _, :, .', '应为 8–200 个字母、数字或 - _ : . 字符');
  return key;
}

/** JSON with sorted object keys, so that field order does not change the request's hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function createIdempotency(deps: { db: Db; clock: Clock }): Idempotency {
  return {
    async run(scope, key, request, work) {
      const requestHash = crypto.createHash('sha256').update(canonicalJson(request)).digest('hex');
      return deps.db.transaction().execute(async (tx) => {
        const inserted = await tx
          .insertInto('idempotency_keys')
          .values({ scope, key, request_hash: requestHash, status: 'pending', response_status: 0, response_body: '', created_at: deps.clock.now().toISOString() })
          .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
          .returning('key')
          .executeTakeFirst();
        if (!inserted) {
          const row = await tx.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
          if (row.request_hash !== requestHash) throw new AppError('billing.idempotency_conflict');
          return { status: Number(row.response_status), body: row.response_body, replayed: true };
        }
        const result = await work(tx);
        const body = JSON.stringify(result.body);
        await tx.updateTable('idempotency_keys').set({ status: 'completed', response_status: result.status, response_body: body }).where('scope', '=', scope).where('key', '=', key).execute();
        return { status: result.status, body, replayed: false };
      });
    },
  };
}
