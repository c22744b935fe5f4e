import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreatedWebhookEndpoint, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { backoffMs } from '../../src/core/jobs/jobs.js';
import { Client, enrolMfa, makeCommunity, makeUser, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';

// ---------------------------------------------------------------------------------------------
// A receiver written from the documented algorithm (server/src/modules/webhooks/README.md), not
// from the server's code: it recomputes the signature itself.

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
}

/** The verification a receiver does: timestamp within 5 minutes of its clock, then a constant-time signature compare. */
function verify(secret: string, headers: http.IncomingHttpHeaders, rawBody: string, nowSeconds: number): boolean {
  const timestamp = String(headers['x-courtyard-timestamp'] ?? '');
  const signature = String(headers['x-courtyard-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
  return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

type Answer = { status: number; body?: string; headers?: Record<string, string> };
const received: Received[] = [];
const answers = new Map<string, Answer>();
let server: http.Server;
let base: string;

function startReceiver(): Promise<void> {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.get(path) ?? { status: 200, body: 'ok' };
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve();
    });
  });
}

const at = (path: string) => received.filter((r) => r.path === path);
const bodyOf = (r: Received) => JSON.parse(r.rawBody) as { id: string; type: string; occurredAt: string; communityId: string | null; data: Record<string, unknown> };

// ---------------------------------------------------------------------------------------------

let c: TestCourtyard;
let rootSecret: string;
const nowSeconds = () => Math.floor(c.clock.now().getTime() / 1000);
const admin = () => signInWithMfa(c.app, c.clock, 'root', rootSecret);
const drain = () => c.services.jobs.runDue();

async function createEndpoint(client: Client, path: string, eventTypes: string[], name = path): Promise<CreatedWebhookEndpoint> {
  const res = await client.post('/api/webhooks', { name, url: `${base}${path}`, eventTypes });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CreatedWebhookEndpoint>();
}

async function deliveries(client: Client, endpointId: string): Promise<WebhookDelivery[]> {
  const res = await client.get(`/api/webhooks/${endpointId}/deliveries`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: WebhookDelivery[] }>().items;
}

beforeAll(async () => {
  await startReceiver();
  c = await startCourtyard();
  await makeUser(c, { username: 'root', role: 'system_admin' });
  const client = new Client(c.app);
  await client.signIn('root');
  rootSecret = (await enrolMfa(client, c.clock)).secret;
});
afterAll(async () => {
  await c.dispose();
  await new Promise((resolve) => server.close(resolve));
});
// Events of earlier steps are fanned out before a test registers its endpoints.
beforeEach(async () => {
  await drain();
  received.length = 0;
  answers.clear();
});
afterEach(async () => {
  const client = await admin();
  for (const e of (await client.get('/api/webhooks')).json<{ items: WebhookEndpoint[] }>().items) await client.delete(`/api/webhooks/${e.id}`);
});

describe('signature', () => {
  it('a receiver following the documented algorithm verifies the signature and the timestamp of a real delivery', async () => {
    const client = await admin();
    const { endpoint, secret } = await createEndpoint(client, '/signed', ['identity.user.created']);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const userId = await makeUser(c, { username: 'alice' });
    await drain();

    const [request] = at('/signed');
    expect(at('/signed')).toHaveLength(1);
    const [delivery] = await deliveries(client, endpoint.id);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Courtyard-Webhooks/1',
      'x-courtyard-event': 'identity.user.created',
      'x-courtyard-delivery': delivery!.id,
      'x-courtyard-timestamp': String(nowSeconds()),
    });
    const body = bodyOf(request!);
    expect(body).toEqual({ id: delivery!.eventId, type: 'identity.user.created', occurredAt: expect.any(String) as string, communityId: null, data: { userId, username: 'alice', kind: 'staff' } });
    expect(verify(secret, request!.headers, request!.rawBody, nowSeconds())).toBe(true);
    // Wrong secret, altered body, or a request captured and replayed later are all refused.
    expect(verify(`${secret}x`, request!.headers, request!.rawBody, nowSeconds())).toBe(false);
    expect(verify(secret, request!.headers, request!.rawBody.replace('alice', 'mallory'), nowSeconds())).toBe(false);
    expect(verify(secret, request!.headers, request!.rawBody, nowSeconds() + 301)).toBe(false);
    expect(delivery).toMatchObject({ status: 'succeeded', attemptCount: 1, lastStatusCode: 200, lastResponseExcerpt: 'ok', lastError: null, replayOf: null });
  });
});

