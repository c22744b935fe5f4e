import type { Config } from '../config.js';
import { systemClock } from '../core/clock.js';
import { systemContext } from '../core/http/context.js';
import { createFieldCipher, keyringOf } from '../core/crypto/field.js';
import { addFieldKey } from '../core/crypto/secrets.js';
import { countStale, reencryptAll, type RotationProgress } from '../core/crypto/rotation.js';
import { migrate } from '../core/db/migrator.js';
import { openFromConfig } from '../bootstrap.js';
import { createCourtyard, ENCRYPTED_COLUMNS, MIGRATIONS } from '../app.js';

export interface RotationReport {
  version: number;
  /** False when an interrupted rotation was resumed with the key generated then. */
  generated: boolean;
  tables: RotationProgress[];
}

/**
 * `courtyard keys rotate-field`: generates the next field key and re-encrypts every registered
 * encrypted column with it, in batches, printing progress. Resumable: when values are still
 * under an older key (a previous run was interrupted), it continues with the current key instead
 * of generating another. Audited at the start and at the end (counts only).
 */
export async function rotateFieldKey(config: Config, log: (line: string) => void, options: { batchSize?: number } = {}): Promise<RotationReport> {
  const opened = await openFromConfig(config);
  await migrate(opened.database.db, opened.database.dialect, MIGRATIONS);
  const before = createFieldCipher(keyringOf(opened.secrets.fieldKey, opened.secrets.fieldKeys));
  const stale = Object.values(await countStale(opened.database.db, before, ENCRYPTED_COLUMNS)).reduce((a, b) => a + b, 0);
  // Key 1 alone (including legacy `v1.` values) always starts a new rotation; later keys resume when unfinished.
  const generated = before.version === 1 || stale === 0;
  let secrets = opened.secrets;
  if (generated) {
    const added = addFieldKey(config, secrets);
    secrets = added.secrets;
    log(`generated field key ${added.version}: ${config.dataDir}/keys/field.${added.version}.key — back it up, then restart every server process so it can read values under the new key`);
  } else log(`resuming the rotation to field key ${before.version}: ${stale} values still under older keys`);
  const cipher = createFieldCipher(keyringOf(secrets.fieldKey, secrets.fieldKeys));
  const courtyard = await createCourtyard({ database: opened.database, secrets, clock: systemClock });
  const ctx = systemContext('cli');
  try {
    const { audit } = courtyard.services;
    const db = opened.database.db;
    await db.transaction().execute((tx) => audit.record(tx, ctx, { action: 'core.field_key.rotation_started', entityType: 'field_key', entityId: String(cipher.version), after: { version: cipher.version, generated, staleValues: stale } }));
    const tables = await reencryptAll(db, cipher, ENCRYPTED_COLUMNS, {
      batchSize: options.batchSize,
      onProgress: (p) => log(`${p.table}: ${p.rows} rows checked, ${p.rewritten} values re-encrypted`),
    });
    await db.transaction().execute((tx) =>
      audit.record(tx, ctx, { action: 'core.field_key.rotated', entityType: 'field_key', entityId: String(cipher.version), after: { version: cipher.version, tables: tables.map((t) => ({ table: t.table, rows: t.rows, rewritten: t.rewritten })) } }),
    );
    log(`every encrypted value is now under field key ${cipher.version}`);
    return { version: cipher.version, generated, tables };
  } finally {
    await courtyard.close();
  }
}
