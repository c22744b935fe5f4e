import { AnswerFeedbackBody, Feedback, FeedbackListQuery, FeedbackPage, FeedbackStats, IdParams, MyFeedbackQuery, SendFeedbackBody } from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { FeedbackService } from './feedback.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const manage = { access: 'service_desk.feedback.manage' as const };
const send = { access: 'service_desk.feedback.send' as const };

/** Feedback about the system: anyone signed in with the right sends it; administrators triage and answer. */
export function feedbackRoutes(app: App, deps: { feedback: FeedbackService }) {
  const { feedback } = deps;
  const tags = ['service-desk'];

  app.post('/api/feedback', { schema: { tags, summary: 'Send feedback about the system (console or portal)', body: SendFeedbackBody, response: { 201: Feedback, ...problemResponses } }, config: send }, async (request, reply) =>
    reply.code(201).send(await feedback.send(request.ctx, request.body)),
  );
  app.get('/api/feedback/mine', { schema: { tags, summary: 'My feedback and the answers to it, newest first', querystring: MyFeedbackQuery, response: r(FeedbackPage) }, config: send }, (request) => feedback.mine(request.ctx, request.query));
  app.get('/api/feedback/stats', { schema: { tags, summary: 'Counts by category and state in the caller’s scope', response: r(FeedbackStats) }, config: manage }, (request) => feedback.stats(request.ctx));
  app.get('/api/feedback', { schema: { tags, summary: 'Feedback to triage, newest first', querystring: FeedbackListQuery, response: r(FeedbackPage) }, config: manage }, (request) => feedback.list(request.ctx, request.query));
  app.get('/api/feedback/:id', { schema: { tags, summary: 'One feedback item (its sender or a triager)', params: IdParams, response: r(Feedback) }, config: send }, (request) => feedback.get(request.ctx, request.params.id));
  app.post('/api/feedback/:id/triage', { schema: { tags, summary: 'Take a new item into triage', params: IdParams, response: r(Feedback) }, config: manage }, (request) => feedback.triage(request.ctx, request.params.id));
  app.post('/api/feedback/:id/answer', { schema: { tags, summary: 'Answer the sender (notified in the app)', params: IdParams, body: AnswerFeedbackBody, response: r(Feedback) }, config: manage }, (request) =>
    feedback.answer(request.ctx, request.params.id, request.body),
  );
  app.post('/api/feedback/:id/close', { schema: { tags, summary: 'Close the item', params: IdParams, response: r(Feedback) }, config: manage }, (request) => feedback.close(request.ctx, request.params.id));
}
