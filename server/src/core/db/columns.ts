import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from './database.js';

/**
 * Portable column types. Migrations describe tables once; the dialect decides the physical type:
 * ids are uuid on PostgreSQL and text on SQLite, instants timestamptz / ISO text, money bigint
 * cents on both. Dialect differences live here and nowhere else.
 */
export interface Columns {
  dialect: Dialect;
  id: RawBuilder<unknown>;
  instant: RawBuilder<unknown>;
  date: RawBuilder<unknown>;
  cents: RawBuilder<unknown>;
  text: RawBuilder<unknown>;
  int: RawBuilder<unknown>;
  /** Table-level helpers that differ between dialects. */
  appendOnly(table: string, allowDeleteWhen?: string): Promise<void>;
}

export function columns(db: Kysely<unknown>, dialect: Dialect): Columns {
  const pg = dialect === 'postgres';
  return {
    dialect,
    id: pg ? sql`uuid` : sql`text`,
    instant: pg ? sql`timestamptz` : sql`text`,
    date: pg ? sql`date` : sql`text`,
    cents: sql`bigint`,
    text: sql`text`,
    int: sql`integer`,
    /**
     * Refuses UPDATE and DELETE in the database itself, so no code path (nor a hand-written SQL
     * statement) can rewrite history. `allowDeleteWhen` is an SQL condition over `old` that lets a
     * retention job delete rows it has explicitly authorised.
     */
    async appendOnly(table, allowDeleteWhen) {
      if (pg) {
        await sql`
          create or replace function ${sql.raw(`${table}_append_only`)}() returns trigger language plpgsql as $$
          begin
            if tg_op = 'DELETE' ${sql.raw(allowDeleteWhen ? `and (${allowDeleteWhen})` : 'and false')} then
              return old;
            end if;
            raise exception '${sql.raw(table)} is append-only';
          end $$`.execute(db);
        await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
          for each row execute function ${sql.raw(`${table}_append_only`)}()`.execute(db);
        await sql`create trigger ${sql.raw(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
          for each statement execute function ${sql.raw(`${table}_append_only`)}()`.execute(db);
      } else {
        await sql`create trigger ${sql.raw(`${table}_no_update`)} before update on ${sql.table(table)}
          begin select raise(abort, '${sql.raw(table)} is append-only'); end`.execute(db);
        await sql`create trigger ${sql.raw(`${table}_no_delete`)} before delete on ${sql.table(table)}
          ${sql.raw(allowDeleteWhen ? `when not (${allowDeleteWhen})` : '')}
          begin select raise(abort, '${sql.raw(table)} is append-only'); end`.execute(db);
      }
    },
  };
}

export type ColumnBuilder = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
export type TableBuilder = CreateTableBuilder<string, string>;
