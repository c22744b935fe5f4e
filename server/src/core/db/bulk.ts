import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Exec } from './schema.js';
import { dialectOf } from './sql.js';

/**
 * Bulk inserts for set-based writes of many rows (imports): the SQL is written once per table and
 * chunk size and run as a prepared statement, without building a query tree per row.
 *
 * - SQLite: multi-row `INSERT … VALUES (?, …), (?, …)` of up to {@link SQLITE_ROWS} rows; the
 *   statement text repeats, so the database handle's statement cache prepares it once.
 * - PostgreSQL: `INSERT … SELECT * FROM unnest($1::type[], $2::type[], …)`: one array parameter per
 *   column, so up to {@link PG_ROWS} rows per statement whatever the column count (the 65,535
 *   bound-parameter limit does not apply to array elements). Column types are read from the
 *   catalogue once per table and process.
 *
 * Every row must have the same keys (the table's columns); values are bound as they are.
 */
export const SQLITE_ROWS = 500;
export const PG_ROWS = 10_000;
/** SQLite (as built into better-sqlite3) allows 32,766 bound parameters per statement. */
const SQLITE_MAX_PARAMS = 30_000;

type Value = string | number | bigint | null | Buffer;

const pgTypes = new Map<string, Map<string, string>>();

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function columnTypes(exec: Exec, table: string): Promise<Map<string, string>> {
  let types = pgTypes.get(table);
  if (!types) {
    const result = await exec.executeQuery<{ name: string; type: string }>(
      CompiledQuery.raw('select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped', [table]),
    );
    types = new Map(result.rows.map((r) => [r.name, r.type]));
    pgTypes.set(table, types);
  }
  return types;
}

/** Inserts `rows` into `table` in chunks; returns the number of rows inserted. */
export async function bulkInsert<T extends object>(exec: Exec, table: string, rows: readonly T[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = Object.keys(rows[0]!);
  const valuesOf = (row: T): Value[] => {
    const record = row as Record<string, Value | undefined>;
    if (Object.keys(record).length !== columns.length) throw new Error(`bulkInsert(${table}): rows differ in their columns`);
    return columns.map((c) => {
      const v = record[c];
      if (v === undefined) throw new Error(`bulkInsert(${table}): a row lacks ${c}`);
      return v;
    });
  };
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) `;

  if (dialectOf(exec) === 'postgres') {
    const types = await columnTypes(exec, table);
    const casts = columns.map((c, i) => {
      const type = types.get(c);
      if (!type) throw new Error(`bulkInsert: ${table} has no column ${c}`);
      return `$${i + 1}::${type}[]`;
    });
    const text = `${head}select * from unnest(${casts.join(', ')})`;
    for (let at = 0; at < rows.length; at += PG_ROWS) {
      const chunk = rows.slice(at, at + PG_ROWS);
      const arrays: Value[][] = columns.map(() => new Array<Value>(chunk.length));
      chunk.forEach((row, r) => valuesOf(row).forEach((v, c) => (arrays[c]![r] = v)));
      await exec.executeQuery(CompiledQuery.raw(text, arrays));
    }
    return rows.length;
  }

  const perStatement = Math.max(1, Math.min(SQLITE_ROWS, Math.floor(SQLITE_MAX_PARAMS / columns.length)));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  const texts = new Map<number, string>();
  for (let at = 0; at < rows.length; at += perStatement) {
    const chunk = rows.slice(at, at + perStatement);
    let text = texts.get(chunk.length);
    if (!text) {
      text = `${head}values ${new Array<string>(chunk.length).fill(tuple).join(', ')}`;
      texts.set(chunk.length, text);
    }
    const params: Value[] = [];
    for (const row of chunk) params.push(...valuesOf(row));
    await exec.executeQuery(CompiledQuery.raw(text, params));
  }
  return rows.length;
}

const valuesTexts = new Map<string, string>();
/** Row counts of valuesInsert's statements below a full one (a remainder is split into these). */
const STATEMENT_ROWS = [100, 20, 5, 1];

/**
 * SQLite's form of a set-based write with a fixed column list and a `tail` (`on conflict …`): a
 * multi-row `INSERT … VALUES` per chunk of up to {@link SQLITE_ROWS} rows, its text built once per
 * table, tail and chunk size (so the handle's statement cache prepares it once) and its parameters
 * bound from the rows directly — no query tree per statement (the bill run writes hundreds of
 * thousands of rows this way). `between` runs after each statement but the last (the bill run yields
 * the event loop there: SQLite's driver is synchronous); `rows` caps the rows per statement — a
 * caller that yields keeps each statement short, since the statement itself holds the event loop.
 * Returns the rows the database changed.
 */
export async function valuesInsert<R extends object>(
  exec: Exec,
  table: string,
  columns: readonly (keyof R & string)[],
  rows: readonly R[],
  options: { tail?: string; between?: () => Promise<void>; rows?: number } = {},
): Promise<number> {
  const tail = options.tail ?? '';
  const perStatement = Math.max(1, Math.min(options.rows ?? SQLITE_ROWS, Math.floor(SQLITE_MAX_PARAMS / columns.length)));
  let changed = 0;
  for (let at = 0; at < rows.length; ) {
    // Statements of a few fixed sizes only: a prepared statement of hundreds of rows is large, and
    // one per remainder size (a run's slices end anywhere) filled the statement cache with them.
    const left = rows.length - at;
    const size = left >= perStatement ? perStatement : (STATEMENT_ROWS.find((n) => n <= left) ?? 1);
    const end = at + size;
    const key = `${table}\u0000${columns.join(',')}\u0000${tail}\u0000${end - at}`;
    let text = valuesTexts.get(key);
    if (!text) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${new Array<string>(end - at).fill(tuple).join(', ')} ${tail}`;
      if (valuesTexts.size > 200) valuesTexts.clear();
      valuesTexts.set(key, text);
    }
    const params = new Array<unknown>((end - at) * columns.length);
    let k = 0;
    for (let r = at; r < end; r++) {
      const row = rows[r] as Record<string, unknown>;
      for (const c of columns) params[k++] = row[c] ?? null;
    }
    const res = await exec.executeQuery(CompiledQuery.raw(text, params));
    changed += Number(res.numAffectedRows ?? 0);
    if (options.between && end < rows.length) await options.between();
    at = end;
  }
  return changed;
}

