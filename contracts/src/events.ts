/**
 * The catalogue of domain event types: every event a module emits through the transactional
 * outbox (`events.emit(tx, { type, payload, communityId })`), with its label in both languages.
 * Webhook endpoints subscribe to these (or to `*`); the UI lists them from
 * `GET /api/webhooks/event-types`. A module that starts emitting a new event adds it here.
 *
 * `data` describes the event's payload (the webhook body's `data` field).
 */
export const EVENT_TYPES = {
  'identity.user.created': { zh: '用户已创建', en: 'User created', data: '{ userId, username, kind }' },
  'identity.user.disabled': { zh: '用户已停用', en: 'User disabled', data: '{ userId, username }' },
  // Granted, requested, approved, rejected, revoked or bootstrapped: `status` says which state it reached.
  'identity.grant.changed': { zh: '角色授权已变更', en: 'Role grant changed', data: '{ grantId, userId, roleCode, communityId, status }' },
  'properties.community.created': { zh: '小区/项目已创建', en: 'Community created', data: '{ communityId, code, name, type }' },
} as const satisfies Record<string, { zh: string; en: string; data: string }>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_CODES = Object.keys(EVENT_TYPES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}
