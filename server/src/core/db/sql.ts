import { PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';
import type { Exec } from './schema.js';

/** The dialect behind a connection or transaction (for code that receives only an `Exec`). */
export function dialectOf(exec: Exec): Dialect {
  return exec.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The UTC calendar day (YYYY-MM-DD) of an instant column, on either dialect. */
export function utcDay(dialect: Dialect, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}
