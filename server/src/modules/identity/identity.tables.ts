import type { Locale } from '@courtyard/contracts';

export interface UserTable {
  id: string;
  /** Stored lower-cased: sign-in is case-insensitive on the username. */
  username: string;
  display_name: string;
  kind: 'staff' | 'owner';
  status: 'active' | 'disabled';
  locale: Locale;
  password_hash: string;
  password_changed_at: string;
  /** 1 after an administrator set or reset the password: the user must choose a new one. */
  password_must_change: number;
  /** AES-256-GCM ciphertext (core/crypto/field.ts) and its blind index for exact search. */
  phone_enc: string | null;
  phone_idx: string | null;
  email: string | null;
  mfa_secret_enc: string | null;
  mfa_pending_secret_enc: string | null;
  mfa_enabled_at: string | null;
  /** Last accepted TOTP time step: a code at or before it is a replay. */
  mfa_last_step: number;
  failed_sign_ins: number;
  locked_until: string | null;
  last_sign_in_at: string | null;
  /** Bumped whenever the user's grants or their roles' permissions change; keys the authz cache. */
  authz_version: number;
  created_at: string;
  updated_at: string;
}

export interface PasswordHistoryTable {
  id: string;
  user_id: string;
  password_hash: string;
  created_at: string;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
  created_at: string;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  user_id: string;
  /** 'mfa': password accepted, waiting for the second factor; 'full': signed in. */
  stage: 'mfa' | 'full';
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  mfa_attempts: number;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface RoleTable {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  built_in: number;
  sensitive: number;
  created_at: string;
  updated_at: string;
}

export interface RolePermissionTable {
  role_id: string;
  permission: string;
}

export interface GrantTable {
  id: string;
  user_id: string;
  role_id: string;
  /** null: every community of the organisation. */
  community_id: string | null;
  status: 'pending' | 'active' | 'rejected' | 'revoked';
  requested_by: string | null;
  decided_by: string | null;
  reason: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  scopes_json: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    users: UserTable;
    password_history: PasswordHistoryTable;
    recovery_codes: RecoveryCodeTable;
    sessions: SessionTable;
    roles: RoleTable;
    role_permissions: RolePermissionTable;
    grants: GrantTable;
    api_tokens: ApiTokenTable;
  }
}
