import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Building,
  CreatePersonBody,
  CreateVehicleBody,
  MoveChecklist,
  MoveInBody,
  MyHome,
  Occupancy,
  Person,
  PersonListQuery,
  Room,
  SearchHit,
  Tag,
  UpdateMoveChecklistBody,
  UpdatePersonBody,
  UpdateVehicleBody,
  Vehicle,
  VehicleListQuery,
} from '@courtyard/contracts';
import { api, buildUrl, type Query } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

/** Filters of `GET /api/persons` (also the export's query string). */
export type PersonFilters = Omit<PersonListQuery, 'cursor' | 'limit'>;
export type VehicleFilters = Omit<VehicleListQuery, 'cursor' | 'limit'>;

export type RevealField = 'phone' | 'idNumber' | 'emergencyPhone';
export type OccupancyOwner = { kind: 'room' | 'person' | 'space'; id: string };
export type ChecklistItem = MoveChecklist['items'][number];

/** Query keys of this module; mutations invalidate by prefix. */
export const peopleKeys = {
  persons: ['persons'] as const,
  personList: (filters: PersonFilters) => ['persons', 'list', filters] as const,
  personPick: (communityId: string, q: string) => ['persons', 'pick', communityId, q] as const,
  person: (id: string) => ['persons', 'one', id] as const,
  occupancies: ['occupancies'] as const,
  occupanciesOf: (owner: OccupancyOwner) => ['occupancies', owner.kind, owner.id] as const,
  vehicles: ['vehicles'] as const,
  vehicleList: (filters: VehicleFilters) => ['vehicles', 'list', filters] as const,
  checklists: ['move-checklists'] as const,
  checklistsOfRoom: (roomId: string) => ['move-checklists', roomId] as const,
  search: (q: string) => ['search', q] as const,
  portalHome: ['portal', 'home'] as const,
  /** Registry look-ups used by the filters (owned by the properties API). */
  buildings: (communityId: string) => ['people', 'buildings', communityId] as const,
  rooms: (communityId: string, q: string) => ['people', 'rooms', communityId, q] as const,
  tags: (communityId: string) => ['people', 'tags', communityId] as const,
};

const enc = encodeURIComponent;

function personQuery(filters: PersonFilters): Query {
  return { ...filters, current: filters.current === undefined ? undefined : String(filters.current) };
}

export const personsApi = {
  list: (filters: PersonFilters, cursor: string | undefined, signal?: AbortSignal, limit = 50) =>
    api.get<KeysetPage<Person>>('/api/persons', { ...personQuery(filters), cursor, limit }, { signal }),
  get: (id: string) => api.get<Person>(`/api/persons/${enc(id)}`),
  create: (body: CreatePersonBody) => api.post<Person>('/api/persons', body),
  update: (id: string, body: UpdatePersonBody) => api.patch<Person>(`/api/persons/${enc(id)}`, body),
  /** The clear value; the server audits every reveal (`people.person.reveal`). */
  reveal: (id: string, field: RevealField) => api.post<{ value: string | null }>(`/api/persons/${enc(id)}/reveal`, { field }),
  /** Export link with the list's filters (the server masks and audits it). */
  exportUrl: (format: 'xlsx' | 'csv', filters: PersonFilters) => buildUrl(`/api/exports/persons.${format}`, personQuery(filters)),
};

export const occupanciesApi = {
  of: (owner: OccupancyOwner) => {
    const base = owner.kind === 'room' ? 'rooms' : owner.kind === 'person' ? 'persons' : 'parking-spaces';
    return api.get<{ items: Occupancy[] }>(`/api/${base}/${enc(owner.id)}/occupancies`);
  },
  moveIn: (body: MoveInBody) => api.post<Occupancy>('/api/occupancies', body),
  moveOut: (id: string, movedOutOn: string) => api.post<Occupancy>(`/api/occupancies/${enc(id)}/move-out`, { movedOutOn }),
  primaryContact: (id: string) => api.post<Occupancy>(`/api/occupancies/${enc(id)}/primary-contact`),
};

