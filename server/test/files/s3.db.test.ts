import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import sharp from 'sharp';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage, createStorage, ObjectNotFoundError, parseS3Url, type FileStorage } from '../../src/modules/files/index.js';
import { Client, makeCommunity, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { elf, infoOf, jpeg, sha256, tempDir, upload } from './fixtures.js';

/** A real S3-compatible server (s3rver) on a random port, with an empty bucket `courtyard`. */
let server: S3rver;
let s3dir: string;
let url: string;
let storage: FileStorage;
let client: S3Client;

async function keys(): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: 'courtyard' }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function bytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  s3dir = tempDir();
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: 'courtyard' }] });
  const { port } = await server.run();
  url = `s3://S3RVER:S3RVER@127.0.0.1:${port}/courtyard?region=cn-north-1&forcePathStyle=true&tls=false`;
  storage = createStorage({ url });
  const location = parseS3Url(url);
  client = new S3Client({ endpoint: location.endpoint, region: location.region, forcePathStyle: true, credentials: location.credentials! });
});
afterAll(async () => {
  client.destroy();
  await server.close();
  fs.rmSync(s3dir, { recursive: true, force: true });
});

describe('the S3 storage against a real S3-compatible server', () => {
  it('parses the configuration URL: endpoint, bucket, key prefix, region, path style, credentials', () => {
    expect(parseS3Url('s3://AK%2B1:SK%2F2@minio.local:9000/bucket/courtyard/prod?region=cn-east-1&forcePathStyle=true')).toEqual({
      endpoint: 'https://minio.local:9000',
      bucket: 'bucket',
      prefix: 'courtyard/prod/',
      region: 'cn-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AK+1', secretAccessKey: 'SK/2' },
    });
    expect(parseS3Url('s3://s3.amazonaws.com/b')).toMatchObject({ endpoint: 'https://s3.amazonaws.com', region: 'us-east-1', forcePathStyle: false, credentials: undefined, prefix: '' });
    expect(() => parseS3Url('s3://host:9000/')).toThrow(/bucket/);
    expect(() => parseS3Url('s3://AK@host/b')).toThrow(/both/);
    expect(() => parseS3Url('s3://host/b?tls=maybe')).toThrow(/tls must be true or false/);
    expect(() => parseS3Url('s3://host/b?sslmode=off')).toThrow(/unknown parameter/);
  });

  it('round-trips a 12 MiB object through a multipart upload with its size and SHA-256, then deletes it', async () => {
    const data = crypto.randomBytes(12 * 1024 * 1024);
    // Uneven chunks, as a network upload delivers them.
    const chunks = [data.subarray(0, 1_000_003), data.subarray(1_000_003, 7_000_000), data.subarray(7_000_000)];
    const stored = await storage.put('2026/03/round-trip', Readable.from(chunks));
    expect(stored).toEqual({ size: data.length, sha256: sha256(data) });
    expect(await storage.exists('2026/03/round-trip')).toBe(true);
    expect((await bytes(await storage.get('2026/03/round-trip'))).equals(data)).toBe(true);
    await storage.delete('2026/03/round-trip');
    expect(await storage.exists('2026/03/round-trip')).toBe(false);
    await expect(storage.get('2026/03/round-trip')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await storage.delete('2026/03/round-trip'); // deleting twice is fine
  });

  it('leaves nothing in the bucket when the stream fails half-way', async () => {
    async function* failing() {
      yield crypto.randomBytes(6 * 1024 * 1024);
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error('client went away');
    }
    const before = await keys();
    await expect(storage.put('2026/03/broken', Readable.from(failing()))).rejects.toThrow('client went away');
    expect(await keys()).toEqual(before);
  });

  it('refuses keys that are not plain relative keys', async () => {
    await expect(createS3Storage(parseS3Url(url)).put('../x', Readable.from([Buffer.from('x')]))).rejects.toThrow(/invalid storage key/);
  });
});

describe('uploads through the application on S3 storage', () => {
  let c: TestCourtyard;
  let manager: Client;
  let community: string;
  beforeAll(async () => {
    c = await startCourtyard({ files: { url, maxBytes: 6 * 1024 * 1024 } });
    community = await makeCommunity(c, 'S3');
    await makeUser(c, { username: 'mgr_s3', role: 'property_manager', communityId: community });
    manager = new Client(c.app);
    await manager.signIn('mgr_s3');
  });
  afterAll(() => c.dispose());

  it('stores a photo and its thumbnail in the bucket and serves both back', async () => {
    const photo = await jpeg(800, 600);
    const res = await upload(manager, { ownerType: 'community', ownerId: community }, { name: 'gate.jpg', data: photo });
    expect(res.statusCode).toBe(201);
    const info = infoOf(res);
    expect(info).toMatchObject({ sha256: sha256(photo), sizeBytes: photo.length, hasThumbnail: true, contentType: 'image/jpeg' });
    const stored = await keys();
    expect(stored.filter((k) => k.endsWith(info.id))).toHaveLength(1);
    expect(stored.filter((k) => k.endsWith(`${info.id}.thumb.webp`))).toHaveLength(1);
    const content = await manager.get(`/api/files/${info.id}/content`);
    expect(content.rawPayload.equals(photo)).toBe(true);
    const thumb = await sharp((await manager.get(`/api/files/${info.id}/thumbnail`)).rawPayload).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 320, 240]);
  });

  it('an over-size upload that already sent a multipart part → 413 files.too_large, and no object in the bucket', async () => {
    const before = await keys();
    const res = await upload(manager, { ownerType: 'community', ownerId: community }, { name: 'big.txt', data: Buffer.alloc(6 * 1024 * 1024 + 1, 'a') });
    expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([413, 'files.too_large']);
    expect(await keys()).toEqual(before);
  });

  it('a refused upload leaves no object in the bucket', async () => {
    const before = await keys();
    const res = await upload(manager, { ownerType: 'community', ownerId: community }, { name: 'cat.png', data: elf() });
    expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([415, 'files.type_not_allowed']);
    expect(await keys()).toEqual(before);
  });
});
