import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BoardQuery,
  ComplianceReport,
  CreateServiceRequestBody,
  ServiceCategory,
  ServiceDashboard,
  ServiceRequest,
  ServiceRequestPage,
  ServiceTeam,
  SubmitPortalRequestBody,
  Technician,
  TransitionBody,
} from '@courtyard/contracts';
import { api } from '../../ui/api';
import { filesApi } from '../../ui/Attachments';

export type BoardFilters = Omit<BoardQuery, 'cursor' | 'limit' | 'communityId'>;
const id = (value: string) => encodeURIComponent(value);

export const deskKeys = {
  all: ['service-desk'] as const,
  board: (communityId: string, filters: BoardFilters) => ['service-desk', 'board', communityId, filters] as const,
  detail: (requestId: string) => ['service-desk', 'request', requestId] as const,
  myWork: ['service-desk', 'my-work'] as const,
  mine: ['service-desk', 'portal'] as const,
  categories: (communityId: string) => ['service-desk', 'categories', communityId] as const,
  teams: (communityId: string) => ['service-desk', 'teams', communityId] as const,
  technicians: (communityId: string) => ['service-desk', 'technicians', communityId] as const,
  dashboard: (communityId: string) => ['service-desk', 'dashboard', communityId] as const,
  compliance: (communityId: string, by: string) => ['service-desk', 'compliance', communityId, by] as const,
};

/** The board shows at most this many open requests per load; the kanban counts what it got. */
export const BOARD_LIMIT = 200;

export const deskApi = {
  board: (communityId: string, filters: BoardFilters, cursor?: string) => api.get<ServiceRequestPage>('/api/service-requests/board', { communityId, ...filters, cursor, limit: BOARD_LIMIT }),
  get: (requestId: string) => api.get<ServiceRequest>(`/api/service-requests/${id(requestId)}`),
  create: (body: CreateServiceRequestBody) => api.post<ServiceRequest>('/api/service-requests', body),
  submit: (body: SubmitPortalRequestBody) => api.post<ServiceRequest>('/api/portal/service-requests', body),
  transition: (requestId: string, body: TransitionBody) => api.post<ServiceRequest>(`/api/service-requests/${id(requestId)}/transitions`, body),
  myWork: () => api.get<ServiceRequestPage>('/api/service-desk/my-work', { limit: 100 }),
  mine: () => api.get<ServiceRequestPage>('/api/portal/service-requests', { limit: 100 }),
  categories: (communityId: string) => api.get<{ items: ServiceCategory[] }>('/api/service-categories', { communityId }),
  teams: (communityId: string) => api.get<{ items: ServiceTeam[] }>('/api/service-teams', { communityId }),
  technicians: (communityId: string) => api.get<{ items: Technician[] }>('/api/technicians', { communityId }),
  dashboard: (communityId: string) => api.get<ServiceDashboard>('/api/service-desk/dashboard', { communityId }),
  compliance: (communityId: string, by: 'team' | 'technician' | 'category') => api.get<ComplianceReport>('/api/service-desk/compliance', { communityId, by }),
  /** Photos are files of owner type `service_request` (see the files module). */
  uploadPhoto: (requestId: string, file: Blob, name: string) => filesApi.upload('service_request', requestId, 'photo', file, name),
};

export function useBoard(communityId: string | undefined, filters: BoardFilters) {
  return useQuery({ queryKey: deskKeys.board(communityId ?? '', filters), queryFn: () => deskApi.board(communityId ?? '', filters), enabled: !!communityId, refetchInterval: 60_000 });
}

/** Live progress: refetched when the window regains focus and every 30 s while it is shown. */
export function useRequest(requestId: string | undefined) {
  return useQuery({ queryKey: deskKeys.detail(requestId ?? ''), queryFn: () => deskApi.get(requestId ?? ''), enabled: !!requestId, refetchOnWindowFocus: true, refetchInterval: 30_000 });
}

export function useMyWork() {
  return useQuery({ queryKey: deskKeys.myWork, queryFn: deskApi.myWork, refetchOnWindowFocus: true, refetchInterval: 30_000 });
}

export function useMyRequests() {
  return useQuery({ queryKey: deskKeys.mine, queryFn: deskApi.mine, refetchOnWindowFocus: true, refetchInterval: 30_000 });
}

export function useCategories(communityId: string | undefined) {
  return useQuery({ queryKey: deskKeys.categories(communityId ?? ''), queryFn: () => deskApi.categories(communityId ?? ''), enabled: !!communityId, staleTime: 300_000 });
}
export function useTeams(communityId: string | undefined, enabled = true) {
  return useQuery({ queryKey: deskKeys.teams(communityId ?? ''), queryFn: () => deskApi.teams(communityId ?? ''), enabled: !!communityId && enabled });
}
export function useTechnicians(communityId: string | undefined, enabled = true) {
  return useQuery({ queryKey: deskKeys.technicians(communityId ?? ''), queryFn: () => deskApi.technicians(communityId ?? ''), enabled: !!communityId && enabled });
}
export function useDashboard(communityId: string | undefined) {
  return useQuery({ queryKey: deskKeys.dashboard(communityId ?? ''), queryFn: () => deskApi.dashboard(communityId ?? ''), enabled: !!communityId });
}
export function useCompliance(communityId: string | undefined, by: 'team' | 'technician' | 'category') {
  return useQuery({ queryKey: deskKeys.compliance(communityId ?? '', by), queryFn: () => deskApi.compliance(communityId ?? '', by), enabled: !!communityId });
}

export function useTransition() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ requestId, body }: { requestId: string; body: TransitionBody }) => deskApi.transition(requestId, body),
    onSuccess: async (request) => {
      client.setQueryData(deskKeys.detail(request.id), request);
      await client.invalidateQueries({ queryKey: deskKeys.all });
    },
  });
}

export function useCreateRequest() {
  const client = useQueryClient();
  return useMutation({ mutationFn: deskApi.create, onSuccess: () => client.invalidateQueries({ queryKey: deskKeys.all }) });
}

/** Submits from the portal, then uploads the chosen photos one by one (a photo that fails does not undo the request). */
export function useSubmitPortalRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, photos }: { body: SubmitPortalRequestBody; photos: File[] }) => {
      const request = await deskApi.submit(body);
      let failed = 0;
      for (const photo of photos) {
        try {
          await deskApi.uploadPhoto(request.id, photo, photo.name);
        } catch {
          failed += 1;
        }
      }
      return { request, failed };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: deskKeys.all }),
  });
}
