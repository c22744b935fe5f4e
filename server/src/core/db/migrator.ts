import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { columns, type Columns } from './columns.js';
import type { Dialect } from './database.js';

/**
 * A module's migration. Names are `<yyyymmddhhmm>_<module>_<what>` so that the set, collected
 * from every module, sorts into one order that respects layers (foundation before registry …).
 */
export interface ModuleMigration {
  name: string;
  up(db: Kysely<unknown>, c: Columns): Promise<void>;
}

class ModuleMigrationProvider implements MigrationProvider {
  constructor(
    private readonly list: ModuleMigration[],
    private readonly dialect: Dialect,
  ) {}
  getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const m of this.list) {
      if (out[m.name]) throw new Error(`duplicate migration name ${m.name}`);
      out[m.name] = { up: (db: Kysely<unknown>) => m.up(db, columns(db, this.dialect)) };
    }
    return Promise.resolve(out);
  }
}

export async function migrate<DB>(db: Kysely<DB>, dialect: Dialect, list: ModuleMigration[]): Promise<string[]> {
  const migrator = new Migrator({
    db: db,
    provider: new ModuleMigrationProvider(list, dialect),
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    // Modules are developed side by side, so a release can bring a migration whose name sorts
    // before one an installation already ran (another module's, of the same day). Each module's
    // migrations touch only its own tables and keep their own order, so pending ones simply run.
    allowUnorderedMigrations: true,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : JSON.stringify(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${cause}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
