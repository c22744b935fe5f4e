import {
  Building,
  BuildingList,
  BuildingListQuery,
  Community,
  CommunityList,
  CreateBuildingBody,
  CreateCommunityBody,
  CreateParkingLotBody,
  CreateParkingSpaceBody,
  CreateRenovationBody,
  CreateRoomBody,
  CreateTagBody,
  CreateUnitBody,
  IdParams,
  Ok,
  ParkingLot,
  ParkingLotList,
  ParkingLotListQuery,
  ParkingSpaceListQuery,
  ParkingSpacePage,
  ParkingSpaceRow,
  PropertyTree,
  Renovation,
  RenovationDepositBody,
  RenovationInspectBody,
  RenovationListQuery,
  RenovationNoteBody,
  RenovationPage,
  RenovationRejectBody,
  Room,
  RoomDetail,
  RoomListQuery,
  RoomPage,
  Tag,
  TaggingBody,
  TaggingResult,
  TagList,
  TagListQuery,
  Unit,
  UnitList,
  UnitListQuery,
  UpdateBuildingBody,
  UpdateCommunityBody,
  UpdateParkingLotBody,
  UpdateParkingSpaceBody,
  UpdateRoomBody,
  UpdateUnitBody,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { PropertiesService } from './properties.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const READ = { access: 'properties.room.read' as const };
const MANAGE = { access: 'properties.room.manage' as const };
const TAGS = { access: 'properties.tag.manage' as const };
const RENOVATE = { access: 'properties.renovation.manage' as const };

export function propertiesRoutes(app: App, deps: { properties: PropertiesService }) {
  const p = deps.properties;
  const tags = ['properties'];

  // ---- communities
  app.get('/api/communities', { schema: { tags, summary: 'Communities in my scope', response: r(CommunityList) }, config: { access: 'properties.community.read' } }, async (request) => ({
    items: await p.listCommunities(request.ctx),
  }));
  app.get('/api/communities/:id', { schema: { tags, params: IdParams, response: r(Community) }, config: { access: 'properties.community.read' } }, (request) => p.getCommunity(request.ctx, request.params.id));
  app.post('/api/communities', { schema: { tags, summary: 'Create a community (all-communities managers only)', body: CreateCommunityBody, response: r(Community) }, config: { access: 'properties.community.manage' } }, (request) =>
    p.registerCommunity(request.ctx, request.body),
  );
  app.patch('/api/communities/:id', { schema: { tags, summary: 'Edit a community', params: IdParams, body: UpdateCommunityBody, response: r(Community) }, config: { access: 'properties.community.manage' } }, (request) =>
    p.updateCommunity(request.ctx, request.params.id, request.body),
  );
  app.get('/api/communities/:id/tree', { schema: { tags, summary: 'Buildings → units → rooms of a community', params: IdParams, response: r(PropertyTree) }, config: READ }, (request) =>
    p.tree(request.ctx, request.params.id),
  );

  // ---- buildings and units
  app.get('/api/buildings', { schema: { tags, summary: 'Buildings of a community', querystring: BuildingListQuery, response: r(BuildingList) }, config: READ }, async (request) => ({
    items: await p.listBuildings(request.ctx, request.query.communityId),
  }));
  app.post('/api/buildings', { schema: { tags, body: CreateBuildingBody, response: r(Building) }, config: MANAGE }, (request) => p.createBuilding(request.ctx, request.body));
  app.patch('/api/buildings/:id', { schema: { tags, summary: 'Edit a building; a new code renames its rooms', params: IdParams, body: UpdateBuildingBody, response: r(Building) }, config: MANAGE }, (request) =>
    p.updateBuilding(request.ctx, request.params.id, request.body),
  );
  app.delete('/api/buildings/:id', { schema: { tags, summary: 'Delete a building without units', params: IdParams, response: r(Ok) }, config: MANAGE }, async (request) => {
    await p.deleteBuilding(request.ctx, request.params.id);
    return { ok: true as const };
  });
  app.get('/api/units', { schema: { tags, summary: 'Units of a building', querystring: UnitListQuery, response: r(UnitList) }, config: READ }, async (request) => ({
    items: await p.listUnits(request.ctx, request.query.buildingId),
  }));
  app.post('/api/units', { schema: { tags, body: CreateUnitBody, response: r(Unit) }, config: MANAGE }, (request) => p.createUnit(request.ctx, request.body));
  app.patch('/api/units/:id', { schema: { tags, summary: 'Edit a unit; a new code renames its rooms', params: IdParams, body: UpdateUnitBody, response: r(Unit) }, config: MANAGE }, (request) =>
    p.updateUnit(request.ctx, request.params.id, request.body),
  );
  app.delete('/api/units/:id', { schema: { tags, summary: 'Delete a unit without rooms', params: IdParams, response: r(Ok) }, config: MANAGE }, async (request) => {
    await p.deleteUnit(request.ctx, request.params.id);
    return { ok: true as const };
  });

  // ---- rooms
  app.get('/api/rooms', { schema: { tags, summary: 'Rooms ordered by code', querystring: RoomListQuery, response: r(RoomPage) }, config: READ }, (request) => p.listRooms(request.ctx, request.query));
  app.get('/api/rooms/:id', { schema: { tags, summary: 'A room with its community, building, unit names and tags', params: IdParams, response: r(RoomDetail) }, config: READ }, (request) =>
    p.getRoom(request.ctx, request.params.id),
  );
  app.post('/api/rooms', { schema: { tags, body: CreateRoomBody, response: r(Room) }, config: MANAGE }, (request) => p.createRoom(request.ctx, request.body));
  app.patch('/api/rooms/:id', { schema: { tags, params: IdParams, body: UpdateRoomBody, response: r(Room) }, config: MANAGE }, (request) => p.updateRoom(request.ctx, request.params.id, request.body));

  // ---- parking
  app.get('/api/parking-lots', { schema: { tags, summary: 'Parking lots of a community', querystring: ParkingLotListQuery, response: r(ParkingLotList) }, config: READ }, async (request) => ({
    items: await p.listParkingLots(request.ctx, request.query.communityId),
  }));
  app.post('/api/parking-lots', { schema: { tags, body: CreateParkingLotBody, response: r(ParkingLot) }, config: MANAGE }, (request) => p.createParkingLot(request.ctx, request.body));
  app.patch('/api/parking-lots/:id', { schema: { tags, params: IdParams, body: UpdateParkingLotBody, response: r(ParkingLot) }, config: MANAGE }, (request) =>
    p.updateParkingLot(request.ctx, request.params.id, request.body),
  );
  app.get('/api/parking-spaces', { schema: { tags, summary: 'Parking spaces ordered by lot and number', querystring: ParkingSpaceListQuery, response: r(ParkingSpacePage) }, config: READ }, (request) =>
    p.listParkingSpaces(request.ctx, request.query),
  );
  app.post('/api/parking-spaces', { schema: { tags, body: CreateParkingSpaceBody, response: r(ParkingSpaceRow) }, config: MANAGE }, (request) => p.createParkingSpace(request.ctx, request.body));
  app.patch('/api/parking-spaces/:id', { schema: { tags, params: IdParams, body: UpdateParkingSpaceBody, response: r(ParkingSpaceRow) }, config: MANAGE }, (request) =>
    p.updateParkingSpace(request.ctx, request.params.id, request.body),
  );

  // ---- tags
  app.get('/api/tags', { schema: { tags, summary: 'System and derived tags plus the community’s free tags', querystring: TagListQuery, response: r(TagList) }, config: READ }, async (request) => ({
    items: await p.listTags(request.ctx, request.query.communityId),
  }));
  app.post('/api/tags', { schema: { tags, summary: 'Create a free tag of a community', body: CreateTagBody, response: r(Tag) }, config: TAGS }, (request) => p.createTag(request.ctx, request.body));
  app.delete('/api/tags/:id', { schema: { tags, summary: 'Delete a free tag and its taggings', params: IdParams, response: r(Ok) }, config: TAGS }, async (request) => {
    await p.deleteTag(request.ctx, request.params.id);
    return { ok: true as const };
  });
  app.post('/api/tags/:id/apply', { schema: { tags, summary: 'Tag up to 1000 rooms or persons (all in scope, or nothing is written)', params: IdParams, body: TaggingBody, response: r(TaggingResult) }, config: TAGS }, (request) =>
    p.applyTag(request.ctx, request.params.id, request.body),
  );
  app.post('/api/tags/:id/remove', { schema: { tags, summary: 'Untag up to 1000 rooms or persons', params: IdParams, body: TaggingBody, response: r(TaggingResult) }, config: TAGS }, (request) =>
    p.removeTag(request.ctx, request.params.id, request.body),
  );

  // ---- renovations (装修申请)
  app.get('/api/renovations', { schema: { tags, summary: 'Renovation applications, newest first', querystring: RenovationListQuery, response: r(RenovationPage) }, config: READ }, (request) =>
    p.listRenovations(request.ctx, request.query),
  );
  app.get('/api/renovations/:id', { schema: { tags, params: IdParams, response: r(Renovation) }, config: READ }, (request) => p.getRenovation(request.ctx, request.params.id));
  app.post('/api/renovations', { schema: { tags, summary: 'Register a renovation application', body: CreateRenovationBody, response: r(Renovation) }, config: RENOVATE }, (request) =>
    p.createRenovation(request.ctx, request.body),
  );
  const step = (action: 'approve' | 'cancel', summary: string) =>
    app.post(`/api/renovations/:id/${action}`, { schema: { tags, summary, params: IdParams, body: RenovationNoteBody, response: r(Renovation) }, config: RENOVATE }, (request) =>
      p.transitionRenovation(request.ctx, request.params.id, action, request.body),
    );
  step('approve', 'submitted → approved');
  step('cancel', 'submitted | approved → cancelled');
  app.post('/api/renovations/:id/reject', { schema: { tags, summary: 'submitted → rejected (note required)', params: IdParams, body: RenovationRejectBody, response: r(Renovation) }, config: RENOVATE }, (request) =>
    p.transitionRenovation(request.ctx, request.params.id, 'reject', request.body),
  );
  app.post('/api/renovations/:id/start', { schema: { tags, summary: 'approved → in_progress (room becomes renovating)', params: IdParams, response: r(Renovation) }, config: RENOVATE }, (request) =>
    p.transitionRenovation(request.ctx, request.params.id, 'start'),
  );
  app.post(
    '/api/renovations/:id/inspect',
    { schema: { tags, summary: 'in_progress | failed_inspection → completed (passed) or failed_inspection', params: IdParams, body: RenovationInspectBody, response: r(Renovation) }, config: RENOVATE },
    (request) => p.transitionRenovation(request.ctx, request.params.id, 'inspect', request.body),
  );
  app.post('/api/renovations/:id/deposit', { schema: { tags, summary: 'Record the deposit: collected, released or forfeited', params: IdParams, body: RenovationDepositBody, response: r(Renovation) }, config: RENOVATE }, (request) =>
    p.setRenovationDeposit(request.ctx, request.params.id, request.body),
  );
}
