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
  'properties.renovation.submitted': { zh: '装修申请已提交', en: 'Renovation submitted', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.approved': { zh: '装修申请已批准', en: 'Renovation approved', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.rejected': { zh: '装修申请已驳回', en: 'Renovation rejected', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.started': { zh: '装修已开工', en: 'Renovation started', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.completed': { zh: '装修已验收通过', en: 'Renovation passed inspection', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.failed_inspection': { zh: '装修验收未通过', en: 'Renovation failed inspection', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.cancelled': { zh: '装修申请已撤销', en: 'Renovation cancelled', data: '{ renovationId, roomId, roomCode, state, depositState }' },
  'properties.renovation.deposit_changed': { zh: '装修押金状态已变更', en: 'Renovation deposit changed', data: '{ renovationId, roomId, roomCode, state, depositState, depositCents }' },
  'people.person.created': { zh: '人员已登记', en: 'Person registered', data: '{ personId, communityId, kind }' },
  'people.occupancy.moved_in': { zh: '已入住', en: 'Moved in', data: '{ occupancyId, personId, roomId, parkingSpaceId, relation, movedInOn }' },
  'people.occupancy.moved_out': { zh: '已迁出', en: 'Moved out', data: '{ occupancyId, personId, roomId, parkingSpaceId, relation, movedOutOn }' },
  'service_desk.request.submitted': { zh: '服务申请已提交', en: 'Service request submitted', data: '{ requestId, number, type, roomId, channel }' },
  'service_desk.request.resolved': { zh: '服务申请已处理完成', en: 'Service request resolved', data: '{ requestId, number, technicianId, costCents }' },
  'service_desk.request.closed': { zh: '服务申请已关闭', en: 'Service request closed', data: '{ requestId, number, rating, automatic }' },
  // Billing subscribes (handler billing.service_charge): it issues a one-off bill for the room and
  // marks the charge billed (or not_billable without a room) through the service desk.
  'service_desk.charge.created': { zh: '有偿服务费用已生成', en: 'Paid service charge created', data: '{ chargeId, requestId, requestNumber, roomId, totalCents, lines }' },
} as const satisfies Record<string, { zh: string; en: string; data: string }>;

export type EventType = keyof typeof EVENT_TYPES;
export const EVENT_TYPE_CODES = Object.keys(EVENT_TYPES) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.prototype.hasOwnProperty.call(EVENT_TYPES, value);
}
