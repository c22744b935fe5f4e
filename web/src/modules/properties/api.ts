import { useQuery } from '@tanstack/react-query';
import type { Community } from '@courtyard/contracts';
import { api } from '../../ui/api';

export const propertiesKeys = {
  communities: ['communities'] as const,
};

export const communitiesApi = {
  list: () => api.get<{ items: Community[] }>('/api/communities'),
};

/** Communities the user may see (`properties.community.read`); used by scope pickers. */
export function useCommunities(enabled = true) {
  return useQuery({ queryKey: propertiesKeys.communities, queryFn: communitiesApi.list, enabled, staleTime: 5 * 60_000 });
}