/** A column and its PostgreSQL type (the element type of its unnest array). */
export type UnnestColumn<R> = readonly [keyof R & string, string];

/**
 * The PostgreSQL form of {@link bulkInsert} as a query to extend with a `tail` (`on conflict …
 * returning id`, an upsert): one statement whatever the row count, with the column types given
 * instead of read from the catalogue (the bill run's bills, journal entries and balances).
 *
 * The rows travel as ONE json parameter expanded by `json_to_recordset` (despite the name, no
 * longer one array per column): node-postgres serialises arrays element by element in JavaScript,
 * escaping each string — for a bill run's explanations that escaping and its garbage were the
 * largest cost on the server — while `JSON.stringify` and PostgreSQL's json parser are native.
 */
export function unnestInsert<R extends object>(table: string, columns: readonly UnnestColumn<R>[], rows: readonly R[], tail: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  const names = columns.map(([name]) => name);
  // No replacer (it would call back into JavaScript for every value): keys json_to_recordset is
  // not given are ignored, and a key left undefined is omitted, which it reads as null.
  const json = JSON.stringify(rows);
  const record = sql.join(columns.map(([name, type]) => sql`${sql.ref(name)} ${sql.raw(type)}`));
  return sql`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))}) select ${sql.join(names.map((n) => sql.ref(`x.${n}`)))} from json_to_recordset(${json}::json) as x(${record}) ${tail}`;
}

/** A value in COPY's text format: `\N` for null, backslash, tab, newline and carriage return escaped. */
function copyText(v: Value | undefined): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;
}

/** Text sent per COPY data message: large enough that messages are few, small enough to stay cheap. */
const COPY_CHUNK = 1 << 18;

/**
 * PostgreSQL's `COPY … FROM STDIN` of `rows` into `table`, on the connection of `exec` (inside the
 * caller's transaction). The fastest way in: no SQL to parse per row, no JSON or array parameter
 * to expand. It cannot skip conflicts: a duplicate unique key fails the statement (23505) and with
 * it the transaction, so callers use it where keys are known to be new or fall back on a conflict.
 *
 * Kysely has no COPY: the `pg-copy-streams` query is handed to the connection in place of the SQL
 * text (node-postgres queues any object with `submit()` and returns it as is), then fed here.
 * Values are written as `String(value)`: ISO dates and instants, integers and text as stored.
 */
export async function copyInsert<R extends object>(exec: Exec, table: string, columns: readonly (keyof R & string)[], rows: readonly R[]): Promise<number> {
  if (rows.length === 0) return 0;
  const stream = copyFrom(`copy ${quote(table)} (${columns.map(quote).join(', ')}) from stdin`);
  const done = finished(stream);
  // Never unhandled: a failure is awaited below, after the writes.
  done.catch(() => undefined);
  await exec.executeQuery(CompiledQuery.raw(stream as unknown as string, []));
  let chunk = '';
  for (const row of rows) {
    const record = row as Record<string, Value | undefined>;
    let line = '';
    for (let c = 0; c < columns.length; c++) line += (c ? '\t' : '') + copyText(record[columns[c]!]);
    chunk += line + '\n';
    if (chunk.length >= COPY_CHUNK) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), done]);
      // Building the text is synchronous: between chunks the server answers other requests
      // (a bill run's slices would otherwise hold the event loop for their whole COPY).
      else await new Promise<void>((resolve) => setImmediate(resolve));
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
  return rows.length;
}

/** SQLite page cache (KiB) while a bulk write's transaction runs: see {@link withRoomForWrites}. */
const BULK_CACHE_KIB = 262_144;

/**
 * Runs a bulk write (an import's commit) with a larger SQLite page cache. Its transaction dirties
 * more pages than the connection's 64 MiB cache holds (100,000 people with their occupancies and
 * room states: ≈ 150 MiB), and SQLite then spills dirty pages into the WAL in the middle of the
 * transaction and writes many of them twice. The cap is restored afterwards, which shrinks the
 * cache back. PostgreSQL: unchanged.
 */
export async function withRoomForWrites<T>(exec: Exec, fn: () => Promise<T>): Promise<T> {
  if (dialectOf(exec) !== 'sqlite') return fn();
  const before = (await sql<{ cache_size: number }>`pragma cache_size`.execute(exec)).rows[0]?.cache_size ?? -65_536;
  await sql.raw(`pragma cache_size = ${-BULK_CACHE_KIB}`).execute(exec);
  try {
    return await fn();
  } finally {
    await sql.raw(`pragma cache_size = ${Math.trunc(Number(before))}`).execute(exec);
  }
}
