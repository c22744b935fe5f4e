import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AuditListQuery, AuditRecord, AuditVerifyResult, SignInActivity } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import { DAY } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { Dialect } from '../../core/db/database.js';
import { utcDay } from '../../core/db/sql.js';
import { systemContext, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditLogTable } from './audit.tables.js';

export interface AuditEntry {
  action: string;
  entityType?: string | null;
  entityId?: string | null;
  communityId?: string | null;
  result?: 'success' | 'failure';
  /** State before and after the change, already stripped of secrets (hashes, keys). */
  before?: unknown;
  after?: unknown;
}

export interface AuditService {
  /** Appends a record inside the caller's transaction: if it fails, the business change fails too. */
  record(tx: Tx, ctx: RequestContext, entry: AuditEntry): Promise<void>;
  /** Appends a record in a transaction of its own (sign-in failures, which change nothing else). */
  recordAlone(db: Db, ctx: RequestContext, entry: AuditEntry): Promise<void>;
  /** `communities` null = the whole trail; otherwise records of those communities only. */
  list(db: Exec, query: AuditListQuery, communities?: string[] | null): Promise<{ items: AuditRecord[]; nextCursor: string | null }>;
  verify(db: Db): Promise<AuditVerifyResult>;
  /** Sign-in outcomes per UTC day over the last `days` days (one grouped query). */
  signInActivity(db: Exec, days: number): Promise<SignInActivity>;
  /** Deletes records older than the retention period and moves the chain's anchor past them. */
  purge(db: Db, retentionDays: number): Promise<number>;
  ensureChain(db: Db): Promise<void>;
  /**
   * The sequence number of the latest record. Every change to data is audited in its own
   * transaction, so an unchanged head means nothing was changed in between (an import's commit
   * reuses what validation resolved on that ground).
   */
  head(db: Exec): Promise<number>;
}

/** Never lower than 180 days (PRODUCT §10: audit kept at least 6 months). */
export const MIN_RETENTION_DAYS = 180;
const GENESIS = 'genesis';

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The exact bytes each record's HMAC covers, in a fixed field order. */
function canonical(row: Omit<AuditLogTable, 'hash'>): string {
  return JSON.stringify([
    row.seq,
    row.id,
    row.occurred_at,
    row.actor_id,
    row.actor_name,
    row.ip,
    row.user_agent,
    row.action,
    row.entity_type,
    row.entity_id,
    row.community_id,
    row.result,
    row.before_json,
    row.after_json,
    row.request_id,
  ]);
}

