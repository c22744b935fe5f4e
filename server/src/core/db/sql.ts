import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';

/** The UTC calendar day (YYYY-MM-DD) of an instant column, on either dialect. */
export function utcDay(dialect: Dialect, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
}
