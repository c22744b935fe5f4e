import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import { FileInfo, FileList, FileListQuery, FileUploadFields, IdParams, Ok } from '@courtyard/contracts';
import { receiveUpload } from '../../core/http/upload.js';
import { problemResponses, type App } from '../../core/http/server.js';
import type { FilesService } from './files.service.js';

const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file bytes' });

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
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
      async (request, reply) =>
        receiveUpload(request, FileUploadFields, async (fields, part, rest) =>
          reply.status(201).send(await files.upload(request.ctx, { ...fields, filename: part.filename }, part.file, rest)),
        ),
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
