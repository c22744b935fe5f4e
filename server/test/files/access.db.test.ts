import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileInfo } from '@courtyard/contracts';
import { Client, enrolMfa, makeCommunity, makeUser, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';
import { filesUnder, infoOf, jpeg, png, tempDir, upload } from './fixtures.js';

let c: TestCourtyard;
let dir: string;
let communityA: string;
let communityB: string;
let managerA: Client;
let managerB: Client;
let serviceA: Client;
let resident: string;
let rootSecret: string;
let fileA: FileInfo;
let fileB: FileInfo;

const admin = () => signInWithMfa(c.app, c.clock, 'root', rootSecret);
const code = (res: { json: <T>() => T }) => res.json<{ code: string }>().code;

async function signIn(username: string): Promise<Client> {
  const client = new Client(c.app);
  await client.signIn(username);
  return client;
}

beforeAll(async () => {
  dir = tempDir();
  c = await startCourtyard({ files: { dataDir: dir } });
  communityA = await makeCommunity(c, 'FA');
  communityB = await makeCommunity(c, 'FB');
  await makeUser(c, { username: 'mgr_a', role: 'property_manager', communityId: communityA });
  await makeUser(c, { username: 'mgr_b', role: 'property_manager', communityId: communityB });
  await makeUser(c, { username: 'svc_a', role: 'customer_service', communityId: communityA });
  resident = await makeUser(c, { username: 'resident1', kind: 'owner', role: 'resident', communityId: communityA });
  await makeUser(c, { username: 'root', role: 'system_admin' });
  const root = await signIn('root');
  rootSecret = (await enrolMfa(root, c.clock)).secret;
  managerA = await signIn('mgr_a');
  managerB = await signIn('mgr_b');
  serviceA = await signIn('svc_a');
  fileA = infoOf(await upload(managerA, { ownerType: 'community', ownerId: communityA, category: 'photo' }, { name: 'a.png', data: await png() }));
  fileB = infoOf(await upload(managerB, { ownerType: 'community', ownerId: communityB }, { name: 'b.txt', data: Buffer.from('B only') }));
});
afterAll(async () => {
  await c.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('data scope through the owning record', () => {
  it("a manager of community A gets 403 auth.out_of_scope for every way into B's file, and never its bytes", async () => {
    for (const url of [`/api/files/${fileB.id}`, `/api/files/${fileB.id}/content`, `/api/files/${fileB.id}/thumbnail`, `/api/files?ownerType=community&ownerId=${communityB}`]) {
      const res = await managerA.get(url);
      expect([url, res.statusCode, code(res)]).toEqual([url, 403, 'auth.out_of_scope']);
      expect(res.body).not.toContain('B only');
    }
    const del = await managerA.delete(`/api/files/${fileB.id}`);
    expect([del.statusCode, code(del)]).toEqual([403, 'auth.out_of_scope']);
    expect((await managerB.get(`/api/files/${fileB.id}`)).statusCode).toBe(200);
  });

  it("refuses an upload to B by A's manager before a byte is stored", async () => {
    const before = filesUnder(dir);
    const res = await upload(managerA, { ownerType: 'community', ownerId: communityB }, { name: 'x.txt', data: Buffer.from('sneaky') });
    expect([res.statusCode, code(res)]).toEqual([403, 'auth.out_of_scope']);
    expect(filesUnder(dir)).toEqual(before);
  });

  it('customer service of A may list and download A’s files but not upload or delete them (403 auth.forbidden)', async () => {
    const list = (await serviceA.get(`/api/files?ownerType=community&ownerId=${communityA}`)).json<{ items: FileInfo[] }>();
    expect(list.items.map((f) => f.id)).toContain(fileA.id);
    expect((await serviceA.get(`/api/files/${fileA.id}/content`)).statusCode).toBe(200);
    const up = await upload(serviceA, { ownerType: 'community', ownerId: communityA }, { name: 'x.txt', data: Buffer.from('x') });
    expect([up.statusCode, code(up)]).toEqual([403, 'auth.forbidden']);
    const del = await serviceA.delete(`/api/files/${fileA.id}`);
    expect([del.statusCode, code(del)]).toEqual([403, 'auth.forbidden']);
  });

  it('an owner without staff permissions is refused (403) even for files of their own community', async () => {
    const client = await signIn('resident1');
    const res = await client.get(`/api/files/${fileA.id}`);
    expect([res.statusCode, code(res)]).toEqual([403, 'auth.forbidden']);
  });

  it('an organisation-wide administrator reaches the files of every community', async () => {
    const root = await admin();
    expect((await root.get(`/api/files/${fileA.id}`)).statusCode).toBe(200);
    expect((await root.get(`/api/files/${fileB.id}/content`)).body).toBe('B only');
  });

  it('answers 404 for an unknown file and for a thumbnail that does not exist', async () => {
    expect((await managerA.get('/api/files/01a20fba-bc25-7894-92fa-ed59faf81c69')).statusCode).toBe(404);
    expect((await managerB.get(`/api/files/${fileB.id}/thumbnail`)).statusCode).toBe(404);
  });
});

describe('listing and deleting', () => {
  it('lists an owner’s files newest first, page by page with a keyset cursor', async () => {
    const owner = await makeCommunity(c, 'FL');
    await makeUser(c, { username: 'mgr_l', role: 'property_manager', communityId: owner });
    const client = await signIn('mgr_l');
    const names: string[] = [];
    for (let i = 1; i <= 5; i++) {
      c.clock.advance(1000);
      names.push(`n${i}.txt`);
      expect((await upload(client, { ownerType: 'community', ownerId: owner }, { name: `n${i}.txt`, data: Buffer.from(`file ${i}`) })).statusCode).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/files?ownerType=community&ownerId=${owner}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await client.get(url)).json<{ items: FileInfo[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((f) => f.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].reverse());
    const bad = await client.get(`/api/files?ownerType=community&ownerId=${owner}&cursor=${Buffer.from('["x"]').toString('base64url')}`);
    expect([bad.statusCode, code(bad)]).toEqual([400, 'request.invalid']);
  });

  it('soft-deletes: the file disappears from the list and answers 404, the deletion is audited, and the upload was too', async () => {
    const info = infoOf(await upload(managerA, { ownerType: 'community', ownerId: communityA }, { name: 'old.txt', data: Buffer.from('old') }));
    const uploaded = await c.services.audit.list(c.database.db, { action: 'files.upload', entityId: info.id, limit: 1 });
    expect(uploaded.items[0]).toMatchObject({ action: 'files.upload', result: 'success', communityId: communityA, actorName: 'mgr_a' });
    expect(uploaded.items[0]!.after).toMatchObject({ name: 'old.txt', sha256: info.sha256, sizeBytes: 3 });

    expect((await managerA.delete(`/api/files/${info.id}`)).json()).toEqual({ ok: true });
    expect((await managerA.get(`/api/files/${info.id}`)).statusCode).toBe(404);
    expect((await managerA.get(`/api/files/${info.id}/content`)).statusCode).toBe(404);
    expect((await managerA.delete(`/api/files/${info.id}`)).statusCode).toBe(404);
    const list = (await managerA.get(`/api/files?ownerType=community&ownerId=${communityA}`)).json<{ items: FileInfo[] }>();
    expect(list.items.map((f) => f.id)).not.toContain(info.id);
    const deleted = await c.services.audit.list(c.database.db, { action: 'files.delete', entityId: info.id, limit: 5 });
    expect(deleted.items).toHaveLength(1);
    expect(deleted.items[0]).toMatchObject({ communityId: communityA, actorName: 'mgr_a' });
  });
});

describe("a user's files and sensitive categories", () => {
  it('an ID card is sensitive: each download (and thumbnail view) is audited with who and what; a general file is not', async () => {
    const root = await admin();
    const idCard = infoOf(await upload(root, { ownerType: 'user', ownerId: resident, category: 'id_card' }, { name: '身份证正面.jpg', data: await jpeg(400, 250) }));
    expect(idCard).toMatchObject({ ownerType: 'user', communityId: null, category: 'id_card', sensitive: true, hasThumbnail: true });
    const general = infoOf(await upload(root, { ownerType: 'user', ownerId: resident }, { name: 'note.txt', data: Buffer.from('hello') }));
    expect(general.sensitive).toBe(false);

    const before = (await c.services.audit.list(c.database.db, { action: 'files.download', limit: 50 })).items.length;
    expect((await root.get(`/api/files/${idCard.id}/content`)).statusCode).toBe(200);
    expect((await root.get(`/api/files/${idCard.id}/thumbnail`)).statusCode).toBe(200);
    expect((await root.get(`/api/files/${general.id}/content`)).statusCode).toBe(200);
    const after = (await c.services.audit.list(c.database.db, { action: 'files.download', limit: 50 })).items;
    expect(after.length).toBe(before + 2);
    expect(after.every((r) => r.entityId === idCard.id && r.actorName === 'root')).toBe(true);
    expect(after.map((r) => (r.after as { variant: string }).variant).sort()).toEqual(['content', 'thumbnail']);
    // Metadata alone is not a download.
    await root.get(`/api/files/${idCard.id}`);
    expect((await c.services.audit.list(c.database.db, { action: 'files.download', limit: 50 })).items.length).toBe(before + 2);
  });

  it("a property manager (no user administration) cannot see or attach a user's files", async () => {
    const res = await managerA.get(`/api/files?ownerType=user&ownerId=${resident}`);
    expect([res.statusCode, code(res)]).toEqual([403, 'auth.forbidden']);
    const up = await upload(managerA, { ownerType: 'user', ownerId: resident }, { name: 'x.txt', data: Buffer.from('x') });
    expect([up.statusCode, code(up)]).toEqual([403, 'auth.forbidden']);
  });

  it('an owner that does not exist → 404 files.owner_not_found', async () => {
    const root = await admin();
    const res = await root.get('/api/files?ownerType=user&ownerId=01a20fba-bc25-7894-92fa-ed59faf81c69');
    expect([res.statusCode, code(res)]).toEqual([404, 'files.owner_not_found']);
  });
});
