import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/core/db/database.js';
import type { Database } from '../../src/core/db/schema.js';
import { dialect } from '../harness.js';
import { cleanupProcesses, serverEnv, startServer, waitReady, type ServerProcess } from '../processes.js';
import { residentId } from './fixtures.js';

/**
 * Acceptance (issue 4, item 5): personal numbers never reach the disk or the log in clear. A real
 * server process with a data directory and a log file; persons registered and one revealed
 * through the API; then the database (SQLite file and its WAL, or every PostgreSQL row) and the
 * log are scanned for the numbers, with and without formatting.
 */
const people = [
  { name: '明文检查甲', phone: '+86 137-1234-5601', digits: '13712345601', idNumber: residentId('19760315', 901) },
  { name: '明文检查乙', phone: '137 1234 5602', digits: '13712345602', idNumber: residentId('19820722', 902) },
];
const emergency = '15987654321';

let env: Record<string, string>;
let server: ServerProcess;
let logFile: string;
let revealed: unknown;

async function call(base: string, session: { cookie: string; csrf: string }, method: string, url: string, body?: unknown) {
  const res = await fetch(base + url, {
    method,
    headers: { cookie: `cy_session=${session.cookie}`, 'x-csrf-token': session.csrf, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

beforeAll(async () => {
  env = await serverEnv({ LOG_LEVEL: 'debug', COURTYARD_SEED_DEMO: 'true', COURTYARD_ADMIN_PASSWORD: 'Admin#Scan2026' });
  logFile = path.join(env.DATA_DIR as string, 'server.log');
  server = startServer(env);
  await waitReady(server);
  const signIn = await fetch(`${server.base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'service1', password: 'Demo#2026svc' }) });
  const cookie = /cy_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const csrf = ((await signIn.json()) as { me: { csrfToken: string } }).me.csrfToken;
  const session = { cookie, csrf };
  const communities = (await call(server.base, session, 'GET', '/api/communities')) as { items: { id: string; code: string }[] };
  const chhy = communities.items.find((c) => c.code === 'CHHY')?.id;
  let first: string | undefined;
  for (const p of people) {
    const created = await call(server.base, session, 'POST', '/api/persons', { communityId: chhy, kind: 'individual', name: p.name, phone: p.phone, idType: 'resident_id', idNumber: p.idNumber, emergencyContact: '家属', emergencyPhone: emergency });
    first ??= created.id as string;
  }
  revealed = await call(server.base, session, 'POST', `/api/persons/${first}/reveal`, { field: 'idNumber' });
  await call(server.base, session, 'GET', `/api/search?q=${people[1]?.digits}`);
  server.child.kill('SIGTERM');
  await server.exit;
  fs.writeFileSync(logFile, server.stdout() + server.stderr());
}, 120_000);
afterAll(() => cleanupProcesses());

/** The needles: each number as typed, as stored-normalised, and split the ways people write it. */
function needles(): string[] {
  const out = new Set<string>([emergency]);
  for (const p of people) {
    out.add(p.digits);
    out.add(p.idNumber);
    out.add(`${p.digits.slice(0, 3)} ${p.digits.slice(3, 7)} ${p.digits.slice(7)}`);
    out.add(`${p.digits.slice(0, 3)}-${p.digits.slice(3, 7)}-${p.digits.slice(7)}`);
    out.add(p.idNumber.slice(0, 17));
  }
  return [...out];
}

async function databaseText(): Promise<Buffer[]> {
  if (dialect === 'sqlite') {
    const file = path.join(env.DATA_DIR as string, 'courtyard.db');
    return [file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
  }
  const db = openPostgres<Database>(env.DATABASE_URL as string, 1);
  try {
    const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(db.db);
    const dumps: Buffer[] = [];
    for (const t of tables.rows) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(t.name)} t`.execute(db.db);
      dumps.push(Buffer.from(rows.rows.map((r) => r.row).join('\n')));
    }
    return dumps;
  } finally {
    await db.close();
  }
}

describe('no personal number in clear at rest or in the log', () => {
  it('the reveal answered the clear value (the scan below would catch a leak of it)', () => {
    expect(revealed).toEqual({ value: people[0]?.idNumber });
  });

  it('the database holds none of the phones or ID numbers in clear, in UTF-8 or UTF-16', async () => {
    const haystacks = await databaseText();
    expect(haystacks.length).toBeGreaterThan(0);
    for (const needle of needles()) {
      for (const hay of haystacks) {
        expect([needle, hay.includes(Buffer.from(needle, 'utf8'))]).toEqual([needle, false]);
        expect([needle, hay.includes(Buffer.from(needle, 'utf16le'))]).toEqual([needle, false]);
      }
    }
  });

  it('the log holds none of them either', () => {
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log.length).toBeGreaterThan(0);
    for (const needle of needles()) expect([needle, log.includes(needle)]).toEqual([needle, false]);
  });

  it('the reveal is in the audit trail, naming the field only', async () => {
    const haystack = (await databaseText()).map((b) => b.toString('utf8')).join('\n');
    expect(haystack).toContain('people.person.reveal');
  });
});
