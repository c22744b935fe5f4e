import type { TSchema } from '@sinclair/typebox';
import {
  BoardQuery,
  CommunityQuery,
  ComplianceQuery,
  ComplianceReport,
  CreateDispatchRuleBody,
  CreateServiceCategoryBody,
  CreateServiceRequestBody,
  CreateServiceTeamBody,
  CreateTechnicianBody,
  DashboardQuery,
  DeskStaffList,
  DeskStaffQuery,
  DispatchRule,
  DispatchRuleList,
  DutyBody,
  IdParams,
  MyWorkQuery,
  Ok,
  PutServiceDeskSettingsBody,
  PutSlaPoliciesBody,
  ServiceCategory,
  ServiceCategoryList,
  ServiceCategoryQuery,
  ServiceChargePage,
  ServiceChargeQuery,
  ServiceDashboard,
  ServiceDeskSettings,
  ServiceRequest,
  ServiceRequestListQuery,
  ServiceRequestPage,
  ServiceTeam,
  ServiceTeamList,
  SlaPolicyList,
  SubmitPortalRequestBody,
  Technician,
  TechnicianList,
  TransitionBody,
  UpdateServiceCategoryBody,
  UpdateServiceTeamBody,
  UpdateTechnicianBody,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { DeskConfigService } from './config.service.js';
import type { RequestsService } from './requests.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
/**
 * The request detail is too large for the type provider to infer (TS2589); the service's return
 * type (`Promise<ServiceRequest>`) carries the check instead, and Fastify still serialises by the schema.
 */
const RequestDetail: TSchema = ServiceRequest;
const created = <T>(schema: T) => ({ 201: schema, ...problemResponses });
const read = { access: 'service_desk.request.read' as const };
const manage = { access: 'service_desk.request.manage' as const };
const config = { access: 'service_desk.config.manage' as const };
/**
 * Routes that staff, technicians and owners all use: the service decides from the caller's
 * relation to the record (community scope, dispatch, requester or occupant).
 */
const anyone = { access: 'authenticated' as const };

export function serviceDeskRoutes(app: App, deps: { requests: RequestsService; config: DeskConfigService }) {
  const { requests, config: cfg } = deps;
  const tags = ['service-desk'];

  // ── requests ──
  app.get('/api/service-requests/board', { schema: { tags, summary: 'Open requests of a community, newest first, with their time-limit status', querystring: BoardQuery, response: r(ServiceRequestPage) }, config: read }, (request) =>
    requests.board(request.ctx, request.query),
  );
  app.get('/api/service-requests', { schema: { tags, summary: 'Every request of a community (history), newest first', querystring: ServiceRequestListQuery, response: r(ServiceRequestPage) }, config: read }, (request) =>
    requests.list(request.ctx, request.query),
  );
  app.post('/api/service-requests', { schema: { tags, summary: 'Enter a request taken by phone, at the front desk or found by staff', body: CreateServiceRequestBody, response: created(RequestDetail) }, config: manage }, async (request, reply) =>
    {
      reply.code(201);
      return requests.create(request.ctx, request.body);
    },
  );
  app.get('/api/service-requests/:id', { schema: { tags, summary: 'A request with its timeline and the actions the caller may take', params: IdParams, response: r(RequestDetail) }, config: anyone }, (request) =>
    requests.get(request.ctx, request.params.id),
  );
  app.post(
    '/api/service-requests/:id/transitions',
    { schema: { tags, summary: 'Move the request through its workflow (accept, dispatch, take, start, pause, resolve, confirm, close …)', params: IdParams, body: TransitionBody, response: r(RequestDetail) }, config: anyone },
    (request) => requests.transition(request.ctx, request.params.id, request.body),
  );
  app.get('/api/service-desk/my-work', { schema: { tags, summary: 'Open requests dispatched to me or to my teams', querystring: MyWorkQuery, response: r(ServiceRequestPage) }, config: { access: 'service_desk.request.work' } }, (request) =>
    requests.myWork(request.ctx, request.query),
  );
  app.get('/api/portal/service-requests', { schema: { tags: ['portal'], summary: 'My requests and those of the rooms I live in', querystring: MyWorkQuery, response: r(ServiceRequestPage) }, config: { access: 'portal.self.use' } }, (request) =>
    requests.myRequests(request.ctx, request.query),
  );
  app.post('/api/portal/service-requests', { schema: { tags: ['portal'], summary: 'Submit a request from the owner portal', body: SubmitPortalRequestBody, response: created(RequestDetail) }, config: { access: 'portal.self.use' } }, async (request, reply) =>
    {
      reply.code(201);
      return requests.submitFromPortal(request.ctx, request.body);
    },
  );
  app.get('/api/service-desk/dashboard', { schema: { tags, summary: 'Open by state, overdue, average time per stage, satisfaction', querystring: DashboardQuery, response: r(ServiceDashboard) }, config: read }, (request) =>
    requests.dashboard(request.ctx, request.query),
  );
  app.get('/api/service-desk/compliance', { schema: { tags, summary: 'Share of requests meeting each time limit, per team, technician or category', querystring: ComplianceQuery, response: r(ComplianceReport) }, config: read }, (request) =>
    requests.compliance(request.ctx, request.query),
  );
  app.get('/api/service-desk/charges', { schema: { tags, summary: 'Paid-repair charges of a community (pending until billed)', querystring: ServiceChargeQuery, response: r(ServiceChargePage) }, config: read }, (request) =>
    requests.charges(request.ctx, request.query),
  );

  // ── configuration ──
  app.get('/api/service-categories', { schema: { tags, summary: 'Categories of a community (optionally of one type)', querystring: ServiceCategoryQuery, response: r(ServiceCategoryList) }, config: anyone }, async (request) => ({
    items: await cfg.listCategories(request.ctx, request.query),
  }));
  app.post('/api/service-categories', { schema: { tags, summary: 'Add a category', body: CreateServiceCategoryBody, response: created(ServiceCategory) }, config }, async (request, reply) =>
    reply.code(201).send(await cfg.createCategory(request.ctx, request.body)),
  );
  app.patch('/api/service-categories/:id', { schema: { tags, summary: 'Rename, reorder or retire a category', params: IdParams, body: UpdateServiceCategoryBody, response: r(ServiceCategory) }, config }, (request) =>
    cfg.updateCategory(request.ctx, request.params.id, request.body),
  );
  app.get('/api/service-teams', { schema: { tags, summary: 'Teams of a community with members and supervisor', querystring: CommunityQuery, response: r(ServiceTeamList) }, config: anyone }, async (request) => ({
    items: await cfg.listTeams(request.ctx, request.query.communityId),
  }));
  app.post('/api/service-teams', { schema: { tags, summary: 'Create a team', body: CreateServiceTeamBody, response: created(ServiceTeam) }, config }, async (request, reply) => reply.code(201).send(await cfg.createTeam(request.ctx, request.body)));
  app.patch('/api/service-teams/:id', { schema: { tags, summary: 'Rename a team, change its supervisor or members', params: IdParams, body: UpdateServiceTeamBody, response: r(ServiceTeam) }, config }, (request) =>
    cfg.updateTeam(request.ctx, request.params.id, request.body),
  );
  app.get('/api/technicians', { schema: { tags, summary: 'Technicians of a community with skills, teams, duty and open work', querystring: CommunityQuery, response: r(TechnicianList) }, config: anyone }, async (request) => ({
    items: await cfg.listTechnicians(request.ctx, request.query.communityId),
  }));
  app.get('/api/service-desk/staff', { schema: { tags, summary: 'Staff accounts of a community to pick technicians and supervisors from', querystring: DeskStaffQuery, response: r(DeskStaffList) }, config }, async (request) => ({
    items: await cfg.listStaff(request.ctx, request.query),
  }));
  app.post('/api/technicians', { schema: { tags, summary: 'Register a staff account as a technician of a community', body: CreateTechnicianBody, response: created(Technician) }, config }, async (request, reply) =>
    reply.code(201).send(await cfg.createTechnician(request.ctx, request.body)),
  );
  app.patch('/api/technicians/:id', { schema: { tags, summary: 'Change a technician’s name, skills or duty', params: IdParams, body: UpdateTechnicianBody, response: r(Technician) }, config }, (request) =>
    cfg.updateTechnician(request.ctx, request.params.id, request.body),
  );
  app.put('/api/technicians/me/duty', { schema: { tags, summary: 'Go on or off duty (all my communities)', body: DutyBody, response: r(TechnicianList) }, config: { access: 'service_desk.request.work' } }, async (request) => ({
    items: await cfg.setMyDuty(request.ctx, request.body.onDuty),
  }));
  app.get('/api/dispatch-rules', { schema: { tags, summary: 'Dispatch rules of a community', querystring: CommunityQuery, response: r(DispatchRuleList) }, config: anyone }, async (request) => ({
    items: await cfg.listRules(request.ctx, request.query.communityId),
  }));
  app.post('/api/dispatch-rules', { schema: { tags, summary: 'Set the rule of a category (replaces the previous one)', body: CreateDispatchRuleBody, response: created(DispatchRule) }, config }, async (request, reply) =>
    reply.code(201).send(await cfg.createRule(request.ctx, request.body)),
  );
  app.delete('/api/dispatch-rules/:id', { schema: { tags, summary: 'Remove a dispatch rule', params: IdParams, response: r(Ok) }, config }, async (request) => {
    await cfg.deleteRule(request.ctx, request.params.id);
    return { ok: true as const };
  });
  app.get('/api/service-desk/sla', { schema: { tags, summary: 'Time limits per type and priority', querystring: CommunityQuery, response: r(SlaPolicyList) }, config: anyone }, async (request) => ({
    communityId: request.query.communityId,
    items: await cfg.getSla(request.ctx, request.query.communityId),
  }));
  app.put('/api/service-desk/sla', { schema: { tags, summary: 'Replace the time limits of a community (new requests use them)', body: PutSlaPoliciesBody, response: r(SlaPolicyList) }, config }, async (request) => ({
    communityId: request.body.communityId,
    items: await cfg.putSla(request.ctx, request.body),
  }));
  app.get('/api/service-desk/settings', { schema: { tags, summary: 'Business hours, holidays, auto-close and warning threshold', querystring: CommunityQuery, response: r(ServiceDeskSettings) }, config: anyone }, (request) =>
    cfg.getSettings(request.ctx, request.query.communityId),
  );
  app.put(
    '/api/service-desk/settings',
    { schema: { tags, summary: 'Change business hours, holidays, auto-close and warning threshold', querystring: CommunityQuery, body: PutServiceDeskSettingsBody, response: r(ServiceDeskSettings) }, config },
    (request) => cfg.putSettings(request.ctx, request.query.communityId, request.body),
  );
}
