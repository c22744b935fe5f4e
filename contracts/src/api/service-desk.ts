import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';
import { DateOnly } from './properties.js';

/**
 * Service desk (服务申请与处理): requests (服务申请) from owners or entered by staff, their workflow
 * (accept → dispatch → arrive → resolve → confirm → close), dispatch to technicians and teams,
 * time limits (SLA) on business time, paid repairs (service charges picked up by billing).
 * Surveys, feedback and return visits have their own files (surveys.ts, feedback.ts).
 */

// ── vocabulary ────────────────────────────────────────────────────────────────────────────────

/** 报修（室内）/ 报修（公共区域）/ 投诉 / 建议 / 咨询 / 保洁 / 绿化 / 服务预约 / 表扬 */
export const RequestType = Type.Union([
  Type.Literal('repair_room'),
  Type.Literal('repair_public'),
  Type.Literal('complaint'),
  Type.Literal('suggestion'),
  Type.Literal('consultation'),
  Type.Literal('cleaning'),
  Type.Literal('greening'),
  Type.Literal('appointment'),
  Type.Literal('praise'),
]);
export type RequestType = Static<typeof RequestType>;
export const REQUEST_TYPES: readonly RequestType[] = ['repair_room', 'repair_public', 'complaint', 'suggestion', 'consultation', 'cleaning', 'greening', 'appointment', 'praise'];

/**
 * submitted 已提交 · accepted 已受理 · rejected 已驳回 · dispatched 已派工 · in_progress 处理中（已到场）·
 * paused 暂停（等待业主，时限暂停计时）· waiting_parts 待料（时限继续计时）· resolved 已处理 ·
 * confirmed 已确认（业主评价）· closed 已关闭 · cancelled 已撤销
 */
export const RequestState = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
  Type.Literal('dispatched'),
  Type.Literal('in_progress'),
  Type.Literal('paused'),
  Type.Literal('waiting_parts'),
  Type.Literal('resolved'),
  Type.Literal('confirmed'),
  Type.Literal('closed'),
  Type.Literal('cancelled'),
]);
export type RequestState = Static<typeof RequestState>;
export const REQUEST_STATES: readonly RequestState[] = ['submitted', 'accepted', 'rejected', 'dispatched', 'in_progress', 'paused', 'waiting_parts', 'resolved', 'confirmed', 'closed', 'cancelled'];
/** States in which a request is finished: no further action except none. */
export const FINAL_REQUEST_STATES: readonly RequestState[] = ['rejected', 'closed', 'cancelled'];

/**
 * Workflow actions (one per transition kind; the table is in the server's state machine):
 * accept, reject, cancel, dispatch (also re-dispatch), take (a team member grabs a request
 * dispatched to the team), start (arrival on site), pause (waiting for the owner), wait_parts,
 * resume, resolve, confirm (requester rates 1–5), reopen (requester not satisfied), close.
 */
export const RequestAction = Type.Union([
  Type.Literal('accept'),
  Type.Literal('reject'),
  Type.Literal('cancel'),
  Type.Literal('dispatch'),
  Type.Literal('take'),
  Type.Literal('start'),
  Type.Literal('pause'),
  Type.Literal('wait_parts'),
  Type.Literal('resume'),
  Type.Literal('resolve'),
  Type.Literal('confirm'),
  Type.Literal('reopen'),
  Type.Literal('close'),
]);
export type RequestAction = Static<typeof RequestAction>;
/** Timeline-only entries besides the actions: `submit` (creation), `auto_close`, `escalate`. */
export const TimelineAction = Type.Union([...RequestAction.anyOf, Type.Literal('submit'), Type.Literal('auto_close'), Type.Literal('escalate')]);
export type TimelineAction = Static<typeof TimelineAction>;

export const RequestPriority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);
export type RequestPriority = Static<typeof RequestPriority>;
export const REQUEST_PRIORITIES: readonly RequestPriority[] = ['low', 'normal', 'high', 'urgent'];

