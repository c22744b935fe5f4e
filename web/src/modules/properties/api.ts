import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Building,
  Community,
  CreateBuildingBody,
  CreateCommunityBody,
  CreateParkingLotBody,
  CreateParkingSpaceBody,
  CreateRenovationBody,
  CreateRoomBody,
  CreateTagBody,
  CreateUnitBody,
  Occupancy,
  Ok,
  ParkingLot,
  ParkingSpace,
  ParkingSpaceRow,
  ParkingTenure,
  PropertyTree,
  Renovation,
  RenovationDepositBody,
  RenovationInspectBody,
  RenovationNoteBody,
  RenovationRejectBody,
  Room,
  RoomDetail,
  RoomState,
  RoomUse,
  Tag,
  TaggingBody,
  TaggingResult,
  Unit,
  UpdateBuildingBody,
  UpdateCommunityBody,
  UpdateParkingLotBody,
  UpdateParkingSpaceBody,
  UpdateRoomBody,
  UpdateUnitBody,
  Vehicle,
} from '@courtyard/contracts';
import { api, buildUrl, type Query } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

const id = (value: string) => encodeURIComponent(value);

// ---------------------------------------------------------------------------------------------
// Shapes the server adds around the contracts' entities (route table of issue 4)

export type ParkingLotKind = ParkingLot['kind'];
export type ParkingSpaceState = ParkingSpace['state'];
export type RenovationState = Renovation['state'];
export type DepositState = Renovation['depositState'];
export type TagKind = Tag['kind'];

export type { RoomDetail, ParkingSpaceRow };
export type CommunityBody = CreateCommunityBody;
export type BuildingBody = CreateBuildingBody;
export type BuildingPatch = UpdateBuildingBody;
export type UnitBody = CreateUnitBody;
export type UnitPatch = UpdateUnitBody;
export type RoomBody = CreateRoomBody;
export type RoomPatch = UpdateRoomBody;
export type ParkingLotBody = CreateParkingLotBody;
export type ParkingLotPatch = UpdateParkingLotBody;
export type ParkingSpaceBody = CreateParkingSpaceBody;
export type ParkingSpacePatch = UpdateParkingSpaceBody;
export type TagBody = CreateTagBody;
export type TaggedEntity = TaggingBody['entityType'];
export type RenovationBody = CreateRenovationBody;
/** A state change of a renovation application (routes `/api/renovations/:id/<action>`). */
export type RenovationAction =
  | ({ action: 'approve' } & RenovationNoteBody)
  | ({ action: 'reject' } & RenovationRejectBody)
  | { action: 'start' }
  | ({ action: 'inspect' } & RenovationInspectBody)
  | ({ action: 'cancel' } & RenovationNoteBody)
  | ({ action: 'deposit' } & RenovationDepositBody);

