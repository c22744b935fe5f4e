import type { AuditListQuery, AuditRecord, AuditVerifyResult, SignInActivity } from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

export type AuditFilters = Omit<AuditListQuery, 'cursor' | 'limit'>;
export type AuditResult = AuditRecord['result'];

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters) => ['audit', 'list', filters] as const,
  signInActivity: (days: number) => ['audit', 'sign-in-activity', days] as const,
};

export const auditApi = {
  list: (filters: AuditFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<AuditRecord>>('/api/audit', { ...filters, cursor, limit: 50 }, { signal }),
  verify: () => api.post<AuditVerifyResult>('/api/audit/verify'),
  signInActivity: (days: number) => api.get<SignInActivity>('/api/audit/sign-in-activity', { days }),
};
