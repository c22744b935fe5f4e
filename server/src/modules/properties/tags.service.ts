import type { CreateTagBody, Tag, TaggingBody, TaggingResult } from '@courtyard/contracts';
import type { Exec, Tx } from '../../core/db/schema.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import * as repo from './properties.repository.js';
import type { PropertiesDeps } from './properties.deps.js';
import type { TaggedEntity } from './properties.tables.js';

/**
 * Organisation-wide tags, created at start-up (idempotent). `renovating` is kept by renovations
 * (on while the works are under way); `arrears` is derived by billing through `setDerivedTag`.
 * The others are applied by staff.
 */
export const SYSTEM_TAGS = [
  { code: 'special_needs', name: '特殊需求', kind: 'system', color: '#fa8c16' },
  { code: 'renovating', name: '装修中', kind: 'system', color: '#1677ff' },
  { code: 'accessibility', name: '无障碍设施需求', kind: 'system', color: '#13c2c2' },
  { code: 'living_alone_elderly', name: '独居老人', kind: 'system', color: '#eb2f96' },
  { code: 'arrears', name: '欠费', kind: 'derived', color: '#f5222d' },
] as const;
export type SystemTagCode = (typeof SYSTEM_TAGS)[number]['code'];
/** System tags that only the system sets: applying them by hand would contradict the record. */
const MANAGED_CODES: ReadonlySet<string> = new Set(['renovating']);
const DEFAULT_FREE_COLOR = '#8c8c8c';

/**
 * Properties knows no persons: the people module registers how to find a person's community
 * (inversion, like files' owner types), so tagging persons can be scope-checked here.
 */
export interface Taggable {
  /** The community of each existing entity; ids that do not exist are absent from the map. */
  communityOf(exec: Exec, ids: readonly string[]): Promise<Map<string, string>>;
}

export interface TagsService {
  ensureSystemTags(): Promise<void>;
  registerTaggable(type: TaggedEntity, def: Taggable): void;
  hasTaggable(type: TaggedEntity): boolean;
  /** The community of each entity of a registered type (rooms built in). */
  communitiesOf(exec: Exec, type: TaggedEntity, ids: readonly string[]): Promise<Map<string, string>>;
  listTags(ctx: RequestContext, communityId: string | undefined): Promise<Tag[]>;
  createTag(ctx: RequestContext, body: CreateTagBody): Promise<Tag>;
  deleteTag(ctx: RequestContext, id: string): Promise<void>;
  applyTag(ctx: RequestContext, tagId: string, body: TaggingBody): Promise<TaggingResult>;
  removeTag(ctx: RequestContext, tagId: string, body: TaggingBody): Promise<TaggingResult>;
  /** Every id gets an entry (empty when untagged). No scope check: for other modules' views. */
  tagsOf(exec: Exec, type: TaggedEntity, ids: readonly string[]): Promise<Map<string, Tag[]>>;
  /** Derived tags (欠费) are set only by the module that derives them (billing); audited when it changes anything. */
  setDerivedTag(tx: Tx, ctx: RequestContext, code: string, type: TaggedEntity, entityId: string, on: boolean): Promise<void>;
  /** Internal: the system-maintained `renovating` tag on a room. */
  setManagedTag(tx: Tx, ctx: RequestContext, code: SystemTagCode, type: TaggedEntity, entityId: string, communityId: string, on: boolean): Promise<boolean>;
}

export const tagView = (r: repo.TagRow): Tag => ({ id: r.id, communityId: r.community_id, code: r.code, name: r.name, kind: r.kind, color: r.color });

