import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';

/** One entry of the event-type catalogue (`contracts/src/events.ts`). */
export const WebhookEventTypeInfo = Type.Object({
  code: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  /** Shape of the event's `data`, for integrators. */
  data: Type.String(),
});
export type WebhookEventTypeInfo = Static<typeof WebhookEventTypeInfo>;
export const WebhookEventTypeList = Type.Object({ items: Type.Array(WebhookEventTypeInfo) });
export type WebhookEventTypeList = Static<typeof WebhookEventTypeList>;

/** `*` subscribes to every event type, including ones added later. */
export const WebhookEventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: '^(\\*|[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+)$' }), {
  minItems: 1,
  maxItems: 100,
  uniqueItems: true,
});

export const WebhookUrl = Type.String({ minLength: 1, maxLength: 2000, description: 'http:// or https:// URL; redirects are not followed' });

export const WebhookEndpoint = Type.Object({
  id: Id,
  name: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  active: Type.Boolean(),
  /** The signing secret is never returned after creation or rotation; this only says one is set. */
  secretSet: Type.Boolean(),
  createdBy: Nullable(Type.String()),
  createdAt: Instant,
  updatedAt: Instant,
  disabledAt: Nullable(Instant),
});
export type WebhookEndpoint = Static<typeof WebhookEndpoint>;
export const WebhookEndpointList = Type.Object({ items: Type.Array(WebhookEndpoint) });
export type WebhookEndpointList = Static<typeof WebhookEndpointList>;

export const CreateWebhookEndpointBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    url: WebhookUrl,
    eventTypes: WebhookEventTypes,
  },
  { additionalProperties: false },
);
export type CreateWebhookEndpointBody = Static<typeof CreateWebhookEndpointBody>;

export const UpdateWebhookEndpointBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    url: Type.Optional(WebhookUrl),
    eventTypes: Type.Optional(WebhookEventTypes),
  },
  { additionalProperties: false },
);
export type UpdateWebhookEndpointBody = Static<typeof UpdateWebhookEndpointBody>;

/** The signing secret, returned only by create and rotate-secret: store it now, it is not shown again. */
export const WebhookSecret = Type.Object({ secret: Type.String() });
export type WebhookSecret = Static<typeof WebhookSecret>;
export const CreatedWebhookEndpoint = Type.Object({ endpoint: WebhookEndpoint, secret: Type.String() });
export type CreatedWebhookEndpoint = Static<typeof CreatedWebhookEndpoint>;

export const WebhookDeliveryStatus = Type.Union([Type.Literal('queued'), Type.Literal('succeeded'), Type.Literal('failed')]);
export type WebhookDeliveryStatus = Static<typeof WebhookDeliveryStatus>;

export const WebhookDelivery = Type.Object({
  id: Id,
  endpointId: Id,
  eventId: Id,
  eventType: Type.String(),
  attemptCount: Type.Integer(),
  status: WebhookDeliveryStatus,
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  /** At most 500 characters of the receiver's last response body. */
  lastResponseExcerpt: Nullable(Type.String()),
  nextAttemptAt: Nullable(Instant),
  createdAt: Instant,
  deliveredAt: Nullable(Instant),
  /** The delivery this one replays, or null for the original delivery. */
  replayOf: Nullable(Id),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const WebhookDeliveryAttempt = Type.Object({
  attempt: Type.Integer(),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  responseExcerpt: Nullable(Type.String()),
  durationMs: Type.Integer(),
  startedAt: Instant,
});
export type WebhookDeliveryAttempt = Static<typeof WebhookDeliveryAttempt>;

export const WebhookDeliveryDetail = Type.Composite([WebhookDelivery, Type.Object({ attempts: Type.Array(WebhookDeliveryAttempt) })]);
export type WebhookDeliveryDetail = Static<typeof WebhookDeliveryDetail>;

export const WebhookDeliveryListQuery = Type.Object({ status: Type.Optional(WebhookDeliveryStatus), ...PageQuery }, { additionalProperties: false });
export type WebhookDeliveryListQuery = Static<typeof WebhookDeliveryListQuery>;
export const WebhookDeliveryPage = Page(WebhookDelivery);
