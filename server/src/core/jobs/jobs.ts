import os from 'node:os';
import { sql } from 'kysely';
import { CronExpressionParser } from 'cron-parser';
import type { Job } from '@courtyard/contracts';
import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { Dialect } from '../db/database.js';
import type { Db, Exec } from '../db/schema.js';
import type { JobTable } from './jobs.tables.js';

export interface EnqueueOptions {
  type: string;
  payload?: unknown;
  runAt?: Date;
  maxAttempts?: number;
  /** Idempotency: enqueueing the same key twice creates one job. */
  uniqueKey?: string;
  communityId?: string | null;
}

export interface JobContext {
  id: string;
  attempt: number;
  payload: unknown;
  /** Reports progress to the UI and the CLI (`GET /api/jobs/:id`). */
  progress(done: number, total?: number | null, note?: string | null): Promise<void>;
  /** Aborted when the process is shutting down and the job should stop at a safe point. */
  signal: AbortSignal;
}

export type JobHandler = (job: JobContext) => Promise<void>;

export interface CronSchedule {
  name: string;
  expression: string;
  jobType: string;
  payload?: unknown;
}

export interface Jobs {
  enqueue(exec: Exec, options: EnqueueOptions): Promise<string>;
  get(exec: Exec, id: string): Promise<Job | undefined>;
  counts(exec: Exec): Promise<Record<string, number>>;
  register(type: string, handler: JobHandler): void;
  /** Deletes succeeded and cancelled jobs finished, and events recorded, more than `days` ago. */
  purgeFinished(days: number): Promise<number>;
  /** Registers (or updates) a cron schedule; safe to call from every process at start-up. */
  schedule(db: Db, schedule: CronSchedule): Promise<void>;
  /** Claims and runs due jobs until none is left or `max` ran; returns how many ran. */
  runDue(max?: number): Promise<number>;
  /** Enqueues jobs for due cron schedules; returns how many it enqueued. */
  tickCron(): Promise<number>;
  start(pollMs?: number): void;
  /** Stops claiming and waits for running jobs to finish (SIGTERM drain). */
  stop(): Promise<void>;
}

const LEASE_MS = 5 * 60_000;

