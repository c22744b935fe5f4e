import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError, fieldError } from './errors.js';
import { schemaErrorFields } from './schema-errors.js';

// Multipart fields are checked with TypeBox's own validator, which knows no formats by itself.
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v));

const malformed = (en: string, zh: string) => new AppError('request.invalid', [fieldError('/body', en, zh)]);

/** Multipart parser failures are the client's (truncated body, bad boundary, limits): 4xx, never 5xx. */
function asClientError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppError('files.too_large');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError('request.unsupported_media_type');
  return malformed(err instanceof Error ? err.message.slice(0, 200) : 'malformed multipart body', '上传内容格式不正确');
}

export interface UploadPart {
  filename: string;
  file: Readable;
}

/**
 * One upload in the shape every upload route uses: named fields first (checked against `fields`),
 * then exactly one part named `file`, streamed to `handle` — never buffered. `rest()` is for
 * `handle` to call once the file is consumed: anything after it (a second file, late fields, a
 * truncated end) refuses the whole upload before it is recorded. Needs @fastify/multipart
 * registered in the route's scope.
 */
export async function receiveUpload<S extends TSchema, R>(
  request: FastifyRequest,
  fields: S,
  handle: (values: Static<S>, part: UploadPart, rest: () => Promise<void>) => Promise<R>,
): Promise<R> {
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
    const values: Record<string, string> = {};
    let r = await next();
    for (; !r.done && r.value.type === 'field'; r = await next()) {
      const p = r.value;
      if (typeof p.value !== 'string' || p.fieldnameTruncated || p.valueTruncated || Object.hasOwn(values, p.fieldname)) throw malformed(`field ${p.fieldname} is invalid`, `字段 ${p.fieldname} 不正确`);
      values[p.fieldname] = p.value;
    }
    if (r.done) throw new AppError('request.invalid', [fieldError('/body/file', 'no file part', '缺少文件')]);
    const part = r.value;
    if (part.type !== 'file') throw malformed('a file part is expected', '此处应为文件');
    file = part.file;
    if (part.fieldname !== 'file') throw malformed('the file part must be named "file"', '文件字段必须名为 file');
    if (!Value.Check(fields, values)) {
      throw new AppError('request.invalid', schemaErrorFields(Value.Errors(fields, values), '/body'));
    }
    const rest = async () => {
      const after = await next();
      if (!after.done) {
        if (after.value.type === 'file') after.value.file.destroy();
        throw malformed('only the listed fields and one file are expected, in that order', '只能依次包含规定的字段和一个文件');
      }
    };
    return await handle(values, { filename: part.filename, file: part.file }, rest);
  } catch (err) {
    // A refused upload may still have bytes in flight. Stop parsing them, but read and drop the
    // rest of the body: a keep-alive connection closed with unread data is reset, and the client
    // would lose this answer or its next request.
    if (file && !file.readableEnded) file.destroy();
    if (!request.raw.readableEnded) {
      request.raw.unpipe();
      request.raw.resume();
    }
    throw err;
  }
}
