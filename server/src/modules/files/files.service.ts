import { Readable } from 'node:stream';
import type { FileInfo, FileListQuery, Permission } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec } from '../../core/db/schema.js';
import { assertCan, can, type RequestContext } from '../../core/http/context.js';
import { AppError, invalid, notFound } from '../../core/http/errors.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import { checkName, limited, makeThumbnail, officeZipChecker, readMore, sniff, SNIFF_BYTES, textChecker } from './content.js';
import * as repo from './files.repository.js';
import type { VirusScanner } from './scan.js';
import { ObjectNotFoundError, type FileStorage, type StorageOptions } from './storage.js';

/**
 * How another module lets files be attached to its records (dependency inversion: the files module
 * knows no other module; `app.ts` registers each owner type).
 */
export interface OwnerType {
  /** Needed to list, read and download the owner's files. */
  read: Permission;
  /** Needed to upload and delete. */
  write: Permission;
  /**
   * The owning record's community (the data-scope key): an id, `null` for records outside any
   * community (users), `undefined` when the record does not exist. Called with the transaction
   * when one is open.
   */
  communityOf(exec: Exec, ownerId: string): Promise<string | null | undefined>;
  /** Categories whose downloads are audited (`id_card` …). */
  sensitiveCategories?: readonly string[];
  /**
   * Record-level access besides the permissions: true when the caller is a party to the record
   * (the requester of a service request, the technician it is dispatched to) and may read its
   * files and attach new ones without holding `read` / `write` over the whole community. Such a
   * caller deletes only the files they uploaded themselves.
   */
  allows?(exec: Exec, ctx: RequestContext, ownerId: string): Promise<boolean>;
}

/** The file fields of an upload, already separated from the multipart body by the route. */
export interface UploadInput {
  ownerType: string;
  ownerId: string;
  category?: string | undefined;
  /** The name the client gave; checked, never used as a storage key. */
  filename: string;
}

export interface OpenedFile {
  info: FileInfo;
  /** The type to serve: the sniffed type, or image/webp for a thumbnail. */
  contentType: string;
  size: number | null;
  stream: Readable;
}

export interface FilesService {
  registerOwnerType(type: string, def: OwnerType): void;
  /**
   * Checks the owner and the caller's write permission before reading a byte, then streams
   * `content` to storage while enforcing the size limit, sniffing the type and hashing; scans,
   * makes a thumbnail for images, and records the file (audited `files.upload`). `finish` runs once
   * the bytes are stored and before anything is recorded: the route reads the rest of the request
   * there, and a failure refuses the upload and removes what was stored.
   */
  upload(ctx: RequestContext, input: UploadInput, content: Readable, finish?: () => Promise<void>): Promise<FileInfo>;
  list(ctx: RequestContext, query: FileListQuery): Promise<{ items: FileInfo[]; nextCursor: string | null }>;
  get(ctx: RequestContext, id: string): Promise<FileInfo>;
  /** The bytes (or the thumbnail). Sensitive files are audited as `files.download`. */
  open(ctx: RequestContext, id: string, variant: 'content' | 'thumbnail'): Promise<OpenedFile>;
  /** Soft delete (audited `files.delete`); the stored bytes stay until a purge removes them. */
  remove(ctx: RequestContext, id: string): Promise<void>;
  /** The storage in use (tests and operators inspect it). */
  readonly storage: FileStorage;
  readonly maxBytes: number;
}

export interface FilesDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  storage: FileStorage;
  /** Upper bound of one file in bytes. */
  maxBytes: number;
  scanner?: VirusScanner | undefined;
  /** Where best-effort failures (a thumbnail that could not be made) are reported. */
  log?: (msg: string, err: unknown) => void;
}

/** What `createCourtyard({ files })` accepts: where files go (URL or data dir, or a ready storage), the size limit, a scanner. */
export interface FilesOptions extends StorageOptions {
  storage?: FileStorage;
  /** Default {@link DEFAULT_MAX_BYTES}. */
  maxBytes?: number;
  /** Default: none (no scanning). */
  scanner?: VirusScanner;
}