/** portal 业主门户 · phone 电话 · front_desk 前台 · staff 员工代录（巡查发现等） */
export const RequestChannel = Type.Union([Type.Literal('portal'), Type.Literal('phone'), Type.Literal('front_desk'), Type.Literal('staff')]);
export type RequestChannel = Static<typeof RequestChannel>;

/** The SLA stage whose clock runs: accept 受理, arrive 到场, resolve 处理完成. */
export const SlaStage = Type.Union([Type.Literal('accept'), Type.Literal('arrive'), Type.Literal('resolve')]);
export type SlaStage = Static<typeof SlaStage>;

export const DispatchStrategy = Type.Union([
  /** Technicians of the team with the skill, on duty, in turn. */
  Type.Literal('round_robin'),
  /** The technician with the fewest open requests. */
  Type.Literal('least_open'),
  /** Dispatched to the team; a member takes it (grab). */
  Type.Literal('team'),
]);
export type DispatchStrategy = Static<typeof DispatchStrategy>;

// ── configuration: categories, teams, technicians, rules, SLA, calendar ───────────────────────

export const ServiceCategory = Type.Object({
  id: Id,
  communityId: Id,
  type: RequestType,
  /** Stable code in the community and type, e.g. `plumbing`. */
  code: Type.String(),
  name: Type.String(),
  sort: Type.Integer(),
  active: Type.Boolean(),
});
export type ServiceCategory = Static<typeof ServiceCategory>;
export const ServiceCategoryList = Type.Object({ items: Type.Array(ServiceCategory) });
export const ServiceCategoryQuery = Type.Object({ communityId: Id, type: Type.Optional(RequestType) }, { additionalProperties: false });
export type ServiceCategoryQuery = Static<typeof ServiceCategoryQuery>;
export const CreateServiceCategoryBody = Type.Object(
  {
    communityId: Id,
    type: RequestType,
    code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);
export type CreateServiceCategoryBody = Static<typeof CreateServiceCategoryBody>;
export const UpdateServiceCategoryBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type UpdateServiceCategoryBody = Static<typeof UpdateServiceCategoryBody>;

export const ServiceTeam = Type.Object({
  id: Id,
  communityId: Id,
  name: Type.String(),
  /** The user escalations go to (班组长). */
  supervisorUserId: Nullable(Id),
  supervisorName: Nullable(Type.String()),
  members: Type.Array(Type.Object({ technicianId: Id, name: Type.String(), onDuty: Type.Boolean() })),
});
export type ServiceTeam = Static<typeof ServiceTeam>;
export const ServiceTeamList = Type.Object({ items: Type.Array(ServiceTeam) });
export const CreateServiceTeamBody = Type.Object(
  { communityId: Id, name: Type.String({ minLength: 1, maxLength: 50 }), supervisorUserId: Type.Optional(Nullable(Id)), memberIds: Type.Optional(Type.Array(Id, { maxItems: 200 })) },
  { additionalProperties: false },
);
export type CreateServiceTeamBody = Static<typeof CreateServiceTeamBody>;
export const UpdateServiceTeamBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), supervisorUserId: Type.Optional(Nullable(Id)), memberIds: Type.Optional(Type.Array(Id, { maxItems: 200 })) },
  { additionalProperties: false },
);
export type UpdateServiceTeamBody = Static<typeof UpdateServiceTeamBody>;

