import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ImportBatch, ImportKind, Locale } from '@courtyard/contracts';
import { api, buildUrl } from '../../ui/api';

export const exchangeKeys = {
  imports: ['imports'] as const,
  importList: (communityId: string | undefined) => ['imports', 'list', communityId ?? 'all'] as const,
  batch: (id: string) => ['imports', 'one', id] as const,
};

const enc = encodeURIComponent;

/** A batch is still moving while a job validates or commits it. */
export function isBusy(batch: ImportBatch | undefined): boolean {
  return batch?.state === 'validating' || batch?.state === 'committing';
}

export const importsApi = {
  templateUrl: (kind: ImportKind, lang: Locale) => buildUrl(`/api/imports/templates/${kind}.xlsx`, { lang }),
  reportUrl: (id: string) => `/api/imports/${enc(id)}/report.xlsx`,
  list: (communityId: string | undefined) => api.get<{ items: ImportBatch[] }>('/api/imports', { communityId, limit: 20 }),
  get: (id: string) => api.get<ImportBatch>(`/api/imports/${enc(id)}`),
  /** Multipart: the fields come before the file (the server reads them first). */
  upload: (kind: ImportKind, communityId: string, file: File) => {
    const form = new FormData();
    form.append('kind', kind);
    form.append('communityId', communityId);
    form.append('file', file, file.name);
    return api.post<ImportBatch>('/api/imports', form);
  },
  commit: (id: string) => api.post<ImportBatch>(`/api/imports/${enc(id)}/commit`),
};

export function useImports(communityId: string | undefined) {
  return useQuery({ queryKey: exchangeKeys.importList(communityId), queryFn: () => importsApi.list(communityId) });
}

/** One batch, polled every 700 ms while its job runs (progress bar: rows done / total). */
export function useImportBatch(id: string | undefined) {
  return useQuery({
    queryKey: exchangeKeys.batch(id ?? ''),
    queryFn: () => importsApi.get(id ?? ''),
    enabled: !!id,
    refetchInterval: (query) => (isBusy(query.state.data) ? 700 : false),
  });
}

export function useUploadImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, communityId, file }: { kind: ImportKind; communityId: string; file: File }) => importsApi.upload(kind, communityId, file),
    onSuccess: async (batch) => {
      client.setQueryData(exchangeKeys.batch(batch.id), batch);
      await client.invalidateQueries({ queryKey: exchangeKeys.imports, exact: false, refetchType: 'active' });
    },
  });
}

export function useCommitImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => importsApi.commit(id),
    onSuccess: (batch) => {
      client.setQueryData(exchangeKeys.batch(batch.id), batch);
      // the registry lists change once the commit job is done; refreshed then by the page
    },
  });
}
