import {
  EVENT_TYPES,
  isEventType,
  type CreatedWebhookEndpoint,
  type CreateWebhookEndpointBody,
  type UpdateWebhookEndpointBody,
  type WebhookDelivery,
  type WebhookDeliveryDetail,
  type WebhookDeliveryListQuery,
  type WebhookEndpoint,
  type WebhookEventTypeInfo,
} from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Tx } from '../../core/db/schema.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import type { Events } from '../../core/events/outbox.js';
import { backoffMs, type Jobs } from '../../core/jobs/jobs.js';
import { AppError, fieldError, notFound } from '../../core/http/errors.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './webhooks.repository.js';
import { send } from './sender.js';
import { auditUrl, generateSecret, normaliseUrl, sign } from './signature.js';

/** Job type of one delivery; the jobs core retries it with exponential backoff. */
export const DELIVER_JOB = 'webhooks.deliver';
/** Attempts per delivery: 10 s, 20 s … 640 s apart, about 21 minutes in all. */
export const MAX_ATTEMPTS = 8;
/** Sent by "send test" to one endpoint only; never fanned out, not subscribable. */
export const PING_EVENT = 'webhooks.ping';
export const DEFAULT_TIMEOUT_MS = 10_000;
const PERMISSION = 'webhooks.endpoint.manage';

export interface WebhooksService {
  eventTypes(ctx: RequestContext): WebhookEventTypeInfo[];
  list(ctx: RequestContext): Promise<WebhookEndpoint[]>;
  get(ctx: RequestContext, id: string): Promise<WebhookEndpoint>;
  /** Creates an endpoint; the response carries its signing secret, the only time it is shown. */
  create(ctx: RequestContext, body: CreateWebhookEndpointBody): Promise<CreatedWebhookEndpoint>;
  update(ctx: RequestContext, id: string, body: UpdateWebhookEndpointBody): Promise<WebhookEndpoint>;
  setActive(ctx: RequestContext, id: string, active: boolean): Promise<WebhookEndpoint>;
  remove(ctx: RequestContext, id: string): Promise<void>;
  /** Replaces the signing secret at once (retries still pending sign with the new one). */
  rotateSecret(ctx: RequestContext, id: string): Promise<{ secret: string }>;
  /** Queues a `webhooks.ping` delivery to this endpoint only. */
  sendTest(ctx: RequestContext, id: string): Promise<WebhookDelivery>;
  listDeliveries(ctx: RequestContext, endpointId: string, query: WebhookDeliveryListQuery): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }>;
  getDelivery(ctx: RequestContext, id: string): Promise<WebhookDeliveryDetail>;
  /** Queues a new delivery of the same event to the same endpoint, freshly signed. */
  replay(ctx: RequestContext, deliveryId: string): Promise<WebhookDelivery>;
}

export interface WebhooksDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  cipher: FieldCipher;
  events: Events;
  jobs: Jobs;
  /** Per-attempt timeout; 10 s unless a test shortens it. */
  timeoutMs?: number;
}

const parseTypes = (json: string): string[] => JSON.parse(json) as string[];

function view(r: repo.EndpointRow): WebhookEndpoint {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    eventTypes: parseTypes(r.event_types_json),
    active: r.active === 1,
    secretSet: r.secret_enc !== '',
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    disabledAt: r.disabled_at,
  };
}

/** What the audit trail keeps of an endpoint: never the secret, the URL without its query string. */
function auditView(r: repo.EndpointRow) {
  return { name: r.name, url: auditUrl(r.url), eventTypes: parseTypes(r.event_types_json), active: r.active === 1 };
}

function deliveryView(r: repo.DeliveryRow): WebhookDelivery {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.event_type,
    attemptCount: r.attempt_count,
    status: r.status,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastResponseExcerpt: r.last_response_excerpt,
    nextAttemptAt: r.next_attempt_at,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    replayOf: r.replay_of,
  };
}

function checkUrl(raw: string): string {
  const url = normaliseUrl(raw);
  if (!url) throw new AppError('webhooks.url_invalid', [fieldError('/body/url', 'http(s) URL without credentials expected', '应为不含用户名和密码的 http(s) 网址')]);
  return url;
}

