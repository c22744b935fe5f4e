import type { ModuleMigration } from '../db/migrator.js';

export const coreJobsInit: ModuleMigration = {
  name: '202611240000_core_jobs',
  async up(db, c) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('type', c.text, (col) => col.notNull())
      .addColumn('payload_json', c.text, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('run_at', c.instant, (col) => col.notNull())
      .addColumn('attempts', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('max_attempts', c.int, (col) => col.notNull())
      .addColumn('locked_by', c.text)
      .addColumn('locked_until', c.instant)
      .addColumn('progress_done', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('progress_total', c.int)
      .addColumn('progress_note', c.text)
      .addColumn('last_error', c.text)
      .addColumn('unique_key', c.text, (col) => col.unique())
      .addColumn('community_id', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('started_at', c.instant)
      .addColumn('finished_at', c.instant)
      .execute();
    await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();

    await db.schema
      .createTable('cron_schedules')
      .addColumn('name', c.text, (col) => col.primaryKey())
      .addColumn('expression', c.text, (col) => col.notNull())
      .addColumn('job_type', c.text, (col) => col.notNull())
      .addColumn('payload_json', c.text, (col) => col.notNull())
      .addColumn('next_run_at', c.instant, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('outbox_events')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('type', c.text, (col) => col.notNull())
      .addColumn('payload_json', c.text, (col) => col.notNull())
      .addColumn('community_id', c.id)
      .addColumn('occurred_at', c.instant, (col) => col.notNull())
      .execute();
  },
};
