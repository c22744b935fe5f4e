import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../src/core/clock.js';
import { systemContext } from '../../src/core/http/context.js';
import { Client, dialect, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
let userId: string;
beforeAll(async () => {
  c = await startCourtyard();
});
afterAll(() => c.dispose());

const db = () => c.database.db;

/** Tampering as an attacker with database access would: around the append-only triggers. */
async function tamper(t: TestCourtyard, statement: string) {
  const tdb = t.database.db;
  if (dialect === 'postgres') {
    await sql.raw(`alter table audit_log disable trigger user`).execute(tdb);
    await sql.raw(statement).execute(tdb);
    await sql.raw(`alter table audit_log enable trigger user`).execute(tdb);
  } else {
    await sql.raw('drop trigger if exists audit_log_no_update').execute(tdb);
    await sql.raw('drop trigger if exists audit_log_no_delete').execute(tdb);
    await sql.raw(statement).execute(tdb);
  }
}

/** A fresh installation with a short chain of real records, for one tampering experiment. */
async function onOwnChain(run: (t: TestCourtyard, seqs: number[]) => Promise<void>) {
  const t = await startCourtyard();
  try {
    const id = await makeUser(t, { username: 'victim' });
    await t.services.users.update(systemContext('test'), id, { displayName: 'v2' });
    await t.services.users.unlock(systemContext('test'), id);
    expect((await t.services.audit.verify(t.database.db)).ok).toBe(true);
    const seqs = (await t.database.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    await run(t, seqs);
  } finally {
    await t.dispose();
  }
}

describe('audit trail', () => {
  beforeEach(async () => {
    // every test works on a chain of a few real records
    userId = await makeUser(c, { username: `u${Date.now()}${Math.floor(Math.random() * 1e6)}` });
    await c.services.users.update(systemContext('test'), userId, { displayName: 'changed' });
    await c.services.users.unlock(systemContext('test'), userId);
  });

  it('records who, what, before and after of a change', async () => {
    const page = await c.services.audit.list(db(), { entityId: userId, action: 'identity.user.update' });
    expect(page.items[0]).toMatchObject({ actorName: 'test', entityType: 'user', result: 'success' });
    expect(page.items[0]!.after).toMatchObject({ displayName: 'changed' });
    expect(JSON.stringify(page.items)).not.toMatch(/argon2|password_hash/);
  });

  it('records sign-in failures with the client address and agent', async () => {
    await new Client(c.app, { 'user-agent': 'UA-test' }).signIn('no-such-user', 'x');
    const page = await c.services.audit.list(db(), { action: 'identity.sign_in', result: 'failure' });
    expect(page.items[0]).toMatchObject({ ip: '127.0.0.1', userAgent: 'UA-test', actorName: 'no-such-user' });
  });

  it('counts sign-ins per day, every day of the window included', async () => {
    const t = await startCourtyard();
    try {
      await makeUser(t, { username: 'tally', role: 'audit_admin' });
      const client = new Client(t.app);
      await client.signIn('tally', 'wrong');
      t.clock.advance(DAY);
      await client.signIn('tally', 'wrong');
      await client.signIn('tally', 'wrong'); // third failure: locked
      const stats = await t.services.audit.signInActivity(t.database.db, 3);
      const today = t.clock.now().toISOString().slice(0, 10);
      const yesterday = new Date(t.clock.now().getTime() - DAY).toISOString().slice(0, 10);
      expect(stats.days).toHaveLength(3);
      expect(stats.days.find((d) => d.day === yesterday)).toMatchObject({ failed: 1, locked: 0, succeeded: 0 });
      expect(stats.days.find((d) => d.day === today)).toMatchObject({ failed: 2, locked: 1 });
      expect(stats.days[0]).toMatchObject({ succeeded: 0, failed: 0, locked: 0 });
    } finally {
      await t.dispose();
    }
  });

  it('verifies an untouched chain', async () => {
    const result = await c.services.audit.verify(db());
    expect(result).toMatchObject({ ok: true, brokenAtSeq: null });
    expect(result.checked).toBeGreaterThan(3);
  });

  it('refuses UPDATE and DELETE in the database itself', async () => {
    await expect(sql.raw(`update audit_log set action = 'x'`).execute(db())).rejects.toThrow(/append-only/);
    await expect(sql.raw(`delete from audit_log`).execute(db())).rejects.toThrow(/append-only/);
    expect((await c.services.audit.verify(db())).ok).toBe(true);
  });

  it('detects an edited record', async () => {
    await onOwnChain(async (t, seqs) => {
      await tamper(t, `update audit_log set actor_name = 'someone else' where seq = ${seqs[1]}`);
      expect(await t.services.audit.verify(t.database.db)).toMatchObject({ ok: false, brokenAtSeq: seqs[1] });
    });
  });

  it('detects a deleted record', async () => {
    await onOwnChain(async (t, seqs) => {
      await tamper(t, `delete from audit_log where seq = ${seqs[1]}`);
      expect(await t.services.audit.verify(t.database.db)).toMatchObject({ ok: false, brokenAtSeq: seqs[1] });
    });
  });

  it('detects the last record deleted (a truncated tail)', async () => {
    await onOwnChain(async (t, seqs) => {
      await tamper(t, `delete from audit_log where seq = ${seqs[seqs.length - 1]}`);
      expect(await t.services.audit.verify(t.database.db)).toMatchObject({ ok: false });
    });
  });

  it('detects an inserted record', async () => {
    await onOwnChain(async (t, seqs) => {
      const last = await t.database.db.selectFrom('audit_log').selectAll().where('seq', '=', seqs[seqs.length - 1]!).executeTakeFirstOrThrow();
      await t.database.db.insertInto('audit_log').values({ ...last, id: '01a20fba-0000-7000-8000-000000000001', seq: Number(last.seq) + 1, action: 'identity.user.create' }).execute();
      expect(await t.services.audit.verify(t.database.db)).toMatchObject({ ok: false, brokenAtSeq: Number(last.seq) + 1 });
    });
  });

  it('detects reordered records', async () => {
    await onOwnChain(async (t, seqs) => {
      const [a, b] = [seqs[1]!, seqs[2]!];
      await tamper(t, `update audit_log set seq = -1 where seq = ${a}`);
      await tamper(t, `update audit_log set seq = ${a} where seq = ${b}`);
      await tamper(t, `update audit_log set seq = ${b} where seq = -1`);
      expect(await t.services.audit.verify(t.database.db)).toMatchObject({ ok: false, brokenAtSeq: a });
    });
  });

  it('purges only records older than the retention period and the chain still verifies', async () => {
    const before = (await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(await c.services.audit.purge(db(), 30)).toBe(0); // 30 days is raised to the 180-day floor
    c.clock.advance(181 * DAY);
    await makeUser(c, { username: `late${Date.now()}` });
    const purged = await c.services.audit.purge(db(), 180);
    expect(purged).toBe(Number(before));
    const own = await c.services.audit.list(db(), { action: 'audit.purge' });
    expect(own.items[0]!.after).toMatchObject({ records: purged });
    const result = await c.services.audit.verify(db());
    expect(result.ok).toBe(true);
    expect(result.checked).toBeGreaterThan(0);
  });

  it('a failed audit write rolls the business change back', async () => {
    // make the audit insert fail for this one action, as a full disk or a broken connection would
    if (dialect === 'postgres') {
      await sql.raw(`create function fail_audit() returns trigger language plpgsql as $$ begin if new.action = 'identity.user.update' then raise exception 'audit store unavailable'; end if; return new; end $$`).execute(db());
      await sql.raw(`create trigger fail_audit before insert on audit_log for each row execute function fail_audit()`).execute(db());
    } else {
      await sql.raw(`create trigger fail_audit before insert on audit_log when new.action = 'identity.user.update' begin select raise(abort, 'audit store unavailable'); end`).execute(db());
    }
    try {
      await expect(c.services.users.update(systemContext('test'), userId, { displayName: 'must not stick' })).rejects.toThrow();
      const user = await db().selectFrom('users').select('display_name').where('id', '=', userId).executeTakeFirstOrThrow();
      expect(user.display_name).toBe('changed');
    } finally {
      await sql.raw(dialect === 'postgres' ? 'drop trigger fail_audit on audit_log' : 'drop trigger fail_audit').execute(db());
    }
    expect((await c.services.audit.verify(db())).ok).toBe(true);
  });
});
