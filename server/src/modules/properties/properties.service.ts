import type { Community } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { Events } from '../../core/events/outbox.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './properties.repository.js';
import type { ParkingSpaceState, RoomState, RoomUse } from './properties.tables.js';
import { areaDm2, areaText } from './area.js';

export interface NewCommunity {
  code: string;
  name: string;
  address: string;
  type: Community['type'];
  phone?: string | null;
  totalArea?: string | null;
  greenArea?: string | null;
  managerUserId?: string | null;
}

export interface PropertiesService {
  listCommunities(ctx: RequestContext): Promise<Community[]>;
  getCommunity(ctx: RequestContext, id: string): Promise<Community>;
  createCommunity(tx: Tx, ctx: RequestContext, input: NewCommunity): Promise<string>;
  communityIdByCode(code: string): Promise<string | undefined>;
  communityExists(exec: Exec, id: string): Promise<boolean>;
  /** For other modules (people, billing, service desk): a room's identity and community, no scope check. */
  roomRef(exec: Exec, id: string): Promise<RoomRef | undefined>;
  parkingSpaceRef(exec: Exec, id: string): Promise<ParkingSpaceRef | undefined>;
  /** Room state follows occupancy (vacant → occupied on move-in); audited in the caller's transaction. */
  setRoomState(tx: Tx, ctx: RequestContext, roomId: string, state: RoomState): Promise<void>;
  setParkingSpaceState(tx: Tx, ctx: RequestContext, id: string, state: ParkingSpaceState): Promise<void>;
}

export interface RoomRef {
  id: string;
  communityId: string;
  code: string;
  state: RoomState;
  use: RoomUse;
}
export interface ParkingSpaceRef {
  id: string;
  communityId: string;
  number: string;
  state: ParkingSpaceState;
}

const view = (r: repo.CommunityRow): Community => ({
  id: r.id,
  code: r.code,
  name: r.name,
  address: r.address,
  type: r.type,
  phone: r.phone,
  totalArea: r.total_area_dm2 === null ? null : areaText(r.total_area_dm2),
  greenArea: r.green_area_dm2 === null ? null : areaText(r.green_area_dm2),
  managerUserId: r.manager_user_id,
  createdAt: r.created_at,
});

/** Communities (小区/项目): the data-scope key of everything operational. Issue #4 grows the registry. */
export function createPropertiesService(deps: { db: Db; clock: Clock; ids: IdGenerator; audit: AuditService; events: Events }): PropertiesService {
  return {
    async listCommunities(ctx) {
      return (await repo.communities.list(deps.db, scopeOf(ctx, 'properties.community.read'))).map(view);
    },
    async getCommunity(ctx, id) {
      const row = await repo.communities.byId(deps.db, id);
      if (!row) throw notFound();
      // A manager of community A gets "out of scope" for B, never B's data.
      assertCan(ctx, 'properties.community.read', row.id);
      return view(row);
    },
    async createCommunity(tx, ctx, input) {
      assertCan(ctx, 'properties.community.manage');
      const id = deps.ids();
      const at = deps.clock.now().toISOString();
      const row = {
        id,
        code: input.code,
        name: input.name,
        address: input.address,
        type: input.type,
        phone: input.phone ?? null,
        total_area_dm2: input.totalArea ? areaDm2(input.totalArea) : null,
        green_area_dm2: input.greenArea ? areaDm2(input.greenArea) : null,
        manager_user_id: input.managerUserId ?? null,
        created_at: at,
        updated_at: at,
      };
      await repo.communities.insert(tx, row);
      await deps.audit.record(tx, ctx, { action: 'properties.community.create', entityType: 'community', entityId: id, communityId: id, after: view(row) });
      await deps.events.emit(tx, { type: 'properties.community.created', payload: { communityId: id, code: row.code, name: row.name, type: row.type }, communityId: id });
      return id;
    },
    async communityIdByCode(code) {
      return (await repo.communities.byCode(deps.db, code))?.id;
    },
    async communityExists(exec, id) {
      return (await repo.communities.byId(exec, id)) !== undefined;
    },
    async roomRef(exec, id) {
      const r = await exec.selectFrom('rooms').select(['id', 'community_id', 'code', 'state', 'use']).where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, communityId: r.community_id, code: r.code, state: r.state, use: r.use };
    },
    async parkingSpaceRef(exec, id) {
      const r = await exec.selectFrom('parking_spaces').select(['id', 'community_id', 'number', 'state']).where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, communityId: r.community_id, number: r.number, state: r.state };
    },
    async setRoomState(tx, ctx, roomId, state) {
      const before = await tx.selectFrom('rooms').select(['state', 'community_id']).where('id', '=', roomId).executeTakeFirst();
      if (!before) throw notFound();
      if (before.state === state) return;
      await tx.updateTable('rooms').set({ state, updated_at: deps.clock.now().toISOString() }).where('id', '=', roomId).execute();
      await deps.audit.record(tx, ctx, { action: 'properties.room.state', entityType: 'room', entityId: roomId, communityId: before.community_id, before: { state: before.state }, after: { state } });
    },
    async setParkingSpaceState(tx, ctx, id, state) {
      const before = await tx.selectFrom('parking_spaces').select(['state', 'community_id']).where('id', '=', id).executeTakeFirst();
      if (!before) throw notFound();
      if (before.state === state) return;
      await tx.updateTable('parking_spaces').set({ state, updated_at: deps.clock.now().toISOString() }).where('id', '=', id).execute();
      await deps.audit.record(tx, ctx, { action: 'properties.parking_space.state', entityType: 'parking_space', entityId: id, communityId: before.community_id, before: { state: before.state }, after: { state } });
    },
  };
}
