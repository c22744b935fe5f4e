import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type Driver, type Transaction } from 'kysely';

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
  /**
   * Diagnostics (COURTYARD_DB_HOLD_WARN_MS): report on stderr, with the holder's stack, when the one
   * connection is held longer than this — a transaction that awaits something needing the
   * connection (`deps.db` inside `db.transaction()`) never ends and stalls every request.
   */
  holdWarnMs?: number;
  /**
   * Diagnostics (tests, the journeys): fail at once, with the caller's stack, when code running
   * inside `db.transaction()` asks the database itself (not its `tx`) for the connection. On
   * SQLite that call waits for the transaction that is waiting for it: a hang, usually on a path
   * that only runs sometimes (a cold cache, a first use), so it is caught where it is made.
   */
  failSelfWait?: boolean;
}

/** The stack of the code whose transaction holds the connection now (async stacks stop at Kysely's driver). */
let holder: string | undefined;
/** Set while a transaction's callback runs; it follows the callback's own async continuations. */
const insideTransaction = new AsyncLocalStorage<{ open: boolean }>();
/**
 * Runs work a transaction starts but does not wait for (an in-process listener whose queries queue
 * behind the transaction) as not being inside it, so `failSelfWait` does not mistake it for a hang.
 */
export function detachedFromTransaction<T>(work: () => T): T {
  return insideTransaction.exit(work);
}

function traceTransactions<DB>(db: Kysely<DB>): void {
  const transaction = db.transaction.bind(db);
  db.transaction = () => {
    const builder = transaction();
    const execute = builder.execute.bind(builder);
    builder.execute = <T>(callback: (trx: Transaction<DB>) => Promise<T>) => {
      const stack = new Error('transaction started here').stack ?? '';
      return execute(async (trx) => {
        holder = stack;
        // Work the callback leaves running after it returns is not inside it any more.
        const state = { open: true };
        try {
          return await insideTransaction.run(state, () => callback(trx));
        } finally {
          state.open = false;
          holder = undefined;
        }
      });
    };
    return builder;
  };
}

/** The SQLite dialect whose driver reports long holds of its single connection (see holdWarnMs). */
class WatchedSqliteDialect extends SqliteDialect {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly holdWarnMs: number | undefined,
    private readonly failSelfWait: boolean,
  ) {
    super(config);
  }
  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    const release = driver.releaseConnection.bind(driver);
    const timers = new Map<DatabaseConnection, NodeJS.Timeout>();
    driver.acquireConnection = async () => {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40; // the caller is below Kysely's own frames
      const stack = new Error('sqlite connection acquired here').stack ?? '';
      Error.stackTraceLimit = limit;
      if (this.failSelfWait && insideTransaction.getStore()?.open) {
        throw new Error(`the database was used inside a transaction instead of its tx: on SQLite this waits for itself forever\n${stack}\n${holder ?? ''}`);
      }
      const connection = await acquire();
      if (this.holdWarnMs) {
        const started = Date.now();
        const timer = setTimeout(() => {
          process.stderr.write(`courtyard: the SQLite connection has been held for ${Date.now() - started} ms (a transaction waiting on itself?):\n${holder ?? stack}\n`);
        }, this.holdWarnMs);
        timer.unref();
        timers.set(connection, timer);
      }
      return connection;
    };
    driver.releaseConnection = async (connection) => {
      clearTimeout(timers.get(connection));
      timers.delete(connection);
      await release(connection);
    };
    return driver;
  }
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

/**
 * The checkpointer thread's code (plain CommonJS, so it runs the same under tsx and in the build):
 * its own connection to the file copies committed WAL frames into the database every interval.
 */
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses 1,000 WAL pages, on the committing connection — here the server's only connection, on
 * the event loop thread: copying those pages into the database and syncing it stalled every
 * request (a bill run's commits spent half their time there). A worker thread with a connection
 * of its own checkpoints instead (PASSIVE: it never blocks the writer); if it cannot start, the
 * automatic checkpoint is switched back on. Returns how to stop it.
 */
function startCheckpointer(raw: SQLite.Database, file: string, intervalMs = 200): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref();
  raw.pragma('wal_autocheckpoint = 0');
  let running = true;
  const fallBack = () => {
    if (!running) return;
    running = false;
    if (raw.open) raw.pragma('wal_autocheckpoint = 1000');
  };
  worker.once('error', fallBack);
  worker.once('exit', fallBack);
  return async () => {
    if (!running) return;
    running = false;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref(); // closing is awaited: the thread keeps the process alive until it has closed its connection
    worker.postMessage('close');
    await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref())]);
    await worker.terminate();
  };
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
  // 64 MiB page cache (the default is 2 MiB): a bulk import writes 100,000 rows and their indexes
  // in one transaction; with the default, index pages are evicted and re-read on every insert.
  raw.pragma('cache_size = -65536');
  // Reads through the operating system's page cache instead of copying each page into SQLite's
  // own page cache: at a million people (≈2 GB) a search touches pages all over the file, and the
  // copy and its system call were the largest cost of a search request (docs/decisions/0015).
  // Writes still go through the journal as before. 2 GB is SQLite's built-in ceiling.
  raw.pragma('mmap_size = 2147418112');
  const stopCheckpointer = onDisk ? startCheckpointer(raw, options.file) : null;
  const dialectConfig = { database: withStatementCache(raw) };
  const watched = options.holdWarnMs !== undefined || options.failSelfWait === true;
  const db = new Kysely<DB>({ dialect: watched ? new WatchedSqliteDialect(dialectConfig, options.holdWarnMs, options.failSelfWait ?? false) : new SqliteDialect(dialectConfig) });
  if (watched) traceTransactions(db);
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: async () => {
      await stopCheckpointer?.();
      await db.destroy();
    },
    serialize: () => raw.serialize(),
  };
}

/**
 * `waitMs` bounds both connecting and waiting for a free pooled connection (pg-pool uses one
 * setting for both): tests that fire 50 concurrent payments at a small pool on a loaded machine
 * pass a longer one.
 */
export function openPostgres<DB>(url: string, max = 10, waitMs = 5000): DatabaseHandle<DB> {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: waitMs });
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

