import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobs } from '../../src/core/jobs/jobs.js';
import { createIdGenerator } from '../../src/core/ids.js';
import { MINUTE } from '../../src/core/clock.js';
import { dialect, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
beforeAll(async () => {
  c = await startCourtyard();
});
afterAll(() => c.dispose());

const db = () => c.database.db;

describe('jobs', () => {
  it('run once, report progress, and end succeeded', async () => {
    const { jobs } = c.services;
    const seen: number[] = [];
    jobs.register('test.progress', async (job) => {
      for (let i = 1; i <= 4; i++) {
        await job.progress(i, 4, `step ${i}`);
        seen.push(i);
      }
    });
    const id = await jobs.enqueue(db(), { type: 'test.progress', payload: { n: 4 } });
    expect((await jobs.get(db(), id))?.status).toBe('queued');
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.get(db(), id)).toMatchObject({ status: 'succeeded', progressDone: 4, progressTotal: 4, progressNote: 'step 4', attempts: 1 });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(await jobs.runDue()).toBe(0);
  });

  it('retry with exponential backoff, then fail for good after the last attempt', async () => {
    const { jobs } = c.services;
    let calls = 0;
    jobs.register('test.flaky', () => {
      calls += 1;
      return Promise.reject(new Error(`boom ${calls}`));
    });
    const id = await jobs.enqueue(db(), { type: 'test.flaky', maxAttempts: 3 });
    await jobs.runDue();
    expect(await jobs.get(db(), id)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'boom 1' });
    await jobs.runDue(); // not due yet: backoff is 10 s
    expect(calls).toBe(1);
    c.clock.advance(10_000);
    await jobs.runDue();
    expect(calls).toBe(2);
    c.clock.advance(19_000);
    await jobs.runDue(); // second backoff is 20 s
    expect(calls).toBe(2);
    c.clock.advance(1_000);
    await jobs.runDue();
    expect(await jobs.get(db(), id)).toMatchObject({ status: 'failed', attempts: 3, lastError: 'boom 3' });
  });

  it('enqueue with a unique key is idempotent', async () => {
    const { jobs } = c.services;
    const a = await jobs.enqueue(db(), { type: 'test.progress', uniqueKey: 'bill-run:2026-03' });
    const b = await jobs.enqueue(db(), { type: 'test.progress', uniqueKey: 'bill-run:2026-03' });
    expect(a).toBe(b);
  });

  it('a job whose worker died is claimed again when its lease runs out', async () => {
    const { jobs } = c.services;
    let runs = 0;
    jobs.register('test.lease', () => {
      runs += 1;
      return Promise.resolve();
    });
    const id = await jobs.enqueue(db(), { type: 'test.lease' });
    // simulate a crash: claimed, then the process vanished
    await db().updateTable('jobs').set({ status: 'running', locked_by: 'dead-worker', locked_until: new Date(c.clock.now().getTime() + 5 * MINUTE).toISOString(), attempts: 1 }).where('id', '=', id).execute();
    await jobs.runDue();
    expect(runs).toBe(0);
    c.clock.advance(5 * MINUTE + 1);
    await jobs.runDue();
    expect(runs).toBe(1);
    expect((await jobs.get(db(), id))?.status).toBe('succeeded');
  });

  it('a long job that reports progress keeps its lease', async () => {
    const { jobs } = c.services;
    const other = createJobs({ db: db(), dialect: c.database.dialect, clock: c.clock, ids: createIdGenerator(c.clock) });
    let stolen = 0;
    other.register('test.long', () => {
      stolen += 1;
      return Promise.resolve();
    });
    jobs.register('test.long', async (job) => {
      for (let i = 0; i < 3; i++) {
        c.clock.advance(4 * MINUTE); // 12 minutes in all, well past one 5-minute lease
        await job.progress(i + 1, 3);
        await other.runDue(); // another worker looks for abandoned work meanwhile
      }
    });
    const id = await jobs.enqueue(db(), { type: 'test.long' });
    await jobs.runDue();
    expect(stolen).toBe(0);
    expect((await jobs.get(db(), id))?.status).toBe('succeeded');
  });

  it('cron schedules enqueue one job per due time, even with several processes ticking', async () => {
    const { jobs } = c.services;
    let runs = 0;
    jobs.register('test.cron', () => {
      runs += 1;
      return Promise.resolve();
    });
    const other = createJobs({ db: db(), dialect: c.database.dialect, clock: c.clock, ids: createIdGenerator(c.clock) });
    await jobs.schedule(db(), { name: 'test.every-5', expression: '*/5 * * * *', jobType: 'test.cron' });
    // The modules' own schedules (late fees, SLA sweeps …) may be due too: count only this one's jobs.
    const enqueued = async () => Number((await db().selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('type', '=', 'test.cron').executeTakeFirstOrThrow()).n);
    await jobs.tickCron();
    expect(await enqueued()).toBe(0);
    c.clock.advance(5 * MINUTE);
    await Promise.all([jobs.tickCron(), other.tickCron(), jobs.tickCron()]);
    expect(await enqueued()).toBe(1);
    await jobs.runDue();
    expect(runs).toBe(1);
  });
});

