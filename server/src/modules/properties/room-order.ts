import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Dialect } from '../../core/db/database.js';

/**
 * Natural order of rooms (楼栋, 单元, 房号 as numbers: 1-1-101 before 1-1-1001, as the 楼盘表 grid
 * shows them) that a plain index can serve: `rooms.sort_key` is the building code, unit code and
 * room number, each left-padded with '0' to the codes' maximum length (20, `RegistryCode`). Of two
 * numbers the shorter sorts first, equal lengths compare as text — numeric order for numeric codes.
 * Zeros (not spaces) because PostgreSQL's locale collations skip spaces when comparing.
 */
export const SORT_PART = 20;

export function roomSortKey(buildingCode: string, unitCode: string, number: string): string {
  return [buildingCode, unitCode, number].map((p) => p.padStart(SORT_PART, '0')).join('');
}

/** The same key in SQL (set-based code changes and the migration's backfill). */
export function roomSortKeySql(dialect: Dialect, buildingCode: Expression<string>, unitCode: Expression<string>, number: Expression<string>): RawBuilder<string> {
  const pad = (e: Expression<string>) => (dialect === 'postgres' ? sql<string>`lpad(${e}, ${sql.lit(SORT_PART)}, '0')` : sql<string>`substr(${sql.lit('0'.repeat(SORT_PART))} || ${e}, ${sql.lit(-SORT_PART)})`);
  return sql<string>`${pad(buildingCode)} || ${pad(unitCode)} || ${pad(number)}`;
}
