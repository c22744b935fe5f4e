import type { Approval, ApprovalListQuery, DecideApprovalBody } from '@courtyard/contracts';
import type { Selectable } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { ApprovalStatus, BillingApprovalTable } from './approvals.tables.js';

export type ApprovalRow = Selectable<BillingApprovalTable>;

/** What a handler sees of the request it applies. */
export interface ApprovalRecord {
  id: string;
  communityId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  reason: string;
  payload: unknown;
  requestedBy: string;
}

/**
 * The effect of one kind of approval, plugged in by the part of billing that owns it (bill
 * reliefs here; refunds and reversals in payments). Runs in the decider's transaction: if it
 * throws, the decision is not recorded.
 */
export interface ApprovalHandler {
  approve(tx: Tx, ctx: RequestContext, approval: ApprovalRecord): Promise<void>;
  reject?(tx: Tx, ctx: RequestContext, approval: ApprovalRecord): Promise<void>;
}

export interface NewApproval {
  communityId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  reason: string;
  payload: unknown;
}

export interface ApprovalsService {
  /** Registers the handler of a kind (once, at start-up). */
  register(kind: string, handler: ApprovalHandler): void;
  /** Records a pending request by the signed-in user, audited, in the caller's transaction. */
  requestApproval(tx: Tx, ctx: RequestContext, input: NewApproval): Promise<Approval>;
  /** Approves (applying the kind's effect) or rejects, by a user other than the requester. */
  decide(tx: Tx, ctx: RequestContext, id: string, decision: 'approve' | 'reject', note?: string | null): Promise<Approval>;
  /** `decide` in a transaction of its own (HTTP). */
  decideById(ctx: RequestContext, id: string, body: DecideApprovalBody): Promise<Approval>;
  list(ctx: RequestContext, query: ApprovalListQuery): Promise<{ items: Approval[]; nextCursor: string | null }>;
  get(ctx: RequestContext, id: string): Promise<Approval>;
  /** Every approval about one subject (a bill's detail), oldest first; no scope check. */
  forSubject(exec: Exec, subjectType: string, subjectId: string): Promise<Approval[]>;
}

/** Display names by user id, through the identity module's public `users.displayNames`. */
export type UserNames = (exec: Exec, userIds: readonly string[]) => Promise<Map<string, string>>;

export interface ApprovalsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /** Optional: without it approvals carry ids only. */
  userNames?: UserNames;
}

export function approvalView(r: ApprovalRow): Approval {
  return {
    id: r.id,
    communityId: r.community_id,
    kind: r.kind,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    status: r.status,
    reason: r.reason,
    payload: JSON.parse(r.payload_json) as unknown,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
  };
}

const recordOf = (r: ApprovalRow): ApprovalRecord => ({
  id: r.id,
  communityId: r.community_id,
  kind: r.kind,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  reason: r.reason,
  payload: JSON.parse(r.payload_json) as unknown,
  requestedBy: r.requested_by,
});

