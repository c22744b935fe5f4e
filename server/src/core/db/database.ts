import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface DatabaseHandle<DB> {
  db: Kysely<DB>;
  dialect: Dialect;
  ping(): Promise<void>;
  poolStats(): PoolStats;
  close(): Promise<void>;
  /** SQLite only: the whole database as bytes (tests copy a migrated template this way). */
  serialize?(): Buffer;
  /** PostgreSQL only: a new client outside the pool (LISTEN needs a connection of its own). */
  newClient?: () => pg.Client;
}

/** A transaction or the database itself: repositories accept either so callers decide the boundary. */
export type Executor<DB> = Kysely<DB> | Transaction<DB>;

// PostgreSQL returns instants as Date and bigints as strings; the repository boundary speaks ISO
// strings and numbers on both dialects, so convert once in the driver.
pg.types.setTypeParser(1184, (v: string) => new Date(v).toISOString()); // timestamptz
pg.types.setTypeParser(1114, (v: string) => new Date(`${v}Z`).toISOString()); // timestamp
pg.types.setTypeParser(1082, (v: string) => v); // date stays YYYY-MM-DD
pg.types.setTypeParser(20, (v: string) => Number(v)); // int8: counts and cents fit in 2^53

export interface SqliteOptions {
  file: string; // ':memory:' for tests
  /** A serialized database to start from (tests copy a migrated template). */
  image?: Buffer;
}

/**
 * Kysely prepares every query afresh; on SQLite preparing costs as much as running a short
 * query. The same SQL text always compiles to the same statement, so keep them (bounded LRU).
 */
function withStatementCache(raw: SQLite.Database, size = 500): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = raw.prepare.bind(raw);
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver) as unknown;
      return (source: string) => {
        let stmt = cache.get(source);
        if (stmt) {
          cache.delete(source);
        } else {
          stmt = prepare(source);
          if (cache.size >= size) cache.delete(cache.keys().next().value!);
        }
        cache.set(source, stmt);
        return stmt;
      };
    },
  });
}

export function openSqlite<DB>(options: SqliteOptions): DatabaseHandle<DB> {
  const onDisk = options.file !== ':memory:' && !options.image;
  if (onDisk) fs.mkdirSync(path.dirname(options.file), { recursive: true });
  const isNew = onDisk && !fs.existsSync(options.file);
  const raw = options.image ? new SQLite(options.image) : new SQLite(options.file);
  // Owner-only like the keys; SQLite gives the -wal and -shm files the database file's mode.
  if (isNew) fs.chmodSync(options.file, 0o600);
  raw.pragma('journal_mode = WAL');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('secure_delete = ON');
  raw.pragma('foreign_keys = ON');
  raw.pragma('synchronous = NORMAL');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => db.destroy(),
    serialize: () => raw.serialize(),
  };
}

export function openPostgres<DB>(url: string, max = 10): DatabaseHandle<DB> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
    newClient: () => new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 }),
  };
}

