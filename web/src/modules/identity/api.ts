import type { Static } from '@sinclair/typebox';
import type {
  ChangePasswordBody,
  CreatedUser,
  CreateGrantBody,
  CreateRoleBody,
  CreateUserBody,
  Grant,
  GrantListQuery,
  Locale,
  Me,
  MfaEnrolment,
  Ok,
  PermissionInfo,
  RecoveryCodes,
  ResetPasswordResult,
  Role,
  SessionInfo,
  SignInBody,
  SignInResult,
  UpdateRoleBody,
  UpdateUserBody,
  User,
  UserListQuery,
} from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

export type PermissionItem = Static<typeof PermissionInfo>;
export type CreatedUserResult = Static<typeof CreatedUser>;
export type TemporaryPassword = Static<typeof ResetPasswordResult>;
export type GrantStatus = Grant['status'];
export type UserStatus = User['status'];
export type UserFilters = Omit<UserListQuery, 'cursor' | 'limit'>;
export type GrantFilters = Omit<GrantListQuery, 'cursor' | 'limit'>;

/** Query keys of this module; mutations invalidate by prefix. */
export const identityKeys = {
  users: ['users'] as const,
  userList: (filters: UserFilters) => ['users', 'list', filters] as const,
  user: (id: string) => ['users', 'one', id] as const,
  roles: ['roles'] as const,
  permissions: ['permissions'] as const,
  grants: ['grants'] as const,
  grantList: (filters: GrantFilters) => ['grants', 'list', filters] as const,
  sessions: ['sessions'] as const,
};

export const authApi = {
  signIn: (body: SignInBody) => api.post<SignInResult>('/api/auth/sign-in', body, { quiet: true }),
  verifyMfa: (challengeId: string, code: string) =>
    api.post<SignInResult>('/api/auth/mfa', { challengeId, code }, { quiet: true }),
  changePassword: (body: ChangePasswordBody) => api.post<Me>('/api/auth/password', body),
  setLocale: (locale: Locale) => api.put<Me>('/api/auth/me/locale', { locale }),
  startMfa: () => api.post<MfaEnrolment>('/api/auth/mfa/enrol'),
  confirmMfa: (code: string) => api.post<RecoveryCodes>('/api/auth/mfa/enrol/confirm', { code }),
  disableMfa: (password: string) => api.post<Me>('/api/auth/mfa/disable', { password }),
  sessions: () => api.get<{ items: SessionInfo[] }>('/api/auth/sessions'),
  endSession: (id: string) => api.delete<Ok>(`/api/auth/sessions/${encodeURIComponent(id)}`),
};

export const usersApi = {
  list: (filters: UserFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<User>>('/api/users', { ...filters, cursor, limit: 50 }, { signal }),
  get: (id: string) => api.get<User>(`/api/users/${encodeURIComponent(id)}`),
  create: (body: CreateUserBody) => api.post<CreatedUserResult>('/api/users', body),
  update: (id: string, body: UpdateUserBody) => api.patch<User>(`/api/users/${encodeURIComponent(id)}`, body),
  unlock: (id: string) => api.post<User>(`/api/users/${encodeURIComponent(id)}/unlock`),
  disable: (id: string) => api.post<User>(`/api/users/${encodeURIComponent(id)}/disable`),
  enable: (id: string) => api.post<User>(`/api/users/${encodeURIComponent(id)}/enable`),
  resetPassword: (id: string) => api.post<TemporaryPassword>(`/api/users/${encodeURIComponent(id)}/reset-password`),
  resetMfa: (id: string) => api.post<User>(`/api/users/${encodeURIComponent(id)}/reset-mfa`),
  /** The clear phone number; the server audits every reveal. */
  reveal: (id: string) => api.post<{ phone: string | null }>(`/api/users/${encodeURIComponent(id)}/reveal`),
};

export const rolesApi = {
  list: () => api.get<{ items: Role[] }>('/api/roles'),
  create: (body: CreateRoleBody) => api.post<Role>('/api/roles', body),
  update: (id: string, body: UpdateRoleBody) => api.patch<Role>(`/api/roles/${encodeURIComponent(id)}`, body),
  remove: (id: string) => api.delete<Ok>(`/api/roles/${encodeURIComponent(id)}`),
  permissions: () => api.get<{ items: PermissionItem[] }>('/api/permissions'),
};

export const grantsApi = {
  list: (filters: GrantFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<Grant>>('/api/grants', { ...filters, cursor, limit: 50 }, { signal }),
  create: (body: CreateGrantBody) => api.post<Grant>('/api/grants', body),
  approve: (id: string, reason?: string) =>
    api.post<Grant>(`/api/grants/${encodeURIComponent(id)}/approve`, reason ? { reason } : {}),
  reject: (id: string, reason?: string) =>
    api.post<Grant>(`/api/grants/${encodeURIComponent(id)}/reject`, reason ? { reason } : {}),
  revoke: (id: string) => api.delete<Grant>(`/api/grants/${encodeURIComponent(id)}`),
};
