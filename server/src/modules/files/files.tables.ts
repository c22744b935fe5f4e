export interface FileTable {
  id: string;
  /** Community of the owning record when it has one (data scope), else null (a user's files). */
  community_id: string | null;
  owner_type: string;
  owner_id: string;
  category: string;
  original_name: string;
  /** Sniffed from the bytes at upload, never the declared type. */
  content_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  thumbnail_key: string | null;
  /** 1 when the category was sensitive for the owner type at upload: downloads are audited. */
  sensitive: number;
  uploaded_by: string | null;
  created_at: string;
  deleted_at: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    files: FileTable;
  }
}