export function createApprovalsService(deps: ApprovalsDeps): ApprovalsService {
  const { db, clock, ids, audit } = deps;
  const handlers = new Map<string, ApprovalHandler>();

  /** Adds requester and decider names: one lookup for the whole page, not one per row. */
  async function named(exec: Exec, items: Approval[]): Promise<Approval[]> {
    if (!deps.userNames || items.length === 0) return items;
    const names = await deps.userNames(exec, items.flatMap((a) => (a.decidedBy ? [a.requestedBy, a.decidedBy] : [a.requestedBy])));
    return items.map((a) => ({ ...a, requestedByName: names.get(a.requestedBy) ?? null, decidedByName: a.decidedBy ? (names.get(a.decidedBy) ?? null) : null }));
  }

  async function decide(tx: Tx, ctx: RequestContext, id: string, decision: 'approve' | 'reject', note?: string | null): Promise<Approval> {
    const row = await tx.selectFrom('billing_approvals').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    assertCan(ctx, 'billing.approval.decide', row.community_id);
    const userId = ctx.actor.userId;
    // An approval is a person's decision: the system and API tokens without a user cannot give one.
    if (userId === null) throw new AppError('auth.forbidden');
    // Separation of duties: the second pair of eyes must belong to somebody else.
    if (userId === row.requested_by) throw new AppError('billing.approval_self');
    const handler = handlers.get(row.kind);
    if (!handler) throw new Error(`no approval handler registered for ${row.kind}`);
    const status: ApprovalStatus = decision === 'approve' ? 'approved' : 'rejected';
    const at = clock.now().toISOString();
    // Conditional on still pending: of two concurrent deciders exactly one wins.
    const res = await tx
      .updateTable('billing_approvals')
      .set({ status, decided_by: userId, decided_at: at, decision_note: note ?? null })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new AppError('billing.approval_decided');
    if (decision === 'approve') await handler.approve(tx, ctx, recordOf(row));
    else await handler.reject?.(tx, ctx, recordOf(row));
    const after = { ...row, status, decided_by: userId, decided_at: at, decision_note: note ?? null };
    await audit.record(tx, ctx, { action: `billing.approval.${decision}`, entityType: 'billing_approval', entityId: id, communityId: row.community_id, before: { status: row.status }, after: { status, kind: row.kind, note: note ?? null } });
    return approvalView(after);
  }

  return {
    register(kind, handler) {
      if (handlers.has(kind)) throw new Error(`approval kind ${kind} registered twice`);
      handlers.set(kind, handler);
    },

    async requestApproval(tx, ctx, input) {
      const userId = ctx.actor.userId;
      if (userId === null) throw new AppError('auth.forbidden');
      if (!handlers.has(input.kind)) throw new Error(`no approval handler registered for ${input.kind}`);
      const row: ApprovalRow = {
        id: ids(),
        community_id: input.communityId,
        kind: input.kind,
        subject_type: input.subjectType,
        subject_id: input.subjectId,
        status: 'pending',
        reason: input.reason,
        payload_json: JSON.stringify(input.payload ?? null),
        requested_by: userId,
        requested_at: clock.now().toISOString(),
        decided_by: null,
        decided_at: null,
        decision_note: null,
      };
      await tx.insertInto('billing_approvals').values(row).execute();
      await audit.record(tx, ctx, { action: 'billing.approval.request', entityType: 'billing_approval', entityId: row.id, communityId: row.community_id, after: { kind: row.kind, subjectType: row.subject_type, subjectId: row.subject_id, reason: row.reason, payload: input.payload } });
      return approvalView(row);
    },

    decide,

    decideById(ctx, id, body) {
      return db.transaction().execute((tx) => decide(tx, ctx, id, body.decision, body.note));
    },

    async list(ctx, query) {
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 1) as [string] | undefined;
      if (query.communityId) assertCan(ctx, 'billing.approval.decide', query.communityId);
      const scope = scopeOf(ctx, 'billing.approval.decide');
      if (scope !== null && scope.length === 0) return { items: [], nextCursor: null };
      let q = db.selectFrom('billing_approvals').selectAll();
      if (scope !== null) q = q.where('community_id', 'in', scope);
      if (query.communityId) q = q.where('community_id', '=', query.communityId);
      if (query.status) q = q.where('status', '=', query.status);
      if (query.kind) q = q.where('kind', '=', query.kind);
      if (after) q = q.where('id', '<', after[0]);
      const rows = await q.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: await named(db, page.items.map(approvalView)), nextCursor: page.nextCursor };
    },

    async get(ctx, id) {
      const row = await db.selectFrom('billing_approvals').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound();
      assertCan(ctx, 'billing.approval.decide', row.community_id);
      return (await named(db, [approvalView(row)]))[0]!;
    },

    async forSubject(exec, subjectType, subjectId) {
      const rows = await exec.selectFrom('billing_approvals').selectAll().where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).orderBy('id').execute();
      return named(exec, rows.map(approvalView));
    },
  };
}
