import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermission } from '@courtyard/contracts';
import { Client, enrolMfa, makeUser, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
let admin: Client;
let rootSecret: string;
beforeAll(async () => {
  c = await startCourtyard();
  await makeUser(c, { username: 'root', role: 'system_admin' });
  admin = new Client(c.app);
  await admin.signIn('root');
  rootSecret = (await enrolMfa(admin, c.clock)).secret;
});
afterAll(() => c.dispose());

const apiRoutes = () => c.routes.filter((r) => r.url.startsWith('/api') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');
const PUBLIC_API = new Set(['POST /api/auth/sign-in', 'POST /api/auth/mfa', 'GET /api/openapi.json', 'POST /api/payments/gateway/callback']);
const fill = (url: string, value: string) => url.replace(/:[a-zA-Z]+/g, value);

describe('route guard', () => {
  it('every API route declares a catalogue permission, "authenticated", or is one of the known public routes', () => {
    expect(apiRoutes().length).toBeGreaterThan(30);
    const offenders = apiRoutes().filter((r) => {
      if (r.access === 'public') return !PUBLIC_API.has(`${r.method} ${r.url}`);
      return r.access !== 'authenticated' && !(r.access && isPermission(r.access));
    });
    expect(offenders.map((r) => `${r.method} ${r.url} → ${String(r.access)}`)).toEqual([]);
  });

  it('every non-public API route answers 401 to an anonymous caller', async () => {
    const anon = new Client(c.app);
    for (const r of apiRoutes().filter((x) => x.access !== 'public')) {
      const res = await anon.request(r.method, fill(r.url, '01a20fba-bc25-7894-92fa-ed59faf81c69'), r.hasBody ? {} : undefined);
      expect([r.url, res.statusCode]).toEqual([r.url, 401]);
    }
  });
});

describe('malformed input', () => {
  const garbage: { name: string; payload: string; type: string }[] = [
    { name: 'broken JSON', payload: '{"username": ', type: 'application/json' },
    { name: 'a JSON array', payload: '[1,2,3]', type: 'application/json' },
    { name: 'a JSON string', payload: '"hello"', type: 'application/json' },
    { name: 'wrong types', payload: JSON.stringify({ username: 5, password: [], code: {}, name: null, permissions: 'x', userId: 7, locale: 'fr' }), type: 'application/json' },
    { name: 'a huge string', payload: JSON.stringify({ username: 'x'.repeat(100_000), displayName: 'y'.repeat(100_000) }), type: 'application/json' },
    { name: 'form encoding', payload: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
    { name: 'null', payload: 'null', type: 'application/json' },
  ];

  it('every route answers malformed bodies, params and queries with 4xx problem+json, never 5xx', async () => {
    const failures: string[] = [];
    let validated = 0;
    // One administrator session, renewed only when a route ended it (sign-out, password change…):
    // signing in (argon2 + TOTP) per route would dominate the run.
    let caller = await signInWithMfa(c.app, c.clock, 'root', rootSecret);
    for (const r of apiRoutes()) {
      const urls = [fill(r.url, '01a20fba-bc25-7894-92fa-ed59faf81c69'), fill(r.url, 'not-an-id'), `${fill(r.url, '..%2F..%2Fetc')}?limit=-1&cursor=%%%&from=yesterday`];
      for (const url of urls) {
        const bodies = r.method === 'GET' || r.method === 'DELETE' ? [undefined] : garbage;
        for (const g of bodies) {
          const send = () =>
            c.app.inject({
              method: r.method as 'POST',
              url,
              headers: { cookie: `cy_session=${caller.cookie}`, 'x-csrf-token': caller.csrf!, ...(g ? { 'content-type': g.type } : {}) },
              ...(g ? { payload: g.payload } : {}),
            });
          let res = await send();
          if (res.statusCode === 401 && r.access !== 'public') {
            caller = await signInWithMfa(c.app, c.clock, 'root', rootSecret);
            res = await send();
          }
          const label = `${r.method} ${url} ${g?.name ?? ''} → ${res.statusCode}`;
          if (res.statusCode === 401 && r.access !== 'public') failures.push(`${label}: the caller was signed out, so nothing was tested`);
          if (res.statusCode === 400) validated += 1;
          if (res.statusCode >= 500) failures.push(`${label} ${res.body.slice(0, 200)}`);
          else if (res.statusCode >= 400 && !String(res.headers['content-type']).includes('application/problem+json')) failures.push(`${label} not problem+json`);
          if (/at .*\.ts:\d+|SqliteError|syntax error at|node_modules/.test(res.body)) failures.push(`${label} leaks internals`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(validated).toBeGreaterThan(100);
    admin = await signInWithMfa(c.app, c.clock, 'root', rootSecret);
    // Every route × three URLs × seven bodies: a few thousand requests, more with each module.
  }, 240_000);

  it('names the offending field and code', async () => {
    const res = await admin.post('/api/users', { username: 'ok_name', displayName: 'x', kind: 'robot' });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ code: string; errors: { field: string }[]; requestId: string }>();
    expect(body.code).toBe('request.invalid');
    expect(body.errors[0]!.field).toBe('/body/kind');
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('reports every invalid field, with messages in the caller’s language', async () => {
    const zh = await admin.request('POST', '/api/users', { username: 'a', displayName: '', kind: 'robot' }, { 'accept-language': 'zh-CN' });
    const fields = zh.json<{ errors: { field: string; message: string }[] }>().errors;
    expect(fields.map((f) => f.field).sort()).toEqual(expect.arrayContaining(['/body/displayName', '/body/kind', '/body/username']));
    expect(fields.find((f) => f.field === '/body/username')!.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await admin.request('POST', '/api/users', { username: 'a', displayName: 'x', kind: 'staff' }, { 'accept-language': 'en-US' });
    expect(en.json<{ errors: { message: string }[] }>().errors[0]!.message).toMatch(/must NOT be shorter than 3 characters/);
  });

  it('refuses unknown properties rather than silently dropping them', async () => {
    const res = await admin.post('/api/users', { username: 'extra', displayName: 'x', kind: 'staff', isAdmin: true });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0]!.field).toBe('/body/isAdmin');
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await admin.post('/api/users', { username: 'big', displayName: 'x'.repeat(2 * 1024 * 1024), kind: 'staff' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'request.too_large' });
  });

  it('leaves nothing half-written when a request fails validation', async () => {
    const before = await c.services.audit.list(c.database.db, { limit: 1 });
    await admin.post('/api/users', { username: 'x', displayName: '', kind: 'staff' });
    const after = await c.services.audit.list(c.database.db, { limit: 1 });
    expect(after.items[0]!.id).toBe(before.items[0]!.id);
    expect(await c.services.users.idByUsername('x')).toBeUndefined();
  });
});

describe('HTTP surface', () => {
  it('serves a valid OpenAPI 3 document', async () => {
    const res = await c.app.inject({ url: '/api/openapi.json' });
    const doc = res.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/users/{id}');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('serves the interactive API page', async () => {
    const res = await c.app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('answers probes and metrics', async () => {
    expect((await c.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await c.app.inject({ url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
    await admin.get('/api/auth/me');
    const metrics = (await c.app.inject({ url: '/metrics' })).body;
    for (const name of ['courtyard_http_request_duration_seconds_bucket', 'courtyard_http_errors_total', 'courtyard_db_pool_connections', 'courtyard_process_cpu_user_seconds_total', 'courtyard_jobs']) {
      expect(metrics).toContain(name);
    }
  });

  it('sends security headers and no-store on API responses', async () => {
    const res = await admin.get('/api/users');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('answers an unknown API path with a 404 problem', async () => {
    const res = await c.app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'request.not_found' });
  });

  it('rate-limits sign-in per client address', async () => {
    const limited = await startCourtyard({ signInRateLimit: { max: 3, timeWindow: 60_000 } });
    try {
      const client = new Client(limited.app);
      for (let i = 0; i < 3; i++) expect((await client.signIn('nobody', 'x')).statusCode).toBe(401);
      const res = await client.signIn('nobody', 'x');
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ code: 'request.rate_limited' });
    } finally {
      await limited.dispose();
    }
  });
});
