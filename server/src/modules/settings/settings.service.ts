import { Value } from '@sinclair/typebox/value';
import { SETTINGS, type SettingKey, type SettingValue, type SettingView } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Db, Tx } from '../../core/db/schema.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { AppError, invalid } from '../../core/http/errors.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { schemaErrorFields } from '../../core/http/schema-errors.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './settings.repository.js';

type Fields = Record<string, unknown>;

export interface SettingsService {
  /** Effective value: community override → organisation value → catalogue default; secrets decrypted. */
  get<K extends SettingKey>(key: K, communityId?: string | null): Promise<SettingValue<K>>;
  /** Only what an administrator stored for the organisation (no defaults), or null. Cached briefly. */
  stored<K extends SettingKey>(key: K): Promise<Partial<SettingValue<K>> | null>;
  /** What the API shows: secrets blanked and listed in `secretsSet`. */
  view(ctx: RequestContext, key: SettingKey, communityId?: string | null): Promise<SettingView>;
  /**
   * Changes fields of a setting. A secret field left out (or sent as '') keeps its stored value;
   * null clears it. A community override may only be written for settings that allow one.
   */
  update(ctx: RequestContext, key: SettingKey, patch: Fields, communityId?: string | null): Promise<SettingView>;
  /** Removes a community's override so the organisation's value applies again. */
  clearOverride(ctx: RequestContext, key: SettingKey, communityId: string): Promise<SettingView>;
}

/** How long a process may serve a stored value before re-reading it (other processes' changes). */
const CACHE_MS = 5_000;

export function createSettingsService(deps: { db: Db; clock: Clock; audit: AuditService; cipher: FieldCipher }): SettingsService {
  const cache = new Map<string, { at: number; value: Fields | null }>();

  const secretNames = (key: SettingKey): readonly string[] => SETTINGS[key].secrets;

  function decode(row: repo.SettingRow | undefined): Fields | null {
    if (!row) return null;
    const value = JSON.parse(row.value_json) as Fields;
    const secrets = row.secrets_enc ? (JSON.parse(deps.cipher.decrypt(row.secrets_enc)) as Fields) : {};
    return { ...value, ...secrets };
  }

  async function layers(exec: Db | Tx, key: SettingKey, communityId: string | null) {
    const rows = await repo.settings.rows(exec, key, communityId);
    return {
      org: decode(rows.find((r) => r.scope === repo.ORG_SCOPE)),
      community: communityId ? decode(rows.find((r) => r.scope === communityId)) : null,
      rows,
    };
  }

  function toView(key: SettingKey, communityId: string | null, effective: Fields, own: repo.SettingRow | undefined): SettingView {
    const secrets = secretNames(key);
    const value = { ...effective };
    const secretsSet: string[] = [];
    for (const name of secrets) {
      if (typeof value[name] === 'string' && value[name] !== '') secretsSet.push(name);
      value[name] = '';
    }
    return { key, communityId, value, secretsSet, stored: own !== undefined, updatedAt: own?.updated_at ?? null };
  }

  /** What the audit trail keeps: secrets only as "changed" markers. */
  function redact(key: SettingKey, value: Fields | null): Fields | null {
    if (!value) return null;
    const out = { ...value };
    for (const name of secretNames(key)) if (name in out) out[name] = out[name] ? '***' : '';
    return out;
  }

  function checkScope(ctx: RequestContext, key: SettingKey, communityId: string | null) {
    if (communityId === null) {
      assertCan(ctx, 'settings.system.manage');
      return;
    }
    if (!SETTINGS[key].communityOverride) throw invalid('/body/communityId', 'this setting has no per-community value', '该设置不能按小区单独设置');
    assertCan(ctx, 'settings.community.manage', communityId);
  }

  const service: SettingsService = {
    async get(key, communityId = null) {
      const { org, community } = await layers(deps.db, key, SETTINGS[key].communityOverride ? communityId : null);
      return { ...SETTINGS[key].default, ...org, ...community };
    },

    async stored(key) {
      const hit = cache.get(key);
      const now = deps.clock.now().getTime();
      if (hit && now - hit.at < CACHE_MS) return hit.value as Partial<SettingValue<typeof key>> | null;
      const { org } = await layers(deps.db, key, null);
      cache.set(key, { at: now, value: org });
      return org as Partial<SettingValue<typeof key>> | null;
    },

    async view(ctx, key, communityId = null) {
      if (communityId) {
        if (!SETTINGS[key].communityOverride) throw invalid('/querystring/communityId', 'this setting has no per-community value', '该设置不能按小区单独设置');
        assertCan(ctx, 'settings.system.read', communityId);
      }
      const { org, community, rows } = await layers(deps.db, key, communityId);
      const own = rows.find((r) => r.scope === (communityId ?? repo.ORG_SCOPE));
      return toView(key, communityId, { ...SETTINGS[key].default, ...org, ...community }, own);
    },

    async update(ctx, key, patch, communityId = null) {
      checkScope(ctx, key, communityId);
      const definition = SETTINGS[key];
      const secrets = new Set(secretNames(key));
      return deps.db.transaction().execute(async (tx) => {
        const { org, community, rows } = await layers(tx, key, communityId);
        const own = communityId ? community : org;
        const inherited: Fields = { ...definition.default, ...(communityId ? org : null) };
        const next: Fields = { ...inherited, ...own };
        for (const [name, value] of Object.entries(patch)) {
          if (secrets.has(name) && (value === undefined || value === '')) continue; // keep the stored secret
          next[name] = secrets.has(name) && value === null ? '' : value;
        }
        const fields = schemaErrorFields(Value.Errors(definition.schema, next), '/body/value');
        if (fields.length) throw new AppError('request.invalid', fields);
        const plain: Fields = {};
        const hidden: Fields = {};
        for (const [name, value] of Object.entries(next)) (secrets.has(name) ? hidden : plain)[name] = value;
        const scope = communityId ?? repo.ORG_SCOPE;
        await repo.settings.upsert(tx, {
          key,
          scope,
          value_json: JSON.stringify(plain),
          secrets_enc: Object.values(hidden).some((v) => v !== '') ? deps.cipher.encrypt(JSON.stringify(hidden)) : null,
          updated_at: deps.clock.now().toISOString(),
          updated_by: ctx.actor.userId,
        });
        await deps.audit.record(tx, ctx, {
          action: 'settings.update',
          entityType: 'setting',
          entityId: key,
          communityId,
          before: redact(key, own),
          after: redact(key, next),
        });
        cache.delete(key);
        const written = (await repo.settings.rows(tx, key, communityId)).find((r) => r.scope === scope);
        return toView(key, communityId, { ...inherited, ...next }, written ?? rows[0]);
      });
    },

    async clearOverride(ctx, key, communityId) {
      checkScope(ctx, key, communityId);
      await deps.db.transaction().execute(async (tx) => {
        const { community } = await layers(tx, key, communityId);
        await repo.settings.remove(tx, key, communityId);
        await deps.audit.record(tx, ctx, { action: 'settings.clear_override', entityType: 'setting', entityId: key, communityId, before: redact(key, community) });
      });
      return service.view(ctx, key, communityId);
    },
  };
  return service;
}