export const Technician = Type.Object({
  id: Id,
  communityId: Id,
  /** The staff account the technician signs in with. */
  userId: Id,
  name: Type.String(),
  onDuty: Type.Boolean(),
  /** Category ids the technician handles (skills). */
  skills: Type.Array(Id),
  teamIds: Type.Array(Id),
  /** Requests currently assigned and not yet resolved. */
  openCount: Type.Integer(),
});
export type Technician = Static<typeof Technician>;
export const TechnicianList = Type.Object({ items: Type.Array(Technician) });
export const CreateTechnicianBody = Type.Object(
  { communityId: Id, userId: Id, name: Type.String({ minLength: 1, maxLength: 50 }), onDuty: Type.Optional(Type.Boolean()), skills: Type.Optional(Type.Array(Id, { maxItems: 100 })) },
  { additionalProperties: false },
);
export type CreateTechnicianBody = Static<typeof CreateTechnicianBody>;
export const UpdateTechnicianBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), onDuty: Type.Optional(Type.Boolean()), skills: Type.Optional(Type.Array(Id, { maxItems: 100 })) },
  { additionalProperties: false },
);
export type UpdateTechnicianBody = Static<typeof UpdateTechnicianBody>;
/** A technician switches their own duty status (上班 / 下班). */
export const DutyBody = Type.Object({ onDuty: Type.Boolean() }, { additionalProperties: false });

/**
 * Staff accounts a configuration manager may pick as technician or team supervisor: active staff
 * users holding a role in the community (or in every community). `technicianId` is set when the
 * user is already a technician of the community.
 */
export const DeskStaffQuery = Type.Object({ communityId: Id, q: Type.Optional(Type.String({ maxLength: 50 })) }, { additionalProperties: false });
export type DeskStaffQuery = Static<typeof DeskStaffQuery>;
export const DeskStaffMember = Type.Object({ userId: Id, username: Type.String(), displayName: Type.String(), technicianId: Nullable(Id) });
export type DeskStaffMember = Static<typeof DeskStaffMember>;
export const DeskStaffList = Type.Object({ items: Type.Array(DeskStaffMember) });
export type DeskStaffList = Static<typeof DeskStaffList>;

export const DispatchRule = Type.Object({
  id: Id,
  communityId: Id,
  /** Null: any category without a more specific rule. */
  categoryId: Nullable(Id),
  teamId: Id,
  strategy: DispatchStrategy,
});
export type DispatchRule = Static<typeof DispatchRule>;
export const DispatchRuleList = Type.Object({ items: Type.Array(DispatchRule) });
export const CreateDispatchRuleBody = Type.Object({ communityId: Id, categoryId: Nullable(Id), teamId: Id, strategy: DispatchStrategy }, { additionalProperties: false });
export type CreateDispatchRuleBody = Static<typeof CreateDispatchRuleBody>;

/** Time limits in business minutes, counted from submission (pauses waiting for the owner excluded). */
export const SlaPolicy = Type.Object({
  type: RequestType,
  priority: RequestPriority,
  acceptMinutes: Type.Integer({ minimum: 1, maximum: 100_000 }),
  arriveMinutes: Type.Integer({ minimum: 1, maximum: 100_000 }),
  resolveMinutes: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
});
export type SlaPolicy = Static<typeof SlaPolicy>;
export const SlaPolicyList = Type.Object({ communityId: Id, items: Type.Array(SlaPolicy) });
export const PutSlaPoliciesBody = Type.Object({ communityId: Id, items: Type.Array(SlaPolicy, { maxItems: 100 }) }, { additionalProperties: false });
export type PutSlaPoliciesBody = Static<typeof PutSlaPoliciesBody>;

