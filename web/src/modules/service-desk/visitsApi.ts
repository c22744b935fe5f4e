import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DueVisitList, DueVisitQuery, RecordVisitBody, ReturnVisit, ReturnVisitList } from '@courtyard/contracts';
import { api } from '../../ui/api';

export const visitsKeys = {
  all: ['return-visits'] as const,
  due: (q: DueVisitQuery) => ['return-visits', 'due', q] as const,
  recent: (communityId: string) => ['return-visits', 'recent', communityId] as const,
};

export const visitsApi = {
  due: (q: DueVisitQuery) => api.get<DueVisitList>('/api/return-visits/due', q),
  recent: (communityId: string) => api.get<ReturnVisitList>('/api/return-visits', { communityId, limit: 20 }),
  record: (body: RecordVisitBody) => api.post<ReturnVisit>('/api/return-visits', body),
};

export function useDueVisits(q: DueVisitQuery | undefined) {
  return useQuery({ queryKey: visitsKeys.due(q ?? { communityId: '', closedFrom: '', closedTo: '' }), queryFn: () => visitsApi.due(q!), enabled: !!q });
}
export function useRecentVisits(communityId: string | undefined) {
  return useQuery({ queryKey: visitsKeys.recent(communityId ?? ''), queryFn: () => visitsApi.recent(communityId ?? ''), enabled: !!communityId });
}
export function useRecordVisit() {
  const client = useQueryClient();
  return useMutation({ mutationFn: visitsApi.record, onSuccess: () => client.invalidateQueries({ queryKey: visitsKeys.all }) });
}