export const vehiclesApi = {
  list: (filters: VehicleFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<Vehicle>>('/api/vehicles', { ...filters, cursor, limit: 50 }, { signal }),
  create: (body: CreateVehicleBody) => api.post<Vehicle>('/api/vehicles', body),
  update: (id: string, body: UpdateVehicleBody) => api.patch<Vehicle>(`/api/vehicles/${enc(id)}`, body),
  remove: (id: string) => api.delete<unknown>(`/api/vehicles/${enc(id)}`),
  exportUrl: (format: 'xlsx' | 'csv', filters: VehicleFilters) => buildUrl(`/api/exports/vehicles.${format}`, { ...filters }),
};

export const checklistsApi = {
  ofRoom: (roomId: string) => api.get<{ items: MoveChecklist[] }>('/api/move-checklists', { roomId }),
  create: (body: { roomId: string; personId: string; kind: MoveChecklist['kind']; occupancyId?: string }) =>
    api.post<MoveChecklist>('/api/move-checklists', body),
  update: (id: string, items: UpdateMoveChecklistBody['items']) => api.patch<MoveChecklist>(`/api/move-checklists/${enc(id)}`, { items }),
  complete: (id: string) => api.post<MoveChecklist>(`/api/move-checklists/${enc(id)}/complete`),
};

export const searchApi = {
  search: (q: string, signal?: AbortSignal) => api.get<{ items: SearchHit[] }>('/api/search', { q, limit: 10 }, { signal }),
};

export const portalApi = {
  home: () => api.get<MyHome>('/api/portal/home'),
};

/** Registry look-ups (properties module's routes) that the people screens filter by. */
export const registryApi = {
  buildings: (communityId: string) => api.get<{ items: Building[] }>('/api/buildings', { communityId }),
  rooms: (communityId: string, q: string) => api.get<KeysetPage<Room>>('/api/rooms', { communityId, q: q || undefined, limit: 20 }),
  tags: (communityId: string) => api.get<{ items: Tag[] }>('/api/tags', { communityId }),
  applyTag: (tagId: string, entityIds: string[]) =>
    api.post<unknown>(`/api/tags/${enc(tagId)}/apply`, { entityType: 'person', entityIds }),
  removeTag: (tagId: string, entityIds: string[]) =>
    api.post<unknown>(`/api/tags/${enc(tagId)}/remove`, { entityType: 'person', entityIds }),
};

// ---------------------------------------------------------------------------------------------
// Hooks

export function usePerson(id: string | undefined) {
  return useQuery({ queryKey: peopleKeys.person(id ?? ''), queryFn: () => personsApi.get(id ?? ''), enabled: !!id });
}

export function useOccupancies(owner: OccupancyOwner | undefined) {
  return useQuery({
    queryKey: owner ? peopleKeys.occupanciesOf(owner) : ['occupancies', 'none'],
    queryFn: () => (owner ? occupanciesApi.of(owner) : Promise.resolve({ items: [] })),
    enabled: !!owner?.id,
  });
}

export function useRoomChecklists(roomId: string | undefined) {
  return useQuery({
    queryKey: peopleKeys.checklistsOfRoom(roomId ?? ''),
    queryFn: () => checklistsApi.ofRoom(roomId ?? ''),
    enabled: !!roomId,
  });
}

export function useSearch(q: string, enabled: boolean) {
  return useQuery({
    queryKey: peopleKeys.search(q),
    queryFn: ({ signal }) => searchApi.search(q, signal),
    enabled: enabled && q.length > 0,
    staleTime: 10_000,
  });
}

export function usePortalHome() {
  return useQuery({ queryKey: peopleKeys.portalHome, queryFn: portalApi.home });
}

export function useBuildings(communityId: string | undefined) {
  return useQuery({
    queryKey: peopleKeys.buildings(communityId ?? ''),
    queryFn: () => registryApi.buildings(communityId ?? ''),
    enabled: !!communityId,
    staleTime: 60_000,
  });
}

export function useRoomOptions(communityId: string | undefined, q: string) {
  return useQuery({
    queryKey: peopleKeys.rooms(communityId ?? '', q),
    queryFn: () => registryApi.rooms(communityId ?? '', q),
    enabled: !!communityId,
    staleTime: 30_000,
  });
}

export function useTags(communityId: string | undefined) {
  return useQuery({
    queryKey: peopleKeys.tags(communityId ?? ''),
    queryFn: () => registryApi.tags(communityId ?? ''),
    enabled: !!communityId,
    staleTime: 60_000,
  });
}

/** Persons of one community matching a name prefix / phone / ID number (the move-in picker). */
export function usePersonPick(communityId: string, q: string) {
  return useQuery({
    queryKey: peopleKeys.personPick(communityId, q),
    queryFn: ({ signal }) => personsApi.list({ communityId, q: q || undefined }, undefined, signal, 20),
    enabled: !!communityId,
    staleTime: 10_000,
  });
}

/** Everything a change of occupancy can affect: the lists, the cards, the portal. */
function useInvalidateOccupancy() {
  const client = useQueryClient();
  return async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: peopleKeys.occupancies }),
      client.invalidateQueries({ queryKey: peopleKeys.persons }),
      client.invalidateQueries({ queryKey: peopleKeys.checklists }),
      // the room's state (vacant → occupied) is shown by the properties screens
      client.invalidateQueries({ queryKey: ['rooms'] }),
    ]);
  };
}

export function useMoveIn() {
  const invalidate = useInvalidateOccupancy();
  return useMutation({ mutationFn: occupanciesApi.moveIn, onSuccess: invalidate });
}

export function useMoveOut() {
  const invalidate = useInvalidateOccupancy();
  return useMutation({
    mutationFn: ({ id, movedOutOn }: { id: string; movedOutOn: string }) => occupanciesApi.moveOut(id, movedOutOn),
    onSuccess: invalidate,
  });
}

export function usePrimaryContact() {
  const invalidate = useInvalidateOccupancy();
  return useMutation({ mutationFn: (id: string) => occupanciesApi.primaryContact(id), onSuccess: invalidate });
}

export function useCreatePerson() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: personsApi.create,
    onSuccess: () => client.invalidateQueries({ queryKey: peopleKeys.persons }),
  });
}

export function useUpdatePerson(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdatePersonBody) => personsApi.update(id, body),
    onSuccess: async (person) => {
      client.setQueryData(peopleKeys.person(person.id), person);
      await client.invalidateQueries({ queryKey: peopleKeys.persons });
    },
  });
}

export function useSaveVehicle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; body: UpdateVehicleBody } | { id?: undefined; body: CreateVehicleBody }) =>
      input.id ? vehiclesApi.update(input.id, input.body) : vehiclesApi.create(input.body as CreateVehicleBody),
    onSuccess: () => client.invalidateQueries({ queryKey: peopleKeys.vehicles }),
  });
}

export function useRemoveVehicle() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => vehiclesApi.remove(id),
    onSuccess: () => client.invalidateQueries({ queryKey: peopleKeys.vehicles }),
  });
}