/** Minutes after local midnight, [start, end). */
export const BusinessWindow = Type.Object({ start: Type.Integer({ minimum: 0, maximum: 1440 }), end: Type.Integer({ minimum: 0, maximum: 1440 }) }, { additionalProperties: false });
export type BusinessWindow = Static<typeof BusinessWindow>;
export const Holiday = Type.Object(
  {
    on: DateOnly,
    /** holiday: no business hours that day; workday: a weekend day worked (调休), with Monday's hours. */
    kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')]),
    name: Type.String({ maxLength: 50 }),
  },
  { additionalProperties: false },
);
export type Holiday = Static<typeof Holiday>;
export const ServiceDeskSettings = Type.Object({
  communityId: Id,
  /** Local-time business windows per weekday, index 0 = Sunday … 6 = Saturday. */
  week: Type.Array(Type.Array(BusinessWindow, { maxItems: 4 }), { minItems: 7, maxItems: 7 }),
  /** Offset of local time from UTC in minutes (China: 480, no daylight saving). */
  utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840 }),
  holidays: Type.Array(Holiday),
  /** A resolved request the requester has not confirmed closes by itself after this many hours. */
  autoCloseHours: Type.Integer({ minimum: 1, maximum: 24 * 60 }),
  /** A warning goes to the assignee when this share of the limit is used (e.g. 80). */
  warnAtPercent: Type.Integer({ minimum: 1, maximum: 99 }),
});
export type ServiceDeskSettings = Static<typeof ServiceDeskSettings>;
export const PutServiceDeskSettingsBody = Type.Omit(ServiceDeskSettings, ['communityId']);
export type PutServiceDeskSettingsBody = Static<typeof PutServiceDeskSettingsBody>;

// ── requests ──────────────────────────────────────────────────────────────────────────────────

/** One priced line of a resolution: materials or labour. quantity × unitPriceCents = amountCents. */
export const ChargeLine = Type.Object(
  {
    kind: Type.Union([Type.Literal('material'), Type.Literal('labour')]),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Whole units (use a smaller unit — 米 → 厘米 — for fractions). */
    quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    unitPriceCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  },
  { additionalProperties: false },
);
export type ChargeLine = Static<typeof ChargeLine>;
export const PricedLine = Type.Object({ ...ChargeLine.properties, amountCents: Type.Integer() });
export type PricedLine = Static<typeof PricedLine>;

export const ServiceChargeStatus = Type.Union([Type.Literal('pending'), Type.Literal('billed'), Type.Literal('not_billable')]);
export type ServiceChargeStatus = Static<typeof ServiceChargeStatus>;
export const ServiceCharge = Type.Object({
  id: Id,
  communityId: Id,
  roomId: Nullable(Id),
  requestId: Id,
  lines: Type.Array(PricedLine),
  totalCents: Type.Integer(),
  /**
   * `pending` until billing picks it up, then `billed` (with `billId`), or `not_billable` when the
   * request has no room (a public area: no owner to bill; settled outside billing).
   */
  status: ServiceChargeStatus,
  /** The bill that charged it, once billing issued it. */
  billId: Nullable(Id),
  createdAt: Instant,
});
export type ServiceCharge = Static<typeof ServiceCharge>;

/** Time-limit status of an open request (null when no clock runs: finished or not limited). */
export const SlaStatus = Type.Object({
  stage: SlaStage,
  /** Business minutes allowed for this stage, from submission. */
  limitMinutes: Type.Integer(),
  /** Business minutes left (negative when overdue); frozen while paused. */
  remainingMinutes: Type.Integer(),
  /** Null while paused (the clock is stopped). */
  dueAt: Nullable(Instant),
  overdue: Type.Boolean(),
  paused: Type.Boolean(),
});
export type SlaStatus = Static<typeof SlaStatus>;

/** One row of the board and of lists. */
export const ServiceRequestSummary = Type.Object({
  id: Id,
  communityId: Id,
  /** BX-2026-000123: per community and year, without gaps. */
  number: Type.String(),
  type: RequestType,
  categoryId: Nullable(Id),
  categoryName: Nullable(Type.String()),
  state: RequestState,
  priority: RequestPriority,
  channel: RequestChannel,
  roomId: Nullable(Id),
  roomCode: Nullable(Type.String()),
  /** Room code or the public-area text. */
  location: Type.String(),
  /** First 200 characters. */
  summary: Type.String(),
  teamId: Nullable(Id),
  teamName: Nullable(Type.String()),
  technicianId: Nullable(Id),
  technicianName: Nullable(Type.String()),
  createdAt: Instant,
  updatedAt: Instant,
  sla: Nullable(SlaStatus),
  /** Incremented by every transition: send it back as `version` to act on what you saw. */
  version: Type.Integer(),
});
export type ServiceRequestSummary = Static<typeof ServiceRequestSummary>;

