import type { ImportKind, ImportState } from '@courtyard/contracts';

export interface ImportBatchTable {
  id: string;
  community_id: string;
  kind: ImportKind;
  state: ImportState;
  file_id: string | null;
  file_name: string;
  total_rows: number;
  error_count: number;
  /** JSON array of StoredError. */
  errors_json: string;
  created_count: number;
  unchanged_count: number;
  failure: string | null;
  job_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  committed_at: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    import_batches: ImportBatchTable;
  }
}
