import {
  CreatedWebhookEndpoint,
  CreateWebhookEndpointBody,
  IdParams,
  Ok,
  UpdateWebhookEndpointBody,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookDeliveryListQuery,
  WebhookDeliveryPage,
  WebhookEndpoint,
  WebhookEndpointList,
  WebhookEventTypeList,
  WebhookSecret,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { WebhooksService } from './webhooks.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });

export function webhooksRoutes(app: App, deps: { webhooks: WebhooksService }) {
  const { webhooks } = deps;
  const tags = ['webhooks'];
  const config = { access: 'webhooks.endpoint.manage' as const };

  app.get('/api/webhooks/event-types', { schema: { tags, summary: 'Event types an endpoint can subscribe to', response: r(WebhookEventTypeList) }, config }, (request) => ({
    items: webhooks.eventTypes(request.ctx),
  }));
  app.get('/api/webhooks', { schema: { tags, summary: 'Webhook endpoints', response: r(WebhookEndpointList) }, config }, async (request) => ({
    items: await webhooks.list(request.ctx),
  }));
  app.post(
    '/api/webhooks',
    { schema: { tags, summary: 'Register an endpoint; the signing secret is returned only in this response', body: CreateWebhookEndpointBody, response: r(CreatedWebhookEndpoint) }, config },
    (request) => webhooks.create(request.ctx, request.body),
  );
  app.get('/api/webhooks/:id', { schema: { tags, summary: 'One endpoint (never its secret)', params: IdParams, response: r(WebhookEndpoint) }, config }, (request) =>
    webhooks.get(request.ctx, request.params.id),
  );
  app.patch('/api/webhooks/:id', { schema: { tags, summary: 'Change name, URL or event types', params: IdParams, body: UpdateWebhookEndpointBody, response: r(WebhookEndpoint) }, config }, (request) =>
    webhooks.update(request.ctx, request.params.id, request.body),
  );
  app.post('/api/webhooks/:id/disable', { schema: { tags, summary: 'Stop deliveries to the endpoint', params: IdParams, response: r(WebhookEndpoint) }, config }, (request) =>
    webhooks.setActive(request.ctx, request.params.id, false),
  );
  app.post('/api/webhooks/:id/enable', { schema: { tags, summary: 'Resume deliveries to the endpoint', params: IdParams, response: r(WebhookEndpoint) }, config }, (request) =>
    webhooks.setActive(request.ctx, request.params.id, true),
  );
  app.delete('/api/webhooks/:id', { schema: { tags, summary: 'Delete the endpoint with its delivery log', params: IdParams, response: r(Ok) }, config }, async (request) => {
    await webhooks.remove(request.ctx, request.params.id);
    return { ok: true as const };
  });
  app.post(
    '/api/webhooks/:id/rotate-secret',
    { schema: { tags, summary: 'Replace the signing secret; the new one is returned only in this response', params: IdParams, response: r(WebhookSecret) }, config },
    (request) => webhooks.rotateSecret(request.ctx, request.params.id),
  );
  app.post('/api/webhooks/:id/test', { schema: { tags, summary: 'Send a webhooks.ping event to this endpoint only', params: IdParams, response: r(WebhookDelivery) }, config }, (request) =>
    webhooks.sendTest(request.ctx, request.params.id),
  );
  app.get(
    '/api/webhooks/:id/deliveries',
    { schema: { tags, summary: 'Deliveries to the endpoint, newest first', params: IdParams, querystring: WebhookDeliveryListQuery, response: r(WebhookDeliveryPage) }, config },
    (request) => webhooks.listDeliveries(request.ctx, request.params.id, request.query),
  );
  app.get('/api/webhooks/deliveries/:id', { schema: { tags, summary: 'One delivery with every attempt', params: IdParams, response: r(WebhookDeliveryDetail) }, config }, (request) =>
    webhooks.getDelivery(request.ctx, request.params.id),
  );
  app.post(
    '/api/webhooks/deliveries/:id/replay',
    { schema: { tags, summary: 'Deliver the same event again, freshly signed, as a new delivery', params: IdParams, response: r(WebhookDelivery) }, config },
    (request) => webhooks.replay(request.ctx, request.params.id),
  );
}
