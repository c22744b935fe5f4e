import { useQuery } from '@tanstack/react-query';
import { SETTINGS, type SettingKey, type SettingView } from '@courtyard/contracts';
import { api, isApiError, problemFieldName } from '../../ui/api';

/** Query keys of this module; a save invalidates the prefix `['settings']`. */
export const settingsKeys = {
  all: ['settings'] as const,
  one: (key: SettingKey, communityId: string | null) => ['settings', key, communityId ?? 'org'] as const,
};

/** A partial change: secret fields are sent only when typed in, or as `null` to clear them. */
export type SettingPatch = Record<string, unknown>;

export const settingsApi = {
  list: () => api.get<{ items: SettingView[] }>('/api/settings'),
  get: (key: SettingKey, communityId: string | null, signal?: AbortSignal) =>
    api.get<SettingView>(`/api/settings/${encodeURIComponent(key)}`, { communityId }, { signal }),
  update: (key: SettingKey, value: SettingPatch, communityId: string | null) =>
    api.put<SettingView>(`/api/settings/${encodeURIComponent(key)}`, communityId ? { value, communityId } : { value }),
  clearOverride: (key: SettingKey, communityId: string) =>
    api.delete<SettingView>(`/api/settings/${encodeURIComponent(key)}`, { query: { communityId } }),
};

/** One setting for the organisation (`communityId` null) or a community. */
export function useSetting(key: SettingKey, communityId: string | null) {
  return useQuery({
    queryKey: settingsKeys.one(key, communityId),
    queryFn: ({ signal }) => settingsApi.get(key, communityId, signal),
  });
}

/** True for the fields the catalogue marks secret (encrypted at rest, never sent back). */
export function isSecret(key: SettingKey, name: string): boolean {
  return (SETTINGS[key].secrets as readonly string[]).includes(name);
}

/**
 * The fields the form changed compared with what the server showed: secrets only when something
 * was typed (an empty secret keeps the stored one); other strings trimmed.
 */
export function changedFields(key: SettingKey, shown: Record<string, unknown>, values: Record<string, unknown>): SettingPatch {
  const patch: SettingPatch = {};
  for (const [name, raw] of Object.entries(values)) {
    if (isSecret(key, name)) {
      if (typeof raw === 'string' && raw !== '') patch[name] = raw;
      continue;
    }
    const value = typeof raw === 'string' ? raw.trim() : (raw ?? null);
    if (value !== shown[name]) patch[name] = value;
  }
  return patch;
}

/**
 * The server names invalid setting fields `/body/value/<field>`; this turns them into the form's
 * field names with their messages (several messages for one field are kept together).
 */
export function settingFieldErrors(error: unknown): { name: string; errors: string[] }[] {
  if (!isApiError(error)) return [];
  const byField = new Map<string, string[]>();
  for (const field of error.fields) {
    const [head, name] = problemFieldName(field.field);
    if (head !== 'value' || typeof name !== 'string') continue;
    byField.set(name, [...(byField.get(name) ?? []), field.message]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}
