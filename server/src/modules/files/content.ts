import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { AppError, fieldError } from '../../core/http/errors.js';

/**
 * What an upload may be. The declared content type and the file name's extension are never
 * trusted: the bytes decide (magic numbers through `file-type`), and the extension must agree.
 */
export interface AllowedType {
  /** Stored as `content_type` and served as `content-type`. */
  mime: string;
  /** Extensions (lower case, no dot) a file of this type may carry; none at all is also fine. */
  exts: readonly string[];
  /** Gets a thumbnail. */
  image: boolean;
}

/** Allow-list keyed by `file-type`'s `ext`; anything else it recognises is refused. */
const BY_SIGNATURE: Record<string, AllowedType> = {
  jpg: { mime: 'image/jpeg', exts: ['jpg', 'jpeg', 'jpe', 'jfif'], image: true },
  png: { mime: 'image/png', exts: ['png'], image: true },
  webp: { mime: 'image/webp', exts: ['webp'], image: true },
  gif: { mime: 'image/gif', exts: ['gif'], image: true },
  pdf: { mime: 'application/pdf', exts: ['pdf'], image: false },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', exts: ['xlsx'], image: false },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', exts: ['docx'], image: false },
};
const TEXT: AllowedType = { mime: 'text/plain', exts: ['txt'], image: false };
const CSV: AllowedType = { mime: 'text/csv', exts: ['csv'], image: false };

/** `file-type` reads at most this much for its decision (its own recommended sample size). */
export const SNIFF_BYTES = 4100;
/**
 * How much of a zip's end is kept while it streams, for its central directory (see
 * {@link officeZipChecker}). An xlsx's directory is a few KiB; 1 MiB is thousands of entries.
 */
export const ZIP_TAIL_BYTES = 1024 * 1024;

export const MAX_NAME_LENGTH = 200;

/**
 * Checks an uploaded file's name and returns it NFC-normalised and trimmed. Names are only ever
 * shown and offered back in `content-disposition` (storage keys are generated), but a name with a
 * path (`../../etc/passwd`, `a\\b`), control or bidi-override characters (`photo\u202Egnp.exe`) or
 * over 200 characters is refused outright rather than silently rewritten: the uploader learns why.
 */
export function checkName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0 || length > MAX_NAME_LENGTH) throw new AppError('files.bad_name');
  if (/[/\\]/.test(name) || name === '.' || name === '..') throw new AppError('files.bad_name');
  // C0/C1 controls, DEL, and the Unicode bidi controls used to disguise extensions.
  for (const ch of name) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x200e || cp === 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) throw new AppError('files.bad_name');
  }
  return name;
}

/** The extension after the last dot, lower case; undefined when there is none (or only a leading dot). */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : undefined;
}

/** Refuses a known type whose name carries another type's extension (a PNG named `.exe`). */
function matching(type: AllowedType, ext: string | undefined): AllowedType {
  if (ext !== undefined && !type.exts.includes(ext)) throw new AppError('files.type_mismatch');
  return type;
}

/**
 * Decides the type from the first bytes. Returns `text` when no binary signature was found and
 * the bytes so far could be UTF-8 text: the rest is checked as it streams ({@link textChecker}).
 */
export async function sniff(head: Buffer, name: string): Promise<AllowedType & { text: boolean; officeZip?: boolean }> {
  const ext = extensionOf(name);
  const found = await fileTypeFromBuffer(head);
  // A zip whose first bytes do not show `[Content_Types].xml` may still be an Office document:
  // streaming writers (ExcelJS's among them) put that entry last. Named like one (or not named at
  // all), it is decided from its central directory once the whole file has streamed.
  if (found?.ext === 'zip' && (ext === undefined || ext === 'xlsx' || ext === 'docx')) return { ...BY_SIGNATURE.xlsx!, text: false, officeZip: true };
  if (found) {
    const allowed = BY_SIGNATURE[found.ext];
    // Executables (ELF, PE, Mach-O), archives, media … are refused whatever they are called.
    if (!allowed) throw new AppError('files.type_not_allowed');
    return { ...matching(allowed, ext), text: false };
  }
  // A script is an executable too, even though it is text.
  if (head.subarray(0, 2).toString('latin1') === '#!') throw new AppError('files.type_not_allowed');
  const text = ext === 'csv' ? CSV : TEXT;
  return { ...matching(text, ext), text: true };
}

/** A check over the whole stream; `end` throws to refuse the file (storage then discards it). */
export interface ContentCheck {
  push(chunk: Buffer): void;
  end(): void;
}

/** Checks streamed text: valid UTF-8 (a BOM is fine) and no NUL byte, or `files.type_not_allowed`. */
export function textChecker(): ContentCheck {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const refuse = () => new AppError('files.type_not_allowed');
  return {
    push(chunk) {
      if (chunk.includes(0)) throw refuse();
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        throw refuse();
      }
    },
    end() {
      try {
        decoder.decode();
      } catch {
        throw refuse();
      }
    },
  };
}

