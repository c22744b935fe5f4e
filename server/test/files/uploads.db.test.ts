import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BYTES } from '../../src/modules/files/index.js';
import { Client, makeCommunity, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { bigZipWith, EICAR, eicarScanner, elf, streamedXlsx, filesUnder, infoOf, jpeg, multipart, png, sha256, tempDir, upload, windowsExe, xlsx, zip } from './fixtures.js';

let c: TestCourtyard;
let dir: string;
let manager: Client;
let communityA: string;
const scanner = eicarScanner();
const owner = () => ({ ownerType: 'community', ownerId: communityA });

beforeAll(async () => {
  dir = tempDir();
  c = await startCourtyard({ files: { dataDir: dir, scanner } });
  communityA = await makeCommunity(c, 'UPA');
  await makeUser(c, { username: 'mgr_up', role: 'property_manager', communityId: communityA });
  manager = new Client(c.app);
  await manager.signIn('mgr_up');
});
afterAll(async () => {
  await c.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Asserts a refusal: the status, the code, and that storage holds exactly what it held before. */
async function refused(file: Parameters<typeof upload>[2], status: number, code: string, fields = owner()) {
  const before = filesUnder(dir);
  const res = await upload(manager, fields, file);
  expect({ status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ status, code });
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(filesUnder(dir)).toEqual(before);
  return res;
}

describe('a valid upload', () => {
  it('stores a JPEG photo with the sniffed type, its exact size and SHA-256, and a WebP thumbnail of at most 320 px', async () => {
    const photo = await jpeg(1200, 800);
    const res = await upload(manager, { ...owner(), category: 'photo' }, { name: '小区大门.jpg', data: photo, type: 'application/octet-stream' });
    expect(res.statusCode).toBe(201);
    const info = infoOf(res);
    expect(info).toMatchObject({ ownerType: 'community', ownerId: communityA, communityId: communityA, category: 'photo', name: '小区大门.jpg', contentType: 'image/jpeg', sizeBytes: photo.length, sha256: sha256(photo), hasThumbnail: true, sensitive: false });

    const content = await manager.get(`/api/files/${info.id}/content`);
    expect(content.statusCode).toBe(200);
    expect(content.rawPayload.equals(photo)).toBe(true);
    expect(sha256(content.rawPayload)).toBe(info.sha256);

    const thumb = await manager.get(`/api/files/${info.id}/thumbnail`);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    const meta = await sharp(thumb.rawPayload).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'webp', width: 320, height: 213 });
  });

  it('makes a thumbnail of a PNG too, and never enlarges a small image', async () => {
    const small = await png(100, 60);
    const info = infoOf(await upload(manager, owner(), { name: 'logo.png', data: small, type: 'image/png' }));
    expect(info).toMatchObject({ contentType: 'image/png', hasThumbnail: true });
    const meta = await sharp((await manager.get(`/api/files/${info.id}/thumbnail`)).rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([100, 60]);
  });

  it('ignores the declared content type: a PNG declared as text/html is stored and served as image/png', async () => {
    const info = infoOf(await upload(manager, owner(), { name: 'chart.png', data: await png(), type: 'text/html' }));
    expect(info.contentType).toBe('image/png');
    expect((await manager.get(`/api/files/${info.id}/content`)).headers['content-type']).toBe('image/png');
  });

  it('accepts PDF, xlsx, UTF-8 text and CSV, each with its own type; documents get no thumbnail', async () => {
    const cases: [string, Buffer, string][] = [
      ['规章制度.pdf', Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), 'application/pdf'],
      ['收费标准.xlsx', xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['说明.txt', Buffer.from('\uFEFF物业服务说明\n第二行\n'), 'text/plain'],
      ['住户.csv', Buffer.from('房号,姓名\n1-101,张三\n'), 'text/csv'],
      ['README', Buffer.from('no extension is no contradiction\n'), 'text/plain'],
    ];
    for (const [name, data, type] of cases) {
      const res = await upload(manager, owner(), { name, data });
      expect([name, res.statusCode]).toEqual([name, 201]);
      expect(infoOf(res)).toMatchObject({ name, contentType: type, hasThumbnail: false, sha256: sha256(data) });
    }
  });

  it('serves a download as an attachment with an RFC 5987 file name, nosniff and the sniffed type', async () => {
    const data = Buffer.from('a,b\n1,2\n');
    const info = infoOf(await upload(manager, owner(), { name: "2026年 三月%账单;v2 (O'Neil).csv", data, type: 'text/html' }));
    const res = await manager.get(`/api/files/${info.id}/content`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-length']).toBe(String(data.length));
    const disposition = String(res.headers['content-disposition']);
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    // The quoted fallback is plain ASCII without quotes, backslashes, % or ; to trip a parser.
    expect(disposition.split('"')[1]).toMatch(/^[\x20-\x7e]+$/);
    expect(disposition.split('"')[1]).not.toMatch(/["\\%;]/);
    expect(disposition.split("filename*=UTF-8''")[1]).toMatch(/^[A-Za-z0-9%._~!$&+^`|-]+$/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe("2026年 三月%账单;v2 (O'Neil).csv");
  });

  it('accepts a name of exactly 200 characters', async () => {
    const name = `${'名'.repeat(196)}.txt`;
    const res = await upload(manager, owner(), { name, data: Buffer.from('ok') });
    expect(res.statusCode).toBe(201);
    expect(infoOf(res).name).toBe(name);
  });
});

describe('a zip whose Office parts come last (streaming writers)', () => {
  const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  it('accepts a > 1 MiB .xlsx from ExcelJS\'s streaming writer ([Content_Types].xml after the sheet) as xlsx', async () => {
    const data = await streamedXlsx(1_200_000);
    expect(data.length).toBeGreaterThan(1024 * 1024);
    // The premise: the part file-type looks for is not where it looks.
    expect(data.indexOf('[Content_Types].xml')).toBeGreaterThan(1024 * 1024);
    const res = await upload(manager, owner(), { name: '住户导入.xlsx', data });
    expect(res.statusCode).toBe(201);
    expect(infoOf(res)).toMatchObject({ contentType: XLSX, sizeBytes: data.length, sha256: sha256(data) });
    expect((await manager.get(`/api/files/${infoOf(res).id}/content`)).rawPayload.equals(data)).toBe(true);
  });

  it('accepts it without an extension too, and refuses it named .docx (400 files.type_mismatch)', async () => {
    const data = await streamedXlsx(300_000);
    expect(infoOf(await upload(manager, owner(), { name: 'export', data })).contentType).toBe(XLSX);
    await refused({ name: 'export.docx', data }, 400, 'files.type_mismatch');
  });

  it.each([
    ['a large zip with no Office parts, named .xlsx', {}],
    ['a large zip with [Content_Types].xml but no workbook, named .xlsx', { '[Content_Types].xml': '<Types/>' }],
  ])('%s → 415 files.type_not_allowed, nothing stored', async (_label, entries) => {
    const data = bigZipWith(entries);
    expect(data.length).toBeGreaterThan(1024 * 1024);
    await refused({ name: 'table.xlsx', data }, 415, 'files.type_not_allowed');
  });
});

describe('refused uploads (each a clear 4xx, nothing left in storage)', () => {
  it('a PNG renamed .exe → 400 files.type_mismatch', async () => {
    await refused({ name: 'setup.exe', data: await png(), type: 'application/x-msdownload' }, 400, 'files.type_mismatch');
  });

  it('a JPEG named .png → files.type_mismatch (the extension must name the real type)', async () => {
    await refused({ name: 'photo.png', data: await jpeg(64, 64), type: 'image/png' }, 400, 'files.type_mismatch');
  });

  it.each([
    ['an ELF executable renamed .png', 'cat.png', elf()],
    ['a Windows executable renamed .png', 'cat.png', windowsExe()],
    ['a shell script (shebang) renamed .png', 'cat.png', Buffer.from('#!/bin/sh\nrm -rf /\n')],
    ['a shell script renamed .txt', 'notes.txt', Buffer.from('#!/usr/bin/env bash\necho hi\n')],
    ['a plain zip renamed .xlsx', 'table.xlsx', zip({ 'a.txt': 'hello' })],
    ['a zip archive', 'backup.zip', zip({ 'a.txt': 'hello' })],
    ['text that is not UTF-8 (GBK)', 'gbk.txt', Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0x0a])],
    ['text with a NUL byte', 'nul.txt', Buffer.from('abc\0def')],
  ])('%s → 415 files.type_not_allowed', async (_label, name, data) => {
    await refused({ name, data, type: 'image/png' }, 415, 'files.type_not_allowed');
  });

  it('invalid UTF-8 deep inside a large text file is caught while streaming', async () => {
    const data = Buffer.concat([Buffer.alloc(300_000, 'a'), Buffer.from([0xff, 0xfe]), Buffer.alloc(1000, 'b')]);
    await refused({ name: 'big.txt', data }, 415, 'files.type_not_allowed');
  });

  it('a 0-byte file → 400 files.empty', async () => {
    await refused({ name: 'empty.pdf', data: Buffer.alloc(0) }, 400, 'files.empty');
  });

  it('a file over the 20 MiB default limit → 413 files.too_large, and not a byte is left in storage (temp files included)', async () => {
    expect(DEFAULT_MAX_BYTES).toBe(20 * 1024 * 1024);
    const before = filesUnder(dir);
    await refused({ name: 'huge.txt', data: Buffer.alloc(DEFAULT_MAX_BYTES + 1, 'a') }, 413, 'files.too_large');
    expect(filesUnder(dir)).toEqual(before);
    expect(filesUnder(dir).filter((f) => f.startsWith('files/.tmp'))).toEqual([]);
  });

  it.each([
    ['../../etc/passwd'],
    ['..\\..\\windows\\system32\\config'],
    ['dir/photo.jpg'],
    ['photo\u0000.jpg'],
    ['bell\u0007.txt'],
    ['csi\u009b.txt'],
    ['tab\there.txt'],
    ['\u202Egnp.exe'],
    [`${'x'.repeat(201)}`],
    ['   '],
  ])('the name %j → 400 files.bad_name', async (name) => {
    await refused({ name, data: Buffer.from('harmless text') }, 400, 'files.bad_name');
  });

  it('a raw line break inside the part header is malformed multipart → 400 request.invalid', async () => {
    await refused({ name: 'line\nbreak.txt', data: Buffer.from('x') }, 400, 'request.invalid');
  });

  it('an EICAR test file → 422 files.infected: the stored object is removed and the attempt is audited', async () => {
    const scannedBefore = scanner.scanned;
    const res = await refused({ name: 'eicar.txt', data: Buffer.from(EICAR) }, 422, 'files.infected');
    expect(res.json()).toMatchObject({ code: 'files.infected' });
    expect(scanner.scanned).toBe(scannedBefore + 1);
    const audit = await c.services.audit.list(c.database.db, { action: 'files.upload', result: 'failure', limit: 5 });
    expect(audit.items[0]).toMatchObject({ action: 'files.upload', result: 'failure' });
    expect(audit.items[0]!.after).toMatchObject({ name: 'eicar.txt', infected: 'EICAR-Test-File' });
  });

  it('the scanner sees every accepted file', async () => {
    const before = scanner.scanned;
    expect((await upload(manager, owner(), { name: 'clean.txt', data: Buffer.from('clean') })).statusCode).toBe(201);
    expect(scanner.scanned).toBe(before + 1);
  });
});

describe('malformed requests', () => {
  it('refuses unknown owner types, bad ids, owners that do not exist and bad categories with 4xx', async () => {
    const data = Buffer.from('x');
    const cases: [Record<string, string>, number, string][] = [
      [{ ownerType: 'spaceship', ownerId: communityA }, 400, 'request.invalid'],
      [{ ownerType: 'community', ownerId: 'not-an-id' }, 400, 'request.invalid'],
      [{ ownerType: 'community' }, 400, 'request.invalid'],
      [{ ownerType: 'community', ownerId: communityA, category: '../x' }, 400, 'request.invalid'],
      [{ ownerType: 'community', ownerId: communityA, extra: 'x' }, 400, 'request.invalid'],
      [{ ownerType: 'community', ownerId: '01a20fba-bc25-7894-92fa-ed59faf81c69' }, 404, 'files.owner_not_found'],
    ];
    for (const [fields, status, code] of cases) {
      const before = filesUnder(dir);
      const res = await upload(manager, fields as { ownerType: string; ownerId: string }, { name: 'a.txt', data });
      expect([fields, res.statusCode, res.json<{ code: string }>().code]).toEqual([fields, status, code]);
      expect(filesUnder(dir)).toEqual(before);
    }
  });

  it('never answers malformed multipart with a 5xx', async () => {
    const good = multipart(owner(), { name: 'a.txt', data: Buffer.from('hello') });
    const boundary = good.contentType.split('boundary=')[1]!;
    const bodies: [string, string | Buffer, string][] = [
      ['no boundary', good.payload, 'multipart/form-data'],
      ['wrong boundary', good.payload, 'multipart/form-data; boundary=nope'],
      ['truncated in the file', good.payload.subarray(0, good.payload.length - 30), good.contentType],
      ['truncated in the headers', good.payload.subarray(0, 60), good.contentType],
      ['empty body', '', good.contentType],
      ['garbage', 'this is not multipart at all', good.contentType],
      ['no file part', multipart(owner()).payload, 'x'],
      ['JSON', JSON.stringify(owner()), 'application/json'],
      ['form encoding', 'ownerType=community', 'application/x-www-form-urlencoded'],
      ['file under another field name', multipart(owner(), { name: 'a.txt', data: Buffer.from('x'), field: 'upload' }).payload, 'x'],
      ['two files', Buffer.concat([Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="ownerType"\r\n\r\ncommunity\r\n--${boundary}\r\ncontent-disposition: form-data; name="ownerId"\r\n\r\n${communityA}\r\n`), ...[1, 2].map((i) => Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${i}.txt"\r\n\r\nhello ${i}\r\n`)), Buffer.from(`--${boundary}--\r\n`)]), good.contentType],
      ['the file before the fields', Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhello\r\n--${boundary}\r\ncontent-disposition: form-data; name="ownerType"\r\n\r\ncommunity\r\n--${boundary}--\r\n`), good.contentType],
      ['a part without headers', Buffer.from(`--${boundary}\r\n\r\nhello\r\n--${boundary}--\r\n`), good.contentType],
      ['an over-long field', multipart({ ...owner(), category: 'x'.repeat(5000) }, { name: 'a.txt', data: Buffer.from('x') }).payload, 'x'],
    ];
    const failures: string[] = [];
    for (const [label, payload, type] of bodies) {
      // Bodies built with their own boundary carry it in their first line.
      const contentType = type === 'x' ? `multipart/form-data; boundary=${Buffer.from(payload).toString('latin1').split('\r\n')[0]!.slice(2)}` : type;
      const before = filesUnder(dir);
      const res = await manager.request('POST', '/api/files', payload, { 'content-type': contentType });
      if (res.statusCode < 400 || res.statusCode >= 500) failures.push(`${label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (!String(res.headers['content-type']).includes('application/problem+json')) failures.push(`${label}: not problem+json`);
      if (JSON.stringify(filesUnder(dir)) !== JSON.stringify(before)) failures.push(`${label}: storage changed`);
    }
    expect(failures).toEqual([]);
    // Nothing was recorded either: the only files of the owner are the ones accepted above.
    const listed = (await manager.get(`/api/files?ownerType=community&ownerId=${communityA}&limit=200`)).json<{ items: { name: string }[] }>().items;
    expect(listed.map((f) => f.name)).not.toContain('1.txt');
  });
});

describe('over a real keep-alive connection', () => {
  it('a refused upload is answered and the same connection serves the next request', async () => {
    const address = await c.app.listen({ port: 0, host: '127.0.0.1' });
    const headers = { cookie: `cy_session=${manager.cookie}`, 'x-csrf-token': manager.csrf! };
    const send = async (name: string, data: Buffer) => {
      const form = new FormData();
      form.append('ownerType', 'community');
      form.append('ownerId', communityA);
      form.append('file', new Blob([data]), name);
      const res = await fetch(`${address}/api/files`, { method: 'POST', headers, body: form });
      return { status: res.status, code: (await res.json() as { code?: string }).code };
    };
    // Refused before the file was read, refused half-way through it, then accepted.
    expect(await send('../../etc/passwd', Buffer.alloc(200_000, 'a'))).toEqual({ status: 400, code: 'files.bad_name' });
    expect(await send('big.txt', Buffer.alloc(DEFAULT_MAX_BYTES + 5_000_000, 'a'))).toEqual({ status: 413, code: 'files.too_large' });
    expect(await send('setup.exe', await png())).toEqual({ status: 400, code: 'files.type_mismatch' });
    expect((await send('fine.txt', Buffer.from('fine'))).status).toBe(201);
  });
});

describe('the size limit', () => {
  it('accepts a file of exactly the configured limit and refuses one byte more', async () => {
    const small = tempDir();
    const other = await startCourtyard({ files: { dataDir: small, maxBytes: 1000 } });
    try {
      const community = await makeCommunity(other, 'LIM');
      await makeUser(other, { username: 'mgr_lim', role: 'property_manager', communityId: community });
      const client = new Client(other.app);
      await client.signIn('mgr_lim');
      const fields = { ownerType: 'community', ownerId: community };
      const atLimit = await upload(client, fields, { name: 'a.txt', data: Buffer.alloc(1000, 'a') });
      expect(atLimit.statusCode).toBe(201);
      const stored = filesUnder(small);
      const over = await upload(client, fields, { name: 'b.txt', data: Buffer.alloc(1001, 'a') });
      expect([over.statusCode, over.json<{ code: string }>().code]).toEqual([413, 'files.too_large']);
      expect(filesUnder(small)).toEqual(stored);
    } finally {
      await other.dispose();
      fs.rmSync(small, { recursive: true, force: true });
    }
  });
});