/** 20 MiB: photos from phones and scanned PDFs fit; larger files belong in archives, later. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const DEFAULT_CATEGORY = 'general';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const view = (r: repo.FileRow): FileInfo => ({
  id: r.id,
  ownerType: r.owner_type,
  ownerId: r.owner_id,
  communityId: r.community_id,
  category: r.category,
  name: r.original_name,
  contentType: r.content_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  hasThumbnail: r.thumbnail_key !== null,
  sensitive: r.sensitive === 1,
  uploadedBy: r.uploaded_by,
  createdAt: r.created_at,
});

export function createFilesService(deps: FilesDeps): FilesService {
  const owners = new Map<string, OwnerType>();
  const { storage } = deps;

  const ownerType = (type: string, field: string): OwnerType => {
    const def = owners.get(type);
    if (!def) throw invalid(field, `unknown owner type "${type}"`, `未知的附件所属类型“${type}”`);
    return def;
  };

  /** Resolves the owner's community and checks `permission` on it (the data-scope check). */
  const authorize = async (exec: Exec, ctx: RequestContext, def: OwnerType, ownerId: string, permission: Permission): Promise<string | null> => {
    const communityId = await def.communityOf(exec, ownerId);
    if (communityId === undefined) throw new AppError('files.owner_not_found');
    if (!can(ctx, permission, communityId) && def.allows && (await def.allows(exec, ctx, ownerId))) return communityId;
    assertCan(ctx, permission, communityId);
    return communityId;
  };

  /** Loads a live file and checks `which` permission of its owner type on its community. */
  const load = async (ctx: RequestContext, id: string, which: 'read' | 'write') => {
    const row = await repo.files.byId(deps.db, id);
    if (!row || row.deleted_at !== null) throw notFound();
    const def = owners.get(row.owner_type);
    // A file whose owner type is no longer registered is reachable by the system only.
    if (!def) {
      if (ctx.actor.kind !== 'system') throw new AppError('auth.forbidden');
      return { row, def: undefined };
    }
    if (!can(ctx, def[which], row.community_id) && def.allows && (await def.allows(deps.db, ctx, row.owner_id))) {
      if (which === 'write' && row.uploaded_by !== ctx.actor.userId) throw new AppError('auth.forbidden');
      return { row, def };
    }
    assertCan(ctx, def[which], row.community_id);
    return { row, def };
  };

  const discard = async (...keys: (string | null)[]) => {
    for (const key of keys) if (key) await storage.delete(key).catch((err: unknown) => deps.log?.('files: could not remove a stored object', err));
  };

  return {
    storage,
    maxBytes: deps.maxBytes,

    registerOwnerType(type, def) {
      if (!/^[a-z][a-z0-9_]{0,39}$/.test(type)) throw new Error(`invalid owner type ${type}`);
      if (owners.has(type)) throw new Error(`owner type ${type} is already registered`);
      owners.set(type, def);
    },

    async upload(ctx, input, content, finish) {
      const def = ownerType(input.ownerType, '/body/ownerType');
      const category = input.category ?? DEFAULT_CATEGORY;
      // Permission first, before a byte is stored: a caller without it learns nothing else.
      const communityId = await authorize(deps.db, ctx, def, input.ownerId, def.write);
      const name = checkName(input.filename);

      const source = content[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const { head, done } = await readMore(source, Buffer.alloc(0), SNIFF_BYTES);
      if (head.length === 0) throw new AppError('files.empty');
      if (head.length > deps.maxBytes) throw new AppError('files.too_large');
      let type = await sniff(head, name);
      // A zip not yet placed is decided from its central directory at the end of the stream;
      // refused, it never becomes visible in storage.
      const zipCheck = type.officeZip ? officeZipChecker(name) : null;

      const id = deps.ids();
      const now = deps.clock.now();
      const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
      const stored = await storage.put(key, limited(head, source, done, deps.maxBytes, zipCheck ?? (type.text ? textChecker() : null)));
      if (zipCheck?.type) type = { ...zipCheck.type, text: false };
      let thumbnailKey: string | null = null;
      try {
        await finish?.();
        if (deps.scanner) {
          const verdict = await deps.scanner.scan(await storage.get(key));
          if (verdict.status === 'infected') {
            await discard(key);
            await deps.audit.recordAlone(deps.db, ctx, {
              action: 'files.upload',
              entityType: 'file',
              entityId: id,
              communityId,
              result: 'failure',
              after: { ownerType: input.ownerType, ownerId: input.ownerId, name, sha256: stored.sha256, infected: verdict.reason },
            });
            throw new AppError('files.infected');
          }
        }
        if (type.image) {
          try {
            const thumb = await makeThumbnail(await storage.get(key));
            await storage.put(`${key}.thumb.webp`, Readable.from([thumb]));
            thumbnailKey = `${key}.thumb.webp`;
          } catch (err) {
            // The signature said image but the pixels would not decode: keep the file, show no preview.
            deps.log?.('files: no thumbnail', err);
          }
        }
        const row: repo.FileRow = {
          id,
          community_id: null,
          owner_type: input.ownerType,
          owner_id: input.ownerId,
          category,
          original_name: name,
          content_type: type.mime,
          size_bytes: stored.size,
          sha256: stored.sha256,
          storage_key: key,
          thumbnail_key: thumbnailKey,
          sensitive: def.sensitiveCategories?.includes(category) ? 1 : 0,
          uploaded_by: ctx.actor.userId,
          created_at: now.toISOString(),
          deleted_at: null,
        };
        await deps.db.transaction().execute(async (tx) => {
          // The owner may have gone while the bytes streamed; its community decides the scope.
          row.community_id = await authorize(tx, ctx, def, input.ownerId, def.write);
          await repo.files.insert(tx, row);
          await deps.audit.record(tx, ctx, { action: 'files.upload', entityType: 'file', entityId: id, communityId: row.community_id, after: view(row) });
        });
        return view(row);
      } catch (err) {
        await discard(key, thumbnailKey);
        throw err;
      }
    },

    async list(ctx, query) {
      const def = ownerType(query.ownerType, '/querystring/ownerType');
      await authorize(deps.db, ctx, def, query.ownerId, def.read);
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, 1);
      const before = cursor?.[0];
      if (before !== undefined && (typeof before !== 'string' || !UUID.test(before))) throw invalid('/querystring/cursor', 'malformed cursor', '分页参数不正确');
      const rows = await repo.files.listByOwner(deps.db, query.ownerType, query.ownerId, before, limit + 1);
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },

    async get(ctx, id) {
      return view((await load(ctx, id, 'read')).row);
    },

    async open(ctx, id, variant) {
      const { row } = await load(ctx, id, 'read');
      const key = variant === 'thumbnail' ? row.thumbnail_key : row.storage_key;
      if (key === null) throw notFound();
      let stream: Readable;
      try {
        stream = await storage.get(key);
      } catch (err) {
        if (err instanceof ObjectNotFoundError) throw notFound();
        throw err;
      }
      if (row.sensitive === 1) {
        // Who looked at an ID card, and when (PRODUCT §10): recorded before a byte leaves.
        try {
          await deps.audit.recordAlone(deps.db, ctx, { action: 'files.download', entityType: 'file', entityId: row.id, communityId: row.community_id, after: { name: row.original_name, category: row.category, variant } });
        } catch (err) {
          stream.destroy();
          throw err;
        }
      }
      const info = view(row);
      return variant === 'thumbnail'
        ? { info, contentType: 'image/webp', size: null, stream }
        : { info, contentType: row.content_type, size: Number(row.size_bytes), stream };
    },

    async remove(ctx, id) {
      const { row } = await load(ctx, id, 'write');
      await deps.db.transaction().execute(async (tx) => {
        const result = await repo.files.softDelete(tx, id, deps.clock.now().toISOString());
        if (Number(result.numUpdatedRows) === 0) throw notFound();
        await deps.audit.record(tx, ctx, { action: 'files.delete', entityType: 'file', entityId: id, communityId: row.community_id, before: view(row) });
      });
    },
  };
}
