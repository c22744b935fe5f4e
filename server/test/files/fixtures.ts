import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import type { FileInfo } from '@courtyard/contracts';
import type { ScanResult, VirusScanner } from '../../src/modules/files/index.js';
import type { Client } from '../harness.js';

export interface FilePart {
  name: string;
  data: Buffer;
  /** The declared type: the server ignores it. */
  type?: string;
  field?: string;
}

/** A multipart/form-data body: the text fields first, then the file (as browsers send it). */
export function multipart(fields: Record<string, string>, file?: FilePart): { payload: Buffer; contentType: string } {
  const boundary = `----courtyard${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    const filename = file.name.replace(/"/g, '%22');
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${file.field ?? 'file'}"; filename="${filename}"\r\ncontent-type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    chunks.push(file.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/files as `client` with the owner fields and one file. */
export function upload(client: Client, owner: { ownerType: string; ownerId: string; category?: string }, file: FilePart): Promise<LightMyRequestResponse> {
  const body = multipart(Object.fromEntries(Object.entries(owner).filter((e): e is [string, string] => e[1] !== undefined)), file);
  return client.request('POST', '/api/files', body.payload, { 'content-type': body.contentType });
}

export const infoOf = (res: LightMyRequestResponse) => res.json<FileInfo>();

/** A real photo-like JPEG (a gradient, so it compresses like one) of the given size. */
export async function jpeg(width = 1200, height = 800): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = ((x + y) * 127) / (width + height);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

export function png(width = 640, height = 480): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 20, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
}

/** A minimal ELF header (x86-64 executable): what a Linux binary starts with. */
export function elf(): Buffer {
  const b = Buffer.alloc(256);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(b);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(0x3e, 18); // x86-64
  return b;
}

/** A minimal PE (Windows .exe): the MZ header pointing at a PE signature. */
export function windowsExe(): Buffer {
  const b = Buffer.alloc(512);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  return b;
}

/** A stored (uncompressed) zip of the given entries, as Office writes its documents. */
export function zip(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const nameBuf = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A minimal .xlsx: `[Content_Types].xml` first, declaring a spreadsheet. */
export function xlsx(): Buffer {
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="xml" ContentType="application/xml"/>' +
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    'xl/workbook.xml': '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>',
  });
}

export const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** The EICAR anti-virus test string, assembled here so that this source file itself is not flagged. */
export const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!', '$H+H*'].join('');

/** A test scanner that flags the EICAR string, as every real scanner does. */
export function eicarScanner(): VirusScanner & { scanned: number } {
  const scanner = {
    scanned: 0,
    async scan(content: Readable | Buffer): Promise<ScanResult> {
      scanner.scanned += 1;
      let data: Buffer;
      if (Buffer.isBuffer(content)) data = content;
      else {
        const chunks: Buffer[] = [];
        for await (const chunk of content) chunks.push(chunk as Buffer);
        data = Buffer.concat(chunks);
      }
      return data.includes(EICAR) ? { status: 'infected', reason: 'EICAR-Test-File' } : { status: 'clean' };
    },
  };
  return scanner;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cy-files-test-'));
}

/** Every regular file under `dir` (the temp area included), relative paths. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .sort();
}

/**
 * An .xlsx written by ExcelJS's streaming writer, as exports and scripts write big workbooks:
 * entries with data descriptors and `[Content_Types].xml` last, after the sheet. Rows of random
 * text until the file is at least `minBytes`.
 */
export async function streamedXlsx(minBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet('data');
  ws.addRow(['房屋编码', '备注']).commit();
  // Random text compresses about 4:3 (hex): rows enough for minBytes of compressed sheet.
  const rows = Math.ceil(minBytes / 60) + 100;
  for (let i = 0; i < rows; i++) ws.addRow([`1-1-${i}`, crypto.randomBytes(40).toString('hex')]).commit();
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

/** A zip holding one large random entry first, then `[Content_Types].xml` — but no workbook part. */
export function bigZipWith(entries: Record<string, string>): Buffer {
  return zip({ 'payload.txt': crypto.randomBytes(800_000).toString('hex'), ...entries });
}