export interface RoomFilters {
  communityId?: string | undefined;
  buildingId?: string | undefined;
  unitId?: string | undefined;
  use?: RoomUse | undefined;
  state?: RoomState | undefined;
  tagId?: string | undefined;
  /** Room code prefix, e.g. "3-2". */
  q?: string | undefined;
}
export interface ParkingSpaceFilters {
  communityId?: string | undefined;
  parkingLotId?: string | undefined;
  tenure?: ParkingTenure | undefined;
  state?: ParkingSpaceState | undefined;
  q?: string | undefined;
}
export interface RenovationFilters {
  communityId?: string | undefined;
  state?: RenovationState | undefined;
  roomId?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Requests

/** Query keys of this module; mutations invalidate by prefix. */
export const propertiesKeys = {
  communities: ['communities'] as const,
  registry: ['registry'] as const,
  tree: (communityId: string) => ['registry', 'tree', communityId] as const,
  buildings: (communityId: string) => ['registry', 'buildings', communityId] as const,
  units: (buildingId: string) => ['registry', 'units', buildingId] as const,
  rooms: (filters: RoomFilters) => ['registry', 'rooms', filters] as const,
  room: (roomId: string) => ['registry', 'room', roomId] as const,
  roomOccupancies: (roomId: string) => ['registry', 'room-occupancies', roomId] as const,
  roomVehicles: (roomId: string) => ['registry', 'room-vehicles', roomId] as const,
  parkingLots: (communityId: string) => ['registry', 'parking-lots', communityId] as const,
  parkingSpaces: (filters: ParkingSpaceFilters) => ['registry', 'parking-spaces', filters] as const,
  tags: (communityId: string) => ['registry', 'tags', communityId] as const,
  renovations: (filters: RenovationFilters) => ['registry', 'renovations', filters] as const,
  renovation: (renovationId: string) => ['registry', 'renovation', renovationId] as const,
};

const PAGE = 50;

export const communitiesApi = {
  list: () => api.get<{ items: Community[] }>('/api/communities'),
  get: (communityId: string) => api.get<Community>(`/api/communities/${id(communityId)}`),
  create: (body: CommunityBody) => api.post<Community>('/api/communities', body),
  update: (communityId: string, body: UpdateCommunityBody) => api.patch<Community>(`/api/communities/${id(communityId)}`, body),
  tree: (communityId: string, signal?: AbortSignal) => api.get<PropertyTree>(`/api/communities/${id(communityId)}/tree`, undefined, { signal }),
};

export const buildingsApi = {
  list: (communityId: string) => api.get<{ items: Building[] }>('/api/buildings', { communityId }),
  create: (body: BuildingBody) => api.post<Building>('/api/buildings', body),
  update: (buildingId: string, body: BuildingPatch) => api.patch<Building>(`/api/buildings/${id(buildingId)}`, body),
  /** Only a building without units can go (registry rows are referenced by history). */
  remove: (buildingId: string) => api.delete<Ok>(`/api/buildings/${id(buildingId)}`),
};

export const unitsApi = {
  list: (buildingId: string) => api.get<{ items: Unit[] }>('/api/units', { buildingId }),
  create: (body: UnitBody) => api.post<Unit>('/api/units', body),
  update: (unitId: string, body: UnitPatch) => api.patch<Unit>(`/api/units/${id(unitId)}`, body),
  /** Only a unit without rooms can go. */
  remove: (unitId: string) => api.delete<Ok>(`/api/units/${id(unitId)}`),
};

export const roomsApi = {
  list: (filters: RoomFilters, cursor: string | undefined, signal?: AbortSignal, limit = PAGE) =>
    api.get<KeysetPage<Room>>('/api/rooms', { ...filters, cursor, limit }, { signal }),
  get: (roomId: string, signal?: AbortSignal) => api.get<RoomDetail>(`/api/rooms/${id(roomId)}`, undefined, { signal }),
  create: (body: RoomBody) => api.post<Room>('/api/rooms', body),
  update: (roomId: string, body: RoomPatch) => api.patch<Room>(`/api/rooms/${id(roomId)}`, body),
  /** People module: everyone who lived in the room, current and moved out. */
  occupancies: (roomId: string, signal?: AbortSignal) => api.get<{ items: Occupancy[] }>(`/api/rooms/${id(roomId)}/occupancies`, undefined, { signal }),
  /** People module: the household's vehicles. */
  vehicles: (roomId: string, signal?: AbortSignal) => api.get<KeysetPage<Vehicle>>('/api/vehicles', { roomId, limit: 100 }, { signal }),
};

export const parkingApi = {
  lots: (communityId: string) => api.get<{ items: ParkingLot[] }>('/api/parking-lots', { communityId }),
  createLot: (body: ParkingLotBody) => api.post<ParkingLot>('/api/parking-lots', body),
  updateLot: (lotId: string, body: ParkingLotPatch) => api.patch<ParkingLot>(`/api/parking-lots/${id(lotId)}`, body),
  spaces: (filters: ParkingSpaceFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<ParkingSpaceRow>>('/api/parking-spaces', { ...filters, cursor, limit: PAGE }, { signal }),
  createSpace: (body: ParkingSpaceBody) => api.post<ParkingSpace>('/api/parking-spaces', body),
  updateSpace: (spaceId: string, body: ParkingSpacePatch) => api.patch<ParkingSpace>(`/api/parking-spaces/${id(spaceId)}`, body),
};

export const tagsApi = {
  list: (communityId: string) => api.get<{ items: Tag[] }>('/api/tags', { communityId }),
  create: (body: TagBody) => api.post<Tag>('/api/tags', body),
  remove: (tagId: string) => api.delete<Ok>(`/api/tags/${id(tagId)}`),
  apply: (tagId: string, entityType: TaggedEntity, entityIds: string[]) => api.post<TaggingResult>(`/api/tags/${id(tagId)}/apply`, { entityType, entityIds }),
  unapply: (tagId: string, entityType: TaggedEntity, entityIds: string[]) => api.post<TaggingResult>(`/api/tags/${id(tagId)}/remove`, { entityType, entityIds }),
};

export const renovationsApi = {
  list: (filters: RenovationFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<Renovation>>('/api/renovations', { ...filters, cursor, limit: PAGE }, { signal }),
  get: (renovationId: string) => api.get<Renovation>(`/api/renovations/${id(renovationId)}`),
  create: (body: RenovationBody) => api.post<Renovation>('/api/renovations', body),
  act: (renovationId: string, change: RenovationAction) => {
    const { action, ...body } = change;
    return api.post<Renovation>(`/api/renovations/${id(renovationId)}/${action}`, body);
  },
};

/** Download address of an export (`/api/exports/<list>.<format>?<the list's filters>`), served by data-exchange. */
export function exportUrl(list: 'rooms' | 'parking-spaces' | 'renovations', format: 'xlsx' | 'csv', filters: Query): string {
  return buildUrl(`/api/exports/${list}.${format}`, filters);
}

// ---------------------------------------------------------------------------------------------
// Hooks

/** Communities the user may see (`properties.community.read`); used by scope pickers. */
export function useCommunities(enabled = true) {
  return useQuery({ queryKey: propertiesKeys.communities, queryFn: communitiesApi.list, enabled, staleTime: 5 * 60_000 });
}

export function useCommunityMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: propertiesKeys.communities });
  return {
    create: useMutation({ mutationFn: communitiesApi.create, onSuccess }),
    update: useMutation({ mutationFn: ({ communityId, body }: { communityId: string; body: UpdateCommunityBody }) => communitiesApi.update(communityId, body), onSuccess }),
  };
}

