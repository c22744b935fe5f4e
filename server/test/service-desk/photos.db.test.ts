import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileInfo, FileList, ServiceRequest } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { signedIn } from '../people/fixtures.js';
import { jpeg, upload } from '../files/fixtures.js';
import { categoryId, deskCommunity, makeResident, makeRoom } from './fixtures.js';

/**
 * Photos of a request (files owner type `service_request`): besides staff of the community, the
 * parties to the request — its requester (and the household of its room) and the technician it is
 * dispatched to — may attach and see them; nobody else may, and a party deletes only their own.
 */
let c: TestCourtyard;
let requestId: string;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  c = await startCourtyard();
  const A = await deskCommunity(c, 'A');
  const room101 = await makeRoom(c, A, '1-1-101');
  const room102 = await makeRoom(c, A, '1-1-102');
  const plumbing = await categoryId(c, A, 'repair_room', 'plumbing');
  await makeUser(c, { username: 'cs', role: 'customer_service', communityId: A });
  const u1 = await makeUser(c, { username: 'tech1', role: 'technician', communityId: A });
  const u2 = await makeUser(c, { username: 'tech2', role: 'technician', communityId: A });
  await makeResident(c, 'owner1', A, room101);
  await makeResident(c, 'owner2', A, room102);
  const t1 = await c.services.deskConfig.createTechnician(systemContext('test'), { communityId: A, userId: u1, name: '张师傅', skills: [plumbing] });
  await c.services.deskConfig.createTechnician(systemContext('test'), { communityId: A, userId: u2, name: '李师傅', skills: [plumbing] });
  for (const u of ['cs', 'tech1', 'tech2', 'owner1', 'owner2']) clients[u] = await signedIn(c, u);
  const res = await clients.owner1!.post('/api/portal/service-requests', { type: 'repair_room', roomId: room101, categoryId: plumbing, description: '卫生间漏水' });
  expect(res.statusCode, res.body).toBe(201);
  requestId = res.json<ServiceRequest>().id;
  await clients.cs!.post(`/api/service-requests/${requestId}/transitions`, { action: 'accept' });
  const d = await clients.cs!.post(`/api/service-requests/${requestId}/transitions`, { action: 'dispatch', technicianId: t1.id });
  expect(d.statusCode, d.body).toBe(200);
});
afterAll(async () => {
  await c.dispose();
});

const owner = () => ({ ownerType: 'service_request', ownerId: requestId, category: 'photo' });

describe('photos of a service request', () => {
  it('the requester and the assigned technician attach photos; staff and both parties see them on the request', async () => {
    const mine = await upload(clients.owner1!, owner(), { name: 'leak.jpg', data: await jpeg(320, 240) });
    expect(mine.statusCode, mine.body).toBe(201);
    const tech = await upload(clients.tech1!, owner(), { name: 'fixed.jpg', data: await jpeg(320, 240) });
    expect(tech.statusCode, tech.body).toBe(201);
    for (const who of ['cs', 'owner1', 'tech1']) {
      const list = await clients[who]!.get(`/api/files?ownerType=service_request&ownerId=${requestId}`);
      expect(list.statusCode, `${who}: ${list.body}`).toBe(200);
      expect(list.json<FileList>().items).toHaveLength(2);
    }
    const thumb = await clients.owner1!.get(`/api/files/${tech.json<FileInfo>().id}/thumbnail`);
    expect(thumb.statusCode).toBe(200);
    const detail = (await clients.owner1!.get(`/api/service-requests/${requestId}`)).json<ServiceRequest>();
    expect(detail.photoIds).toHaveLength(2);
  });

  it('another household and a technician it is not dispatched to can neither attach nor list', async () => {
    for (const who of ['owner2', 'tech2']) {
      const up = await upload(clients[who]!, owner(), { name: 'x.jpg', data: await jpeg(64, 64) });
      expect(up.statusCode, `${who}: ${up.body}`).toBe(403);
      const list = await clients[who]!.get(`/api/files?ownerType=service_request&ownerId=${requestId}`);
      expect(list.statusCode).toBe(403);
    }
  });

  it('a party deletes only a photo they uploaded', async () => {
    const list = (await clients.cs!.get(`/api/files?ownerType=service_request&ownerId=${requestId}`)).json<FileList>().items;
    const ownerPhoto = list.find((f) => f.name === 'leak.jpg')!;
    const techPhoto = list.find((f) => f.name === 'fixed.jpg')!;
    expect((await clients.owner1!.request('DELETE', `/api/files/${techPhoto.id}`)).statusCode).toBe(403);
    expect((await clients.owner1!.request('DELETE', `/api/files/${ownerPhoto.id}`)).statusCode).toBe(200);
  });
});