/** Exponential backoff with a ceiling: 10 s, 20 s, 40 s … capped at 1 h. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000 * 2 ** Math.max(attempt - 1, 0), 3_600_000);
}

function toJob(row: JobTable): Job {
  return {
    id: row.id,
    type: row.type,
    communityId: row.community_id,
    status: row.status,
    attempts: row.attempts,
    progressDone: row.progress_done,
    progressTotal: row.progress_total,
    progressNote: row.progress_note,
    lastError: row.last_error,
    runAt: row.run_at,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export function createJobs(deps: { db: Db; dialect: Dialect; clock: Clock; ids: IdGenerator; log?: (msg: string, err?: unknown) => void }): Jobs {
  const handlers = new Map<string, JobHandler>();
  const workerId = `${os.hostname()}:${process.pid}:${deps.ids().slice(-6)}`;
  const running = new Set<Promise<void>>();
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const now = () => deps.clock.now().toISOString();
  const leaseEnd = () => new Date(deps.clock.now().getTime() + LEASE_MS).toISOString();

  async function claim(): Promise<JobTable | undefined> {
    const types = [...handlers.keys()];
    if (types.length === 0) return undefined;
    const at = now();
    // A running job whose lease ran out belongs to a worker that died: it is claimable again.
    const due = deps.db
      .selectFrom('jobs')
      .select('id')
      .where('type', 'in', types)
      .where((eb) => eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', at)]), eb.and([eb('status', '=', 'running'), eb('locked_until', '<', at)])]))
      .orderBy('run_at')
      .limit(1);
    // PostgreSQL: SKIP LOCKED lets several processes claim side by side, never the same job.
    // SQLite has one writer, so the UPDATE … WHERE id = (SELECT …) is already atomic.
    const dueLocked = deps.dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
    return deps.db
      .updateTable('jobs')
      .set({ status: 'running', locked_by: workerId, locked_until: leaseEnd(), attempts: sql<number>`attempts + 1`, started_at: at })
      .where('id', '=', (eb) => eb.selectFrom(dueLocked.as('d')).select('d.id'))
      .returningAll()
      .executeTakeFirst();
  }

  async function execute(row: JobTable): Promise<void> {
    const handler = handlers.get(row.type);
    const context: JobContext = {
      id: row.id,
      attempt: row.attempts,
      payload: JSON.parse(row.payload_json) as unknown,
      signal: abort.signal,
      // Reporting progress also renews the lease: a long job that keeps reporting is not mistaken
      // for one whose worker died.
      progress: async (done, total = null, note = null) => {
        await deps.db
          .updateTable('jobs')
          .set({ progress_done: done, progress_total: total, progress_note: note, locked_until: leaseEnd() })
          .where('id', '=', row.id)
          .where('locked_by', '=', workerId)
          .execute();
      },
    };
    try {
      if (!handler) throw new Error(`no handler for job type ${row.type}`);
      await handler(context);
      await deps.db
        .updateTable('jobs')
        .set({ status: 'succeeded', finished_at: now(), locked_by: null, locked_until: null, last_error: null })
        .where('id', '=', row.id)
        .where('locked_by', '=', workerId) // a worker that lost its lease must not overwrite the new owner
        .execute();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      deps.log?.(`job ${row.type} ${row.id} attempt ${row.attempts} failed: ${message}`, err);
      const final = row.attempts >= row.max_attempts;
      await deps.db
        .updateTable('jobs')
        .set({
          status: final ? 'failed' : 'queued',
          run_at: final ? row.run_at : new Date(deps.clock.now().getTime() + backoffMs(row.attempts)).toISOString(),
          finished_at: final ? now() : null,
          locked_by: null,
          locked_until: null,
          last_error: message.slice(0, 2000),
        })
        .where('id', '=', row.id)
        .where('locked_by', '=', workerId)
        .execute();
    }
  }

  const jobs: Jobs = {
    async enqueue(exec, options) {
      const id = deps.ids();
      const row = {
        id,
        type: options.type,
        payload_json: JSON.stringify(options.payload ?? null),
        status: 'queued' as const,
        run_at: (options.runAt ?? deps.clock.now()).toISOString(),
        attempts: 0,
        max_attempts: options.maxAttempts ?? 5,
        progress_done: 0,
        unique_key: options.uniqueKey ?? null,
        community_id: options.communityId ?? null,
        created_at: now(),
      };
      if (!options.uniqueKey) {
        await exec.insertInto('jobs').values(row).execute();
        return id;
      }
      await exec.insertInto('jobs').values(row).onConflict((oc) => oc.column('unique_key').doNothing()).execute();
      const existing = await exec.selectFrom('jobs').select('id').where('unique_key', '=', options.uniqueKey).executeTakeFirstOrThrow();
      return existing.id;
    },
    async get(exec, id) {
      const row = await exec.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toJob(row);
    },
    async counts(exec) {
      const rows = await exec.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
    register(type, handler) {
      handlers.set(type, handler);
    },
    async purgeFinished(days) {
      const cutoff = new Date(deps.clock.now().getTime() - days * 86_400_000).toISOString();
      // Failed jobs stay until someone has looked at them; events outlive their deliveries' jobs.
      const jobsDeleted = await deps.db.deleteFrom('jobs').where('status', 'in', ['succeeded', 'cancelled']).where('finished_at', '<', cutoff).executeTakeFirst();
      const eventCutoff = new Date(deps.clock.now().getTime() - 3 * days * 86_400_000).toISOString();
      await deps.db.deleteFrom('outbox_events').where('occurred_at', '<', eventCutoff).execute();
      return Number(jobsDeleted.numDeletedRows);
    },
    async schedule(db, s) {
      const next = CronExpressionParser.parse(s.expression, { currentDate: deps.clock.now(), tz: 'UTC' }).next().toDate().toISOString();
      await db
        .insertInto('cron_schedules')
        .values({ name: s.name, expression: s.expression, job_type: s.jobType, payload_json: JSON.stringify(s.payload ?? null), next_run_at: next })
        // A changed expression takes effect from now; an unchanged one keeps its pending run.
        .onConflict((oc) =>
          oc.column('name').doUpdateSet({
            job_type: s.jobType,
            payload_json: JSON.stringify(s.payload ?? null),
            next_run_at: sql<string>`case when cron_schedules.expression = ${s.expression} then cron_schedules.next_run_at else ${next} end`,
            expression: s.expression,
          }),
        )
        .execute();
    },
    async tickCron() {
      const at = now();
      const due = await deps.db.selectFrom('cron_schedules').selectAll().where('next_run_at', '<=', at).execute();
      let enqueued = 0;
      for (const s of due) {
        const next = CronExpressionParser.parse(s.expression, { currentDate: deps.clock.now(), tz: 'UTC' }).next().toDate().toISOString();
        await deps.db.transaction().execute(async (tx) => {
          // Compare-and-set on next_run_at: of several processes ticking at once, one wins.
          const won = await tx.updateTable('cron_schedules').set({ next_run_at: next }).where('name', '=', s.name).where('next_run_at', '=', s.next_run_at).executeTakeFirst();
          if (Number(won.numUpdatedRows) !== 1) return;
          await jobs.enqueue(tx, { type: s.job_type, payload: JSON.parse(s.payload_json) as unknown, uniqueKey: `cron:${s.name}:${s.next_run_at}` });
          enqueued += 1;
        });
      }
      return enqueued;
    },
    async runDue(max = Infinity) {
      let ran = 0;
      while (ran < max && !stopped) {
        const row = await claim();
        if (!row) break;
        await execute(row);
        ran += 1;
      }
      return ran;
    },
    start(pollMs = 1000) {
      const loop = async () => {
        if (stopped) return;
        const work = (async () => {
          try {
            await jobs.tickCron();
            await jobs.runDue(20);
          } catch (err) {
            deps.log?.('job runner loop failed', err);
          }
        })();
        running.add(work);
        await work;
        running.delete(work);
        if (!stopped) timer = setTimeout(() => void loop(), pollMs);
      };
      timer = setTimeout(() => void loop(), 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      await Promise.allSettled([...running]);
    },
  };
  return jobs;
}
