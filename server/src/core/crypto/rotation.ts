import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { FieldCipher } from './field.js';

/**
 * Which columns hold field-encrypted values. Each module declares its own (exported from its
 * index.ts) and the composition root hands the list to the rotation, so core never names a table.
 */
export interface EncryptedColumns {
  table: string;
  /** A unique, orderable column (the primary key) to walk the table in keyset batches. */
  key: string;
  columns: string[];
}

export interface RotationProgress {
  table: string;
  /** Rows visited so far in this table. */
  rows: number;
  /** Values re-encrypted so far in this table. */
  rewritten: number;
}

/** Counts values not yet on the cipher's current key, per table (0 everywhere = rotation done). */
export async function countStale(db: Db, cipher: FieldCipher, registry: EncryptedColumns[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const prefix = `aes256gcm.k${cipher.version}.%`;
  for (const spec of registry) {
    let total = 0;
    for (const column of spec.columns) {
      const row = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(spec.table)} where ${sql.ref(column)} is not null and ${sql.ref(column)} <> '' and ${sql.ref(column)} not like ${prefix}`.execute(db);
      total += Number(row.rows[0]?.n ?? 0);
    }
    out[spec.table] = total;
  }
  return out;
}

/**
 * Re-encrypts every value of the registered columns that is not on the current key, table by
 * table in keyset batches of `batchSize` rows, one short transaction per batch (the server keeps
 * running; no long lock). Resumable: values already on the current key are skipped, so running it
 * again after an interruption continues where it stopped. Empty strings (a "no secret" marker in
 * some tables) are left alone.
 */
export async function reencryptAll(
  db: Db,
  cipher: FieldCipher,
  registry: EncryptedColumns[],
  options: { batchSize?: number; onProgress?: (p: RotationProgress) => void } = {},
): Promise<RotationProgress[]> {
  const batchSize = options.batchSize ?? 500;
  const results: RotationProgress[] = [];
  for (const spec of registry) {
    const progress: RotationProgress = { table: spec.table, rows: 0, rewritten: 0 };
    let after: string | null = null;
    for (;;) {
      const cols = sql.join([spec.key, ...spec.columns].map((c) => sql.ref(c)));
      const keyRef = sql.ref(spec.key);
      const batch: Record<string, string | null>[] = (
        await sql<Record<string, string | null>>`select ${cols} from ${sql.table(spec.table)} ${after === null ? sql`` : sql`where ${keyRef} > ${after}`} order by ${keyRef} limit ${batchSize}`.execute(db)
      ).rows;
      if (batch.length === 0) break;
      await db.transaction().execute(async (tx) => {
        for (const row of batch) {
          const updates = spec.columns.flatMap((c) => {
            const value = row[c];
            if (!value || cipher.isCurrent(value)) return [];
            return [sql`${sql.ref(c)} = ${cipher.encrypt(cipher.decrypt(value))}`];
          });
          if (updates.length === 0) continue;
          // Only if unchanged since read: a concurrent write (already on the current key) wins.
          const guards = spec.columns.map((c) => (row[c] === null ? sql`${sql.ref(c)} is null` : sql`${sql.ref(c)} = ${row[c]}`));
          await sql`update ${sql.table(spec.table)} set ${sql.join(updates)} where ${sql.ref(spec.key)} = ${row[spec.key]} and ${sql.join(guards, sql` and `)}`.execute(tx);
          progress.rewritten += updates.length;
        }
      });
      progress.rows += batch.length;
      after = String(batch[batch.length - 1]?.[spec.key]);
      options.onProgress?.({ ...progress });
      if (batch.length < batchSize) break;
    }
    results.push(progress);
  }
  return results;
}