export const TimelineEntry = Type.Object({
  id: Id,
  action: TimelineAction,
  fromState: Nullable(RequestState),
  toState: RequestState,
  actorUserId: Nullable(Id),
  actorName: Type.String(),
  comment: Nullable(Type.String()),
  at: Instant,
});
export type TimelineEntry = Static<typeof TimelineEntry>;

export const ServiceRequest = Type.Object({
  ...ServiceRequestSummary.properties,
    description: Type.String(),
    contactName: Nullable(Type.String()),
    /** Masked 138****1234. */
    contactPhone: Nullable(Type.String()),
    preferredFrom: Nullable(Instant),
    preferredTo: Nullable(Instant),
    requesterUserId: Nullable(Id),
    rejectReason: Nullable(Type.String()),
    pauseReason: Nullable(Type.String()),
    result: Nullable(Type.String()),
    lines: Type.Array(PricedLine),
    costCents: Type.Integer(),
    rating: Nullable(Type.Integer({ minimum: 1, maximum: 5 })),
    ratingComment: Nullable(Type.String()),
    reopenCount: Type.Integer(),
    acceptedAt: Nullable(Instant),
    dispatchedAt: Nullable(Instant),
    arrivedAt: Nullable(Instant),
    resolvedAt: Nullable(Instant),
    confirmedAt: Nullable(Instant),
    closedAt: Nullable(Instant),
    charge: Nullable(ServiceCharge),
    /** Photo file ids (files module, owner type `service_request`). */
    photoIds: Type.Array(Id),
    timeline: Type.Array(TimelineEntry),
    /** Actions the caller may take now (drives the buttons). */
    actions: Type.Array(RequestAction),
});
export type ServiceRequest = Static<typeof ServiceRequest>;

const RequestFields = {
  type: RequestType,
  categoryId: Type.Optional(Nullable(Id)),
  /** The room (repairs in a room, most complaints); null for a public area. */
  roomId: Type.Optional(Nullable(Id)),
  /** Public-area location text (e.g. 3 号楼电梯厅); required when there is no room. */
  location: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  preferredFrom: Type.Optional(Nullable(Instant)),
  preferredTo: Type.Optional(Nullable(Instant)),
  priority: Type.Optional(RequestPriority),
};

/** Staff entering a request (phone, front desk, found on patrol). */
export const CreateServiceRequestBody = Type.Object({ communityId: Id, channel: Type.Union([Type.Literal('phone'), Type.Literal('front_desk'), Type.Literal('staff')]), ...RequestFields }, { additionalProperties: false });
export type CreateServiceRequestBody = Static<typeof CreateServiceRequestBody>;
/** An owner submitting from the portal: the community comes from the room, or is given for a public area. */
export const SubmitPortalRequestBody = Type.Object({ communityId: Type.Optional(Id), ...RequestFields }, { additionalProperties: false });
export type SubmitPortalRequestBody = Static<typeof SubmitPortalRequestBody>;

/**
 * One body for every transition (`POST /api/service-requests/:id/transitions`). Which fields are
 * required depends on the action: reason for reject / pause / wait_parts / reopen, teamId or
 * technicianId for dispatch (neither = by the community's rules), result for resolve, rating for confirm.
 */
