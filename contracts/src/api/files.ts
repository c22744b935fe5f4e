import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';

/** What a file is attached to: a registered owner type (`community`, `user`, …) in snake case. */
export const FileOwnerType = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Registered owner type, e.g. community, user' });
/** Free-form category within the owner (`general`, `id_card`, `contract`, …); some are sensitive. */
export const FileCategory = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Category, e.g. general, id_card' });

/** A stored file's metadata. The bytes are at `/api/files/:id/content`. */
export const FileInfo = Type.Object({
  id: Id,
  ownerType: Type.String(),
  ownerId: Id,
  communityId: Nullable(Id),
  category: Type.String(),
  /** The name given at upload (validated: no path, no control characters, ≤ 200 characters). */
  name: Type.String(),
  /** Sniffed from the bytes, never the type the uploader declared. */
  contentType: Type.String(),
  sizeBytes: Type.Integer({ minimum: 1 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  hasThumbnail: Type.Boolean(),
  /** Downloads of sensitive files (ID cards …) are written to the audit trail. */
  sensitive: Type.Boolean(),
  uploadedBy: Nullable(Id),
  createdAt: Instant,
});
export type FileInfo = Static<typeof FileInfo>;

export const FileList = Page(FileInfo);
export type FileList = Static<typeof FileList>;

export const FileListQuery = Type.Object({ ownerType: FileOwnerType, ownerId: Id, ...PageQuery }, { additionalProperties: false });
export type FileListQuery = Static<typeof FileListQuery>;

/**
 * The text fields of `POST /api/files` (multipart/form-data). They must come before the file part
 * (browsers and antd Upload send them first), so the permission is checked before any byte is stored.
 */
export const FileUploadFields = Type.Object(
  { ownerType: FileOwnerType, ownerId: Id, category: Type.Optional(FileCategory) },
  { additionalProperties: false },
);
export type FileUploadFields = Static<typeof FileUploadFields>;
