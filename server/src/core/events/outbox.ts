import type { Clock } from '../clock.js';
import type { IdGenerator } from '../ids.js';
import type { Db, Tx } from '../db/schema.js';
import type { Jobs } from '../jobs/jobs.js';

export interface DomainEvent {
  type: string;
  payload: unknown;
  communityId?: string | null;
}

export type EventHandler = (event: { id: string; type: string; payload: unknown; communityId: string | null; occurredAt: string }) => Promise<void>;

export interface Events {
  /** Records the event in the caller's transaction; handlers see it only after commit. */
  emit(tx: Tx, event: DomainEvent): Promise<string>;
  /**
   * Subscribes `handler` (named, so deliveries are tracked per handler) to `type` ('*' for all).
   * Handlers must be idempotent: a crash after the handler ran but before its job was marked done
   * delivers the event again.
   */
  on(type: string, name: string, handler: EventHandler): void;
}

/**
 * Transactional outbox: the event row and one delivery job per subscribed handler are written in
 * the business transaction, so an event is delivered if and only if the change committed.
 */
export function createEvents(deps: { db: Db; jobs: Jobs; clock: Clock; ids: IdGenerator }): Events {
  const subscribers: { type: string; name: string }[] = [];
  return {
    async emit(tx, event) {
      const id = deps.ids();
      await tx
        .insertInto('outbox_events')
        .values({ id, type: event.type, payload_json: JSON.stringify(event.payload ?? null), community_id: event.communityId ?? null, occurred_at: deps.clock.now().toISOString() })
        .execute();
      for (const s of subscribers.filter((s) => s.type === event.type || s.type === '*')) {
        await deps.jobs.enqueue(tx, { type: `event:${s.name}`, payload: { eventId: id }, uniqueKey: `event:${s.name}:${id}`, communityId: event.communityId ?? null });
      }
      return id;
    },
    on(type, name, handler) {
      subscribers.push({ type, name });
      deps.jobs.register(`event:${name}`, async (job) => {
        const { eventId } = job.payload as { eventId: string };
        const row = await deps.db.selectFrom('outbox_events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
        await handler({ id: row.id, type: row.type, payload: JSON.parse(row.payload_json) as unknown, communityId: row.community_id, occurredAt: row.occurred_at });
      });
    },
  };
}
