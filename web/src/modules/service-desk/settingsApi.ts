import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateDispatchRuleBody,
  CreateServiceCategoryBody,
  CreateServiceTeamBody,
  CreateTechnicianBody,
  DeskStaffList,
  DispatchRule,
  Ok,
  PutServiceDeskSettingsBody,
  PutSlaPoliciesBody,
  ServiceCategory,
  ServiceDeskSettings,
  ServiceTeam,
  SlaPolicy,
  Technician,
  UpdateServiceCategoryBody,
  UpdateServiceTeamBody,
  UpdateTechnicianBody,
} from '@courtyard/contracts';
import { api } from '../../ui/api';
import { deskKeys } from './api';

/** Configuration of the service desk (服务台设置): every write invalidates every service-desk query. */
const id = (value: string) => encodeURIComponent(value);

export const settingsKeys = {
  rules: (communityId: string) => ['service-desk', 'rules', communityId] as const,
  sla: (communityId: string) => ['service-desk', 'sla', communityId] as const,
  settings: (communityId: string) => ['service-desk', 'settings', communityId] as const,
  staff: (communityId: string) => ['service-desk', 'staff', communityId] as const,
};

export const settingsApi = {
  createCategory: (body: CreateServiceCategoryBody) => api.post<ServiceCategory>('/api/service-categories', body),
  updateCategory: (categoryId: string, body: UpdateServiceCategoryBody) => api.patch<ServiceCategory>(`/api/service-categories/${id(categoryId)}`, body),
  createTeam: (body: CreateServiceTeamBody) => api.post<ServiceTeam>('/api/service-teams', body),
  updateTeam: (teamId: string, body: UpdateServiceTeamBody) => api.patch<ServiceTeam>(`/api/service-teams/${id(teamId)}`, body),
  createTechnician: (body: CreateTechnicianBody) => api.post<Technician>('/api/technicians', body),
  updateTechnician: (technicianId: string, body: UpdateTechnicianBody) => api.patch<Technician>(`/api/technicians/${id(technicianId)}`, body),
  staff: (communityId: string) => api.get<DeskStaffList>('/api/service-desk/staff', { communityId }),
  rules: (communityId: string) => api.get<{ items: DispatchRule[] }>('/api/dispatch-rules', { communityId }),
  createRule: (body: CreateDispatchRuleBody) => api.post<DispatchRule>('/api/dispatch-rules', body),
  deleteRule: (ruleId: string) => api.delete<Ok>(`/api/dispatch-rules/${id(ruleId)}`),
  sla: (communityId: string) => api.get<{ communityId: string; items: SlaPolicy[] }>('/api/service-desk/sla', { communityId }),
  putSla: (body: PutSlaPoliciesBody) => api.put<{ communityId: string; items: SlaPolicy[] }>('/api/service-desk/sla', body),
  settings: (communityId: string) => api.get<ServiceDeskSettings>('/api/service-desk/settings', { communityId }),
  putSettings: (communityId: string, body: PutServiceDeskSettingsBody) => api.put<ServiceDeskSettings>('/api/service-desk/settings', body, { query: { communityId } }),
};

export function useStaff(communityId: string | undefined) {
  return useQuery({ queryKey: settingsKeys.staff(communityId ?? ''), queryFn: () => settingsApi.staff(communityId ?? ''), enabled: !!communityId });
}
export function useRules(communityId: string | undefined) {
  return useQuery({ queryKey: settingsKeys.rules(communityId ?? ''), queryFn: () => settingsApi.rules(communityId ?? ''), enabled: !!communityId });
}
export function useSla(communityId: string | undefined) {
  return useQuery({ queryKey: settingsKeys.sla(communityId ?? ''), queryFn: () => settingsApi.sla(communityId ?? ''), enabled: !!communityId });
}
export function useDeskSettings(communityId: string | undefined) {
  return useQuery({ queryKey: settingsKeys.settings(communityId ?? ''), queryFn: () => settingsApi.settings(communityId ?? ''), enabled: !!communityId });
}

/** A configuration write; afterwards every service-desk query (board names, pickers) is refetched. */
export function useConfigMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: deskKeys.all }) });
}