describe('housekeeping', () => {
  it('deletes succeeded jobs finished more than 30 days ago and keeps failed ones', async () => {
    const { jobs } = c.services;
    jobs.register('test.quick', () => Promise.resolve());
    const old = await jobs.enqueue(db(), { type: 'test.quick' });
    await jobs.runDue();
    const failed = await db().selectFrom('jobs').select('id').where('status', '=', 'failed').executeTakeFirstOrThrow();
    c.clock.advance(31 * 24 * 60 * MINUTE);
    const recent = await jobs.enqueue(db(), { type: 'test.quick' });
    await jobs.runDue();
    expect(await jobs.purgeFinished(30)).toBeGreaterThanOrEqual(1);
    expect(await jobs.get(db(), old)).toBeUndefined();
    expect(await jobs.get(db(), recent)).toBeDefined();
    expect(await jobs.get(db(), failed.id)).toBeDefined();
  });
});

describe('outbox events', () => {
  it('are delivered after commit to every subscribed handler, and never when the transaction rolls back', async () => {
    const { events, jobs } = c.services;
    const received: string[] = [];
    events.on('test.thing_happened', 'test-handler-a', (e) => {
      received.push(`a:${(e.payload as { n: number }).n}`);
      return Promise.resolve();
    });
    events.on('test.thing_happened', 'test-handler-b', (e) => {
      received.push(`b:${(e.payload as { n: number }).n}`);
      return Promise.resolve();
    });
    await db().transaction().execute(async (tx) => {
      await events.emit(tx, { type: 'test.thing_happened', payload: { n: 1 } });
    });
    await expect(
      db().transaction().execute(async (tx) => {
        await events.emit(tx, { type: 'test.thing_happened', payload: { n: 2 } });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await jobs.runDue();
    expect(received.sort()).toEqual(['a:1', 'b:1']);
  });
});

describe.runIf(dialect === 'postgres')('several workers on PostgreSQL', () => {
  it('never run the same job twice', async () => {
    const ran = new Map<string, number>();
    const workers = Array.from({ length: 4 }, () => createJobs({ db: db(), dialect: 'postgres', clock: c.clock, ids: createIdGenerator(c.clock) }));
    for (const w of workers) {
      w.register('test.once', async (job) => {
        const { k } = job.payload as { k: string };
        ran.set(k, (ran.get(k) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
      });
    }
    for (let i = 0; i < 60; i++) await workers[0]!.enqueue(db(), { type: 'test.once', payload: { k: `job-${i}` } });
    const counts = await Promise.all(workers.map((w) => w.runDue()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect([...ran.values()].every((n) => n === 1)).toBe(true);
    expect(ran.size).toBe(60);
  });
});
