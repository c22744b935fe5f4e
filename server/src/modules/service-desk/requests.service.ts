import { sql, type SqlBool } from 'kysely';
import type {
  BoardQuery,
  ChargeLine,
  ComplianceQuery,
  ComplianceReport,
  CreateServiceRequestBody,
  DashboardQuery,
  MyWorkQuery,
  PricedLine,
  RequestAction,
  RequestChannel,
  RequestState,
  ServiceCharge,
  ServiceChargeQuery,
  ServiceDashboard,
  ServiceRequest,
  ServiceRequestListQuery,
  ServiceRequestSummary,
  SlaStage,
  SlaStatus,
  SubmitPortalRequestBody,
  TransitionBody,
} from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { Events } from '../../core/events/outbox.js';
import { maskPhone, type FieldCipher } from '../../core/crypto/field.js';
import { assertCan, can, systemContext, type RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, forbidden, invalid, notFound } from '../../core/http/errors.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import type { DeskCalendar, DeskConfigService } from './config.service.js';
import { DEFAULT_AUTO_CLOSE_HOURS, numberPrefix } from './desk.defaults.js';
import * as repo from './desk.repository.js';
import { businessDue, met, remainingOf, stageOf, type Pause } from './sla.js';
import { availableActions, isOpen, nextState, refusal, type Party } from './workflow.js';

const READ = 'service_desk.request.read' as const;
const MANAGE = 'service_desk.request.manage' as const;
const WORK = 'service_desk.request.work' as const;
const PORTAL = 'portal.self.use' as const;

type Page<T> = { items: T[]; nextCursor: string | null };

/** Notification templates this module sends (texts in the notifications module's catalogue). */
export const DESK_TEMPLATES = { dispatched: 'service_desk.request_dispatched', warning: 'service_desk.sla_warning', escalated: 'service_desk.sla_escalated' } as const;

export interface NotifyInput {
  recipients: string[];
  template: string;
  data: Record<string, string | number | null>;
  communityId: string;
}

export interface RequestsDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  events: Events;
  cipher: FieldCipher;
  config: DeskConfigService;
  communityExists(exec: Exec, id: string): Promise<boolean>;
  roomRef(exec: Exec, id: string): Promise<{ id: string; communityId: string; code: string } | undefined>;
  /** notifications.send (in the caller's transaction). */
  notify(tx: Tx, ctx: RequestContext, input: NotifyInput): Promise<void>;
}

export interface RequestsService {
  create(ctx: RequestContext, body: CreateServiceRequestBody): Promise<ServiceRequest>;
  /**
   * `create` inside the caller's transaction (numbering, timeline, audit and the submitted event
   * all in `tx`); returns the new request's id. A caller that opens a request as part of its own
   * change (a dissatisfied return visit) uses it so that both commit or neither does.
   */
  createIn(tx: Tx, ctx: RequestContext, body: CreateServiceRequestBody): Promise<string>;
  submitFromPortal(ctx: RequestContext, body: SubmitPortalRequestBody): Promise<ServiceRequest>;
  get(ctx: RequestContext, id: string): Promise<ServiceRequest>;
  transition(ctx: RequestContext, id: string, body: TransitionBody): Promise<ServiceRequest>;
  board(ctx: RequestContext, query: BoardQuery): Promise<Page<ServiceRequestSummary>>;
  list(ctx: RequestContext, query: ServiceRequestListQuery): Promise<Page<ServiceRequestSummary>>;
  myWork(ctx: RequestContext, query: MyWorkQuery): Promise<Page<ServiceRequestSummary>>;
  myRequests(ctx: RequestContext, query: MyWorkQuery): Promise<Page<ServiceRequestSummary>>;
  dashboard(ctx: RequestContext, query: DashboardQuery): Promise<ServiceDashboard>;
  compliance(ctx: RequestContext, query: ComplianceQuery): Promise<ComplianceReport>;
  charges(ctx: RequestContext, query: ServiceChargeQuery): Promise<Page<ServiceCharge>>;
  /**
   * Billing reports, in its own transaction, that it issued `billId` for a pending charge: the
   * charge becomes `billed` (audited). Idempotent — a charge already billed is left as it is
   * (false), so a redelivered event changes nothing.
   */
  markChargeBilled(tx: Tx, ctx: RequestContext, chargeId: string, billId: string): Promise<boolean>;
  /** A pending charge billing cannot bill (a public-area request has no room): `not_billable`, audited with the reason. Idempotent. */
  markChargeNotBillable(tx: Tx, ctx: RequestContext, chargeId: string, reason: string): Promise<boolean>;
  /** Owner type `service_request` of the files module: the request's community. */
  communityOf(exec: Exec, id: string): Promise<string | undefined>;
  /** The caller is a party to the request (requester or occupant of its room, its technician or team): they may see and attach its photos. */
  isParty(exec: Exec, ctx: RequestContext, id: string): Promise<boolean>;
  /** Cron: warnings before a limit, escalation to the supervisor after it. Returns how many of each. */
  sweepSla(): Promise<{ warned: number; escalated: number }>;
  /** Cron: resolved requests not confirmed within the community's auto-close hours are closed. */
  autoClose(): Promise<number>;
}

const parsePauses = (json: string): Pause[] => (JSON.parse(json) as [string, string | null][]).map(([a, b]) => [Date.parse(a), b === null ? null : Date.parse(b)] as const);
const limitOf = (row: Pick<repo.RequestRow, 'sla_accept_minutes' | 'sla_arrive_minutes' | 'sla_resolve_minutes'>, stage: SlaStage) => (stage === 'accept' ? row.sla_accept_minutes : stage === 'arrive' ? row.sla_arrive_minutes : row.sla_resolve_minutes);
const priced = (lines: readonly ChargeLine[]): PricedLine[] => lines.map((l) => ({ ...l, amountCents: l.quantity * l.unitPriceCents }));

