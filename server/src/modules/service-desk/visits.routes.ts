import { DueVisitList, DueVisitQuery, RecordVisitBody, ReturnVisit, ReturnVisitList, ReturnVisitListQuery } from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { VisitsService } from './visits.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const visit = { access: 'service_desk.visit.manage' as const };

/** Return visits (回访) by customer service. */
export function visitsRoutes(app: App, deps: { visits: VisitsService }) {
  const { visits } = deps;
  const tags = ['service-desk'];
  app.get('/api/return-visits/due', { schema: { tags, summary: 'Closed requests of a range due for a return visit (sampled)', querystring: DueVisitQuery, response: r(DueVisitList) }, config: visit }, (request) =>
    visits.due(request.ctx, request.query),
  );
  app.get('/api/return-visits', { schema: { tags, summary: 'Recent return visits of a community', querystring: ReturnVisitListQuery, response: r(ReturnVisitList) }, config: visit }, async (request) => ({
    items: await visits.recent(request.ctx, request.query),
  }));
  app.post('/api/return-visits', { schema: { tags, summary: 'Record a call: satisfied, dissatisfied (opens a linked complaint) or unreachable', body: RecordVisitBody, response: { 201: ReturnVisit, ...problemResponses } }, config: visit }, async (request, reply) =>
    reply.code(201).send(await visits.record(request.ctx, request.body)),
  );
}
