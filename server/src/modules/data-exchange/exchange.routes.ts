import multipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import {
  ExportParams,
  ExportQuery,
  IdParams,
  ImportBatch,
  ImportBatchList,
  ImportListQuery,
  ImportUploadFields,
  ImportTemplateParams,
  ImportTemplateQuery,
  type ExportList,
  type ImportKind,
} from '@courtyard/contracts';
import { receiveUpload } from '../../core/http/upload.js';
import { problemResponses, type App } from '../../core/http/server.js';
import { contentDisposition, type FilesService } from '../files/index.js';
import type { ExportsService } from './exports.service.js';
import type { ImportsService } from './imports.service.js';
import { XLSX_TYPE } from './workbook.js';

const Binary = Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'The file bytes' });
export async function exchangeRoutes(app: App, deps: { imports: ImportsService; exports: ExportsService; files: FilesService }) {
  const { imports, exports } = deps;
  const tags = ['data-exchange'];

  app.get(
    '/api/imports/templates/:file',
    {
      schema: { tags, summary: 'Import template (.xlsx): rooms.xlsx, people.xlsx or parking.xlsx', params: ImportTemplateParams, querystring: ImportTemplateQuery, produces: [XLSX_TYPE], response: { 200: Binary, ...problemResponses } },
      config: { access: 'data.import.run' },
    },
    async (request, reply) => {
      const kind = request.params.file.replace(/\.xlsx$/, '') as ImportKind;
      const locale = request.query.lang ?? request.ctx.locale;
      const content = await imports.template(kind, locale);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', contentDisposition(`${kind}-template-${locale}.xlsx`)).send(content);
    },
  );

  // Multipart only in this encapsulated scope: the rest of the API stays JSON.
  await app.register(async (scope: App) => {
    await scope.register(multipart, { limits: { fileSize: deps.files.maxBytes + 1, files: 1, fields: 5, fieldSize: 200, parts: 6, headerPairs: 20 } });
    scope.post(
      '/api/imports',
      {
        schema: {
          tags,
          summary: 'Upload a workbook to import (multipart/form-data)',
          description: 'Fields `kind` (rooms | people | parking) and `communityId`, then one `file` part (.xlsx). Validation runs as a job; poll the batch.',
          consumes: ['multipart/form-data'],
          response: { 201: ImportBatch, ...problemResponses },
        },
        config: { access: 'data.import.run' },
      },
      async (request, reply) =>
        receiveUpload(request, ImportUploadFields, async (fields, part, rest) =>
          reply.status(201).send(await imports.upload(request.ctx, { kind: fields.kind, communityId: fields.communityId, fileName: part.filename }, part.file, rest)),
        ),
    );
  });

  app.get('/api/imports', { schema: { tags, summary: 'Recent import batches', querystring: ImportListQuery, response: { 200: ImportBatchList, ...problemResponses } }, config: { access: 'data.import.run' } }, (request) =>
    imports.list(request.ctx, request.query),
  );
  app.get(
    '/api/imports/:id',
    { schema: { tags, summary: 'An import batch: state, errors (first 500), counts, progress', params: IdParams, response: { 200: ImportBatch, ...problemResponses } }, config: { access: 'data.import.run' } },
    (request) => imports.get(request.ctx, request.params.id),
  );
  app.get(
    '/api/imports/:id/report.xlsx',
    {
      schema: { tags, summary: 'The uploaded sheet with the offending cells marked and an errors column', params: IdParams, produces: [XLSX_TYPE], response: { 200: Binary, ...problemResponses } },
      config: { access: 'data.import.run' },
    },
    async (request, reply) => {
      const report = await imports.report(request.ctx, request.params.id);
      return reply.header('content-type', XLSX_TYPE).header('content-disposition', contentDisposition(report.name)).send(report.content);
    },
  );
  app.post(
    '/api/imports/:id/commit',
    { schema: { tags, summary: 'Commit a validated batch (a job; all or nothing)', params: IdParams, response: { 202: ImportBatch, ...problemResponses } }, config: { access: 'data.import.run' } },
    async (request, reply) => reply.status(202).send(await imports.commit(request.ctx, request.params.id)),
  );

  app.get(
    '/api/exports/:file',
    {
      schema: {
        tags,
        summary: 'Export a list as .xlsx or .csv (rooms, persons, parking-spaces, vehicles, renovations, bills), with the list’s filters',
        description: 'Streamed; personal data masked; audited with the row count. Needs data.export.run and the list’s read permission.',
        params: ExportParams,
        querystring: ExportQuery,
        produces: [XLSX_TYPE, 'text/csv'],
        response: { 200: Binary, ...problemResponses },
      },
      config: { access: 'data.export.run' },
    },
    async (request, reply) => {
      const [list, format] = request.params.file.split('.') as [ExportList, 'xlsx' | 'csv'];
      const file = await exports.open(request.ctx, list, format, request.query);
      return reply.header('content-type', file.contentType).header('content-disposition', contentDisposition(file.fileName)).header('x-content-type-options', 'nosniff').send(file.stream);
    },
  );
}
