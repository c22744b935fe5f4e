import { useCallback } from 'react';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Me, Permission } from '@courtyard/contracts';
import { api, isApiError, setCsrfToken } from '../ui/api';

export const meKey = ['me'] as const;

/** The signed-in user, or null when nobody is signed in. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me', undefined, { quiet: true, signal });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (isApiError(error) && error.status === 401) {
      setCsrfToken(undefined);
      return null;
    }
    throw error;
  }
}

export function useMe() {
  const query = useQuery({ queryKey: meKey, queryFn: ({ signal }) => fetchMe(signal), staleTime: 60_000 });
  return { me: query.data, isPending: query.isPending, error: query.error, refetch: query.refetch };
}

/** Stores a new `me` (from sign-in, password change, …) or null after signing out. */
export function storeMe(client: QueryClient, me: Me | null): void {
  setCsrfToken(me?.csrfToken);
  client.setQueryData(meKey, me);
  if (!me) {
    // Drop everything the previous user loaded.
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== meKey[0] });
  }
}

export function useStoreMe(): (me: Me | null) => void {
  const client = useQueryClient();
  return useCallback((me: Me | null) => storeMe(client, me), [client]);
}

export function hasPermission(me: Me | null | undefined, permission: Permission | null | undefined): boolean {
  if (!permission) return true;
  return !!me && me.permissions.includes(permission);
}

/** Only same-site paths are followed after sign-in (no open redirects). */
export function safeNext(next: string | null | undefined, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