export function createAuditService(deps: { key: Buffer; clock: Clock; ids: IdGenerator; dialect: Dialect }): AuditService {
  const mac = (...parts: (string | number)[]) => crypto.createHmac('sha256', deps.key).update(parts.join('|')).digest('base64url');
  const chainHash = (prev: string, row: Omit<AuditLogTable, 'hash'>) => mac(prev, canonical(row));

  const record: AuditService['record'] = async (tx, ctx, entry) => {
    // Bumping the head row takes its lock until commit: records get gap-free, commit-ordered seqs
    // on PostgreSQL too, which the chain needs.
    const head = await tx
      .updateTable('audit_chain')
      .set({ seq: sql<number>`seq + 1` })
      .where('id', '=', 1)
      .returning(['seq', 'hash'])
      .executeTakeFirst();
    if (!head) throw new Error('audit chain is not initialised');
    const row: Omit<AuditLogTable, 'hash'> = {
      id: deps.ids(),
      seq: Number(head.seq),
      occurred_at: deps.clock.now().toISOString(),
      actor_id: ctx.actor.userId,
      actor_name: ctx.actor.name,
      ip: ctx.ip,
      user_agent: ctx.userAgent ? ctx.userAgent.slice(0, 300) : null,
      action: entry.action,
      entity_type: entry.entityType ?? null,
      entity_id: entry.entityId ?? null,
      community_id: entry.communityId ?? null,
      result: entry.result ?? 'success',
      before_json: json(entry.before),
      after_json: json(entry.after),
      request_id: ctx.requestId,
    };
    const hash = chainHash(head.hash, row);
    await tx.insertInto('audit_log').values({ ...row, hash }).execute();
    await tx.updateTable('audit_chain').set({ hash, mac: mac('head', row.seq, hash) }).where('id', '=', 1).execute();
  };

  return {
    record,
    recordAlone: (db, ctx, entry) => db.transaction().execute((tx) => record(tx, ctx, entry)),

    async head(db) {
      const row = await db.selectFrom('audit_chain').select('seq').where('id', '=', 1).executeTakeFirst();
      return Number(row?.seq ?? 0);
    },

    async ensureChain(db) {
      await db
        .insertInto('audit_chain')
        .values({
          id: 1,
          seq: 0,
          hash: GENESIS,
          mac: mac('head', 0, GENESIS),
          anchor_seq: 0,
          anchor_hash: GENESIS,
          anchor_mac: mac('anchor', 0, GENESIS),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    },

    async list(db, query, communities = null) {
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, 1);
      let q = db.selectFrom('audit_log').selectAll();
      if (communities !== null) {
        if (communities.length === 0) return { items: [], nextCursor: null };
        q = q.where('community_id', 'in', communities);
      }
      if (query.actor) q = q.where((eb) => eb.or([eb('actor_name', '=', query.actor!), eb('actor_id', '=', query.actor!)]));
      if (query.action) {
        // "identity." or "identity.*" selects a whole family of actions; otherwise exact match.
        const prefix = query.action.endsWith('*') ? query.action.slice(0, -1) : query.action.endsWith('.') ? query.action : null;
        q = prefix !== null ? q.where('action', '>=', prefix).where('action', '<', `${prefix}\uffff`) : q.where('action', '=', query.action);
      }
      if (query.entityType) q = q.where('entity_type', '=', query.entityType);
      if (query.entityId) q = q.where('entity_id', '=', query.entityId);
      if (query.result) q = q.where('result', '=', query.result);
      if (query.from) q = q.where('occurred_at', '>=', new Date(query.from).toISOString());
      if (query.to) q = q.where('occurred_at', '<', new Date(query.to).toISOString());
      if (cursor) q = q.where('seq', '<', Number(cursor[0]));
      const rows = await q.orderBy('seq', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => [Number(r.seq)]);
      return {
        nextCursor: page.nextCursor,
        items: page.items.map((r) => ({
          id: r.id,
          seq: Number(r.seq),
          occurredAt: r.occurred_at,
          actorId: r.actor_id,
          actorName: r.actor_name,
          ip: r.ip,
          userAgent: r.user_agent,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          communityId: r.community_id,
          result: r.result,
          before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
          after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
          requestId: r.request_id,
        })),
      };
    },

    async signInActivity(db, days) {
      const today = deps.clock.now();
      const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1)));
      const day = utcDay(deps.dialect, 'occurred_at');
      const rows = await db
        .selectFrom('audit_log')
        .select([day.as('day'), 'action', 'result', (eb) => eb.fn.countAll<number>().as('n')])
        .where('action', 'in', ['identity.sign_in', 'identity.user.lock'])
        .where('occurred_at', '>=', first.toISOString())
        .groupBy([day, 'action', 'result'])
        .execute();
      const byDay = new Map<string, { day: string; succeeded: number; failed: number; locked: number }>();
      for (let i = 0; i < days; i++) {
        const d = new Date(first.getTime() + i * DAY).toISOString().slice(0, 10);
        byDay.set(d, { day: d, succeeded: 0, failed: 0, locked: 0 });
      }
      for (const r of rows) {
        const entry = byDay.get(r.day);
        if (!entry) continue;
        const n = Number(r.n);
        if (r.action === 'identity.user.lock') entry.locked += n;
        else if (r.result === 'success') entry.succeeded += n;
        else entry.failed += n;
      }
      return { days: [...byDay.values()] };
    },

    async verify(db) {
      const head = await db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
      if (!head) return { ok: false, checked: 0, brokenAtSeq: null, problem: 'chain head missing' };
      const fail = (checked: number, seq: number | null, problem: string): AuditVerifyResult => ({ ok: false, checked, brokenAtSeq: seq, problem });
      if (head.anchor_mac !== mac('anchor', Number(head.anchor_seq), head.anchor_hash)) return fail(0, Number(head.anchor_seq), 'retention anchor was altered');
      if (head.mac !== mac('head', Number(head.seq), head.hash)) return fail(0, Number(head.seq), 'chain head was altered');
      let prev = head.anchor_hash;
      let expected = Number(head.anchor_seq) + 1;
      let checked = 0;
      // Keyset batches keep memory flat however long the log is.
      for (;;) {
        const batch = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expected).orderBy('seq').limit(5000).execute();
        if (batch.length === 0) break;
        for (const row of batch) {
          const seq = Number(row.seq);
          if (seq !== expected) return fail(checked, expected, `record ${expected} is missing`);
          const { hash, ...rest } = row;
          if (chainHash(prev, { ...rest, seq }) !== hash) return fail(checked, seq, `record ${seq} does not match its hash`);
          prev = hash;
          expected += 1;
          checked += 1;
        }
      }
      const below = await db.selectFrom('audit_log').select('seq').where('seq', '<=', Number(head.anchor_seq)).limit(1).executeTakeFirst();
      if (below) return fail(checked, Number(below.seq), `record ${below.seq} lies before the retention anchor`);
      if (expected - 1 !== Number(head.seq) || prev !== head.hash) return fail(checked, expected, `records after ${expected - 1} are missing`);
      return { ok: true, checked, brokenAtSeq: null, problem: null };
    },

    async purge(db, retentionDays) {
      const days = Math.max(retentionDays, MIN_RETENTION_DAYS);
      const cutoff = new Date(deps.clock.now().getTime() - days * DAY).toISOString();
      return db.transaction().execute(async (tx) => {
        const last = await tx
          .selectFrom('audit_log')
          .select(['seq', 'hash'])
          .where('occurred_at', '<', cutoff)
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (!last) return 0;
        const seq = Number(last.seq);
        await tx.insertInto('audit_purge_window').values({ max_seq: seq }).execute();
        const deleted = await tx.deleteFrom('audit_log').where('seq', '<=', seq).executeTakeFirst();
        await tx.deleteFrom('audit_purge_window').execute();
        await tx
          .updateTable('audit_chain')
          .set({ anchor_seq: seq, anchor_hash: last.hash, anchor_mac: mac('anchor', seq, last.hash) })
          .where('id', '=', 1)
          .execute();
        const count = Number(deleted.numDeletedRows);
        await record(tx, systemContext('audit.purge'), { action: 'audit.purge', after: { purgedThroughSeq: seq, records: count, olderThan: cutoff, retentionDays: days } });
        return count;
      });
    },
  };
}
