import { Community, CommunityList, IdParams } from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { PropertiesService } from './properties.service.js';

export function propertiesRoutes(app: App, deps: { properties: PropertiesService }) {
  const tags = ['properties'];
  app.get('/api/communities', { schema: { tags, summary: 'Communities in my scope', response: { 200: CommunityList, ...problemResponses } }, config: { access: 'properties.community.read' } }, async (request) => ({
    items: await deps.properties.listCommunities(request.ctx),
  }));
  app.get('/api/communities/:id', { schema: { tags, params: IdParams, response: { 200: Community, ...problemResponses } }, config: { access: 'properties.community.read' } }, (request) =>
    deps.properties.getCommunity(request.ctx, request.params.id),
  );
}
