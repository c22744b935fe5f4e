import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import * as OTPAuth from 'otpauth';
import type { RoleCode } from '@courtyard/contracts';
import { ManualClock } from '../src/core/clock.js';
import { openPostgres, openSqlite, type DatabaseHandle } from '../src/core/db/database.js';
import type { Database } from '../src/core/db/schema.js';
import type { Secrets } from '../src/core/crypto/secrets.js';
import { systemContext } from '../src/core/http/context.js';
import { createCourtyard, type Courtyard, type CourtyardOptions } from '../src/app.js';

export const dialect = (process.env.COURTYARD_TEST_DB ?? 'sqlite') as 'sqlite' | 'postgres';
const PG_ADMIN = process.env.COURTYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function testSecrets(): Secrets {
  return { fieldKey: crypto.randomBytes(32), auditKey: crypto.randomBytes(32), sessionSecret: crypto.randomBytes(32) };
}

/** A fresh, migrated database for one test file, on the dialect of the running project. */
export async function freshDatabase(): Promise<{ handle: DatabaseHandle<Database>; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const handle = openSqlite<Database>({ file: ':memory:', failSelfWait: true });
    return { handle, drop: () => Promise.resolve() };
  }
  const name = `${inject('pgPrefix')}${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject('pgTemplate')}`);
  await admin.end();
  const handle = openPostgres<Database>(PG_ADMIN.replace(/\/[^/]*$/, `/${name}`), 5, 60_000);
  return {
    handle,
    async drop() {
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface TestCourtyard extends Courtyard {
  clock: ManualClock;
  secrets: Secrets;
  dispose(): Promise<void>;
}

/** The whole application on a fresh database with an injected clock. */
export async function startCourtyard(options: Partial<CourtyardOptions> = {}): Promise<TestCourtyard> {
  const fresh = await freshDatabase();
  const handle = fresh.handle;
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock('2026-03-02T08:00:00.000Z');
  const secrets = options.secrets ?? testSecrets();
  const courtyard = await createCourtyard({ database: handle, secrets, clock, signInRateLimit: { max: 10_000, timeWindow: 60_000 }, ...options });
  await courtyard.app.ready();
  return {
    ...courtyard,
    clock,
    secrets,
    async dispose() {
      await courtyard.close();
      await fresh.drop();
    },
  };
}

export interface UserSpec {
  username: string;
  password?: string;
  kind?: 'staff' | 'owner';
  role?: RoleCode;
  /** Community id the role is scoped to; omitted = all communities. */
  communityId?: string | null;
  phone?: string;
}

export const PASSWORD = 'Correct#Horse9';

/** Builds users through the services (so they obey the rules), granting roles without approval. */
export async function makeUser(c: Courtyard, spec: UserSpec): Promise<string> {
  const ctx = systemContext('test');
  return c.database.db.transaction().execute(async (tx) => {
    const id = await c.services.users.createIn(tx, ctx, {
      username: spec.username,
      displayName: spec.username,
      kind: spec.kind ?? 'staff',
      password: spec.password ?? PASSWORD,
      phone: spec.phone ?? null,
    });
    if (spec.role) await c.services.access.grantDirect(tx, ctx, id, spec.role, spec.communityId ?? null);
    return id;
  });
}

export async function makeCommunity(c: Courtyard, code: string): Promise<string> {
  return c.database.db.transaction().execute((tx) =>
    c.services.properties.createCommunity(tx, systemContext('test'), { code, name: `小区 ${code}`, address: `${code} 路 1 号`, type: 'residential' }),
  );
}

/** A signed-in HTTP client: keeps the session cookie and sends the CSRF token on writes. */
export class Client {
  cookie: string | null = null;
  csrf: string | null = null;
  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...this.headers,
        ...(this.cookie ? { cookie: `cy_session=${this.cookie}` } : {}),
        ...(this.csrf && method !== 'GET' ? { 'x-csrf-token': this.csrf } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
    });
    const set = res.cookies.find((c) => c.name === 'cy_session');
    if (set) this.cookie = set.value || null;
    const json = String(res.headers['content-type'] ?? '').includes('json') ? res.json<{ me?: { csrfToken?: string } }>() : undefined;
    if (json?.me?.csrfToken) this.csrf = json.me.csrfToken;
    return res;
  }
  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown) => this.request('POST', url, body ?? {});
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);
  put = (url: string, body: unknown) => this.request('PUT', url, body);
  delete = (url: string) => this.request('DELETE', url);

  async signIn(username: string, password = PASSWORD): Promise<LightMyRequestResponse> {
    return this.post('/api/auth/sign-in', { username, password });
  }
}

export function totpCode(secret: string, at: Date): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at.getTime() });
}

/** Enrols two-factor for the signed-in client; returns the secret and recovery codes. */
export async function enrolMfa(client: Client, clock: ManualClock): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await client.post('/api/auth/mfa/enrol');
  const { secret } = start.json<{ secret: string }>();
  const confirm = await client.post('/api/auth/mfa/enrol/confirm', { code: totpCode(secret, clock.now()) });
  if (confirm.statusCode !== 200) throw new Error(`enrol failed: ${confirm.body}`);
  return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
}

/** Signs in an account that has two-factor on: password, then a fresh TOTP code (never a replay). */
export async function signInWithMfa(app: FastifyInstance, clock: ManualClock, username: string, secret: string, password = PASSWORD): Promise<Client> {
  const client = new Client(app);
  const step = await client.signIn(username, password);
  const { challengeId } = step.json<{ challengeId: string }>();
  clock.advance(30_000);
  const res = await client.post('/api/auth/mfa', { challengeId, code: totpCode(secret, clock.now()) });
  if (res.statusCode !== 200) throw new Error(`mfa sign-in failed: ${res.body}`);
  return client;
}
