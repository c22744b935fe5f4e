import type { Generated } from 'kysely';

export interface AuditLogTable {
  id: string;
  seq: number;
  occurred_at: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  community_id: string | null;
  result: 'success' | 'failure';
  /** JSON text, kept verbatim: the HMAC covers these exact bytes. */
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  hash: string;
}

/** One row (id = 1): the chain's head, MAC'd so that truncating the tail is detected. */
export interface AuditChainTable {
  id: number;
  seq: number;
  hash: string;
  mac: string;
  /** Records with seq ≤ anchor_seq were purged by retention; anchor_hash is the last purged hash. */
  anchor_seq: number;
  anchor_hash: string;
  anchor_mac: string;
}

/** Rows the retention job authorises for deletion (the append-only trigger checks this). */
export interface AuditPurgeWindowTable {
  id: Generated<number>;
  max_seq: number;
}

declare module '../../core/db/schema.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_chain: AuditChainTable;
    audit_purge_window: AuditPurgeWindowTable;
  }
}
