import type { Readable } from 'node:stream';
import type { FileInfo, ImportBatch, ImportKind, ImportListQuery, Locale } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { withRoomForWrites } from '../../core/db/bulk.js';
import type { Db } from '../../core/db/schema.js';
import type { JobContext, Jobs } from '../../core/jobs/jobs.js';
import { assertCan, scopeOf, systemContext, type Actor, type RequestContext } from '../../core/http/context.js';
import { AppError, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { FilesService } from '../files/index.js';
import type { ImportBatchTable } from './exchange.tables.js';
import * as repo from './exchange.repository.js';
import { importMessage } from './formats.js';
import { FileParser, type RowError } from './parse.js';
import { hashesNeeded, prefetchBlindIndexes, resolve, type Plan } from './resolve.js';
import { readSheet, warmSheetReader, WORKER_MIN_BYTES } from './sheet-reader.js';
import { annotatedReport, templateWorkbook, UnreadableWorkbook, XLSX_TYPE } from './workbook.js';

/** Errors kept per batch (the API shows the first 500; the report marks all that are kept). */
export const MAX_STORED_ERRORS = 20_000;
/** Rows of one import: larger files are split by the operator (and would hold the commit transaction long). */
export const MAX_ROWS = 200_000;
const SHOWN_ERRORS = 500;
const PROGRESS_EVERY = 5_000;

export const VALIDATE_JOB = 'data-exchange.validate';
export const COMMIT_JOB = 'data-exchange.commit';

/** A stored error: short keys, since a batch may keep thousands. */
interface StoredError {
  r: number;
  c: number;
  h: string;
  k: string;
  d?: string | undefined;
}

/** `queue: false` (the CLI): no job is queued; the caller runs validate / runCommit itself. */
export interface RunOptions {
  queue?: boolean;
}

export interface ImportsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  jobs: Jobs;
  files: FilesService;
  cipher: FieldCipher;
}

export interface ImportsService {
  template(kind: ImportKind, locale: Locale): Promise<Buffer>;
  /**
   * Uploads a workbook: checks the caller may import into the community, records the batch,
   * stores the file through the files service (owner type `import_batch`) and queues validation.
   * `finish` runs once the bytes are stored (the route checks the rest of the multipart body).
   */
  upload(ctx: RequestContext, input: { kind: ImportKind; communityId: string; fileName: string }, content: Readable, finish?: () => Promise<void>, options?: RunOptions): Promise<ImportBatch>;
  get(ctx: RequestContext, id: string): Promise<ImportBatch>;
  list(ctx: RequestContext, query: ImportListQuery): Promise<{ items: ImportBatch[] }>;
  report(ctx: RequestContext, id: string): Promise<{ name: string; content: Buffer }>;
  /** Queues the commit of a `valid` batch. */
  commit(ctx: RequestContext, id: string, options?: RunOptions): Promise<ImportBatch>;
  /** Job bodies (also run directly by the CLI). */
  validate(batchId: string, progress?: JobContext['progress'], locale?: Locale): Promise<void>;
  runCommit(batchId: string, progress?: JobContext['progress'], by?: { actor: Actor; locale: Locale }): Promise<void>;
}

