import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../src/core/db/database.js';
import { migrate } from '../src/core/db/migrator.js';
import type { Database } from '../src/core/db/schema.js';
import { MIGRATIONS } from '../src/app.js';

/**
 * Migrates one template database per run; each test file clones it (CREATE DATABASE … TEMPLATE),
 * which takes milliseconds and gives every file a fresh, isolated PostgreSQL database.
 * A missing PostgreSQL is a failure, not a skip: CI must test both dialects.
 */
export const ADMIN_URL = process.env.COURTYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject) {
  // Every name of this run carries the run's pid, so the teardown below drops only this run's
  // databases: two runs on one machine (two checkouts, a benchmark) no longer tear each other down.
  const template = `courtyard_tpl_${process.pid}`;
  const prefix = `cy_test_${process.pid}_`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is required for the postgres test project (${ADMIN_URL}): ${(err as Error).message}`);
  }
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const handle = openPostgres<Database>(ADMIN_URL.replace(/\/[^/]*$/, `/${template}`), 2);
  await migrate(handle.db, handle.dialect, MIGRATIONS);
  await handle.close();
  project.provide('pgTemplate', template);
  project.provide('pgPrefix', prefix);
  return async () => {
    // Clones are dropped by their files; drop leftovers of crashed files and the template.
    const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 or datname = $2`, [`${prefix}%`, template]);
    for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
    /** Prefix of every database this run creates (`cy_test_<pid>_`). */
    pgPrefix: string;
  }
}