export function createTagsService(deps: PropertiesDeps): TagsService {
  const now = () => deps.clock.now().toISOString();
  const taggables = new Map<TaggedEntity, Taggable>([['room', { communityOf: (exec, ids) => repo.rooms.communitiesOf(exec, ids) }]]);

  const communitiesOf = (exec: Exec, type: TaggedEntity, ids: readonly string[]) => {
    const def = taggables.get(type);
    if (!def) throw invalid('/body/entityType', `${type} cannot be tagged (not registered)`, `${type} 不能加标签（未登记）`);
    return def.communityOf(exec, ids);
  };

  /** Adds or removes one tagging; true when something changed. */
  async function toggle(tx: Tx, ctx: RequestContext, tag: repo.TagRow, type: TaggedEntity, entityId: string, communityId: string, on: boolean) {
    const present = (await repo.tags.taggedAmong(tx, tag.id, type, [entityId])).size > 0;
    if (present === on) return false;
    if (on) await repo.tags.insertTaggings(tx, [{ tag_id: tag.id, entity_type: type, entity_id: entityId, community_id: communityId, created_by: ctx.actor.userId, created_at: now() }]);
    else await repo.tags.deleteTaggings(tx, tag.id, type, [entityId]);
    return true;
  }

  async function bulk(ctx: RequestContext, tagId: string, body: TaggingBody, on: boolean): Promise<TaggingResult> {
    return deps.db.transaction().execute(async (tx) => {
      const tag = await repo.tags.byId(tx, tagId);
      if (!tag) throw notFound();
      if (tag.community_id !== null) assertCan(ctx, 'properties.tag.manage', tag.community_id);
      if (tag.kind === 'derived' || (tag.code !== null && MANAGED_CODES.has(tag.code))) throw new AppError('properties.tag.not_manual');
      const ids = [...new Set(body.entityIds)];
      const owners = await communitiesOf(tx, body.entityType, ids);
      // Every entity must be in the caller's scope, or the whole call fails before anything is written.
      const communities = new Set(owners.values());
      for (const communityId of communities) assertCan(ctx, 'properties.tag.manage', communityId);
      const unknown = ids.filter((id) => !owners.has(id));
      if (unknown.length) {
        const listed = `${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` (+${unknown.length - 5})` : ''}`;
        throw invalid('/body/entityIds', `not found: ${listed}`, `未找到：${listed}`);
      }
      if (tag.community_id !== null && [...communities].some((c) => c !== tag.community_id)) {
        throw invalid('/body/entityIds', "a community's own tag applies only to that community's rooms and persons", '小区自有标签只能用于本小区的房屋和人员');
      }
      const already = await repo.tags.taggedAmong(tx, tag.id, body.entityType, ids);
      let changed: number;
      if (on) {
        const at = now();
        const rows = ids
          .filter((id) => !already.has(id))
          .map((id) => ({ tag_id: tag.id, entity_type: body.entityType, entity_id: id, community_id: owners.get(id)!, created_by: ctx.actor.userId, created_at: at }));
        await repo.tags.insertTaggings(tx, rows);
        changed = rows.length;
      } else {
        changed = await repo.tags.deleteTaggings(tx, tag.id, body.entityType, [...already]);
      }
      // One audit entry per batch, with counts (bulk rule); the community when the batch has one.
      const communityList = [...communities].sort();
      await deps.audit.record(tx, ctx, {
        action: on ? 'properties.tag.apply' : 'properties.tag.remove',
        entityType: 'tag',
        entityId: tag.id,
        communityId: communityList.length === 1 ? communityList[0]! : tag.community_id,
        after: { tag: tag.name, entityType: body.entityType, requested: ids.length, changed, communities: communityList },
      });
      return { tagId: tag.id, entityType: body.entityType, requested: ids.length, changed };
    });
  }

  return {
    async ensureSystemTags() {
      const at = now();
      for (const t of SYSTEM_TAGS) {
        const existing = await repo.tags.byCode(deps.db, t.code);
        if (!existing) {
          // Another process starting at the same time may insert it first: the unique code settles it.
          await deps.db
            .insertInto('tags')
            .values({ id: deps.ids(), community_id: null, code: t.code, name: t.name, kind: t.kind, color: t.color, created_at: at })
            .onConflict((oc) => oc.column('code').doNothing())
            .execute();
        } else if (existing.name !== t.name || existing.kind !== t.kind) {
          await repo.tags.update(deps.db, existing.id, { name: t.name, kind: t.kind });
        }
      }
    },
    registerTaggable(type, def) {
      if (taggables.has(type)) throw new Error(`taggable ${type} is already registered`);
      taggables.set(type, def);
    },
    hasTaggable: (type) => taggables.has(type),
    communitiesOf,
    async listTags(ctx, communityId) {
      if (communityId) {
        assertCan(ctx, 'properties.room.read', communityId);
        return (await repo.tags.list(deps.db, [communityId])).map(tagView);
      }
      return (await repo.tags.list(deps.db, scopeOf(ctx, 'properties.room.read'))).map(tagView);
    },
    async createTag(ctx, body) {
      assertCan(ctx, 'properties.tag.manage', body.communityId);
      const name = body.name.trim();
      if (!name) throw invalid('/body/name', 'must not be blank', '不能为空');
      return deps.db.transaction().execute(async (tx) => {
        if (!(await repo.communities.byId(tx, body.communityId))) throw invalid('/body/communityId', 'unknown community', '小区不存在');
        if (await repo.tags.byName(tx, body.communityId, name)) throw new AppError('properties.tag.name_taken', [fieldError('/body/name', 'a tag with this name exists', '已有同名标签')]);
        const row = { id: deps.ids(), community_id: body.communityId, code: null, name, kind: 'free' as const, color: body.color ?? DEFAULT_FREE_COLOR, created_at: now() };
        await repo.tags.insert(tx, row);
        await deps.audit.record(tx, ctx, { action: 'properties.tag.create', entityType: 'tag', entityId: row.id, communityId: row.community_id, after: tagView(row) });
        return tagView(row);
      });
    },
    async deleteTag(ctx, id) {
      await deps.db.transaction().execute(async (tx) => {
        const tag = await repo.tags.byId(tx, id);
        if (!tag) throw notFound();
        if (tag.community_id !== null) assertCan(ctx, 'properties.tag.manage', tag.community_id);
        if (tag.kind !== 'free') throw new AppError('properties.tag.not_free');
        const untagged = await repo.tags.remove(tx, id);
        await deps.audit.record(tx, ctx, { action: 'properties.tag.delete', entityType: 'tag', entityId: id, communityId: tag.community_id, before: { ...tagView(tag), taggings: untagged } });
      });
    },
    applyTag: (ctx, tagId, body) => bulk(ctx, tagId, body, true),
    removeTag: (ctx, tagId, body) => bulk(ctx, tagId, body, false),
    async tagsOf(exec, type, ids) {
      const out = new Map<string, Tag[]>(ids.map((id) => [id, []]));
      for (const { entity_id, tag } of await repo.tags.of(exec, type, ids)) out.get(entity_id)?.push(tagView(tag));
      return out;
    },
    async setDerivedTag(tx, ctx, code, type, entityId, on) {
      const tag = await repo.tags.byCode(tx, code);
      if (!tag || tag.kind !== 'derived') throw new Error(`${code} is not a derived tag`);
      const communityId = (await communitiesOf(tx, type, [entityId])).get(entityId);
      if (!communityId) throw notFound();
      if (await toggle(tx, ctx, tag, type, entityId, communityId, on)) {
        await deps.audit.record(tx, ctx, { action: 'properties.tag.derived', entityType: type, entityId, communityId, after: { tag: tag.code, on } });
      }
    },
    async setManagedTag(tx, ctx, code, type, entityId, communityId, on) {
      const tag = await repo.tags.byCode(tx, code);
      if (!tag) throw new Error(`system tag ${code} is missing (ensureSystemTags not run)`);
      return toggle(tx, ctx, tag, type, entityId, communityId, on);
    },
  };
}