export function createRequestsService(deps: RequestsDeps): RequestsService {
  const nowMs = () => deps.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const calendars = (exec: Exec) => {
    const cache = new Map<string, Promise<DeskCalendar>>();
    return (communityId: string) => {
      let c = cache.get(communityId);
      if (!c) cache.set(communityId, (c = deps.config.calendarOf(exec, communityId)));
      return c;
    };
  };

  function slaStatus(row: repo.SummaryRow, cal: DeskCalendar, now: number): SlaStatus | null {
    const stage = row.sla_stage;
    if (!stage || !isOpen(row.state)) return null;
    const limit = limitOf(row, stage);
    if (limit === null) return null;
    const { remainingMinutes, overdue } = remainingOf(cal.cal, { createdAt: Date.parse(row.created_at), limitMinutes: limit, pauses: parsePauses(row.pauses) }, now);
    // The due instant is stored with the stage on every change (slaColumns); null while the clock stands.
    return { stage, limitMinutes: limit, remainingMinutes, dueAt: row.sla_due_at, overdue, paused: row.state === 'paused' };
  }

  /** The running stage's due and warning instants after a change (null while the clock stands). */
  function slaColumns(row: repo.RequestRow, cal: DeskCalendar) {
    const stage = stageOf(row.state, row.arrived_at !== null);
    const limit = stage ? limitOf(row, stage) : null;
    if (!stage || limit === null) return { sla_stage: stage, sla_due_at: null, sla_warn_at: null };
    const created = Date.parse(row.created_at);
    const pauses = parsePauses(row.pauses);
    const due = businessDue(cal.cal, created, limit * 60_000, pauses);
    const warn = businessDue(cal.cal, created, Math.floor((limit * 60_000 * cal.warnAtPercent) / 100), pauses);
    return { sla_stage: stage, sla_due_at: due === null ? null : iso(due), sla_warn_at: warn === null ? null : iso(warn) };
  }

  function summary(row: repo.SummaryRow, cal: DeskCalendar, now: number): ServiceRequestSummary {
    return {
      id: row.id,
      communityId: row.community_id,
      number: row.number,
      type: row.type,
      categoryId: row.category_id,
      categoryName: row.category_name,
      state: row.state,
      priority: row.priority,
      channel: row.channel,
      roomId: row.room_id,
      roomCode: row.room_code,
      location: row.location,
      summary: row.description.slice(0, 200),
      teamId: row.team_id,
      teamName: row.team_name,
      technicianId: row.technician_id,
      technicianName: row.technician_name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      sla: slaStatus(row, cal, now),
      version: row.version,
    };
  }

  async function summaries(exec: Exec, rows: repo.SummaryRow[]): Promise<ServiceRequestSummary[]> {
    const calOf = calendars(exec);
    const now = nowMs();
    const out: ServiceRequestSummary[] = [];
    for (const r of rows) out.push(summary(r, await calOf(r.community_id), now));
    return out;
  }

  interface Who {
    parties: Set<Party>;
    me: { technicianId: string | null; teamIds: string[] };
    visible: boolean;
  }

  /**
   * How the caller stands to the request. Staff by community scope; a technician only when the
   * request is dispatched to them or to one of their teams; an owner only for requests they
   * submitted or for a room they currently live in.
   */
  async function whoIs(exec: Exec, ctx: RequestContext, row: repo.RequestRow): Promise<Who> {
    const parties = new Set<Party>();
    const community = row.community_id;
    if (ctx.actor.kind === 'system') parties.add('system');
    if (can(ctx, MANAGE, community)) parties.add('staff');
    const me = { technicianId: null as string | null, teamIds: [] as string[] };
    const userId = ctx.actor.userId;
    if (userId && ctx.actor.kind !== 'system' && can(ctx, WORK, community)) {
      const tech = await repo.technicians.byUser(exec, userId, community);
      if (tech) {
        me.technicianId = tech.id;
        me.teamIds = (await repo.technicians.teams(exec, [tech.id])).map((t) => t.team_id);
        if (row.technician_id === tech.id || (row.team_id !== null && me.teamIds.includes(row.team_id))) parties.add('technician');
      }
    }
    if (userId && ctx.actor.kind !== 'system' && can(ctx, PORTAL, community)) {
      if (row.requester_user_id === userId) parties.add('requester');
      else if (row.room_id && (await repo.users.currentRooms(exec, userId)).some((r) => r.room_id === row.room_id)) parties.add('requester');
    }
    return { parties, me, visible: parties.size > 0 || can(ctx, READ, community) };
  }

  /** Not visible: staff of another community learn it is out of scope, everyone else that it does not exist. */
  const hidden = (ctx: RequestContext) => (ctx.scopes.has(READ) || ctx.scopes.has(MANAGE) ? new AppError('auth.out_of_scope') : notFound());

  async function detail(exec: Exec, id: string, who: Who): Promise<ServiceRequest> {
    const row = await repo.requests.viewById(exec, id);
    if (!row) throw notFound();
    const [cal, timeline, charge, photoIds] = await Promise.all([deps.config.calendarOf(exec, row.community_id), repo.requests.timeline(exec, id), repo.charges.ofRequest(exec, id), repo.photos.ids(exec, id)]);
    // The timeline stores the actor's sign-in name; people read display names (陈师傅, not tech1).
    // The stored name stays for the system and for accounts that no longer exist.
    const names = await repo.users.names(exec, [...new Set(timeline.flatMap((e) => (e.actor_user_id ? [e.actor_user_id] : [])))]);
    const phone = row.contact_phone_enc ? deps.cipher.decrypt(row.contact_phone_enc) : null;
    return {
      ...summary(row, cal, nowMs()),
      description: row.description,
      contactName: row.contact_name,
      contactPhone: phone ? maskPhone(phone) : null,
      preferredFrom: row.preferred_from,
      preferredTo: row.preferred_to,
      requesterUserId: row.requester_user_id,
      rejectReason: row.reject_reason,
      pauseReason: row.pause_reason,
      result: row.result,
      lines: JSON.parse(row.lines) as PricedLine[],
      costCents: Number(row.cost_cents),
      rating: row.rating,
      ratingComment: row.rating_comment,
      reopenCount: row.reopen_count,
      acceptedAt: row.accepted_at,
      dispatchedAt: row.dispatched_at,
      arrivedAt: row.arrived_at,
      resolvedAt: row.resolved_at,
      confirmedAt: row.confirmed_at,
      closedAt: row.closed_at,
      charge: charge ? chargeView(charge) : null,
      photoIds,
      timeline: timeline.map((e) => ({ id: e.id, action: e.action, fromState: e.from_state, toState: e.to_state, actorUserId: e.actor_user_id, actorName: (e.actor_user_id ? names.get(e.actor_user_id) : undefined) ?? e.actor_name, comment: e.comment, at: e.at })),
      actions: availableActions(row.state, who.parties),
    };
  }

  /** Moves a pending charge to its outcome once: the conditional update makes a repeat a no-op. */
  async function settleCharge(tx: Tx, ctx: RequestContext, chargeId: string, set: { status: 'billed' | 'not_billable'; bill_id: string | null }, action: string, detail: Record<string, string>): Promise<boolean> {
    const charge = await tx.selectFrom('service_charges').select(['community_id', 'status']).where('id', '=', chargeId).executeTakeFirst();
    if (!charge) throw notFound();
    const updated = await tx.updateTable('service_charges').set({ ...set, updated_at: deps.clock.now().toISOString() }).where('id', '=', chargeId).where('status', '=', 'pending').executeTakeFirst();
    if (updated.numUpdatedRows === 0n) return false;
    await deps.audit.record(tx, ctx, { action, entityType: 'service_charge', entityId: chargeId, communityId: charge.community_id, before: { status: charge.status }, after: { status: set.status, ...detail } });
    return true;
  }

  const chargeView = (c: repo.ChargeRow): ServiceCharge => ({
    id: c.id,
    communityId: c.community_id,
    roomId: c.room_id,
    requestId: c.request_id,
    lines: JSON.parse(c.lines) as PricedLine[],
    totalCents: Number(c.total_cents),
    status: c.status,
    billId: c.bill_id,
    createdAt: c.created_at,
  });

  const timelineRow = (row: repo.RequestRow, ctx: RequestContext, action: repo.EventRow['action'], from: RequestState | null, to: RequestState, comment: string | null, at: string, version: number) => ({
    id: deps.ids(),
    community_id: row.community_id,
    request_id: row.id,
    version,
    action,
    from_state: from,
    to_state: to,
    actor_user_id: ctx.actor.userId,
    actor_name: ctx.actor.name,
    comment,
    at,
  });

  interface NewRequest {
    communityId: string;
    channel: RequestChannel;
    requesterUserId: string | null;
    body: SubmitPortalRequestBody;
  }

  async function insertRequest(tx: Tx, ctx: RequestContext, n: NewRequest): Promise<string> {
    const b = n.body;
    if (!(await deps.communityExists(tx, n.communityId))) throw invalid('/body/communityId', 'no such community', '小区不存在');
    let roomCode: string | null = null;
    if (b.roomId) {
      const room = await deps.roomRef(tx, b.roomId);
      if (!room || room.communityId !== n.communityId) throw invalid('/body/roomId', 'the room must belong to the community', '房屋必须属于该小区');
      roomCode = room.code;
    }
    if (b.type === 'repair_room' && !b.roomId) throw invalid('/body/roomId', 'a repair in a room needs the room', '室内报修须选择房屋');
    const place = b.location?.trim() ?? '';
    if (!roomCode && !place) throw invalid('/body/location', 'say where: a room or a public-area location', '请填写地点：房屋或公共区域位置');
    if (b.categoryId) {
      const cat = await repo.categories.byId(tx, b.categoryId);
      if (!cat || cat.community_id !== n.communityId || cat.type !== b.type || cat.active !== 1) throw new AppError('service_desk.category_mismatch', [fieldError('/body/categoryId', 'not a category of this community and type', '不是该小区此申请类型的服务类别')]);
    }
    if (b.preferredFrom && b.preferredTo && b.preferredTo <= b.preferredFrom) throw invalid('/body/preferredTo', 'must be after preferredFrom', '必须晚于期望开始时间');
    const description = b.description.trim();
    if (!description) throw invalid('/body/description', 'must not be blank', '不能为空');

    const priority = b.priority ?? 'normal';
    const cal = await deps.config.calendarOf(tx, n.communityId);
    const policy = await repo.sla.one(tx, n.communityId, b.type, priority);
    const now = deps.clock.now();
    const at = now.toISOString();
    // The number's year is the community's local year.
    const year = new Date(now.getTime() + cal.cal.utcOffsetMinutes * 60_000).getUTCFullYear();
    const prefix = numberPrefix(b.type);
    const seq = await repo.requests.nextNumber(tx, n.communityId, prefix, year);
    const id = deps.ids();
    const phone = b.contactPhone?.trim();
    const row: repo.RequestRow = {
      id,
      community_id: n.communityId,
      number: `${prefix}-${year}-${String(seq).padStart(6, '0')}`,
      type: b.type,
      category_id: b.categoryId ?? null,
      room_id: b.roomId ?? null,
      location: roomCode ? (place ? `${roomCode} ${place}` : roomCode) : place,
      description,
      contact_name: b.contactName?.trim() || null,
      contact_phone_enc: phone ? deps.cipher.encrypt(phone) : null,
      preferred_from: b.preferredFrom ?? null,
      preferred_to: b.preferredTo ?? null,
      priority,
      channel: n.channel,
      state: 'submitted',
      version: 1,
      requester_user_id: n.requesterUserId,
      created_by: ctx.actor.userId,
      team_id: null,
      technician_id: null,
      reject_reason: null,
      pause_reason: null,
      result: null,
      lines: '[]',
      cost_cents: 0,
      rating: null,
      rating_comment: null,
      reopen_count: 0,
      accepted_at: null,
      dispatched_at: null,
      arrived_at: null,
      resolved_at: null,
      confirmed_at: null,
      closed_at: null,
      sla_accept_minutes: policy?.accept_minutes ?? null,
      sla_arrive_minutes: policy?.arrive_minutes ?? null,
      sla_resolve_minutes: policy?.resolve_minutes ?? null,
      pauses: '[]',
      sla_stage: null,
      sla_due_at: null,
      sla_warn_at: null,
      warned_stage: null,
      escalated_stage: null,
      accept_met: null,
      arrive_met: null,
      resolve_met: null,
      created_at: at,
      updated_at: at,
    };
    Object.assign(row, slaColumns(row, cal));
    await tx.insertInto('service_requests').values(row).execute();
    await tx.insertInto('service_request_events').values(timelineRow(row, ctx, 'submit', null, 'submitted', null, at, 1)).execute();
    await deps.audit.record(tx, ctx, {
      action: 'service_desk.request.submit',
      entityType: 'service_request',
      entityId: id,
      communityId: n.communityId,
      after: { number: row.number, type: row.type, categoryId: row.category_id, roomId: row.room_id, location: row.location, priority, channel: n.channel },
    });
    await deps.events.emit(tx, { type: 'service_desk.request.submitted', payload: { requestId: id, number: row.number, type: row.type, roomId: row.room_id, channel: n.channel }, communityId: n.communityId });
    return id;
  }

  /** Automatic dispatch by the community's rule for the category: to the team, or to one of its technicians. */
  async function autoTarget(tx: Tx, row: repo.RequestRow): Promise<{ teamId: string; technicianId: string | null }> {
    const rule = await repo.rules.forCategory(tx, row.community_id, row.category_id);
    if (!rule) throw new AppError('service_desk.no_technician');
    if (rule.strategy === 'team') return { teamId: rule.team_id, technicianId: null };
    const candidates = await repo.technicians.candidates(tx, rule.team_id, row.category_id);
    if (!candidates.length) throw new AppError('service_desk.no_technician');
    let pick: (typeof candidates)[number];
    if (rule.strategy === 'least_open') {
      pick = candidates.reduce((best, c) => (Number(c.open) < Number(best.open) ? c : best));
    } else {
      // Round robin in id order, continuing after whoever got the previous request.
      pick = candidates.find((c) => rule.last_technician_id !== null && c.id > rule.last_technician_id) ?? candidates[0]!;
      await tx.updateTable('service_dispatch_rules').set({ last_technician_id: pick.id }).where('id', '=', rule.id).execute();
    }
    return { teamId: rule.team_id, technicianId: pick.id };
  }

  async function manualTarget(tx: Tx, row: repo.RequestRow, body: TransitionBody): Promise<{ teamId: string | null; technicianId: string | null }> {
    let teamId = body.teamId ?? null;
    const technicianId = body.technicianId ?? null;
    if (teamId) {
      const team = await repo.teams.byId(tx, teamId);
      if (!team || team.community_id !== row.community_id) throw invalid('/body/teamId', 'the team must belong to the community', '班组必须属于该小区');
    }
    if (technicianId) {
      const tech = await repo.technicians.byId(tx, technicianId);
      if (!tech || tech.community_id !== row.community_id) throw invalid('/body/technicianId', 'the technician must belong to the community', '技术员必须属于该小区');
      if (!teamId) teamId = (await repo.technicians.teams(tx, [technicianId]))[0]?.team_id ?? null;
    }
    return { teamId, technicianId };
  }

  async function notifyDispatch(tx: Tx, ctx: RequestContext, row: repo.RequestRow, teamId: string | null, technicianId: string | null) {
    let recipients: string[] = [];
    if (technicianId) {
      const tech = await repo.technicians.byId(tx, technicianId);
      if (tech) recipients = [tech.user_id];
    } else if (teamId) {
      // Sent to the team: every member on duty may take it.
      recipients = (await repo.teams.members(tx, [teamId])).filter((m) => m.on_duty === 1).map((m) => m.user_id);
    }
    if (recipients.length) await deps.notify(tx, ctx, { recipients, template: DESK_TEMPLATES.dispatched, data: { number: row.number, location: row.location, summary: row.description.slice(0, 60) }, communityId: row.community_id });
  }

  const refusalError = (r: NonNullable<ReturnType<typeof refusal>>) => (r.code === 'request.invalid' ? new AppError(r.code, [{ field: r.field, message: r.message }]) : new AppError(r.code));

  async function pageQuery(rows: repo.SummaryRow[], limit: number, exec: Exec) {
    const page = pageOf(rows, limit, (r) => [r.id]);
    return { items: await summaries(exec, page.items), nextCursor: page.nextCursor };
  }

  const minutesBetween = (a: string, b: string) =>
    deps.dialect === 'postgres' ? sql<number>`extract(epoch from (${sql.ref(b)} - ${sql.ref(a)})) / 60` : sql<number>`(julianday(${sql.ref(b)}) - julianday(${sql.ref(a)})) * 1440`;

  const windowOf = (q: { from?: string | undefined; to?: string | undefined }) => {
    const to = q.to ?? deps.clock.now().toISOString();
    const from = q.from ?? new Date(Date.parse(to) - 30 * 86_400_000).toISOString();
    return { from, to };
  };

  return {
    async create(ctx, body) {
      const id = await deps.db.transaction().execute((tx) => this.createIn(tx, ctx, body));
      return this.get(ctx, id);
    },

    async createIn(tx, ctx, body) {
      assertCan(ctx, MANAGE, body.communityId);
      const { communityId, channel, ...rest } = body;
      return insertRequest(tx, ctx, { communityId, channel, requesterUserId: null, body: rest });
    },

    async submitFromPortal(ctx, body) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      const id = await deps.db.transaction().execute(async (tx) => {
        const rooms = await repo.users.currentRooms(tx, userId);
        let communityId: string;
        if (body.roomId) {
          // Owners report only for rooms they live in.
          const mine = rooms.find((r) => r.room_id === body.roomId);
          if (!mine) throw invalid('/body/roomId', 'not a room you live in', '不是您居住的房屋');
          communityId = mine.community_id;
        } else {
          const communities = new Set(rooms.map((r) => r.community_id));
          const chosen = body.communityId ?? (communities.size === 1 ? [...communities][0] : undefined);
          if (!chosen || !communities.has(chosen)) throw invalid('/body/communityId', 'choose a community you live in', '请选择您居住的小区');
          communityId = chosen;
        }
        assertCan(ctx, PORTAL, communityId);
        return insertRequest(tx, ctx, { communityId, channel: 'portal', requesterUserId: userId, body });
      });
      return this.get(ctx, id);
    },

    async get(ctx, id) {
      const row = await repo.requests.byId(deps.db, id);
      if (!row) throw notFound();
      const who = await whoIs(deps.db, ctx, row);
      if (!who.visible) throw hidden(ctx);
      return detail(deps.db, id, who);
    },

    async transition(ctx, id, body) {
      const action: RequestAction = body.action;
      const result = await deps.db.transaction().execute(async (tx) => {
        const row = await repo.requests.byId(tx, id);
        if (!row) throw notFound();
        const who = await whoIs(tx, ctx, row);
        if (!who.visible) throw hidden(ctx);
        if (body.version !== undefined && body.version !== row.version) throw new AppError('service_desk.stale');
        const to = nextState(row.state, action);

        let target: { teamId: string | null; technicianId: string | null } = { teamId: row.team_id, technicianId: row.technician_id };
        if (action === 'dispatch') {
          if (!who.parties.has('staff') && !who.parties.has('system')) throw forbidden();
          target = body.teamId || body.technicianId ? await manualTarget(tx, row, body) : await autoTarget(tx, row);
        }
        const refused = refusal({
          action,
          parties: who.parties,
          request: { teamId: row.team_id, technicianId: row.technician_id },
          me: who.me,
          body: { reason: body.reason, result: body.result, rating: body.rating, teamId: target.teamId, technicianId: target.technicianId },
        });
        if (refused) throw refusalError(refused);

        const now = nowMs();
        const at = iso(now);
        const cal = await deps.config.calendarOf(tx, row.community_id);
        const created = Date.parse(row.created_at);
        const pauses = parsePauses(row.pauses);
        const next: repo.RequestRow = { ...row, state: to, version: row.version + 1, updated_at: at };
        let lines: PricedLine[] = [];
        switch (action) {
          case 'accept':
            next.accepted_at = at;
            if (row.sla_accept_minutes !== null) next.accept_met = met(cal.cal, created, now, row.sla_accept_minutes, pauses) ? 1 : 0;
            break;
          case 'reject':
            next.reject_reason = body.reason?.trim() ?? null;
            next.closed_at = at;
            break;
          case 'cancel':
            next.closed_at = at;
            break;
          case 'dispatch':
            next.team_id = target.teamId;
            next.technician_id = target.technicianId;
            next.dispatched_at = at;
            break;
          case 'take':
            next.technician_id = who.me.technicianId;
            break;
          case 'start':
            if (row.arrived_at === null) {
              next.arrived_at = at;
              if (row.sla_arrive_minutes !== null) next.arrive_met = met(cal.cal, created, now, row.sla_arrive_minutes, pauses) ? 1 : 0;
            }
            break;
          case 'pause':
            // Waiting for the owner: the clock stands until resumed.
            next.pause_reason = body.reason?.trim() ?? null;
            next.pauses = JSON.stringify([...(JSON.parse(row.pauses) as [string, string | null][]), [at, null]]);
            break;
          case 'wait_parts':
            next.pause_reason = body.reason?.trim() ?? null;
            break;
          case 'resume':
            next.pause_reason = null;
            if (row.state === 'paused') next.pauses = JSON.stringify((JSON.parse(row.pauses) as [string, string | null][]).map(([a, b]) => [a, b ?? at]));
            break;
          case 'resolve': {
            lines = priced(body.lines ?? []);
            next.result = body.result?.trim() ?? null;
            next.lines = JSON.stringify(lines);
            next.cost_cents = lines.reduce((s, l) => s + l.amountCents, 0);
            next.resolved_at = at;
            if (row.sla_resolve_minutes !== null) next.resolve_met = met(cal.cal, created, now, row.sla_resolve_minutes, pauses) ? 1 : 0;
            break;
          }
          case 'confirm':
            next.rating = body.rating ?? null;
            next.rating_comment = body.comment?.trim() || null;
            next.confirmed_at = at;
            break;
          case 'reopen':
            next.reopen_count = row.reopen_count + 1;
            next.resolved_at = null;
            next.resolve_met = null;
            break;
          case 'close':
            next.closed_at = at;
            break;
        }
        Object.assign(next, slaColumns(next, cal));
        const { id: _id, community_id: _c, created_at: _ca, number: _n, ...patch } = next;
        // Compare-and-set: of two concurrent transitions on one request, only the first commits.
        const updated = await tx.updateTable('service_requests').set(patch).where('id', '=', id).where('version', '=', row.version).executeTakeFirst();
        if (updated.numUpdatedRows === 0n) throw new AppError('service_desk.stale');

        const comment = [body.reason?.trim(), action === 'resolve' ? body.result?.trim() : undefined, body.comment?.trim()].filter((s): s is string => !!s).join(' — ') || null;
        await tx.insertInto('service_request_events').values(timelineRow(row, ctx, action, row.state, to, comment, at, next.version)).execute();
        await deps.audit.record(tx, ctx, {
          action: `service_desk.request.${action}`,
          entityType: 'service_request',
          entityId: id,
          communityId: row.community_id,
          before: { state: row.state, version: row.version, teamId: row.team_id, technicianId: row.technician_id },
          after: { state: to, version: next.version, teamId: next.team_id, technicianId: next.technician_id, ...(comment ? { comment } : {}), ...(action === 'confirm' ? { rating: next.rating } : {}) },
        });

        if (action === 'dispatch' || action === 'reopen') await notifyDispatch(tx, ctx, row, next.team_id, next.technician_id);
        if (action === 'resolve') {
          await deps.events.emit(tx, { type: 'service_desk.request.resolved', payload: { requestId: id, number: row.number, technicianId: next.technician_id, costCents: next.cost_cents }, communityId: row.community_id });
          const total = next.cost_cents;
          if (body.chargeable && total > 0) {
            // Paid repair: billing picks the charge up from the event and issues a one-off bill.
            const chargeId = deps.ids();
            await tx
              .insertInto('service_charges')
              .values({ id: chargeId, community_id: row.community_id, room_id: row.room_id, request_id: id, lines: JSON.stringify(lines), total_cents: total, status: 'pending', bill_id: null, created_at: at, updated_at: at })
              .execute();
            await deps.audit.record(tx, ctx, { action: 'service_desk.charge.create', entityType: 'service_charge', entityId: chargeId, communityId: row.community_id, after: { requestId: id, roomId: row.room_id, totalCents: total, lines } });
            await deps.events.emit(tx, {
              type: 'service_desk.charge.created',
              payload: { chargeId, requestId: id, requestNumber: row.number, roomId: row.room_id, totalCents: total, lines },
              communityId: row.community_id,
            });
          }
        }
        if (action === 'close') await deps.events.emit(tx, { type: 'service_desk.request.closed', payload: { requestId: id, number: row.number, rating: next.rating, automatic: false }, communityId: row.community_id });
        return who;
      });
      const after = await repo.requests.byId(deps.db, id);
      // The caller's parties may change with the transition (a technician who took the request).
      return detail(deps.db, id, after ? await whoIs(deps.db, ctx, after) : result);
    },

    async board(ctx, q) {
      assertCan(ctx, READ, q.communityId);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 1);
      let query = repo.summaryView(deps.db).where('service_requests.community_id', '=', q.communityId).where(repo.OPEN_SQL);
      if (q.state) query = query.where('service_requests.state', '=', q.state);
      if (q.type) query = query.where('service_requests.type', '=', q.type);
      if (q.categoryId) query = query.where('service_requests.category_id', '=', q.categoryId);
      if (q.priority) query = query.where('service_requests.priority', '=', q.priority);
      if (q.technicianId) query = query.where('service_requests.technician_id', '=', q.technicianId);
      if (q.teamId) query = query.where('service_requests.team_id', '=', q.teamId);
      if (q.overdue) query = query.where('service_requests.sla_due_at', '<', deps.clock.now().toISOString());
      if (after) query = query.where('service_requests.id', '<', String(after[0]));
      const rows = (await query.orderBy('service_requests.id', 'desc').limit(limit + 1).execute());
      return pageQuery(rows, limit, deps.db);
    },

    async list(ctx, q) {
      assertCan(ctx, READ, q.communityId);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 1);
      let query = repo.summaryView(deps.db).where('service_requests.community_id', '=', q.communityId);
      if (q.state) query = query.where('service_requests.state', '=', q.state);
      if (q.type) query = query.where('service_requests.type', '=', q.type);
      if (q.roomId) query = query.where('service_requests.room_id', '=', q.roomId);
      if (q.number) query = query.where('service_requests.number', '=', q.number.trim().toUpperCase());
      if (after) query = query.where('service_requests.id', '<', String(after[0]));
      const rows = (await query.orderBy('service_requests.id', 'desc').limit(limit + 1).execute());
      return pageQuery(rows, limit, deps.db);
    },

    async myWork(ctx, q) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      const mine = (await repo.technicians.ofUser(deps.db, userId)).filter((t) => can(ctx, WORK, t.community_id));
      if (!mine.length) return { items: [], nextCursor: null };
      const techIds = mine.map((t) => t.id);
      const teamIds = (await repo.technicians.teams(deps.db, techIds)).map((t) => t.team_id);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 1);
      let query = repo
        .summaryView(deps.db)
        .where(repo.OPEN_SQL)
        .where((eb) => eb.or([eb('service_requests.technician_id', 'in', techIds), ...(teamIds.length ? [eb('service_requests.team_id', 'in', teamIds)] : [])]));
      if (after) query = query.where('service_requests.id', '<', String(after[0]));
      const rows = (await query.orderBy('service_requests.id', 'desc').limit(limit + 1).execute());
      return pageQuery(rows, limit, deps.db);
    },

    async myRequests(ctx, q) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      const rooms = (await repo.users.currentRooms(deps.db, userId)).filter((r) => can(ctx, PORTAL, r.community_id)).map((r) => r.room_id as string);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 1);
      let query = repo
        .summaryView(deps.db)
        .where((eb) => eb.or([eb('service_requests.requester_user_id', '=', userId), ...(rooms.length ? [eb('service_requests.room_id', 'in', rooms)] : [])]));
      if (after) query = query.where('service_requests.id', '<', String(after[0]));
      const rows = (await query.orderBy('service_requests.id', 'desc').limit(limit + 1).execute());
      return pageQuery(rows, limit, deps.db);
    },

    async dashboard(ctx, q) {
      assertCan(ctx, READ, q.communityId);
      const { from, to } = windowOf(q);
      const db = deps.db;
      const byState = await db
        .selectFrom('service_requests')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('community_id', '=', q.communityId)
        .where(repo.OPEN_SQL)
        .groupBy('state')
        .execute();
      const overdue = await db
        .selectFrom('service_requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('community_id', '=', q.communityId)
        .where(repo.OPEN_SQL)
        .where('sla_due_at', '<', deps.clock.now().toISOString())
        .executeTakeFirstOrThrow();
      // Stage durations (wall-clock minutes) over the requests resolved in the window.
      const avg = await db
        .selectFrom('service_requests')
        .select([
          sql<number | null>`avg(${minutesBetween('created_at', 'accepted_at')})`.as('accept'),
          sql<number | null>`avg(${minutesBetween('accepted_at', 'dispatched_at')})`.as('dispatch'),
          sql<number | null>`avg(${minutesBetween('dispatched_at', 'arrived_at')})`.as('arrive'),
          sql<number | null>`avg(${minutesBetween('arrived_at', 'resolved_at')})`.as('resolve'),
        ])
        .where('community_id', '=', q.communityId)
        .where('resolved_at', '>=', from)
        .where('resolved_at', '<', to)
        .executeTakeFirstOrThrow();
      const rating = await db
        .selectFrom('service_requests')
        .select([sql<number | null>`avg(rating * 1.0)`.as('average'), (eb) => eb.fn.count<number>('rating').as('n')])
        .where('community_id', '=', q.communityId)
        .where('confirmed_at', '>=', from)
        .where('confirmed_at', '<', to)
        .executeTakeFirstOrThrow();
      const round = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 10) / 10);
      return {
        communityId: q.communityId,
        openByState: byState.map((r) => ({ state: r.state, count: Number(r.n) })),
        overdue: Number(overdue.n),
        averageMinutes: { accept: round(avg.accept), dispatch: round(avg.dispatch), arrive: round(avg.arrive), resolve: round(avg.resolve) },
        satisfaction: { average: rating.average === null ? null : Math.round(Number(rating.average) * 100) / 100, count: Number(rating.n) },
        from,
        to,
      };
    },

    async compliance(ctx, q) {
      assertCan(ctx, READ, q.communityId);
      const { from, to } = windowOf(q);
      const col = q.by === 'team' ? 'team_id' : q.by === 'technician' ? 'technician_id' : 'category_id';
      const rows = await deps.db
        .selectFrom('service_requests')
        .select([
          sql<string | null>`${sql.ref(col)}`.as('key'),
          (eb) => eb.fn.countAll<number>().as('n'),
          sql<number | null>`avg(accept_met * 1.0)`.as('accept'),
          sql<number | null>`avg(arrive_met * 1.0)`.as('arrive'),
          sql<number | null>`avg(resolve_met * 1.0)`.as('resolve'),
        ])
        .where('community_id', '=', q.communityId)
        .where('resolved_at', '>=', from)
        .where('resolved_at', '<', to)
        .groupBy(col)
        .execute();
      const keys = rows.flatMap((r) => (r.key ? [r.key] : []));
      const names = new Map<string, string>();
      if (keys.length) {
        const table = q.by === 'team' ? 'service_teams' : q.by === 'technician' ? 'service_technicians' : 'service_categories';
        for (const n of await deps.db.selectFrom(table).select(['id', 'name']).where('id', 'in', keys).execute()) names.set(n.id, n.name);
      }
      const share = (v: number | string | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);
      return {
        communityId: q.communityId,
        by: q.by,
        from,
        to,
        items: rows.map((r) => ({ key: r.key, name: r.key ? (names.get(r.key) ?? null) : null, resolved: Number(r.n), acceptMet: share(r.accept), arriveMet: share(r.arrive), resolveMet: share(r.resolve) })),
      };
    },

    async charges(ctx, q) {
      assertCan(ctx, READ, q.communityId);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 1);
      let query = deps.db.selectFrom('service_charges').selectAll().where('community_id', '=', q.communityId);
      if (q.status) query = query.where('status', '=', q.status);
      if (after) query = query.where('id', '<', String(after[0]));
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map(chargeView), nextCursor: page.nextCursor };
    },

    async markChargeBilled(tx, ctx, chargeId, billId) {
      return settleCharge(tx, ctx, chargeId, { status: 'billed', bill_id: billId }, 'service_desk.charge.bill', { billId });
    },

    async markChargeNotBillable(tx, ctx, chargeId, reason) {
      return settleCharge(tx, ctx, chargeId, { status: 'not_billable', bill_id: null }, 'service_desk.charge.not_billable', { reason });
    },

    async communityOf(exec, id) {
      return (await exec.selectFrom('service_requests').select('community_id').where('id', '=', id).executeTakeFirst())?.community_id;
    },

    async isParty(exec, ctx, id) {
      const row = await repo.requests.byId(exec, id);
      if (!row) return false;
      const who = await whoIs(exec, ctx, row);
      return who.parties.has('requester') || who.parties.has('technician');
    },

    async sweepSla() {
      const ctx = systemContext('service_desk.sla');
      const at = deps.clock.now().toISOString();
      let warned = 0;
      let escalated = 0;
      await deps.db.transaction().execute(async (tx) => {
        // Past the limit and not yet escalated for this stage.
        const late = await tx
          .selectFrom('service_requests')
          .selectAll()
          .where(repo.OPEN_SQL)
          .where('sla_due_at', '<=', at)
          .where((eb) => eb.or([eb('escalated_stage', 'is', null), eb('escalated_stage', '<>', eb.ref('sla_stage'))]))
          .orderBy('sla_due_at')
          .limit(500)
          .execute();
        for (const row of late) {
          const done = await tx
            .updateTable('service_requests')
            .set({ escalated_stage: row.sla_stage, version: row.version + 1 })
            .where('id', '=', row.id)
            .where('version', '=', row.version)
            .where((eb) => eb.or([eb('escalated_stage', 'is', null), eb('escalated_stage', '<>', eb.ref('sla_stage'))]))
            .executeTakeFirst();
          if (done.numUpdatedRows === 0n) continue;
          escalated++;
          await tx.insertInto('service_request_events').values(timelineRow(row, ctx, 'escalate', row.state, row.state, `${row.sla_stage ?? ''} overdue`, at, row.version + 1)).execute();
          // The team's supervisor; before dispatch, every supervisor of the community.
          const team = row.team_id ? await repo.teams.byId(tx, row.team_id) : undefined;
          const recipients = team ? (team.supervisor_user_id ? [team.supervisor_user_id] : []) : (await repo.teams.supervisorsOf(tx, row.community_id)).map((t) => t.supervisor_user_id as string);
          if (recipients.length)
            await deps.notify(tx, ctx, { recipients, template: DESK_TEMPLATES.escalated, data: { number: row.number, stage: row.sla_stage, location: row.location, dueAt: row.sla_due_at }, communityId: row.community_id });
        }
        // Approaching the limit: the assignee (or the team) is warned once per stage.
        const soon = await tx
          .selectFrom('service_requests')
          .selectAll()
          .where(repo.OPEN_SQL)
          .where('sla_warn_at', '<=', at)
          .where('sla_due_at', '>', at)
          .where((eb) => eb.or([eb('warned_stage', 'is', null), eb('warned_stage', '<>', eb.ref('sla_stage'))]))
          .limit(500)
          .execute();
        for (const row of soon) {
          const done = await tx.updateTable('service_requests').set({ warned_stage: row.sla_stage }).where('id', '=', row.id).where('sla_stage', '=', row.sla_stage).executeTakeFirst();
          if (done.numUpdatedRows === 0n) continue;
          warned++;
          let recipients: string[] = [];
          if (row.technician_id) recipients = [(await repo.technicians.byId(tx, row.technician_id))?.user_id ?? ''].filter(Boolean);
          else if (row.team_id) recipients = (await repo.teams.members(tx, [row.team_id])).filter((m) => m.on_duty === 1).map((m) => m.user_id);
          else recipients = (await repo.teams.supervisorsOf(tx, row.community_id)).map((t) => t.supervisor_user_id as string);
          if (recipients.length) await deps.notify(tx, ctx, { recipients, template: DESK_TEMPLATES.warning, data: { number: row.number, stage: row.sla_stage, dueAt: row.sla_due_at }, communityId: row.community_id });
        }
        // One audit record per sweep, not per request.
        if (warned || escalated) await deps.audit.record(tx, ctx, { action: 'service_desk.sla.sweep', entityType: 'service_request', after: { warned, escalated, ids: [...late.map((r) => r.id)].slice(0, 100) } });
      });
      return { warned, escalated };
    },

    async autoClose() {
      const ctx = systemContext('service_desk.auto_close');
      const now = deps.clock.now();
      const at = now.toISOString();
      const custom = await repo.settings.autoClose(deps.db);
      const cutoff = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString();
      return deps.db.transaction().execute(async (tx) => {
        // Communities with their own setting, then every other community with the default.
        const closeWhere = (hours: number, communities: string[] | null, exclude: string[]) => {
          let q = tx
            .updateTable('service_requests')
            .set({ state: 'closed', closed_at: at, updated_at: at, version: sql`version + 1`, sla_stage: null, sla_due_at: null, sla_warn_at: null })
            .where(sql<SqlBool>`((state = 'resolved' and resolved_at <= ${cutoff(hours)}) or (state = 'confirmed' and confirmed_at <= ${cutoff(hours)}))`);
          if (communities) q = q.where('community_id', 'in', communities.length ? communities : ['00000000-0000-0000-0000-000000000000']);
          if (exclude.length) q = q.where('community_id', 'not in', exclude);
          return q.returning(['id', 'community_id', 'number', 'version', 'confirmed_at', 'rating']).execute();
        };
        const closed: { id: string; community_id: string; number: string; version: number; confirmed_at: string | null; rating: number | null }[] = [];
        const byHours = new Map<number, string[]>();
        for (const c of custom) byHours.set(c.auto_close_hours, [...(byHours.get(c.auto_close_hours) ?? []), c.community_id]);
        for (const [hours, communities] of byHours) closed.push(...(await closeWhere(hours, communities, [])));
        closed.push(...(await closeWhere(DEFAULT_AUTO_CLOSE_HOURS, null, custom.map((c) => c.community_id))));
        if (!closed.length) return 0;
        await tx
          .insertInto('service_request_events')
          .values(
            closed.map((c) => ({
              id: deps.ids(),
              community_id: c.community_id,
              request_id: c.id,
              version: c.version,
              action: 'auto_close' as const,
              // Only `confirm` sets confirmed_at, and a confirmed request can only be closed.
              from_state: c.confirmed_at === null ? ('resolved' as const) : ('confirmed' as const),
              to_state: 'closed' as const,
              actor_user_id: null,
              actor_name: ctx.actor.name,
              comment: null,
              at,
            })),
          )
          .execute();
        for (const c of closed) await deps.events.emit(tx, { type: 'service_desk.request.closed', payload: { requestId: c.id, number: c.number, rating: c.rating, automatic: true }, communityId: c.community_id });
        await deps.audit.record(tx, ctx, { action: 'service_desk.request.auto_close', entityType: 'service_request', after: { count: closed.length, numbers: closed.slice(0, 100).map((c) => c.number) } });
        return closed.length;
      });
    },
  };
}