describe('fan-out', () => {
  it('only event types an endpoint subscribes to are delivered to it; "*" receives every type', async () => {
    const client = await admin();
    const communities = await createEndpoint(client, '/communities', ['properties.community.created']);
    const everything = await createEndpoint(client, '/everything', ['*']);
    await makeUser(c, { username: 'bob' });
    const communityId = await makeCommunity(c, 'FAN');
    await drain();
    expect(at('/communities').map((r) => bodyOf(r).type)).toEqual(['properties.community.created']);
    expect(bodyOf(at('/communities')[0]!)).toMatchObject({ communityId, data: { communityId, code: 'FAN', type: 'residential' } });
    expect(at('/everything').map((r) => bodyOf(r).type).sort()).toEqual(['identity.user.created', 'properties.community.created']);
    expect((await deliveries(client, communities.endpoint.id)).map((d) => d.eventType)).toEqual(['properties.community.created']);
    expect(await deliveries(client, everything.endpoint.id)).toHaveLength(2);
  });

  it('an event emitted in a transaction that rolls back produces no delivery', async () => {
    const client = await admin();
    const { endpoint } = await createEndpoint(client, '/rollback', ['*']);
    await expect(
      c.database.db.transaction().execute(async (tx) => {
        await c.services.users.createIn(tx, systemContext('test'), { username: 'ghost', displayName: 'ghost', kind: 'staff', password: 'Correct#Horse9' });
        await c.services.events.emit(tx, { type: 'properties.community.created', payload: { communityId: null } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await drain();
    expect(at('/rollback')).toEqual([]);
    expect(await deliveries(client, endpoint.id)).toEqual([]);
  });

  it('the fan-out handler is idempotent: running it again for the same event creates no second delivery', async () => {
    const client = await admin();
    const { endpoint } = await createEndpoint(client, '/once', ['identity.user.created']);
    await makeUser(c, { username: 'carol' });
    await drain();
    const [delivery] = await deliveries(client, endpoint.id);
    // The worker died after the handlers ran but before their jobs were marked done: they run again.
    await c.database.db.updateTable('jobs').set({ status: 'queued' }).where('unique_key', 'in', [`event:webhooks.fanout:${delivery!.eventId}`, `webhooks.deliver:${delivery!.id}`]).execute();
    expect(await drain()).toBe(2);
    expect(await deliveries(client, endpoint.id)).toHaveLength(1);
    expect(at('/once')).toHaveLength(1);
  });

  it('a disabled endpoint receives nothing until it is enabled again', async () => {
    const client = await admin();
    const { endpoint } = await createEndpoint(client, '/paused', ['identity.user.created']);
    expect((await client.post(`/api/webhooks/${endpoint.id}/disable`)).json<WebhookEndpoint>()).toMatchObject({ active: false, disabledAt: c.clock.now().toISOString() });
    await makeUser(c, { username: 'dave' });
    await drain();
    expect(at('/paused')).toEqual([]);
    expect((await client.post(`/api/webhooks/${endpoint.id}/test`)).json()).toMatchObject({ code: 'webhooks.endpoint_disabled' });
    await client.post(`/api/webhooks/${endpoint.id}/enable`);
    await makeUser(c, { username: 'erin' });
    await drain();
    expect(at('/paused').map((r) => bodyOf(r).data.username)).toEqual(['erin']);
  });
});

describe('retries', () => {
  it('a receiver answering 500 is retried with backoff; after the 8th attempt the delivery is failed, every attempt logged', async () => {
    const client = await admin();
    answers.set('/broken', { status: 500, body: 'E'.repeat(2000) });
    const { endpoint } = await createEndpoint(client, '/broken', ['properties.community.created']);
    await makeCommunity(c, 'RETRY');
    await drain();
    const [first] = await deliveries(client, endpoint.id);
    expect(first).toMatchObject({ status: 'queued', attemptCount: 1, lastStatusCode: 500, lastError: 'HTTP 500', nextAttemptAt: new Date(c.clock.now().getTime() + 10_000).toISOString() });
    expect(first!.lastResponseExcerpt).toHaveLength(500);

    await drain(); // not due yet
    expect(at('/broken')).toHaveLength(1);
    for (let attempt = 1; attempt < 8; attempt++) {
      c.clock.advance(backoffMs(attempt) - 1);
      await drain();
      expect(at('/broken')).toHaveLength(attempt); // one millisecond early: nothing
      c.clock.advance(1);
      await drain();
      expect(at('/broken')).toHaveLength(attempt + 1);
    }
    c.clock.advance(3_600_000);
    await drain();
    expect(at('/broken')).toHaveLength(8);

    // (the session ended while the clock ran ahead: sign in again)
    const detail = (await (await admin()).get(`/api/webhooks/deliveries/${first!.id}`)).json<WebhookDeliveryDetail>();
    expect(detail).toMatchObject({ status: 'failed', attemptCount: 8, lastStatusCode: 500, nextAttemptAt: null, deliveredAt: null });
    expect(detail.attempts.map((a) => [a.attempt, a.statusCode, a.error, a.responseExcerpt?.length])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, 500, 'HTTP 500', 500]));
    // Every attempt carries the same delivery id, each with its own timestamp and a valid signature.
    expect(new Set(at('/broken').map((r) => r.headers['x-courtyard-delivery']))).toEqual(new Set([first!.id]));
    expect(new Set(at('/broken').map((r) => r.headers['x-courtyard-timestamp'])).size).toBe(8);
    const job = await c.database.db.selectFrom('jobs').select(['status', 'attempts']).where('unique_key', '=', `webhooks.deliver:${first!.id}`).executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'failed', attempts: 8 });
  });

  it('a network error and a redirect are failures too; the redirect is not followed', async () => {
    const client = await admin();
    answers.set('/moved', { status: 302, headers: { location: `${base}/elsewhere` } });
    const moved = await createEndpoint(client, '/moved', ['identity.user.created']);
    const closed = (await client.post('/api/webhooks', { name: 'closed', url: 'http://127.0.0.1:1/hook', eventTypes: ['identity.user.created'] })).json<CreatedWebhookEndpoint>();
    await makeUser(c, { username: 'frank' });
    await drain();
    const [redirected] = await deliveries(client, moved.endpoint.id);
    expect(redirected).toMatchObject({ status: 'queued', lastStatusCode: 302 });
    expect(redirected!.lastError).toContain('redirect not followed');
    expect(at('/elsewhere')).toEqual([]);
    const [refused] = await deliveries(client, closed.endpoint.id);
    expect(refused).toMatchObject({ status: 'queued', attemptCount: 1, lastStatusCode: null });
    expect(refused!.lastError).toMatch(/ECONNREFUSED|fetch failed/);
  });
});

describe('replay', () => {
  it('replays a delivery as a new delivery of the same event, freshly signed', async () => {
    const client = await admin();
    const { endpoint, secret } = await createEndpoint(client, '/replay', ['identity.user.created']);
    await makeUser(c, { username: 'grace' });
    await drain();
    const [original] = await deliveries(client, endpoint.id);
    c.clock.advance(60_000);

    const res = await client.post(`/api/webhooks/deliveries/${original!.id}/replay`);
    expect(res.statusCode, res.body).toBe(200);
    const replay = res.json<WebhookDelivery>();
    expect(replay).toMatchObject({ status: 'queued', replayOf: original!.id, eventId: original!.eventId, endpointId: endpoint.id });
    await drain();

    const [first, second] = at('/replay');
    expect(at('/replay')).toHaveLength(2);
    expect(second!.rawBody).toBe(first!.rawBody);
    expect(second!.headers['x-courtyard-delivery']).toBe(replay.id);
    expect(Number(second!.headers['x-courtyard-timestamp'])).toBe(Number(first!.headers['x-courtyard-timestamp']) + 60);
    expect(second!.headers['x-courtyard-signature']).not.toBe(first!.headers['x-courtyard-signature']);
    expect(verify(secret, second!.headers, second!.rawBody, nowSeconds())).toBe(true);
    expect((await deliveries(client, endpoint.id)).map((d) => [d.id, d.status])).toEqual([
      [replay.id, 'succeeded'],
      [original!.id, 'succeeded'],
    ]);
  });

  it('refuses to replay a delivery still being retried, or to a disabled endpoint', async () => {
    const client = await admin();
    answers.set('/pending', { status: 503 });
    const { endpoint } = await createEndpoint(client, '/pending', ['identity.user.created']);
    await makeUser(c, { username: 'heidi' });
    await drain();
    const [pending] = await deliveries(client, endpoint.id);
    expect((await client.post(`/api/webhooks/deliveries/${pending!.id}/replay`)).json()).toMatchObject({ status: 409, code: 'webhooks.delivery_pending' });
    await client.post(`/api/webhooks/${endpoint.id}/disable`);
    c.clock.advance(10_000);
    await drain();
    // The queued retry finds the endpoint disabled and gives up without calling it.
    expect(at('/pending')).toHaveLength(1);
    const [given] = await deliveries(client, endpoint.id);
    expect(given).toMatchObject({ status: 'failed', lastError: 'endpoint disabled' });
    expect((await client.post(`/api/webhooks/deliveries/${pending!.id}/replay`)).json()).toMatchObject({ status: 409, code: 'webhooks.endpoint_disabled' });
  });
});

describe('secret', () => {
  it('is returned at creation and rotation only: never by reads, the audit trail or the database in clear', async () => {
    const client = await admin();
    const { endpoint, secret } = await createEndpoint(client, '/secret', ['identity.user.created']);
    const one = await client.get(`/api/webhooks/${endpoint.id}`);
    const list = await client.get('/api/webhooks');
    expect(one.json()).toMatchObject({ id: endpoint.id, secretSet: true });
    expect(one.body).not.toContain(secret);
    expect(list.body).not.toContain(secret);
    expect(JSON.stringify(endpoint)).not.toContain(secret);

    const rotated = (await client.post(`/api/webhooks/${endpoint.id}/rotate-secret`)).json<{ secret: string }>().secret;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    expect((await client.get(`/api/webhooks/${endpoint.id}`)).body).not.toContain(rotated);

    const stored = await c.database.db.selectFrom('webhook_endpoints').select('secret_enc').where('id', '=', endpoint.id).executeTakeFirstOrThrow();
    expect(stored.secret_enc).toMatch(/^aes256gcm\.k1\./);
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'before_json', 'after_json']).where('entity_id', '=', endpoint.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['webhooks.endpoint.create', 'webhooks.endpoint.rotate_secret']);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(rotated);

    // Deliveries are signed with the new secret from now on.
    await makeUser(c, { username: 'ivan' });
    await drain();
    const [request] = at('/secret');
    expect(verify(rotated, request!.headers, request!.rawBody, nowSeconds())).toBe(true);
    expect(verify(secret, request!.headers, request!.rawBody, nowSeconds())).toBe(false);
  });
});

