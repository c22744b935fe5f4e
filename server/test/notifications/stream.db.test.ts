import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../src/core/http/context.js';
import { Client, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';

interface SseEvent {
  event: string;
  data: string;
}

interface OpenStream {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** The `count` of every `unread` event so far. */
  counts(): number[];
  waitForCount(n: number): Promise<void>;
  abort(): void;
}

/** A real HTTP client reading Server-Sent Events the way EventSource does. */
async function openStream(base: string, cookie: string): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/notifications/stream`, { headers: { cookie: `cy_session=${cookie}`, accept: 'text/event-stream' }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const ended = (async () => {
    const reader = res.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length) events.push({ event, data: data.join('\n') });
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  const counts = () => events.filter((e) => e.event === 'unread').map((e) => (JSON.parse(e.data) as { count: number }).count);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    comments,
    ended,
    counts,
    async waitForCount(n) {
      const start = Date.now();
      while (counts().at(-1) !== n) {
        if (Date.now() - start > 5000) throw new Error(`expected count ${n}, saw ${JSON.stringify(counts())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    abort: () => controller.abort(),
  };
}

async function listening(c: TestCourtyard): Promise<string> {
  await c.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(c.app.server.address() as AddressInfo).port}`;
}

const within = <T>(p: Promise<T>, ms: number, what: string) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);

let c: TestCourtyard;
let base: string;
const streams: OpenStream[] = [];
beforeAll(async () => {
  c = await startCourtyard({ liveHeartbeatMs: 250 });
  base = await listening(c);
});
afterAll(async () => {
  for (const s of streams) s.abort();
  await c.dispose();
});

async function signedIn(username: string): Promise<{ id: string; client: Client }> {
  const id = await makeUser(c, { username, kind: 'owner', role: 'resident' });
  const client = new Client(c.app);
  await client.signIn(username);
  return { id, client };
}

const notify = (userId: string) =>
  c.database.db.transaction().execute((tx) => c.services.notifications.send(tx, systemContext('test'), { recipients: [userId], template: 'system.test', channels: ['in_app'] }));

describe('live unread count over Server-Sent Events', () => {
  it('sends the unread count at connect and again whenever it changes', async () => {
    const { id, client } = await signedIn('sse.owner');
    const stream = await openStream(base, client.cookie!);
    streams.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.waitForCount(0);

    await notify(id);
    await stream.waitForCount(1);
    await notify(id);
    await stream.waitForCount(2);
    expect((await client.post('/api/notifications/read-all')).json()).toEqual({ count: 0 });
    await stream.waitForCount(0);
    expect(stream.counts()).toEqual([0, 1, 2, 0]);
  });

  it("reaches every open tab of the user, and another user's stream does not move", async () => {
    const { id, client } = await signedIn('sse.tabs');
    const other = await signedIn('sse.other');
    const tab1 = await openStream(base, client.cookie!);
    const tab2 = await openStream(base, client.cookie!);
    const theirs = await openStream(base, other.client.cookie!);
    streams.push(tab1, tab2, theirs);
    await Promise.all([tab1.waitForCount(0), tab2.waitForCount(0), theirs.waitForCount(0)]);
    await notify(id);
    await Promise.all([tab1.waitForCount(1), tab2.waitForCount(1)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(theirs.counts()).toEqual([0]);
  });

  it('a client that does not ask for an event stream gets the count once as JSON', async () => {
    const { id, client } = await signedIn('sse.json');
    await notify(id);
    const res = await client.get('/api/notifications/stream');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ count: 1 });
  });

  it('sends heartbeat comments, and ends the stream when the user signs out', async () => {
    const { client } = await signedIn('sse.signout');
    const stream = await openStream(base, client.cookie!);
    streams.push(stream);
    await stream.waitForCount(0);
    await within(
      (async () => {
        while (!stream.comments.includes('heartbeat')) await new Promise((r) => setTimeout(r, 20));
      })(),
      3000,
      'a heartbeat',
    );
    expect((await client.post('/api/auth/sign-out')).statusCode).toBe(200);
    await within(stream.ended, 3000, 'ending the stream after sign-out');
  });

  it('refuses a caller who is not signed in', async () => {
    const res = await fetch(`${base}/api/notifications/stream`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
  });
});

describe('shutdown', () => {
  it('closing the server ends open streams, so a graceful shutdown is not held up', async () => {
    const other = await startCourtyard();
    const url = await listening(other);
    await makeUser(other, { username: 'sse.drain', kind: 'owner', role: 'resident' });
    const client = new Client(other.app);
    await client.signIn('sse.drain');
    const stream = await openStream(url, client.cookie!);
    await stream.waitForCount(0);
    const started = Date.now();
    try {
      await within(other.close(), 5000, 'closing the server');
      await within(stream.ended, 1000, 'ending the stream');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      stream.abort();
      await other.dispose().catch(() => undefined);
    }
  });
});
