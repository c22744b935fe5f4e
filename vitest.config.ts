import { defineConfig } from 'vitest/config';

/**
 * Three projects: pure unit tests, and the database tests run twice — on SQLite and on
 * PostgreSQL — differing only in the dialect (see server/test/harness.ts).
 */
const dbTests = ['server/**/*.db.test.ts'];
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['server/**/*.unit.test.ts', 'contracts/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'sqlite', include: dbTests, env: { COURTYARD_TEST_DB: 'sqlite' }, environment: 'node' } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: dbTests,
          env: { COURTYARD_TEST_DB: 'postgres' },
          environment: 'node',
          globalSetup: ['server/test/pg-global-setup.ts'],
        },
      },
    ],
  },
});