/** Buildings → units → rooms of one community, for the tree page and its 楼盘表 grid. */
export function usePropertyTree(communityId: string | undefined) {
  return useQuery({
    queryKey: propertiesKeys.tree(communityId ?? ''),
    queryFn: ({ signal }) => communitiesApi.tree(communityId ?? '', signal),
    enabled: !!communityId,
    placeholderData: keepPreviousData,
  });
}

export function useBuildings(communityId: string | undefined) {
  return useQuery({
    queryKey: propertiesKeys.buildings(communityId ?? ''),
    queryFn: () => buildingsApi.list(communityId ?? ''),
    enabled: !!communityId,
  });
}

export function useUnits(buildingId: string | undefined) {
  return useQuery({ queryKey: propertiesKeys.units(buildingId ?? ''), queryFn: () => unitsApi.list(buildingId ?? ''), enabled: !!buildingId });
}

/** Building, unit and room writes; every one refreshes the registry's cached lists and trees. */
export function useStructureMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: propertiesKeys.registry });
  return {
    createBuilding: useMutation({ mutationFn: buildingsApi.create, onSuccess }),
    updateBuilding: useMutation({ mutationFn: ({ buildingId, body }: { buildingId: string; body: BuildingPatch }) => buildingsApi.update(buildingId, body), onSuccess }),
    createUnit: useMutation({ mutationFn: unitsApi.create, onSuccess }),
    updateUnit: useMutation({ mutationFn: ({ unitId, body }: { unitId: string; body: UnitPatch }) => unitsApi.update(unitId, body), onSuccess }),
    removeBuilding: useMutation({ mutationFn: buildingsApi.remove, onSuccess }),
    removeUnit: useMutation({ mutationFn: unitsApi.remove, onSuccess }),
    createRoom: useMutation({ mutationFn: roomsApi.create, onSuccess }),
    updateRoom: useMutation({ mutationFn: ({ roomId, body }: { roomId: string; body: RoomPatch }) => roomsApi.update(roomId, body), onSuccess }),
  };
}