/**
 * Entry names of a zip from its central directory, found through the end-of-central-directory
 * record in the last bytes (`tail`, ending at byte `size` of the file). Undefined when the tail
 * holds no complete directory (not a zip, ZIP64, or a directory larger than the tail).
 */
export function zipEntryNames(tail: Buffer, size: number): string[] | undefined {
  const EOCD = 0x06054b50;
  const CENTRAL = 0x02014b50;
  // The record is 22 bytes plus a comment of at most 65,535: search backwards from the end.
  for (let at = tail.length - 22; at >= Math.max(0, tail.length - 22 - 0xffff); at--) {
    if (tail.readUInt32LE(at) !== EOCD || at + 22 + tail.readUInt16LE(at + 20) !== tail.length) continue;
    const count = tail.readUInt16LE(at + 10);
    const dirSize = tail.readUInt32LE(at + 12);
    const dirOffset = tail.readUInt32LE(at + 16);
    if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) return undefined;
    let p = dirOffset - (size - tail.length);
    if (p < 0 || p + dirSize > at) return undefined;
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      if (p + 46 > at || tail.readUInt32LE(p) !== CENTRAL) return undefined;
      const nameLength = tail.readUInt16LE(p + 28);
      names.push(tail.toString('utf8', p + 46, p + 46 + nameLength));
      p += 46 + nameLength + tail.readUInt16LE(p + 30) + tail.readUInt16LE(p + 32);
    }
    return names;
  }
  return undefined;
}

/**
 * Decides a zip that `file-type` could not place from its first bytes: it is an xlsx when its
 * central directory lists `[Content_Types].xml` and `xl/workbook.xml`, a docx with
 * `[Content_Types].xml` and `word/document.xml`; any other zip is refused like any archive. The
 * last {@link ZIP_TAIL_BYTES} stream by in a bounded buffer; `type` is set once the stream ended.
 */
export function officeZipChecker(name: string): ContentCheck & { type: AllowedType | undefined } {
  let chunks: Buffer[] = [];
  let kept = 0;
  let size = 0;
  const checker = {
    type: undefined as AllowedType | undefined,
    push(chunk: Buffer) {
      size += chunk.length;
      chunks.push(chunk);
      kept += chunk.length;
      while (chunks.length > 1 && kept - chunks[0]!.length >= ZIP_TAIL_BYTES) kept -= chunks.shift()!.length;
    },
    end() {
      const tail = Buffer.concat(chunks);
      chunks = [];
      const names = new Set(zipEntryNames(tail, size) ?? []);
      const found = !names.has('[Content_Types].xml') ? undefined : names.has('xl/workbook.xml') ? BY_SIGNATURE.xlsx : names.has('word/document.xml') ? BY_SIGNATURE.docx : undefined;
      if (!found) throw new AppError('files.type_not_allowed');
      checker.type = matching(found, extensionOf(name));
    },
  };
  return checker;
}

/** Thumbnail size: the longer side is at most this many pixels. */
export const THUMBNAIL_PX = 320;

/**
 * A WebP thumbnail of an image (the first frame of an animation), oriented by its EXIF rotation and
 * stripped of metadata. Decompression bombs are bounded by sharp's pixel limit.
 */
export async function makeThumbnail(source: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk as Buffer);
  return sharp(Buffer.concat(chunks), { limitInputPixels: 100_000_000, failOn: 'error' })
    .rotate()
    .resize({ width: THUMBNAIL_PX, height: THUMBNAIL_PX, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
}

/**
 * Reads from `source` until `head` holds at least `bytes` bytes or the source ends. Errors of the
 * source (a truncated or malformed multipart body, a client that went away) become `request.invalid`.
 */
export async function readMore(source: AsyncIterator<Buffer>, head: Buffer, bytes: number): Promise<{ head: Buffer; done: boolean }> {
  const chunks = [head];
  let length = head.length;
  while (length < bytes) {
    const r = await nextChunk(source);
    if (r.done) return { head: Buffer.concat(chunks), done: true };
    chunks.push(r.value);
    length += r.value.length;
  }
  return { head: Buffer.concat(chunks), done: false };
}

export async function nextChunk(source: AsyncIterator<Buffer>): Promise<IteratorResult<Buffer>> {
  try {
    return await source.next();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('request.invalid', [fieldError('/body/file', 'the upload was interrupted or is not well-formed multipart', '上传中断或内容格式不正确')]);
  }
}

/** A Readable of `head` followed by the rest of `source`, stopping with `files.too_large` past `maxBytes`. */
export function limited(head: Buffer, source: AsyncIterator<Buffer>, done: boolean, maxBytes: number, text: ContentCheck | null): Readable {
  async function* body() {
    let total = head.length;
    if (total > maxBytes) throw new AppError('files.too_large');
    text?.push(head);
    yield head;
    if (!done) {
      for (;;) {
        const r = await nextChunk(source);
        if (r.done) break;
        total += r.value.length;
        if (total > maxBytes) throw new AppError('files.too_large');
        text?.push(r.value);
        yield r.value;
      }
    }
    text?.end();
  }
  return Readable.from(body(), { objectMode: false });
}
