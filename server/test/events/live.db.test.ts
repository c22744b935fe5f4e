import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLive, LIVE_RESYNC, type Live, type LiveMessage } from '../../src/core/events/live.js';
import type { DatabaseHandle } from '../../src/core/db/database.js';
import type { Database } from '../../src/core/db/schema.js';
import { dialect, freshDatabase } from '../harness.js';

let handle: DatabaseHandle<Database>;
let drop: () => Promise<void>;
const lives: Live[] = [];
const CHANNEL = 'courtyard_live_test';

beforeAll(async () => {
  const fresh = await freshDatabase();
  handle = fresh.handle;
  drop = () => fresh.drop();
  await sql`create table live_probe (n integer not null)`.execute(handle.db);
});
afterAll(async () => {
  for (const l of lives) await l.close();
  await handle.close();
  await drop();
});

/** One server process's pub/sub (on PostgreSQL each has its own LISTEN connection). */
async function process(): Promise<Live> {
  const live = createLive({ dialect: handle.dialect, channel: CHANNEL, newClient: handle.newClient });
  lives.push(live);
  await live.ready();
  return live;
}

const until = async (check: () => boolean, ms = 5000) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const probeCount = async () => Number((await sql<{ n: number }>`select count(*) as n from live_probe`.execute(handle.db)).rows[0]!.n);

describe(`live pub/sub (${dialect})`, () => {
  it('a listener hears what is published, with its topic and data', async () => {
    const live = await process();
    const heard: LiveMessage[] = [];
    const off = live.subscribe((m) => heard.push(m));
    await live.publish(handle.db, 'test.ping', { userIds: ['a', 'b'] });
    await until(() => heard.length === 1);
    expect(heard[0]).toEqual({ topic: 'test.ping', data: { userIds: ['a', 'b'] } });
    off();
    await live.publish(handle.db, 'test.ping', null);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(1);
  });

  it('a message published in a transaction never lets a listener see uncommitted data: after commit it reads the new row, after a rollback nothing changed', async () => {
    const live = await process();
    const seen: number[] = [];
    // What a listener does: re-read the database.
    live.subscribe((m) => {
      if (m.topic === 'probe') void probeCount().then((n) => seen.push(n));
    });
    await handle.db.transaction().execute(async (tx) => {
      await sql`insert into live_probe (n) values (1)`.execute(tx);
      await live.publish(tx, 'probe', null);
      await new Promise((r) => setTimeout(r, 100));
    });
    await until(() => seen.length === 1);
    expect(seen).toEqual([1]);

    await expect(
      handle.db.transaction().execute(async (tx) => {
        await sql`insert into live_probe (n) values (2)`.execute(tx);
        await live.publish(tx, 'probe', null);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await new Promise((r) => setTimeout(r, 300));
    // PostgreSQL drops the NOTIFY with the transaction; on SQLite the listener's read waited for
    // the rollback and found the committed state.
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(seen.length).toBe(dialect === 'postgres' ? 1 : 2);
  });

  it('every listening process hears a message published by any of them (SQLite runs one process: every subscriber in it)', async () => {
    const a = await process();
    const b = dialect === 'postgres' ? await process() : a;
    const heardA: unknown[] = [];
    const heardB: unknown[] = [];
    a.subscribe((m) => heardA.push(m.data));
    b.subscribe((m) => heardB.push(m.data));
    await a.publish(handle.db, 'test.fanout', { from: 'a' });
    await until(() => heardA.length === 1 && heardB.length === 1);
    expect(heardB).toEqual([{ from: 'a' }]);
  });

  it('refuses a payload too large for a NOTIFY', async () => {
    const live = await process();
    await expect(live.publish(handle.db, 'test.big', { ids: 'x'.repeat(9000) })).rejects.toThrow(/payload over/);
  });

  it.runIf(dialect === 'postgres')('after losing its connection a process listens again and tells listeners to resync', async () => {
    const live = await process();
    const heard: LiveMessage[] = [];
    live.subscribe((m) => heard.push(m));
    // Kill every backend listening on the test channel (as a database restart would).
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike ${`listen ${CHANNEL}%`} and pid <> pg_backend_pid()`.execute(handle.db);
    await until(() => heard.some((m) => m.topic === LIVE_RESYNC), 10_000);
    await live.publish(handle.db, 'test.after', { ok: true });
    await until(() => heard.some((m) => m.topic === 'test.after'));
  });
});