export function useRoom(roomId: string | undefined) {
  return useQuery({ queryKey: propertiesKeys.room(roomId ?? ''), queryFn: ({ signal }) => roomsApi.get(roomId ?? '', signal), enabled: !!roomId });
}

export function useRoomOccupancies(roomId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: propertiesKeys.roomOccupancies(roomId ?? ''),
    queryFn: ({ signal }) => roomsApi.occupancies(roomId ?? '', signal),
    enabled: !!roomId && enabled,
  });
}

export function useRoomVehicles(roomId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: propertiesKeys.roomVehicles(roomId ?? ''),
    queryFn: ({ signal }) => roomsApi.vehicles(roomId ?? '', signal),
    enabled: !!roomId && enabled,
  });
}

export function useParkingLots(communityId: string | undefined) {
  return useQuery({ queryKey: propertiesKeys.parkingLots(communityId ?? ''), queryFn: () => parkingApi.lots(communityId ?? ''), enabled: !!communityId });
}

export function useParkingMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: propertiesKeys.registry });
  return {
    createLot: useMutation({ mutationFn: parkingApi.createLot, onSuccess }),
    updateLot: useMutation({ mutationFn: ({ lotId, body }: { lotId: string; body: ParkingLotPatch }) => parkingApi.updateLot(lotId, body), onSuccess }),
    createSpace: useMutation({ mutationFn: parkingApi.createSpace, onSuccess }),
    updateSpace: useMutation({ mutationFn: ({ spaceId, body }: { spaceId: string; body: ParkingSpacePatch }) => parkingApi.updateSpace(spaceId, body), onSuccess }),
  };
}

/** System, derived and the community's free tags. */
export function useTags(communityId: string | undefined) {
  return useQuery({ queryKey: propertiesKeys.tags(communityId ?? ''), queryFn: () => tagsApi.list(communityId ?? ''), enabled: !!communityId });
}

export function useTagMutations() {
  const client = useQueryClient();
  // Tags show on rooms (and persons): refresh everything of the registry.
  const onSuccess = async () => {
    await client.invalidateQueries({ queryKey: propertiesKeys.registry });
    await client.invalidateQueries({ queryKey: ['people'] });
  };
  return {
    create: useMutation({ mutationFn: tagsApi.create, onSuccess }),
    remove: useMutation({ mutationFn: tagsApi.remove, onSuccess }),
    apply: useMutation({
      mutationFn: ({ tagId, entityType, entityIds }: { tagId: string; entityType: TaggedEntity; entityIds: string[] }) => tagsApi.apply(tagId, entityType, entityIds),
      onSuccess,
    }),
    unapply: useMutation({
      mutationFn: ({ tagId, entityType, entityIds }: { tagId: string; entityType: TaggedEntity; entityIds: string[] }) => tagsApi.unapply(tagId, entityType, entityIds),
      onSuccess,
    }),
  };
}

export function useRenovation(renovationId: string | undefined) {
  return useQuery({ queryKey: propertiesKeys.renovation(renovationId ?? ''), queryFn: () => renovationsApi.get(renovationId ?? ''), enabled: !!renovationId });
}

export function useRenovationMutations() {
  const client = useQueryClient();
  const onSuccess = () => client.invalidateQueries({ queryKey: propertiesKeys.registry });
  return {
    create: useMutation({ mutationFn: renovationsApi.create, onSuccess }),
    act: useMutation({ mutationFn: ({ renovationId, change }: { renovationId: string; change: RenovationAction }) => renovationsApi.act(renovationId, change), onSuccess }),
  };
}