/** Known types or `*`; `*` with others is just `*`. */
function checkTypes(types: string[]): string[] {
  const unknown = types.filter((t) => t !== '*' && !isEventType(t));
  if (unknown.length) throw new AppError('webhooks.event_type_unknown', [fieldError('/body/eventTypes', `unknown: ${unknown.join(', ')}`, `未知的事件类型：${unknown.join('、')}`)]);
  return types.includes('*') ? ['*'] : [...new Set(types)].sort();
}

const subscribes = (endpoint: repo.EndpointRow, type: string) => {
  const types = parseTypes(endpoint.event_types_json);
  return types.includes('*') || types.includes(type);
};

/**
 * Webhooks: every committed outbox event is fanned out to the active endpoints subscribed to its
 * type, one delivery (and one job) per endpoint; each delivery is POSTed signed, retried with
 * backoff, and every attempt is logged.
 */
export function createWebhooksService(deps: WebhooksDeps): WebhooksService {
  const now = () => deps.clock.now().toISOString();
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const enqueue = (tx: Tx, deliveryId: string, communityId: string | null) =>
    deps.jobs.enqueue(tx, { type: DELIVER_JOB, payload: { deliveryId }, uniqueKey: `${DELIVER_JOB}:${deliveryId}`, maxAttempts: MAX_ATTEMPTS, communityId });

  const newDelivery = (endpointId: string, eventId: string, eventType: string, replayOf: string | null): repo.DeliveryRow => ({
    id: deps.ids(),
    endpoint_id: endpointId,
    event_id: eventId,
    event_type: eventType,
    attempt_count: 0,
    status: 'queued',
    last_status_code: null,
    last_error: null,
    last_response_excerpt: null,
    next_attempt_at: now(),
    created_at: now(),
    delivered_at: null,
    replay_of: replayOf,
  });

  async function load(tx: Tx, ctx: RequestContext, id: string): Promise<repo.EndpointRow> {
    // Webhooks export events of every community: only an organisation-wide grant may manage them.
    assertCan(ctx, PERMISSION);
    const row = await repo.endpoints.byId(tx, id);
    if (!row) throw notFound();
    return row;
  }

  /** Loads, changes and audits one endpoint in one transaction. */
  async function change(ctx: RequestContext, id: string, action: string, apply: (tx: Tx, row: repo.EndpointRow) => Promise<void>): Promise<WebhookEndpoint> {
    return deps.db.transaction().execute(async (tx) => {
      const before = await load(tx, ctx, id);
      await apply(tx, before);
      const after = (await repo.endpoints.byId(tx, id))!;
      await deps.audit.record(tx, ctx, { action, entityType: 'webhook_endpoint', entityId: id, before: auditView(before), after: auditView(after) });
      return view(after);
    });
  }

  // Fan-out. Runs once per committed event (at least once: it is idempotent through the unique
  // original delivery per endpoint and event, and the jobs' unique keys).
  deps.events.on('*', 'webhooks.fanout', async (event) => {
    if (event.type === PING_EVENT) return;
    await deps.db.transaction().execute(async (tx) => {
      const targets = (await repo.endpoints.active(tx)).filter((e) => subscribes(e, event.type));
      if (targets.length === 0) return;
      await repo.deliveries.insertOriginals(tx, targets.map((e) => newDelivery(e.id, event.id, event.type, null)));
      for (const d of await repo.deliveries.originalsOfEvent(tx, event.id)) await enqueue(tx, d.id, event.communityId);
    });
  });

  /** One attempt of one delivery (the `webhooks.deliver` job). Throws on failure so the job retries. */
  async function deliver(deliveryId: string, attempt: number): Promise<void> {
    const delivery = await repo.deliveries.byId(deps.db, deliveryId);
    // Gone with its endpoint, or already finished by an earlier run of this job.
    if (!delivery || delivery.status !== 'queued') return;
    const endpoint = await repo.endpoints.byId(deps.db, delivery.endpoint_id);
    const event = await repo.events.byId(deps.db, delivery.event_id);
    const giveUp = !endpoint || endpoint.active !== 1 ? 'endpoint disabled' : !event ? 'event no longer in the outbox' : null;
    if (giveUp || !endpoint || !event) {
      await repo.deliveries.update(deps.db, deliveryId, { status: 'failed', last_error: giveUp, next_attempt_at: null });
      return;
    }

    const body = JSON.stringify({ id: event.id, type: event.type, occurredAt: event.occurred_at, communityId: event.community_id, data: JSON.parse(event.payload_json) as unknown });
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Courtyard-Webhooks/1',
      'x-courtyard-event': event.type,
      'x-courtyard-delivery': delivery.id,
      'x-courtyard-timestamp': String(timestamp),
      'x-courtyard-signature': sign(deps.cipher.decrypt(endpoint.secret_enc), timestamp, body),
    };
    const startedAt = now();
    const result = await send(endpoint.url, headers, body, timeoutMs);
    const final = !result.ok && attempt >= MAX_ATTEMPTS;

    await deps.db.transaction().execute(async (tx) => {
      await repo.attempts.insert(tx, {
        id: deps.ids(),
        delivery_id: delivery.id,
        attempt,
        status_code: result.statusCode,
        error: result.error,
        response_excerpt: result.excerpt,
        duration_ms: result.durationMs,
        started_at: startedAt,
      });
      await repo.deliveries.update(tx, delivery.id, {
        attempt_count: attempt,
        status: result.ok ? 'succeeded' : final ? 'failed' : 'queued',
        last_status_code: result.statusCode,
        last_error: result.error,
        last_response_excerpt: result.excerpt,
        // The jobs core schedules the retry with the same backoff.
        next_attempt_at: result.ok || final ? null : new Date(deps.clock.now().getTime() + backoffMs(attempt)).toISOString(),
        delivered_at: result.ok ? now() : null,
      });
    });
    if (!result.ok) throw new Error(`webhook delivery ${delivery.id} attempt ${attempt}: ${result.error ?? 'failed'}`);
  }

  deps.jobs.register(DELIVER_JOB, async (job) => {
    const { deliveryId } = job.payload as { deliveryId: string };
    await deliver(deliveryId, job.attempt);
  });

  return {
    eventTypes(ctx) {
      assertCan(ctx, PERMISSION);
      return Object.entries(EVENT_TYPES).map(([code, e]) => ({ code, zh: e.zh, en: e.en, data: e.data }));
    },

    async list(ctx) {
      assertCan(ctx, PERMISSION);
      return (await repo.endpoints.list(deps.db)).map(view);
    },

    async get(ctx, id) {
      return deps.db.transaction().execute(async (tx) => view(await load(tx, ctx, id)));
    },

    async create(ctx, body) {
      assertCan(ctx, PERMISSION);
      const url = checkUrl(body.url);
      const types = checkTypes(body.eventTypes);
      const secret = generateSecret();
      return deps.db.transaction().execute(async (tx) => {
        const at = now();
        const row: repo.EndpointRow = {
          id: deps.ids(),
          name: body.name.trim(),
          url,
          secret_enc: deps.cipher.encrypt(secret),
          event_types_json: JSON.stringify(types),
          active: 1,
          created_by: ctx.actor.userId,
          created_at: at,
          updated_at: at,
          disabled_at: null,
        };
        await repo.endpoints.insert(tx, row);
        await deps.audit.record(tx, ctx, { action: 'webhooks.endpoint.create', entityType: 'webhook_endpoint', entityId: row.id, after: auditView(row) });
        return { endpoint: view(row), secret };
      });
    },

    update: (ctx, id, body) =>
      change(ctx, id, 'webhooks.endpoint.update', async (tx) => {
        await repo.endpoints.update(tx, id, {
          ...(body.name !== undefined ? { name: body.name.trim() } : {}),
          ...(body.url !== undefined ? { url: checkUrl(body.url) } : {}),
          ...(body.eventTypes !== undefined ? { event_types_json: JSON.stringify(checkTypes(body.eventTypes)) } : {}),
          updated_at: now(),
        });
      }),

    setActive: (ctx, id, active) =>
      change(ctx, id, active ? 'webhooks.endpoint.enable' : 'webhooks.endpoint.disable', async (tx) => {
        await repo.endpoints.update(tx, id, { active: active ? 1 : 0, disabled_at: active ? null : now(), updated_at: now() });
      }),

    async remove(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await load(tx, ctx, id);
        await repo.endpoints.delete(tx, id);
        await deps.audit.record(tx, ctx, { action: 'webhooks.endpoint.delete', entityType: 'webhook_endpoint', entityId: id, before: auditView(row) });
      });
    },

    async rotateSecret(ctx, id) {
      const secret = generateSecret();
      await deps.db.transaction().execute(async (tx) => {
        await load(tx, ctx, id);
        await repo.endpoints.update(tx, id, { secret_enc: deps.cipher.encrypt(secret), updated_at: now() });
        await deps.audit.record(tx, ctx, { action: 'webhooks.endpoint.rotate_secret', entityType: 'webhook_endpoint', entityId: id, after: { secret: 'rotated' } });
      });
      return { secret };
    },

    async sendTest(ctx, id) {
      return deps.db.transaction().execute(async (tx) => {
        const endpoint = await load(tx, ctx, id);
        if (endpoint.active !== 1) throw new AppError('webhooks.endpoint_disabled');
        const eventId = await deps.events.emit(tx, { type: PING_EVENT, payload: { endpointId: id, message: 'Courtyard webhook test' }, communityId: null });
        const row = newDelivery(id, eventId, PING_EVENT, null);
        await repo.deliveries.insert(tx, row);
        await enqueue(tx, row.id, null);
        await deps.audit.record(tx, ctx, { action: 'webhooks.endpoint.test', entityType: 'webhook_endpoint', entityId: id, after: { deliveryId: row.id, eventId } });
        return deliveryView(row);
      });
    },

    async listDeliveries(ctx, endpointId, query) {
      assertCan(ctx, PERMISSION);
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, 1);
      if (!(await repo.endpoints.byId(deps.db, endpointId))) throw notFound();
      const rows = await repo.deliveries.listByEndpoint(deps.db, endpointId, { status: query.status, before: cursor ? String(cursor[0]) : undefined, limit });
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map(deliveryView), nextCursor: page.nextCursor };
    },

    async getDelivery(ctx, id) {
      assertCan(ctx, PERMISSION);
      const row = await repo.deliveries.byId(deps.db, id);
      if (!row) throw notFound();
      const attempts = await repo.attempts.ofDelivery(deps.db, id);
      return {
        ...deliveryView(row),
        attempts: attempts.map((a) => ({ attempt: a.attempt, statusCode: a.status_code, error: a.error, responseExcerpt: a.response_excerpt, durationMs: a.duration_ms, startedAt: a.started_at })),
      };
    },

    async replay(ctx, deliveryId) {
      assertCan(ctx, PERMISSION);
      return deps.db.transaction().execute(async (tx) => {
        const original = await repo.deliveries.byId(tx, deliveryId);
        if (!original) throw notFound();
        const endpoint = (await repo.endpoints.byId(tx, original.endpoint_id))!;
        if (endpoint.active !== 1) throw new AppError('webhooks.endpoint_disabled');
        if (original.status === 'queued') throw new AppError('webhooks.delivery_pending');
        const event = await repo.events.byId(tx, original.event_id);
        if (!event) throw new AppError('webhooks.event_expired');
        const row = newDelivery(endpoint.id, event.id, event.type, original.id);
        await repo.deliveries.insert(tx, row);
        await enqueue(tx, row.id, event.community_id);
        await deps.audit.record(tx, ctx, {
          action: 'webhooks.delivery.replay',
          entityType: 'webhook_delivery',
          entityId: row.id,
          communityId: event.community_id,
          after: { replayOf: original.id, endpointId: endpoint.id, eventId: event.id, eventType: event.type },
        });
        return deliveryView(row);
      });
    },
  };
}
