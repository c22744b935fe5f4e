import multipart from '@fastify/multipart';
import type { Readable } from 'node:stream';
import { FormatRegistry, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { FileInfo, FileList, FileListQuery, FileUploadFields, IdParams, Ok, type ProblemField } from '@courtyard/contracts';
import { AppError } from '../../core/http/errors.js';
import { problemResponses, type App } from '../../core/http/server.js';
import type { FilesService } from './files.service.js';

// The multipart fields are checked with TypeBox's own validator, which knows no formats by itself.
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v));

const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file bytes' });

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const malformed = (message: string) => new AppError('request.invalid', [{ field: '/body', message }]);

/** Multipart parser failures are the client's (truncated body, bad boundary, limits): 4xx, never 5xx. */
function asClientError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('files.too_large');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError('request.unsupported_media_type');
  return malformed(err instanceof Error ? err.message.slice(0, 200) : 'malformed multipart body');
}

export async function filesRoutes(app: App, deps: { files: FilesService }) {
  const { files } = deps;
  const tags = ['files'];

  // Multipart only in this encapsulated scope: the rest of the API stays JSON.
  await app.register(async (scope: App) => {
    await scope.register(multipart, {
      // Keep `../` in names so that they are refused instead of silently cut to a base name.
      preservePath: true,
      limits: { fileSize: files.maxBytes + 1, files: 1, fields: 10, fieldSize: 1000, parts: 12, headerPairs: 20 },
    });

    scope.post(
      '/api/files',
      {
        schema: {
          tags,
          summary: 'Upload a file (multipart/form-data)',
          description:
            'Fields `ownerType`, `ownerId`, optional `category`, then one `file` part. The type is sniffed from the bytes; ' +
            'the declared type is ignored. Refusals: files.empty, files.too_large (413), files.bad_name, files.type_not_allowed, files.type_mismatch, files.infected (422).',
          consumes: ['multipart/form-data'],
          response: { 201: FileInfo, ...problemResponses },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new AppError('request.unsupported_media_type');
        let file: Readable | undefined;
        try {
          const parts = request.parts()[Symbol.asyncIterator]();
          const next = async () => {
            try {
              return await parts.next();
            } catch (err) {
              throw asClientError(err);
            }
          };
          const fields: Record<string, string> = {};
          let r = await next();
          for (; !r.done && r.value.type === 'field'; r = await next()) {
            const p = r.value;
            if (typeof p.value !== 'string' || p.fieldnameTruncated || p.valueTruncated || Object.hasOwn(fields, p.fieldname)) throw malformed(`field ${p.fieldname} is invalid`);
            fields[p.fieldname] = p.value;
          }
          if (r.done) throw new AppError('request.invalid', [{ field: '/body/file', message: 'no file part' }]);
          const part = r.value;
          if (part.type !== 'file') throw malformed('a file part is expected');
          file = part.file;
          if (part.fieldname !== 'file') throw malformed('the file part must be named "file"');
          if (!Value.Check(FileUploadFields, fields)) {
            const errors: ProblemField[] = [...Value.Errors(FileUploadFields, fields)].map((e) => ({ field: `/body${e.path}`, message: e.message }));
            throw new AppError('request.invalid', errors);
          }
          // Anything after the file (a second file, late fields, a truncated end) refuses the
          // whole upload before it is recorded.
          const rest = async () => {
            const after = await next();
            if (!after.done) {
              if (after.value.type === 'file') after.value.file.destroy();
              throw malformed('only the owner fields and one file are expected, in that order');
            }
          };
          const stored = await files.upload(request.ctx, { ...fields, filename: part.filename }, part.file, rest);
          return await reply.status(201).send(stored);
        } catch (err) {
          // A refused upload may still have bytes in flight. Stop parsing them, but read and drop
          // the rest of the body: a keep-alive connection closed with unread data is reset, and the
          // client would lose this answer or its next request.
          if (file && !file.readableEnded) file.destroy();
          if (!request.raw.readableEnded) {
            request.raw.unpipe();
            request.raw.resume();
          }
          throw err;
        }
      },
    );
  });

  app.get('/api/files', { schema: { tags, summary: "A record's files", querystring: FileListQuery, response: { 200: FileList, ...problemResponses } }, config: { access: 'authenticated' } }, (request) =>
    files.list(request.ctx, request.query),
  );
  app.get('/api/files/:id', { schema: { tags, summary: "A file's metadata", params: IdParams, response: { 200: FileInfo, ...problemResponses } }, config: { access: 'authenticated' } }, (request) =>
    files.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/files/:id/content',
    { schema: { tags, summary: 'Download a file', params: IdParams, produces: ['application/octet-stream'], response: { 200: Binary, ...problemResponses } }, config: { access: 'authenticated' } },
    async (request, reply) => {
      const file = await files.open(request.ctx, request.params.id, 'content');
      void reply
        .header('content-type', file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType)
        .header('content-disposition', contentDisposition(file.info.name))
        .header('x-content-type-options', 'nosniff')
        // Opened directly anyway, the bytes run no script and load nothing.
        .header('content-security-policy', "default-src 'none'; sandbox");
      if (file.size !== null) void reply.header('content-length', file.size);
      return reply.send(file.stream);
    },
  );
  app.get(
    '/api/files/:id/thumbnail',
    { schema: { tags, summary: "An image's thumbnail (WebP, at most 320 px)", params: IdParams, produces: ['image/webp'], response: { 200: Binary, ...problemResponses } }, config: { access: 'authenticated' } },
    async (request, reply) => {
      const file = await files.open(request.ctx, request.params.id, 'thumbnail');
      void reply.header('content-type', 'image/webp').header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'; sandbox");
      return reply.send(file.stream);
    },
  );
  app.delete('/api/files/:id', { schema: { tags, summary: 'Delete a file (soft)', params: IdParams, response: { 200: Ok, ...problemResponses } }, config: { access: 'authenticated' } }, async (request) => {
    await files.remove(request.ctx, request.params.id);
    return { ok: true as const };
  });
}
