import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { WebhookDeliveryAttemptTable, WebhookDeliveryTable, WebhookEndpointTable } from './webhooks.tables.js';

export type EndpointRow = Selectable<WebhookEndpointTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;
export type AttemptRow = Selectable<WebhookDeliveryAttemptTable>;

export const endpoints = {
  list: (db: Exec) => db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
  active: (db: Exec) => db.selectFrom('webhook_endpoints').selectAll().where('active', '=', 1).execute(),
  byId: (db: Exec, id: string) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst(),
  insert: (db: Exec, row: Insertable<WebhookEndpointTable>) => db.insertInto('webhook_endpoints').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<WebhookEndpointTable>) => db.updateTable('webhook_endpoints').set(patch).where('id', '=', id).execute(),
  /** Deliveries and their attempts go with the endpoint (foreign keys cascade). */
  delete: (db: Exec, id: string) => db.deleteFrom('webhook_endpoints').where('id', '=', id).execute(),
};

export const deliveries = {
  byId: (db: Exec, id: string) => db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),
  /** Inserts original deliveries; rows that already exist for (endpoint, event) are skipped. */
  insertOriginals: (db: Exec, rows: Insertable<WebhookDeliveryTable>[]) =>
    rows.length === 0 ? Promise.resolve() : db.insertInto('webhook_deliveries').values(rows).onConflict((oc) => oc.doNothing()).execute().then(() => undefined),
  originalsOfEvent: (db: Exec, eventId: string) =>
    db.selectFrom('webhook_deliveries').select(['id', 'endpoint_id']).where('event_id', '=', eventId).where('replay_of', 'is', null).execute(),
  insert: (db: Exec, row: Insertable<WebhookDeliveryTable>) => db.insertInto('webhook_deliveries').values(row).execute(),
  update: (db: Exec, id: string, patch: Updateable<WebhookDeliveryTable>) => db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute(),
  /** Newest first (ids are time-ordered UUIDv7); `before` is the last id of the previous page. */
  listByEndpoint: (db: Exec, endpointId: string, q: { status?: DeliveryRow['status'] | undefined; before?: string | undefined; limit: number }) => {
    let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
    if (q.status) query = query.where('status', '=', q.status);
    if (q.before) query = query.where('id', '<', q.before);
    return query.orderBy('id', 'desc').limit(q.limit + 1).execute();
  },
};

export const attempts = {
  insert: (db: Exec, row: Insertable<WebhookDeliveryAttemptTable>) => db.insertInto('webhook_delivery_attempts').values(row).execute(),
  ofDelivery: (db: Exec, deliveryId: string) =>
    db.selectFrom('webhook_delivery_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('attempt').orderBy('started_at').execute(),
};

/** The outbox event a delivery carries (core's table, read only). */
export const events = {
  byId: (db: Exec, id: string) => db.selectFrom('outbox_events').selectAll().where('id', '=', id).executeTakeFirst(),
};
