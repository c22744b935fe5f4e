import type { AnswerFeedbackBody, Feedback, FeedbackCategory, FeedbackListQuery, FeedbackState, FeedbackStats, MyFeedbackQuery, SendFeedbackBody } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { assertCan, can, scopeOf, type RequestContext } from '../../core/http/context.js';
import { AppError, forbidden, notFound } from '../../core/http/errors.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './feedback.repository.js';
import type { FeedbackItemTable } from './feedback.tables.js';

type Page<T> = { items: T[]; nextCursor: string | null };

export interface FeedbackService {
  send(ctx: RequestContext, body: SendFeedbackBody): Promise<Feedback>;
  /** The caller's own feedback with the answers they got. */
  mine(ctx: RequestContext, query: MyFeedbackQuery): Promise<Page<Feedback>>;
  list(ctx: RequestContext, query: FeedbackListQuery): Promise<Page<Feedback>>;
  /** The sender or a holder of service_desk.feedback.manage over its community. */
  get(ctx: RequestContext, id: string): Promise<Feedback>;
  triage(ctx: RequestContext, id: string): Promise<Feedback>;
  answer(ctx: RequestContext, id: string, body: AnswerFeedbackBody): Promise<Feedback>;
  close(ctx: RequestContext, id: string): Promise<Feedback>;
  stats(ctx: RequestContext): Promise<FeedbackStats>;
  /** For the files owner type `feedback`: the row's community, undefined when it does not exist. */
  communityOf(exec: Exec, id: string): Promise<string | null | undefined>;
}

export interface FeedbackDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /** notifications.send, bound: tells the sender their feedback was answered. */
  notify(tx: Tx, ctx: RequestContext, input: { recipients: string[]; template: string; data: Record<string, string>; communityId: string | null }): Promise<unknown>;
}

const MANAGE = 'service_desk.feedback.manage';
const SEND = 'service_desk.feedback.send';
/** The template the sender receives when their feedback is answered. */
export const FEEDBACK_ANSWERED_TEMPLATE = 'service_desk.feedback_answered';

export const FEEDBACK_CATEGORIES: FeedbackCategory[] = ['function', 'operation', 'security', 'other'];
export const FEEDBACK_STATES: FeedbackState[] = ['new', 'in_triage', 'answered', 'closed'];

/** Triage (PRODUCT §3): new → in triage → answered → closed; answering straight from new and closing from any open state are allowed. */
const NEXT: Record<'triage' | 'answer' | 'close', FeedbackState[]> = {
  triage: ['new'],
  answer: ['new', 'in_triage', 'answered'],
  close: ['new', 'in_triage', 'answered'],
};

