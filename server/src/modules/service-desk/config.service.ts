import type {
  CreateDispatchRuleBody,
  CreateServiceCategoryBody,
  CreateServiceTeamBody,
  CreateTechnicianBody,
  DeskStaffMember,
  DeskStaffQuery,
  DispatchRule,
  PutServiceDeskSettingsBody,
  PutSlaPoliciesBody,
  ServiceCategory,
  ServiceCategoryQuery,
  ServiceDeskSettings,
  ServiceTeam,
  SlaPolicy,
  Technician,
  UpdateServiceCategoryBody,
  UpdateServiceTeamBody,
  UpdateTechnicianBody,
} from '@courtyard/contracts';
import { REQUEST_PRIORITIES, REQUEST_TYPES } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { assertCan, can, type RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import { DEFAULT_AUTO_CLOSE_HOURS, DEFAULT_CATEGORIES, DEFAULT_SLA, DEFAULT_UTC_OFFSET_MINUTES, DEFAULT_WARN_AT_PERCENT } from './desk.defaults.js';
import * as repo from './desk.repository.js';
import { DEFAULT_WEEK, type Calendar } from './sla.js';


const CONFIG = 'service_desk.config.manage' as const;
const READ = 'service_desk.request.read' as const;

export interface DeskCalendar {
  cal: Calendar;
  autoCloseHours: number;
  warnAtPercent: number;
}

export interface ConfigDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  communityExists(exec: Exec, id: string): Promise<boolean>;
  userExists(exec: Exec, id: string): Promise<boolean>;
}

export interface DeskConfigService {
  listCategories(ctx: RequestContext, query: ServiceCategoryQuery): Promise<ServiceCategory[]>;
  createCategory(ctx: RequestContext, body: CreateServiceCategoryBody): Promise<ServiceCategory>;
  updateCategory(ctx: RequestContext, id: string, body: UpdateServiceCategoryBody): Promise<ServiceCategory>;
  listTeams(ctx: RequestContext, communityId: string): Promise<ServiceTeam[]>;
  createTeam(ctx: RequestContext, body: CreateServiceTeamBody): Promise<ServiceTeam>;
  updateTeam(ctx: RequestContext, id: string, body: UpdateServiceTeamBody): Promise<ServiceTeam>;
  listTechnicians(ctx: RequestContext, communityId: string): Promise<Technician[]>;
  /** Staff accounts to pick a technician's user or a team's supervisor from (configuration managers only). */
  listStaff(ctx: RequestContext, query: DeskStaffQuery): Promise<DeskStaffMember[]>;
  createTechnician(ctx: RequestContext, body: CreateTechnicianBody): Promise<Technician>;
  updateTechnician(ctx: RequestContext, id: string, body: UpdateTechnicianBody): Promise<Technician>;
  /** The caller's own technician records (one per community), duty switched on all of them. */
  setMyDuty(ctx: RequestContext, onDuty: boolean): Promise<Technician[]>;
  listRules(ctx: RequestContext, communityId: string): Promise<DispatchRule[]>;
  createRule(ctx: RequestContext, body: CreateDispatchRuleBody): Promise<DispatchRule>;
  deleteRule(ctx: RequestContext, id: string): Promise<void>;
  getSla(ctx: RequestContext, communityId: string): Promise<SlaPolicy[]>;
  putSla(ctx: RequestContext, body: PutSlaPoliciesBody): Promise<SlaPolicy[]>;
  getSettings(ctx: RequestContext, communityId: string): Promise<ServiceDeskSettings>;
  putSettings(ctx: RequestContext, communityId: string, body: PutServiceDeskSettingsBody): Promise<ServiceDeskSettings>;
  /** Default categories and time limits for a community that has none (idempotent). */
  ensureDefaults(tx: Tx, ctx: RequestContext, communityId: string): Promise<void>;
  calendarOf(exec: Exec, communityId: string): Promise<DeskCalendar>;
}