export function createImportsService(deps: ImportsDeps): ImportsService {
  const { db, files } = deps;
  const now = () => deps.clock.now().toISOString();
  const jobCtx = systemContext('data-exchange');
  const noProgress: JobContext['progress'] = () => Promise.resolve();
  /**
   * The parsed rows and the resolved plan of recently validated batches, so a commit in the same
   * process (the usual single-server set-up, and the CLI) does not read the workbook a second time.
   * The plan is reused only when the audit chain's head (`auditHead`, read before validation
   * resolved the file) is still where it was: every change to data is audited in its transaction,
   * so nothing the plan looked at has changed; otherwise the commit resolves again. Bounded (a few
   * batches, 15 minutes) and in memory only: the clear personal data in it never lands on disk. A
   * commit elsewhere, or after eviction, simply parses the stored file again.
   */
  const parsed = new Map<string, { parser: FileParser; fileId: string; at: number; plan: Plan; auditHead: number }>();
  const remember = (batchId: string, entry: { parser: FileParser; fileId: string; plan: Plan; auditHead: number }) => {
    const cutoff = Date.now() - 15 * 60_000;
    for (const [id, old] of parsed) if (old.at < cutoff || parsed.size >= 3) parsed.delete(id);
    parsed.set(batchId, { ...entry, at: Date.now() });
  };

  files.registerOwnerType('import_batch', {
    read: 'data.import.run',
    write: 'data.import.run',
    communityOf: async (exec, id) => (await repo.batches.byId(exec, id))?.community_id,
  });

  const view = async (row: ImportBatchTable, locale: Locale): Promise<ImportBatch> => {
    const stored = JSON.parse(row.errors_json) as StoredError[];
    const job = row.job_id ? await deps.jobs.get(db, row.job_id) : undefined;
    return {
      id: row.id,
      kind: row.kind,
      communityId: row.community_id,
      fileName: row.file_name,
      state: row.state,
      totalRows: row.total_rows,
      errorCount: row.error_count,
      errors: stored.slice(0, SHOWN_ERRORS).map((e) => ({ row: e.r, column: e.h, code: e.k, message: importMessage(e.k, e.d, locale) })),
      counts: { created: row.created_count, unchanged: row.unchanged_count },
      failure: row.failure,
      jobId: row.job_id,
      progress: { done: job?.progressDone ?? 0, total: job?.progressTotal ?? null, note: job?.progressNote ?? null },
      createdAt: row.created_at,
      committedAt: row.committed_at,
    };
  };

  const load = async (ctx: RequestContext, id: string) => {
    const row = await repo.batches.byId(db, id);
    if (!row) throw notFound();
    assertCan(ctx, 'data.import.run', row.community_id);
    return row;
  };

  const store = (errors: RowError[]): { json: string; count: number } => {
    const sorted = [...errors].sort((a, b) => a.row - b.row || a.col - b.col);
    return { json: JSON.stringify(sorted.slice(0, MAX_STORED_ERRORS).map((e) => ({ r: e.row, c: e.col, h: e.header, k: e.code, ...(e.detail ? { d: e.detail } : {}) }))), count: sorted.length };
  };

  /** Streams the stored file through the row checks. */
  const parse = async (row: ImportBatchTable, progress: JobContext['progress'], note: string, locale: Locale): Promise<FileParser> => {
    const parser = new FileParser(row.kind, locale, now().slice(0, 10));
    const opened = await files.open(jobCtx, row.file_id!, 'content');
    const hashAhead = await hashesNeeded(db, row.kind, row.community_id);
    let done = 0;
    try {
      reading: for await (const rows of readSheet(opened.stream, opened.size, row.kind, (match, at) => parser.header(match, at))) {
        const parsedBefore = parser.records.length;
        for (const sheetRow of rows) {
          parser.add(sheetRow);
          done += 1;
          if (done % PROGRESS_EVERY === 0) await progress(done, null, note);
          if (parser.totalRows > MAX_ROWS) {
            parser.errors.push({ row: sheetRow.row, col: 0, header: '', code: 'import.too_many_rows', detail: String(MAX_ROWS) });
            opened.stream.destroy();
            break reading;
          }
        }
        if (hashAhead) prefetchBlindIndexes(parser, deps.cipher, parser.records.slice(parsedBefore));
      }
    } catch (err) {
      if (err instanceof UnreadableWorkbook) {
        parser.errors.push({ row: 1, col: 0, header: '', code: 'import.unreadable' });
        return parser;
      }
      throw err;
    }
    if (parser.usable && parser.totalRows === 0) parser.errors.push({ row: 2, col: 0, header: '', code: 'import.no_rows' });
    return parser;
  };

  const fail = async (batchId: string, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    await repo.batches.update(db, batchId, { state: 'failed', failure: message.slice(0, 1000), updated_at: now() });
  };

  const service: ImportsService = {
    template: (kind, locale) => templateWorkbook(kind, locale),

    async upload(ctx, input, content, finish, options = {}) {
      // Scope first, before a byte is read.
      assertCan(ctx, 'data.import.run', input.communityId);
      if (!(await repo.batches.communityExists(db, input.communityId))) throw new AppError('request.invalid', [{ field: '/body/communityId', message: { en: 'no such community', zh: '小区不存在' } }]);
      const id = deps.ids();
      const at = now();
      // The batch exists before the file so the file can belong to it; it is removed again if the upload fails.
      await repo.batches.insert(db, {
        id,
        community_id: input.communityId,
        kind: input.kind,
        state: 'validating',
        file_id: null,
        file_name: input.fileName.slice(0, 200),
        total_rows: 0,
        error_count: 0,
        errors_json: '[]',
        created_count: 0,
        unchanged_count: 0,
        failure: null,
        job_id: null,
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
        committed_at: null,
      });
      let info: FileInfo;
      try {
        info = await files.upload(ctx, { ownerType: 'import_batch', ownerId: id, category: 'import', filename: input.fileName }, content, finish);
        if (info.contentType !== XLSX_TYPE) throw new AppError('files.type_not_allowed');
        // Large files are read on the sheet worker: start it now, while the validation job is queued.
        if (info.sizeBytes >= WORKER_MIN_BYTES) warmSheetReader();
      } catch (err) {
        await repo.batches.remove(db, id).catch(() => undefined);
        throw err;
      }
      await db.transaction().execute(async (tx) => {
        // Messages stored with the batch (enum lists, column names) are in the uploader's language.
        const jobId = options.queue === false ? null : await deps.jobs.enqueue(tx, { type: VALIDATE_JOB, payload: { batchId: id, locale: ctx.locale }, maxAttempts: 1, communityId: input.communityId });
        await repo.batches.update(tx, id, { file_id: info.id, job_id: jobId, updated_at: at });
        await deps.audit.record(tx, ctx, {
          action: 'data.import.upload',
          entityType: 'import_batch',
          entityId: id,
          communityId: input.communityId,
          after: { kind: input.kind, fileId: info.id, fileName: info.name, sha256: info.sha256 },
        });
      });
      return view((await repo.batches.byId(db, id))!, ctx.locale);
    },

    async get(ctx, id) {
      return view(await load(ctx, id), ctx.locale);
    },

    async list(ctx, query) {
      const scope = scopeOf(ctx, 'data.import.run');
      if (query.communityId) assertCan(ctx, 'data.import.run', query.communityId);
      if (scope !== null && scope.length === 0) return { items: [] };
      const rows = await repo.batches.recent(db, scope, query.communityId, query.limit ?? 20);
      return { items: await Promise.all(rows.map((r) => view(r, ctx.locale))) };
    },

    async report(ctx, id) {
      const row = await load(ctx, id);
      if (!row.file_id) throw notFound();
      const opened = await files.open(jobCtx, row.file_id, 'content');
      const errors = (JSON.parse(row.errors_json) as StoredError[]).map((e) => ({ row: e.r, col: e.c, code: e.k, detail: e.d }));
      const content = await annotatedReport(opened.stream, row.kind, errors, ctx.locale);
      return { name: `${row.file_name.replace(/\.xlsx$/i, '')}-report.xlsx`, content };
    },

    async commit(ctx, id, options = {}) {
      const row = await load(ctx, id);
      if (row.state !== 'valid') throw new AppError('exchange.batch_not_valid');
      await db.transaction().execute(async (tx) => {
        const jobId =
          options.queue === false
            ? null
            : await deps.jobs.enqueue(tx, { type: COMMIT_JOB, payload: { batchId: id, actor: ctx.actor, locale: ctx.locale }, maxAttempts: 1, communityId: row.community_id, uniqueKey: `import-commit:${id}` });
        if (!(await repo.batches.transition(tx, id, 'valid', { state: 'committing', job_id: jobId, updated_at: now() }))) throw new AppError('exchange.batch_not_valid');
      });
      return view((await repo.batches.byId(db, id))!, ctx.locale);
    },

    async validate(batchId, progress = noProgress, locale = 'zh-CN') {
      const row = await repo.batches.byId(db, batchId);
      if (!row || row.state !== 'validating' || !row.file_id) return;
      try {
        await progress(0, null, 'validating');
        const parser = await parse(row, progress, 'validating', locale);
        const errors = [...parser.errors];
        let created = 0;
        let unchanged = 0;
        let resolved: { plan: Plan; auditHead: number } | undefined;
        if (parser.usable && !errors.some((e) => e.code === 'import.unreadable')) {
          const auditHead = await deps.audit.head(db);
          const plan = await resolve(db, parser, { ids: deps.ids, cipher: deps.cipher, now: now(), communityId: row.community_id, locale });
          errors.push(...plan.errors);
          created = plan.created;
          unchanged = plan.unchanged;
          resolved = { plan, auditHead };
        }
        const stored = store(errors);
        if (stored.count === 0 && resolved) remember(batchId, { parser, fileId: row.file_id, ...resolved });
        await repo.batches.update(db, batchId, {
          state: stored.count === 0 ? 'valid' : 'invalid',
          total_rows: parser.totalRows,
          error_count: stored.count,
          errors_json: stored.json,
          // What a commit would do now; the commit recounts.
          created_count: stored.count === 0 ? created : 0,
          unchanged_count: stored.count === 0 ? unchanged : 0,
          updated_at: now(),
        });
        await progress(parser.totalRows, parser.totalRows, stored.count === 0 ? 'valid' : 'invalid');
      } catch (err) {
        await fail(batchId, err);
        throw err;
      }
    },

    async runCommit(batchId, progress = noProgress, by = { actor: jobCtx.actor, locale: 'zh-CN' }) {
      const row = await repo.batches.byId(db, batchId);
      if (!row || row.state !== 'committing' || !row.file_id) return;
      try {
        // Reading and checking the file happens before the transaction (and reports progress
        // through the job, which writes with its own connection — on SQLite, the only one, so
        // never while the transaction below is open).
        await progress(0, null, 'reading');
        const entry = parsed.get(batchId);
        parsed.delete(batchId);
        const cached = entry && entry.fileId === row.file_id ? entry : undefined;
        const parser = cached ? cached.parser : await parse(row, progress, 'reading', by.locale);
        if (parser.errors.length > 0 || !parser.usable) {
          const stored = store(parser.errors);
          await repo.batches.update(db, batchId, { state: 'invalid', error_count: stored.count, errors_json: stored.json, updated_at: now() });
          return;
        }
        await progress(parser.totalRows, parser.totalRows * 2, 'writing');
        const at = now();
        // Audited as the person who pressed "commit", though a job does the work.
        const ctx: RequestContext = { ...systemContext('data-exchange'), actor: by.actor, locale: by.locale };
        const outcome = await db.transaction().execute((tx) =>
          withRoomForWrites(tx, async () => {
            // What is written is what was checked: validation's plan if nothing has changed since
            // (see `parsed`), otherwise resolved again inside the transaction.
            const plan = cached && cached.auditHead === (await deps.audit.head(tx)) ? cached.plan : await resolve(tx, parser, { ids: deps.ids, cipher: deps.cipher, now: at, communityId: row.community_id, locale: by.locale });
            if (plan.errors.length > 0) return { plan, written: undefined };
            const written = await plan.write(tx, at);
            await repo.batches.update(tx, batchId, { state: 'committed', created_count: plan.created, unchanged_count: plan.unchanged, committed_at: at, updated_at: at, error_count: 0, errors_json: '[]' });
            // One audit record per batch, with the counts.
            await deps.audit.record(tx, ctx, {
              action: 'data.import.commit',
              entityType: 'import_batch',
              entityId: batchId,
              communityId: row.community_id,
              after: { kind: row.kind, fileName: row.file_name, rows: parser.totalRows, created: plan.created, unchanged: plan.unchanged, ...written },
            });
            return { plan, written };
          }),
        );
        if (!outcome.written) {
          const stored = store(outcome.plan.errors);
          await repo.batches.update(db, batchId, { state: 'invalid', error_count: stored.count, errors_json: stored.json, created_count: 0, unchanged_count: 0, updated_at: now() });
        }
        await progress(parser.totalRows * 2, parser.totalRows * 2, outcome.written ? 'committed' : 'invalid');
      } catch (err) {
        await fail(batchId, err);
        throw err;
      }
    },
  };

  deps.jobs.register(VALIDATE_JOB, async (job) => {
    const payload = job.payload as { batchId: string; locale?: Locale };
    await service.validate(payload.batchId, (d, t, n) => job.progress(d, t, n), payload.locale ?? 'zh-CN');
  });
  deps.jobs.register(COMMIT_JOB, async (job) => {
    const payload = job.payload as { batchId: string; actor?: Actor; locale?: Locale };
    await service.runCommit(payload.batchId, (d, t, n) => job.progress(d, t, n), { actor: payload.actor ?? jobCtx.actor, locale: payload.locale ?? 'zh-CN' });
  });
  return service;
}