function view(r: repo.FeedbackRow): Feedback {
  return {
    id: r.id,
    communityId: r.community_id,
    senderUserId: r.sender_user_id,
    senderName: r.sender_name,
    senderKind: r.sender_kind,
    category: r.category,
    body: r.body,
    screenshotFileId: r.screenshot_file_id,
    state: r.state,
    response: r.response,
    respondedAt: r.responded_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createFeedbackService(deps: FeedbackDeps): FeedbackService {
  const now = () => deps.clock.now().toISOString();

  async function page(query: { cursor?: string; limit?: number }, filter: Parameters<typeof repo.feedback.page>[1]) {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, 1)?.[0] as string | undefined;
    const rows = await repo.feedback.page(deps.db, filter, after, limit + 1);
    const p = pageOf(rows, limit, (r) => [r.id]);
    return { items: p.items.map(view), nextCursor: p.nextCursor };
  }

  async function step(ctx: RequestContext, id: string, action: keyof typeof NEXT, patch: (row: repo.FeedbackRow, at: string) => Partial<FeedbackItemTable>, after?: (tx: Tx, row: repo.FeedbackRow) => Promise<void>) {
    return deps.db.transaction().execute(async (tx) => {
      const row = await repo.feedback.byId(tx, id);
      if (!row) throw notFound();
      assertCan(ctx, MANAGE, row.community_id);
      if (!NEXT[action].includes(row.state)) throw new AppError('service_desk.feedback_illegal_transition');
      const changes = patch(row, now());
      await repo.feedback.update(tx, id, changes);
      const next = { ...row, ...changes };
      await deps.audit.record(tx, ctx, { action: `service_desk.feedback.${action}`, entityType: 'feedback', entityId: id, communityId: row.community_id, before: { state: row.state }, after: { state: next.state, ...(changes.response ? { response: changes.response } : {}) } });
      if (after) await after(tx, next);
      return view(next);
    });
  }

  return {
    async send(ctx, body) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      return deps.db.transaction().execute(async (tx) => {
        const user = await repo.senders.user(tx, userId);
        if (!user) throw forbidden();
        // The sender's community when known: an owner's registered community; a staff member
        // whose right to send covers exactly one community. Otherwise organisation-wide (null).
        const scope = scopeOf(ctx, SEND);
        const communityId = user.kind === 'owner' ? ((await repo.senders.ownerCommunity(tx, userId))?.community_id ?? (scope?.length === 1 ? scope[0]! : null)) : scope?.length === 1 ? scope[0]! : null;
        const at = now();
        const row: FeedbackItemTable = {
          id: deps.ids(),
          community_id: communityId,
          sender_user_id: userId,
          sender_name: user.display_name,
          sender_kind: user.kind,
          category: body.category,
          body: body.body.trim(),
          state: 'new',
          response: null,
          responded_by: null,
          responded_at: null,
          closed_at: null,
          created_at: at,
          updated_at: at,
        };
        await repo.feedback.insert(tx, row);
        await deps.audit.record(tx, ctx, { action: 'service_desk.feedback.send', entityType: 'feedback', entityId: row.id, communityId, after: { category: row.category } });
        return view({ ...row, screenshot_file_id: null });
      });
    },

    async mine(ctx, query) {
      const userId = ctx.actor.userId;
      if (!userId) throw forbidden();
      return page(query, { senderUserId: userId });
    },

    list: (ctx, query) => {
      assertCan(ctx, MANAGE, scopeOf(ctx, MANAGE)?.[0] ?? null);
      return page(query, { scope: scopeOf(ctx, MANAGE), state: query.state, category: query.category });
    },

    async get(ctx, id) {
      const row = await repo.feedback.byId(deps.db, id);
      if (!row) throw notFound();
      if (row.sender_user_id !== ctx.actor.userId) assertCan(ctx, MANAGE, row.community_id);
      return view(row);
    },

    triage: (ctx, id) => step(ctx, id, 'triage', (_row, at) => ({ state: 'in_triage', updated_at: at })),

    answer: (ctx, id, body) =>
      step(
        ctx,
        id,
        'answer',
        (_row, at) => ({ state: 'answered', response: body.response.trim(), responded_by: ctx.actor.userId, responded_at: at, updated_at: at }),
        // The sender learns of the answer in their notification centre, in the same transaction.
        async (tx, row) => {
          await deps.notify(tx, ctx, { recipients: [row.sender_user_id], template: FEEDBACK_ANSWERED_TEMPLATE, data: { excerpt: row.body.slice(0, 40), response: row.response ?? '' }, communityId: row.community_id });
        },
      ),

    close: (ctx, id) => step(ctx, id, 'close', (_row, at) => ({ state: 'closed', closed_at: at, updated_at: at })),

    async stats(ctx) {
      const scope = scopeOf(ctx, MANAGE);
      if (!can(ctx, MANAGE, scope?.[0] ?? null)) throw forbidden();
      const rows = await repo.feedback.stats(deps.db, scope);
      const sum = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).reduce((n, r) => n + Number(r.n), 0);
      return {
        byCategory: FEEDBACK_CATEGORIES.map((category) => ({ category, count: sum((r) => r.category === category) })),
        byState: FEEDBACK_STATES.map((state) => ({ state, count: sum((r) => r.state === state) })),
        total: sum(() => true),
      };
    },

    async communityOf(exec, id) {
      const row = await repo.feedback.communityOf(exec, id);
      return row ? row.community_id : undefined;
    },
  };
}