describe('endpoints', () => {
  it('send test delivers webhooks.ping to that endpoint only', async () => {
    const client = await admin();
    const { endpoint, secret } = await createEndpoint(client, '/ping-me', ['*']);
    await createEndpoint(client, '/not-me', ['*']);
    const res = await client.post(`/api/webhooks/${endpoint.id}/test`);
    expect(res.json()).toMatchObject({ status: 'queued', eventType: 'webhooks.ping', endpointId: endpoint.id });
    await drain();
    expect(at('/not-me')).toEqual([]);
    const [ping] = at('/ping-me');
    expect(at('/ping-me')).toHaveLength(1);
    expect(bodyOf(ping!)).toMatchObject({ type: 'webhooks.ping', communityId: null, data: { endpointId: endpoint.id } });
    expect(verify(secret, ping!.headers, ping!.rawBody, nowSeconds())).toBe(true);
  });

  it('refuses URLs that are not http(s) or carry credentials, and unknown event types', async () => {
    const client = await admin();
    for (const url of ['ftp://example.com/hook', 'javascript:alert(1)', 'file:///etc/passwd', 'not a url', '/relative/path', 'http://user:pass@example.com/hook']) {
      const res = await client.post('/api/webhooks', { name: 'bad', url, eventTypes: ['*'] });
      expect([url, res.statusCode, res.json<{ code: string }>().code]).toEqual([url, 400, 'webhooks.url_invalid']);
    }
    const unknown = await client.post('/api/webhooks', { name: 'bad', url: 'https://example.com/hook', eventTypes: ['billing.invoice.teleported'] });
    expect(unknown.json()).toMatchObject({ status: 400, code: 'webhooks.event_type_unknown' });
    const ok = await client.post('/api/webhooks', { name: 'LAN', url: 'http://192.168.1.20:8080/courtyard', eventTypes: ['identity.user.created', '*'] });
    expect(ok.json<CreatedWebhookEndpoint>().endpoint).toMatchObject({ url: 'http://192.168.1.20:8080/courtyard', eventTypes: ['*'], active: true });
  });

  it('updates name, URL and event types, and deletes an endpoint with its deliveries; every change is audited', async () => {
    const client = await admin();
    const { endpoint } = await createEndpoint(client, '/edit?token=abc', ['identity.user.created'], 'access control');
    const updated = await client.patch(`/api/webhooks/${endpoint.id}`, { name: '门禁系统', url: `${base}/edited`, eventTypes: ['properties.community.created'] });
    expect(updated.json()).toMatchObject({ name: '门禁系统', url: `${base}/edited`, eventTypes: ['properties.community.created'] });
    await client.post(`/api/webhooks/${endpoint.id}/test`);
    await drain();
    expect(at('/edited')).toHaveLength(1);
    expect((await client.delete(`/api/webhooks/${endpoint.id}`)).json()).toEqual({ ok: true });
    expect((await client.get(`/api/webhooks/${endpoint.id}`)).statusCode).toBe(404);
    expect(await c.database.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute()).toEqual([]);
    const audit = await c.database.db.selectFrom('audit_log').select(['action', 'before_json']).where('entity_id', '=', endpoint.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['webhooks.endpoint.create', 'webhooks.endpoint.update', 'webhooks.endpoint.test', 'webhooks.endpoint.delete']);
    // A query string may carry a token: the audit trail keeps the URL without it.
    expect(JSON.stringify(audit)).not.toContain('token=abc');
  });

  it('lists deliveries newest first with keyset paging', async () => {
    const client = await admin();
    const { endpoint } = await createEndpoint(client, '/paged', ['*']);
    for (let i = 0; i < 3; i++) await client.post(`/api/webhooks/${endpoint.id}/test`);
    const all = await deliveries(client, endpoint.id);
    expect(all).toHaveLength(3);
    const page1 = (await client.get(`/api/webhooks/${endpoint.id}/deliveries?limit=2`)).json<{ items: WebhookDelivery[]; nextCursor: string | null }>();
    expect(page1.items.map((d) => d.id)).toEqual(all.slice(0, 2).map((d) => d.id));
    const page2 = (await client.get(`/api/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${page1.nextCursor}`)).json<{ items: WebhookDelivery[]; nextCursor: string | null }>();
    expect(page2).toEqual({ items: [all[2]], nextCursor: null });
    expect([...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)).map((d) => d.id)).toEqual(all.map((d) => d.id));
  });

  it('lists the event-type catalogue with labels in both languages', async () => {
    const client = await admin();
    const items = (await client.get('/api/webhooks/event-types')).json<{ items: { code: string; zh: string; en: string }[] }>().items;
    expect(items.map((i) => i.code)).toEqual(expect.arrayContaining(['identity.user.created', 'identity.user.disabled', 'identity.grant.changed', 'properties.community.created']));
    expect(items.find((i) => i.code === 'identity.user.created')).toMatchObject({ zh: '用户已创建', en: 'User created' });
  });

  it('needs webhooks.endpoint.manage over all communities: a property manager is refused', async () => {
    const communityId = await makeCommunity(c, 'PERM');
    await makeUser(c, { username: 'pm', role: 'property_manager', communityId });
    const pm = new Client(c.app);
    await pm.signIn('pm');
    expect((await pm.get('/api/webhooks')).statusCode).toBe(403);
    expect((await pm.post('/api/webhooks', { name: 'x', url: 'https://example.com', eventTypes: ['*'] })).statusCode).toBe(403);
  });
});

describe('domain events', () => {
  it('disabling a user and changing a grant are delivered as identity.user.disabled and identity.grant.changed', async () => {
    const client = await admin();
    await createEndpoint(client, '/identity', ['identity.user.disabled', 'identity.grant.changed']);
    const userId = await makeUser(c, { username: 'judy', role: 'cashier' });
    await client.post(`/api/users/${userId}/disable`);
    await drain();
    expect(at('/identity').map((r) => [bodyOf(r).type, bodyOf(r).data.userId])).toEqual([
      ['identity.grant.changed', userId],
      ['identity.user.disabled', userId],
    ]);
    expect(bodyOf(at('/identity')[0]!).data).toMatchObject({ roleCode: 'cashier', status: 'active', communityId: null });
  });
});
