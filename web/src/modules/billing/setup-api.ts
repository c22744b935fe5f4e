import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FeeItem, FeeRule, Meter, MeterReading, ReadingImportReport } from '@courtyard/contracts';
import { api, buildUrl } from '../../ui/api';

/**
 * Requests of the billing set-up pages: fee items and their rules (`/billing/fees`), meters and
 * readings (`/billing/meters`). Every key starts with 'billing' so a write refreshes the rest.
 */
export const setupKeys = {
  feeItems: (communityId: string) => ['billing', 'fee-items', communityId] as const,
  rules: (communityId: string) => ['billing', 'fee-rules', communityId] as const,
  meters: (communityId: string, filters: MeterFilters) => ['billing', 'meters', communityId, filters] as const,
  review: (communityId: string) => ['billing', 'meter-review', communityId] as const,
  readings: (meterId: string) => ['billing', 'meter-readings', meterId] as const,
};

export interface MeterFilters {
  kind?: Meter['kind'] | undefined;
  buildingId?: string | undefined;
  shared?: boolean | undefined;
}

export function useFeeItems(communityId: string | undefined) {
  return useQuery({
    queryKey: setupKeys.feeItems(communityId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: FeeItem[] }>('/api/fee-items', { communityId }, { signal }),
    enabled: !!communityId,
  });
}

export function useFeeRules(communityId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: setupKeys.rules(communityId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: FeeRule[] }>('/api/fee-rules', { communityId }, { signal }),
    enabled: !!communityId && enabled,
  });
}

/** Meters of a community (at most 200 per page; a reading round is one building and one kind). */
export function useMeters(communityId: string | undefined, filters: MeterFilters, enabled = true) {
  return useQuery({
    queryKey: setupKeys.meters(communityId ?? '', filters),
    queryFn: async ({ signal }) => {
      const items: Meter[] = [];
      let cursor: string | undefined;
      // A building rarely has more than a few hundred meters of one kind: read them all for the round.
      for (let i = 0; i < 10; i++) {
        const page = await api.get<{ items: Meter[]; nextCursor: string | null }>('/api/meters', { communityId, ...filters, cursor, limit: 200 }, { signal });
        items.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return items;
    },
    enabled: !!communityId && enabled,
  });
}

export function useReviewQueue(communityId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: setupKeys.review(communityId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: MeterReading[]; nextCursor: string | null }>('/api/meter-readings/review', { communityId, limit: 200 }, { signal }),
    enabled: !!communityId && enabled,
  });
}

export function useMeterReadings(meterId: string | undefined) {
  return useQuery({
    queryKey: setupKeys.readings(meterId ?? ''),
    queryFn: ({ signal }) => api.get<{ items: MeterReading[]; nextCursor: string | null }>('/api/meter-readings', { meterId, limit: 12 }, { signal }),
    enabled: !!meterId,
  });
}

/** A write of the set-up pages; on success every billing query is refreshed. */
export function useBillingWrite<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['billing'] }) });
}

export const setupApi = {
  createFeeItem: (body: unknown) => api.post<FeeItem>('/api/fee-items', body),
  updateFeeItem: (id: string, body: unknown) => api.patch<FeeItem>(`/api/fee-items/${id}`, body),
  createRule: (body: unknown) => api.post<FeeRule>('/api/fee-rules', body),
  updateRule: (id: string, body: unknown) => api.patch<FeeRule>(`/api/fee-rules/${id}`, body),
  addPrice: (id: string, body: unknown) => api.post<FeeRule>(`/api/fee-rules/${id}/prices`, body),
  addAssignment: (id: string, body: unknown) => api.post<FeeRule>(`/api/fee-rules/${id}/assignments`, body),
  endAssignment: (id: string, assignmentId: string, endsOn: string) => api.post<FeeRule>(`/api/fee-rules/${id}/assignments/${assignmentId}/end`, { endsOn }),
  createMeter: (body: unknown) => api.post<Meter>('/api/meters', body),
  updateMeter: (id: string, body: unknown) => api.patch<Meter>(`/api/meters/${id}`, body),
  enterReading: (body: { meterId: string; readOn: string; reading: string; rolledOver?: boolean }) => api.post<MeterReading>('/api/meter-readings', body),
  review: (id: string, decision: 'accepted' | 'rejected') => api.post<MeterReading>(`/api/meter-readings/${id}/review`, { decision }),
  importReadings: (communityId: string, file: File, commit: boolean) => {
    const form = new FormData();
    // The server reads the fields before the file part.
    form.append('communityId', communityId);
    form.append('commit', String(commit));
    form.append('file', file);
    return api.post<ReadingImportReport>('/api/meter-readings/import', form);
  },
  templateUrl: (lang: string) => buildUrl('/api/meter-readings/template.xlsx', { lang: lang === 'en-US' ? 'en-US' : 'zh-CN' }),
};

/** Today as a China calendar day (UTC+8): readings and prices are dated in the property's time. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * "12.5" → 12500 (thousandths), exact from the text; null when it is not a quantity of at most 3
 * decimals. Usage previews are computed on these integers, never on floats.
 */
export function qtyToE3(text: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{0,3}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

/** 12500 → "12.5" */
export function e3ToQty(e3: number): string {
  const sign = e3 < 0 ? '-' : '';
  const abs = Math.abs(e3);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${sign}${Math.floor(abs / 1000)}${frac ? `.${frac}` : ''}`;
}

/** "1.5" (multiplier, up to 4 decimals) → 15000 */
export function multiplierE4(text: string): number {
  const m = /^(\d{1,6})(?:\.(\d{0,4}))?$/.exec(text.trim());
  return m ? Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0')) : 10_000;
}

/**
 * Usage preview of a round: (current − previous) × multiplier, in thousandths, rounded half-up
 * like the server; null when it cannot be computed (no previous reading, bad input, or lower —
 * the server decides whether a lower value is a rollover).
 */
export function usagePreviewE3(previous: string | null | undefined, current: string, multiplier: string): number | null {
  if (!previous) return null;
  const a = qtyToE3(previous);
  const b = qtyToE3(current);
  if (a === null || b === null || b < a) return null;
  return Math.round(((b - a) * multiplierE4(multiplier)) / 10_000);
}

/** A quantity as the server sends it ("112.500") shown without trailing zeros ("112.5"). */
export function showQty(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
}

/** A price as the server sends it ("3.5000") shown with at least two decimals ("3.50"). */
export function showPrice(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const [int, frac = ''] = value.split('.');
  return `${int}.${frac.replace(/0+$/, '').padEnd(2, '0')}`;
}
