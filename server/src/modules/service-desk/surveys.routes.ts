import { Type } from '@sinclair/typebox';
import { CreateSurveyBody, IdParams, MySurveyList, Ok, SubmitSurveyBody, Survey, SurveyListQuery, SurveyPage, SurveyResults, UpdateSurveyBody } from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import { contentDisposition } from '../files/index.js';
import type { SurveysService } from './surveys.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const created = <T>(schema: T) => ({ 201: schema, ...problemResponses });
const read = { access: 'service_desk.survey.read' as const };
const manage = { access: 'service_desk.survey.manage' as const };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file bytes' });

/** Satisfaction surveys: staff build, publish, close and read them; owners answer in the portal. */
export function surveysRoutes(app: App, deps: { surveys: SurveysService }) {
  const { surveys } = deps;
  const tags = ['service-desk'];

  app.get('/api/surveys', { schema: { tags, summary: 'Surveys of the caller’s communities, newest first', querystring: SurveyListQuery, response: r(SurveyPage) }, config: read }, (request) => surveys.list(request.ctx, request.query));
  app.get('/api/surveys/:id', { schema: { tags, summary: 'One survey with its questions and audience', params: IdParams, response: r(Survey) }, config: read }, (request) => surveys.get(request.ctx, request.params.id));
  app.post('/api/surveys', { schema: { tags, summary: 'Create a draft survey', body: CreateSurveyBody, response: created(Survey) }, config: manage }, async (request, reply) =>
    reply.code(201).send(await surveys.create(request.ctx, request.body)),
  );
  app.put('/api/surveys/:id', { schema: { tags, summary: 'Edit a draft survey (questions replaced)', params: IdParams, body: UpdateSurveyBody, response: r(Survey) }, config: manage }, (request) =>
    surveys.update(request.ctx, request.params.id, request.body),
  );
  app.post('/api/surveys/:id/publish', { schema: { tags, summary: 'Publish a draft: its questions freeze', params: IdParams, response: r(Survey) }, config: manage }, (request) => surveys.publish(request.ctx, request.params.id));
  app.post('/api/surveys/:id/close', { schema: { tags, summary: 'Close a published survey before its window ends', params: IdParams, response: r(Survey) }, config: manage }, (request) => surveys.close(request.ctx, request.params.id));
  app.get('/api/surveys/:id/results', { schema: { tags, summary: 'Counts, averages and distributions per question', params: IdParams, response: r(SurveyResults) }, config: read }, (request) =>
    surveys.results(request.ctx, request.params.id),
  );
  app.get(
    '/api/surveys/:id/export',
    { schema: { tags, summary: 'Results and every response as .xlsx (needs data.export.run too; audited)', params: IdParams, produces: [XLSX_TYPE], response: { 200: Binary, ...problemResponses } }, config: read },
    async (request, reply) => {
      const file = await surveys.exportXlsx(request.ctx, request.params.id);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', contentDisposition(file.fileName)).header('x-content-type-options', 'nosniff').send(file.content);
    },
  );

  app.get('/api/portal/surveys', { schema: { tags: ['portal'], summary: 'Surveys open now whose audience includes me', response: r(MySurveyList) }, config: { access: 'portal.self.use' } }, async (request) => ({
    items: await surveys.mine(request.ctx),
  }));
  app.post(
    '/api/portal/surveys/:id/responses',
    { schema: { tags: ['portal'], summary: 'Answer a survey (once per person)', params: IdParams, body: SubmitSurveyBody, response: r(Ok) }, config: { access: 'portal.self.use' } },
    async (request) => {
      await surveys.submit(request.ctx, request.params.id, request.body);
      return { ok: true as const };
    },
  );
}