export const TransitionBody = Type.Object(
  {
    action: RequestAction,
    /** The version the caller saw; a stale version is refused with request.conflict. */
    version: Type.Optional(Type.Integer({ minimum: 0 })),
    comment: Type.Optional(Type.String({ maxLength: 1000 })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    teamId: Type.Optional(Nullable(Id)),
    technicianId: Type.Optional(Nullable(Id)),
    result: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Materials and labour; with `chargeable` they become a service charge billed to the room. */
    lines: Type.Optional(Type.Array(ChargeLine, { maxItems: 50 })),
    chargeable: Type.Optional(Type.Boolean()),
    rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  },
  { additionalProperties: false },
);
export type TransitionBody = Static<typeof TransitionBody>;

export const BoardQuery = Type.Object(
  {
    communityId: Id,
    state: Type.Optional(RequestState),
    type: Type.Optional(RequestType),
    categoryId: Type.Optional(Id),
    priority: Type.Optional(RequestPriority),
    technicianId: Type.Optional(Id),
    teamId: Type.Optional(Id),
    /** Only requests past their current time limit. */
    overdue: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type BoardQuery = Static<typeof BoardQuery>;
export const ServiceRequestPage = Page(ServiceRequestSummary);
export type ServiceRequestPage = Static<typeof ServiceRequestPage>;

/** History: every request of a community (finished ones included), newest first. */
export const ServiceRequestListQuery = Type.Object(
  { communityId: Id, state: Type.Optional(RequestState), type: Type.Optional(RequestType), roomId: Type.Optional(Id), number: Type.Optional(Type.String({ maxLength: 30 })), ...PageQuery },
  { additionalProperties: false },
);
export type ServiceRequestListQuery = Static<typeof ServiceRequestListQuery>;
/** A technician's own work: dispatched to them or to a team of theirs, open. */
export const MyWorkQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type MyWorkQuery = Static<typeof MyWorkQuery>;

export const ServiceDashboard = Type.Object({
  communityId: Id,
  openByState: Type.Array(Type.Object({ state: RequestState, count: Type.Integer() })),
  overdue: Type.Integer(),
  /** Average business-agnostic wall-clock minutes per stage over requests resolved in the window. */
  averageMinutes: Type.Object({ accept: Nullable(Type.Number()), dispatch: Nullable(Type.Number()), arrive: Nullable(Type.Number()), resolve: Nullable(Type.Number()) }),
  satisfaction: Type.Object({ average: Nullable(Type.Number()), count: Type.Integer() }),
  from: Instant,
  to: Instant,
});
export type ServiceDashboard = Static<typeof ServiceDashboard>;
export const DashboardQuery = Type.Object({ communityId: Id, from: Type.Optional(Instant), to: Type.Optional(Instant) }, { additionalProperties: false });
export type DashboardQuery = Static<typeof DashboardQuery>;

export const ComplianceQuery = Type.Object(
  { communityId: Id, by: Type.Union([Type.Literal('team'), Type.Literal('technician'), Type.Literal('category')]), from: Type.Optional(Instant), to: Type.Optional(Instant) },
  { additionalProperties: false },
);
export type ComplianceQuery = Static<typeof ComplianceQuery>;
/** Share of requests resolved in the window that met each limit (0–1), per group. */
export const ComplianceRow = Type.Object({
  key: Nullable(Id),
  name: Nullable(Type.String()),
  resolved: Type.Integer(),
  acceptMet: Nullable(Type.Number()),
  arriveMet: Nullable(Type.Number()),
  resolveMet: Nullable(Type.Number()),
});
export type ComplianceRow = Static<typeof ComplianceRow>;
export const ComplianceReport = Type.Object({ communityId: Id, by: Type.String(), from: Instant, to: Instant, items: Type.Array(ComplianceRow) });
export type ComplianceReport = Static<typeof ComplianceReport>;

export const ServiceChargeQuery = Type.Object({ communityId: Id, status: Type.Optional(ServiceChargeStatus), ...PageQuery }, { additionalProperties: false });
export type ServiceChargeQuery = Static<typeof ServiceChargeQuery>;
export const ServiceChargePage = Page(ServiceCharge);
