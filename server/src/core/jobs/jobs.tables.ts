export interface JobTable {
  id: string;
  type: string;
  payload_json: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  progress_done: number;
  progress_total: number | null;
  progress_note: string | null;
  last_error: string | null;
  /** Makes enqueueing idempotent: a second job with the same key is not created. */
  unique_key: string | null;
  community_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface CronScheduleTable {
  name: string;
  expression: string;
  job_type: string;
  payload_json: string;
  next_run_at: string;
}

export interface OutboxEventTable {
  id: string;
  type: string;
  payload_json: string;
  community_id: string | null;
  occurred_at: string;
}

declare module '../db/schema.js' {
  interface Database {
    jobs: JobTable;
    cron_schedules: CronScheduleTable;
    outbox_events: OutboxEventTable;
  }
}
