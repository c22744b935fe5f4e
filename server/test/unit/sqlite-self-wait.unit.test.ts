import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { detachedFromTransaction, openSqlite, type DatabaseHandle } from '../../src/core/db/database.js';

// SQLite has one connection: code inside db.transaction() that queries the database itself instead
// of its tx waits for the transaction that waits for it. With failSelfWait that mistake fails at once.
describe('SQLite self-wait detection (failSelfWait)', () => {
  let handle: DatabaseHandle<Record<string, never>> | undefined;
  afterEach(async () => {
    await handle?.close();
  });

  it('fails a query on the database made inside a transaction, naming both the query and the transaction', async () => {
    handle = openSqlite({ file: ':memory:', failSelfWait: true });
    const db = handle.db;
    const outcome = db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
      await sql`select 2`.execute(db);
    });
    await expect(outcome).rejects.toThrow(/inside a transaction instead of its tx[\s\S]*transaction started here/);
    // The transaction was rolled back and released the connection: the database still answers.
    await expect(sql`select 3 as n`.execute(db)).resolves.toMatchObject({ rows: [{ n: 3 }] });
  });

  it('lets work the transaction does not wait for queue behind it, and work after it run', async () => {
    handle = openSqlite({ file: ':memory:', failSelfWait: true });
    const db = handle.db;
    await sql`create table t (n integer)`.execute(db);
    let detached: Promise<unknown> | undefined;
    let afterwards: Promise<unknown> | undefined;
    await db.transaction().execute(async (tx) => {
      await sql`insert into t values (1)`.execute(tx);
      detached = detachedFromTransaction(() => sql<{ n: number }>`select count(*) as n from t`.execute(db));
      // Continuations the transaction created still carry its context once it has ended.
      afterwards = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return sql`select 1 as one`.execute(db);
      })();
    });
    // The detached read queued behind the transaction and saw its committed row.
    await expect(detached).resolves.toMatchObject({ rows: [{ n: 1 }] });
    await expect(afterwards).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });
});
