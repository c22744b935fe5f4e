import type { DispatchStrategy, RequestChannel, RequestPriority, RequestState, RequestType, SlaStage, TimelineAction } from '@courtyard/contracts';

/** Categories per community and request type (plumbing, electrical … for repairs). */
export interface ServiceCategoryTable {
  id: string;
  community_id: string;
  type: RequestType;
  code: string;
  name: string;
  sort: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface ServiceTeamTable {
  id: string;
  community_id: string;
  name: string;
  /** Escalations go to this user. */
  supervisor_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceTechnicianTable {
  id: string;
  community_id: string;
  user_id: string;
  name: string;
  on_duty: number;
  created_at: string;
  updated_at: string;
}

export interface ServiceTeamMemberTable {
  team_id: string;
  technician_id: string;
  community_id: string;
}

export interface ServiceTechnicianSkillTable {
  technician_id: string;
  category_id: string;
  community_id: string;
}

export interface ServiceDispatchRuleTable {
  id: string;
  community_id: string;
  category_id: string | null;
  team_id: string;
  strategy: DispatchStrategy;
  /** Round robin: the technician who got the previous request under this rule. */
  last_technician_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ServiceSlaPolicyTable {
  community_id: string;
  type: RequestType;
  priority: RequestPriority;
  accept_minutes: number;
  arrive_minutes: number;
  resolve_minutes: number;
  updated_at: string;
}

/** Per-community service desk settings: business hours, auto-close, warning threshold. */
export interface ServiceDeskSettingsTable {
  community_id: string;
  /** JSON: 7 arrays (Sunday first) of { start, end } minutes after local midnight. */
  week: string;
  utc_offset_minutes: number;
  auto_close_hours: number;
  warn_at_percent: number;
  updated_at: string;
}

export interface ServiceHolidayTable {
  community_id: string;
  on: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** Gap-free numbering: one counter per community, prefix and year, bumped inside the creating transaction. */
export interface ServiceRequestCounterTable {
  community_id: string;
  prefix: string;
  year: number;
  last_number: number;
}

export interface ServiceRequestTable {
  id: string;
  community_id: string;
  number: string;
  type: RequestType;
  category_id: string | null;
  room_id: string | null;
  location: string;
  description: string;
  contact_name: string | null;
  contact_phone_enc: string | null;
  preferred_from: string | null;
  preferred_to: string | null;
  priority: RequestPriority;
  channel: RequestChannel;
  state: RequestState;
  /** Compare-and-set guard: every transition is `UPDATE … WHERE id = ? AND version = ?`. */
  version: number;
  /** The portal account that submitted it (null when entered by staff for a caller without one). */
  requester_user_id: string | null;
  created_by: string | null;
  team_id: string | null;
  technician_id: string | null;
  reject_reason: string | null;
  pause_reason: string | null;
  result: string | null;
  /** JSON array of priced lines (materials, labour). */
  lines: string;
  cost_cents: number;
  rating: number | null;
  rating_comment: string | null;
  reopen_count: number;
  accepted_at: string | null;
  dispatched_at: string | null;
  arrived_at: string | null;
  resolved_at: string | null;
  confirmed_at: string | null;
  closed_at: string | null;
  /** Limits (business minutes from submission) copied from the policy at submission. */
  sla_accept_minutes: number | null;
  sla_arrive_minutes: number | null;
  sla_resolve_minutes: number | null;
  /** JSON array of [start, end|null] ISO instants during which the clock stood (paused for the owner). */
  pauses: string;
  /** The running stage, its due instant (null while paused) and its warning instant. */
  sla_stage: SlaStage | null;
  sla_due_at: string | null;
  sla_warn_at: string | null;
  warned_stage: SlaStage | null;
  escalated_stage: SlaStage | null;
  /** 1 met, 0 missed, null not reached yet. */
  accept_met: number | null;
  arrive_met: number | null;
  resolve_met: number | null;
  created_at: string;
  updated_at: string;
}

/** The timeline: every transition, append-only. */
export interface ServiceRequestEventTable {
  id: string;
  community_id: string;
  request_id: string;
  /** The request's version after this entry (orders the timeline). */
  version: number;
  action: TimelineAction;
  from_state: RequestState | null;
  to_state: RequestState;
  actor_user_id: string | null;
  actor_name: string;
  comment: string | null;
  at: string;
}

export interface ServiceChargeTable {
  id: string;
  community_id: string;
  room_id: string | null;
  request_id: string;
  lines: string;
  total_cents: number;
  /** `not_billable`: a public-area request has no room to bill (README, paid repairs). */
  status: 'pending' | 'billed' | 'not_billable';
  bill_id: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    service_categories: ServiceCategoryTable;
    service_teams: ServiceTeamTable;
    service_technicians: ServiceTechnicianTable;
    service_team_members: ServiceTeamMemberTable;
    service_technician_skills: ServiceTechnicianSkillTable;
    service_dispatch_rules: ServiceDispatchRuleTable;
    service_sla_policies: ServiceSlaPolicyTable;
    service_desk_settings: ServiceDeskSettingsTable;
    service_holidays: ServiceHolidayTable;
    service_request_counters: ServiceRequestCounterTable;
    service_requests: ServiceRequestTable;
    service_request_events: ServiceRequestEventTable;
    service_charges: ServiceChargeTable;
  }
}