export function createDeskConfigService(deps: ConfigDeps): DeskConfigService {
  const calendarCache = new Map<string, { signature: string; calendar: DeskCalendar }>();
  const now = () => deps.clock.now().toISOString();
  const canRead = (ctx: RequestContext, communityId: string) => {
    // Technicians read the configuration they work under (categories, teams).
    if (can(ctx, READ, communityId) || can(ctx, CONFIG, communityId) || can(ctx, 'service_desk.request.work', communityId) || can(ctx, 'portal.self.use', communityId)) return;
    assertCan(ctx, READ, communityId);
  };
  const requireCommunity = async (exec: Exec, id: string) => {
    if (!(await deps.communityExists(exec, id))) throw invalid('/body/communityId', 'no such community', '小区不存在');
  };

  const categoryView = (r: repo.CategoryRow): ServiceCategory => ({ id: r.id, communityId: r.community_id, type: r.type, code: r.code, name: r.name, sort: r.sort, active: r.active === 1 });

  async function teamViews(exec: Exec, teams: repo.TeamRow[]): Promise<ServiceTeam[]> {
    const members = await repo.teams.members(exec, teams.map((t) => t.id));
    const supervisors = await repo.users.names(exec, teams.flatMap((t) => (t.supervisor_user_id ? [t.supervisor_user_id] : [])));
    return teams.map((t) => ({
      id: t.id,
      communityId: t.community_id,
      name: t.name,
      supervisorUserId: t.supervisor_user_id,
      supervisorName: t.supervisor_user_id ? (supervisors.get(t.supervisor_user_id) ?? null) : null,
      members: members.filter((m) => m.team_id === t.id).map((m) => ({ technicianId: m.technician_id, name: m.name, onDuty: m.on_duty === 1 })),
    }));
  }

  async function technicianViews(exec: Exec, rows: repo.TechnicianRow[]): Promise<Technician[]> {
    const ids = rows.map((r) => r.id);
    const [skills, teams, open] = await Promise.all([repo.technicians.skills(exec, ids), repo.technicians.teams(exec, ids), repo.technicians.openCounts(exec, ids)]);
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      userId: r.user_id,
      name: r.name,
      onDuty: r.on_duty === 1,
      skills: skills.filter((s) => s.technician_id === r.id).map((s) => s.category_id),
      teamIds: teams.filter((s) => s.technician_id === r.id).map((s) => s.team_id),
      openCount: open.get(r.id) ?? 0,
    }));
  }

  async function checkTechnicians(tx: Tx, communityId: string, ids: readonly string[], field: string) {
    const found = await repo.technicians.byIds(tx, ids);
    if (found.length !== new Set(ids).size || found.some((t) => t.community_id !== communityId)) throw invalid(field, 'every technician must belong to the community', '所选技术员都必须属于该小区');
  }
  async function checkCategories(tx: Tx, communityId: string, ids: readonly string[], field: string) {
    const found = await repo.categories.byIds(tx, ids);
    if (found.length !== new Set(ids).size || found.some((t) => t.community_id !== communityId)) throw invalid(field, 'every category must belong to the community', '所选服务类别都必须属于该小区');
  }

  const settingsView = async (exec: Exec, communityId: string): Promise<ServiceDeskSettings> => {
    const row = await repo.settings.get(exec, communityId);
    const holidays = await repo.settings.holidays(exec, communityId);
    return {
      communityId,
      week: row ? (JSON.parse(row.week) as ServiceDeskSettings['week']) : DEFAULT_WEEK,
      utcOffsetMinutes: row?.utc_offset_minutes ?? DEFAULT_UTC_OFFSET_MINUTES,
      holidays: holidays.map((h) => ({ on: h.on, kind: h.kind, name: h.name })),
      autoCloseHours: row?.auto_close_hours ?? DEFAULT_AUTO_CLOSE_HOURS,
      warnAtPercent: row?.warn_at_percent ?? DEFAULT_WARN_AT_PERCENT,
    };
  };

  const slaRows = async (exec: Exec, communityId: string): Promise<SlaPolicy[]> =>
    (await repo.sla.ofCommunity(exec, communityId)).map((r) => ({ type: r.type, priority: r.priority, acceptMinutes: r.accept_minutes, arriveMinutes: r.arrive_minutes, resolveMinutes: r.resolve_minutes }));

  return {
    async listCategories(ctx, query) {
      canRead(ctx, query.communityId);
      return (await repo.categories.ofCommunity(deps.db, query.communityId, query.type)).map(categoryView);
    },
    async createCategory(ctx, body) {
      assertCan(ctx, CONFIG, body.communityId);
      const id = deps.ids();
      await deps.db.transaction().execute(async (tx) => {
        await requireCommunity(tx, body.communityId);
        if (await repo.categories.byCode(tx, body.communityId, body.type, body.code)) throw new AppError('request.conflict', [fieldError('/body/code', 'already used in this community and type', '该小区此申请类型下已有这个编码')]);
        const at = now();
        const row = { id, community_id: body.communityId, type: body.type, code: body.code, name: body.name.trim(), sort: body.sort ?? 100, active: 1, created_at: at, updated_at: at };
        await tx.insertInto('service_categories').values(row).execute();
        await deps.audit.record(tx, ctx, { action: 'service_desk.category.create', entityType: 'service_category', entityId: id, communityId: body.communityId, after: categoryView(row) });
      });
      return categoryView((await repo.categories.byId(deps.db, id))!);
    },
    async updateCategory(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.categories.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, CONFIG, before.community_id);
        const patch = { ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.sort !== undefined ? { sort: body.sort } : {}), ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}), updated_at: now() };
        await tx.updateTable('service_categories').set(patch).where('id', '=', id).execute();
        const after = (await repo.categories.byId(tx, id))!;
        await deps.audit.record(tx, ctx, { action: 'service_desk.category.update', entityType: 'service_category', entityId: id, communityId: before.community_id, before: categoryView(before), after: categoryView(after) });
        return categoryView(after);
      });
    },

    async listTeams(ctx, communityId) {
      canRead(ctx, communityId);
      return teamViews(deps.db, await repo.teams.ofCommunity(deps.db, communityId));
    },
    async createTeam(ctx, body) {
      assertCan(ctx, CONFIG, body.communityId);
      const id = deps.ids();
      return deps.db.transaction().execute(async (tx) => {
        await requireCommunity(tx, body.communityId);
        if (body.supervisorUserId && !(await deps.userExists(tx, body.supervisorUserId))) throw invalid('/body/supervisorUserId', 'no such user', '用户不存在');
        const members = [...new Set(body.memberIds ?? [])];
        await checkTechnicians(tx, body.communityId, members, '/body/memberIds');
        const at = now();
        await tx.insertInto('service_teams').values({ id, community_id: body.communityId, name: body.name.trim(), supervisor_user_id: body.supervisorUserId ?? null, created_at: at, updated_at: at }).execute();
        if (members.length) await tx.insertInto('service_team_members').values(members.map((m) => ({ team_id: id, technician_id: m, community_id: body.communityId }))).execute();
        const [view] = await teamViews(tx, [(await repo.teams.byId(tx, id))!]);
        await deps.audit.record(tx, ctx, { action: 'service_desk.team.create', entityType: 'service_team', entityId: id, communityId: body.communityId, after: view });
        return view!;
      });
    },
    async updateTeam(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.teams.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, CONFIG, before.community_id);
        const [beforeView] = await teamViews(tx, [before]);
        if (body.supervisorUserId && !(await deps.userExists(tx, body.supervisorUserId))) throw invalid('/body/supervisorUserId', 'no such user', '用户不存在');
        await tx
          .updateTable('service_teams')
          .set({ ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.supervisorUserId !== undefined ? { supervisor_user_id: body.supervisorUserId } : {}), updated_at: now() })
          .where('id', '=', id)
          .execute();
        if (body.memberIds !== undefined) {
          const members = [...new Set(body.memberIds)];
          await checkTechnicians(tx, before.community_id, members, '/body/memberIds');
          await tx.deleteFrom('service_team_members').where('team_id', '=', id).execute();
          if (members.length) await tx.insertInto('service_team_members').values(members.map((m) => ({ team_id: id, technician_id: m, community_id: before.community_id }))).execute();
        }
        const [view] = await teamViews(tx, [(await repo.teams.byId(tx, id))!]);
        await deps.audit.record(tx, ctx, { action: 'service_desk.team.update', entityType: 'service_team', entityId: id, communityId: before.community_id, before: beforeView, after: view });
        return view!;
      });
    },

    async listTechnicians(ctx, communityId) {
      canRead(ctx, communityId);
      return technicianViews(deps.db, await repo.technicians.ofCommunity(deps.db, communityId));
    },
    async listStaff(ctx, query) {
      // Account names are not for everyone holding a desk permission: only whoever configures.
      assertCan(ctx, CONFIG, query.communityId);
      const rows = await repo.users.staffOf(deps.db, query.communityId, query.q);
      return rows.map((r) => ({ userId: r.id, username: r.username, displayName: r.display_name, technicianId: r.technician_id }));
    },
    async createTechnician(ctx, body) {
      assertCan(ctx, CONFIG, body.communityId);
      const id = deps.ids();
      return deps.db.transaction().execute(async (tx) => {
        await requireCommunity(tx, body.communityId);
        if (!(await deps.userExists(tx, body.userId))) throw invalid('/body/userId', 'no such user', '用户不存在');
        if (await repo.technicians.byUser(tx, body.userId, body.communityId)) throw new AppError('request.conflict', [fieldError('/body/userId', 'already a technician of this community', '已是该小区的技术员')]);
        const skills = [...new Set(body.skills ?? [])];
        await checkCategories(tx, body.communityId, skills, '/body/skills');
        const at = now();
        await tx.insertInto('service_technicians').values({ id, community_id: body.communityId, user_id: body.userId, name: body.name.trim(), on_duty: body.onDuty === false ? 0 : 1, created_at: at, updated_at: at }).execute();
        if (skills.length) await tx.insertInto('service_technician_skills').values(skills.map((s) => ({ technician_id: id, category_id: s, community_id: body.communityId }))).execute();
        const [view] = await technicianViews(tx, [(await repo.technicians.byId(tx, id))!]);
        await deps.audit.record(tx, ctx, { action: 'service_desk.technician.create', entityType: 'service_technician', entityId: id, communityId: body.communityId, after: view });
        return view!;
      });
    },
    async updateTechnician(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.technicians.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, CONFIG, before.community_id);
        const [beforeView] = await technicianViews(tx, [before]);
        await tx
          .updateTable('service_technicians')
          .set({ ...(body.name !== undefined ? { name: body.name.trim() } : {}), ...(body.onDuty !== undefined ? { on_duty: body.onDuty ? 1 : 0 } : {}), updated_at: now() })
          .where('id', '=', id)
          .execute();
        if (body.skills !== undefined) {
          const skills = [...new Set(body.skills)];
          await checkCategories(tx, before.community_id, skills, '/body/skills');
          await tx.deleteFrom('service_technician_skills').where('technician_id', '=', id).execute();
          if (skills.length) await tx.insertInto('service_technician_skills').values(skills.map((s) => ({ technician_id: id, category_id: s, community_id: before.community_id }))).execute();
        }
        const [view] = await technicianViews(tx, [(await repo.technicians.byId(tx, id))!]);
        await deps.audit.record(tx, ctx, { action: 'service_desk.technician.update', entityType: 'service_technician', entityId: id, communityId: before.community_id, before: beforeView, after: view });
        return view!;
      });
    },
    async setMyDuty(ctx, onDuty) {
      const userId = ctx.actor.userId;
      if (!userId) throw new AppError('service_desk.not_technician');
      return deps.db.transaction().execute(async (tx) => {
        const mine = await repo.technicians.ofUser(tx, userId);
        if (!mine.length) throw new AppError('service_desk.not_technician');
        await tx.updateTable('service_technicians').set({ on_duty: onDuty ? 1 : 0, updated_at: now() }).where('user_id', '=', userId).execute();
        for (const t of mine) await deps.audit.record(tx, ctx, { action: 'service_desk.technician.duty', entityType: 'service_technician', entityId: t.id, communityId: t.community_id, after: { onDuty } });
        return technicianViews(tx, await repo.technicians.ofUser(tx, userId));
      });
    },

    async listRules(ctx, communityId) {
      canRead(ctx, communityId);
      return (await repo.rules.ofCommunity(deps.db, communityId)).map((r) => ({ id: r.id, communityId: r.community_id, categoryId: r.category_id, teamId: r.team_id, strategy: r.strategy }));
    },
    async createRule(ctx, body) {
      assertCan(ctx, CONFIG, body.communityId);
      const id = deps.ids();
      await deps.db.transaction().execute(async (tx) => {
        const team = await repo.teams.byId(tx, body.teamId);
        if (!team || team.community_id !== body.communityId) throw invalid('/body/teamId', 'the team must belong to the community', '班组必须属于该小区');
        if (body.categoryId) await checkCategories(tx, body.communityId, [body.categoryId], '/body/categoryId');
        // One rule per category (and one fallback): a new rule replaces the old one.
        await repo.rules.deleteFor(tx, body.communityId, body.categoryId);
        const at = now();
        await tx.insertInto('service_dispatch_rules').values({ id, community_id: body.communityId, category_id: body.categoryId, team_id: body.teamId, strategy: body.strategy, last_technician_id: null, created_at: at, updated_at: at }).execute();
        await deps.audit.record(tx, ctx, { action: 'service_desk.rule.create', entityType: 'service_dispatch_rule', entityId: id, communityId: body.communityId, after: body });
      });
      return { id, ...body };
    },
    async deleteRule(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const row = await tx.selectFrom('service_dispatch_rules').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw notFound();
        assertCan(ctx, CONFIG, row.community_id);
        await tx.deleteFrom('service_dispatch_rules').where('id', '=', id).execute();
        await deps.audit.record(tx, ctx, { action: 'service_desk.rule.delete', entityType: 'service_dispatch_rule', entityId: id, communityId: row.community_id, before: row });
      });
    },

    async getSla(ctx, communityId) {
      canRead(ctx, communityId);
      return slaRows(deps.db, communityId);
    },
    async putSla(ctx, body) {
      assertCan(ctx, CONFIG, body.communityId);
      return deps.db.transaction().execute(async (tx) => {
        await requireCommunity(tx, body.communityId);
        const seen = new Set<string>();
        body.items.forEach((p, i) => {
          const key = `${p.type}/${p.priority}`;
          if (seen.has(key)) throw invalid(`/body/items/${i}`, 'one policy per type and priority', '每种申请类型和优先级只能设一条时限');
          seen.add(key);
          if (!(p.acceptMinutes <= p.arriveMinutes && p.arriveMinutes <= p.resolveMinutes)) throw invalid(`/body/items/${i}`, 'accept ≤ arrive ≤ resolve', '时限应满足：受理 ≤ 到场 ≤ 完工');
        });
        const before = await slaRows(tx, body.communityId);
        await tx.deleteFrom('service_sla_policies').where('community_id', '=', body.communityId).execute();
        const at = now();
        if (body.items.length)
          await tx
            .insertInto('service_sla_policies')
            .values(body.items.map((p) => ({ community_id: body.communityId, type: p.type, priority: p.priority, accept_minutes: p.acceptMinutes, arrive_minutes: p.arriveMinutes, resolve_minutes: p.resolveMinutes, updated_at: at })))
            .execute();
        await deps.audit.record(tx, ctx, { action: 'service_desk.sla.update', entityType: 'community', entityId: body.communityId, communityId: body.communityId, before, after: body.items });
        // Requests already submitted keep the limits they were submitted under.
        return slaRows(tx, body.communityId);
      });
    },

    async getSettings(ctx, communityId) {
      canRead(ctx, communityId);
      return settingsView(deps.db, communityId);
    },
    async putSettings(ctx, communityId, body) {
      assertCan(ctx, CONFIG, communityId);
      return deps.db.transaction().execute(async (tx) => {
        await requireCommunity(tx, communityId);
        body.week.forEach((day, d) =>
          day.forEach((w, i) => {
            if (w.end <= w.start) throw invalid(`/body/week/${d}/${i}`, 'end must be after start', '结束时间必须晚于开始时间');
          }),
        );
        const before = await settingsView(tx, communityId);
        const row = { community_id: communityId, week: JSON.stringify(body.week), utc_offset_minutes: body.utcOffsetMinutes, auto_close_hours: body.autoCloseHours, warn_at_percent: body.warnAtPercent, updated_at: now() };
        await tx
          .insertInto('service_desk_settings')
          .values(row)
          .onConflict((oc) => oc.column('community_id').doUpdateSet({ week: row.week, utc_offset_minutes: row.utc_offset_minutes, auto_close_hours: row.auto_close_hours, warn_at_percent: row.warn_at_percent, updated_at: row.updated_at }))
          .execute();
        await tx.deleteFrom('service_holidays').where('community_id', '=', communityId).execute();
        const days = new Map(body.holidays.map((h) => [h.on, h]));
        if (days.size) await tx.insertInto('service_holidays').values([...days.values()].map((h) => ({ community_id: communityId, on: h.on, kind: h.kind, name: h.name }))).execute();
        const after = await settingsView(tx, communityId);
        await deps.audit.record(tx, ctx, { action: 'service_desk.settings.update', entityType: 'community', entityId: communityId, communityId, before, after });
        return after;
      });
    },

    async ensureDefaults(tx, ctx, communityId) {
      const existing = await repo.categories.ofCommunity(tx, communityId);
      const at = now();
      let added = 0;
      if (!existing.length) {
        const rows = REQUEST_TYPES.flatMap((type) =>
          DEFAULT_CATEGORIES[type].map(([code, name], i) => ({ id: deps.ids(), community_id: communityId, type, code, name, sort: (i + 1) * 10, active: 1, created_at: at, updated_at: at })),
        );
        await tx.insertInto('service_categories').values(rows).execute();
        added += rows.length;
      }
      if (!(await slaRows(tx, communityId)).length) {
        const rows = REQUEST_TYPES.flatMap((type) =>
          REQUEST_PRIORITIES.map((priority) => {
            const [a, r, s] = DEFAULT_SLA[priority];
            return { community_id: communityId, type, priority, accept_minutes: a, arrive_minutes: r, resolve_minutes: s, updated_at: at };
          }),
        );
        await tx.insertInto('service_sla_policies').values(rows).execute();
        added += rows.length;
      }
      if (added) await deps.audit.record(tx, ctx, { action: 'service_desk.defaults', entityType: 'community', entityId: communityId, communityId, after: { rows: added } });
    },

    async calendarOf(exec, communityId) {
      const s = await settingsView(exec, communityId);
      // The same settings give the same calendar object, so the SLA clock's per-calendar memos
      // (sla.ts) carry over from one board read to the next.
      const signature = JSON.stringify([s.week, s.utcOffsetMinutes, s.holidays, s.autoCloseHours, s.warnAtPercent]);
      const known = calendarCache.get(communityId);
      if (known?.signature === signature) return known.calendar;
      const calendar = {
        cal: { week: s.week, utcOffsetMinutes: s.utcOffsetMinutes, days: new Map(s.holidays.map((h) => [h.on, h.kind])) },
        autoCloseHours: s.autoCloseHours,
        warnAtPercent: s.warnAtPercent,
      };
      calendarCache.set(communityId, { signature, calendar });
      return calendar;
    },
  };
}
