import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from './config.js';
import { openPostgres, openSqlite, type DatabaseHandle } from './core/db/database.js';
import type { Database } from './core/db/schema.js';
import { loadSecrets, type Secrets } from './core/crypto/secrets.js';

/** Checks the data directory, loads the keys and opens the database — or fails with one clear line. */
export async function openFromConfig(config: Config): Promise<{ database: DatabaseHandle<Database>; secrets: Secrets }> {
  try {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.accessSync(config.dataDir, fs.constants.W_OK);
  } catch {
    throw new ConfigError(`data directory ${config.dataDir} is not writable; set DATA_DIR to a writable directory`);
  }
  const database = config.databaseUrl ? openPostgres<Database>(config.databaseUrl) : openSqlite<Database>({ file: path.join(config.dataDir, 'courtyard.db'), holdWarnMs: config.dbHoldWarnMs, failSelfWait: config.dbFailSelfWait });
  try {
    await database.ping();
  } catch (err) {
    await database.close().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    const where = config.databaseUrl ? 'DATABASE_URL' : `the SQLite file in ${config.dataDir}`;
    throw new ConfigError(`cannot reach the database (${where}): ${reason}`);
  }
  // Keys are generated only for a new installation: an existing database without its keys means
  // a restore that forgot them, and fresh keys would make its encrypted data unreadable.
  const tables = await database.db.introspection.getTables();
  const isNew = !tables.some((t) => t.name === 'schema_migrations');
  try {
    return { database, secrets: loadSecrets(config, { create: isNew }) };
  } catch (err) {
    await database.close();
    throw err;
  }
}
