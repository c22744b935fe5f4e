import { Type } from '@sinclair/typebox';
import { SETTING_KEYS, SettingView, isSettingKey, type SettingKey } from '@courtyard/contracts';
import { notFound } from '../../core/http/errors.js';
import { problemResponses, type App } from '../../core/http/server.js';
import type { SettingsService } from './settings.service.js';

const KeyParams = Type.Object({ key: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
const ScopeQuery = Type.Object({ communityId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false });
const UpdateBody = Type.Object(
  {
    /** The fields to change; secret fields: omit or '' to keep, null to clear. */
    value: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 }),
    communityId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

function settingKey(key: string): SettingKey {
  if (!isSettingKey(key)) throw notFound();
  return key;
}

export function settingsRoutes(app: App, deps: { settings: SettingsService }) {
  const tags = ['settings'];
  app.get(
    '/api/settings',
    { schema: { tags, summary: 'Every organisation setting (secrets never in clear)', response: { 200: Type.Object({ items: Type.Array(SettingView) }), ...problemResponses } }, config: { access: 'settings.system.read' } },
    async (request) => ({ items: await Promise.all(SETTING_KEYS.map((key) => deps.settings.view(request.ctx, key))) }),
  );
  app.get(
    '/api/settings/:key',
    { schema: { tags, params: KeyParams, querystring: ScopeQuery, response: { 200: SettingView, ...problemResponses } }, config: { access: 'settings.system.read' } },
    (request) => deps.settings.view(request.ctx, settingKey(request.params.key), request.query.communityId ?? null),
  );
  app.put(
    '/api/settings/:key',
    { schema: { tags, summary: 'Change a setting (audited)', params: KeyParams, body: UpdateBody, response: { 200: SettingView, ...problemResponses } }, config: { access: 'settings.system.read' } },
    (request) => deps.settings.update(request.ctx, settingKey(request.params.key), request.body.value, request.body.communityId ?? null),
  );
  app.delete(
    '/api/settings/:key',
    { schema: { tags, summary: "Remove a community's override", params: KeyParams, querystring: Type.Object({ communityId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: SettingView, ...problemResponses } }, config: { access: 'settings.system.read' } },
    (request) => deps.settings.clearOverride(request.ctx, settingKey(request.params.key), request.query.communityId),
  );
}
