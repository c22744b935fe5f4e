import type { PrepaidStatement, PrepaidStatementQuery } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Tx } from '../../core/db/schema.js';
import type { IdGenerator } from '../../core/ids.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, encodeCursor } from '../../core/http/cursor.js';
import type { AuditService } from '../audit/index.js';
import { applyAllocations, lockBills, plan } from './allocation.js';
import type { JournalTransaction, Ledger } from './ledger.js';
import * as repo from './payments.repository.js';
import type { PaymentsService } from './payments.service.js';

export interface PrepaidService {
  /**
   * Automatic deduction (预存款自动抵扣) after a bill run, in the run's transaction: each subject's
   * prepaid balance settles its open bills oldest first; set-based, one ledger transaction per
   * subject, one audit record. The caller reads the community's `billing.prepaid.auto_deduct`
   * setting BEFORE opening its transaction (settings reads use the pool, not `tx`).
   */
  autoDeduct(tx: Tx, ctx: RequestContext, communityId: string, subjectIds: readonly string[]): Promise<{ bills: number; amountCents: number }>;
  /** Whether the community asked for the automatic deduction (`billing.prepaid.auto_deduct`). */
  autoDeductEnabled(communityId: string): Promise<boolean>;
  statement(ctx: RequestContext, query: PrepaidStatementQuery): Promise<PrepaidStatement>;
}

export function createPrepaidService(deps: {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  ledger: Ledger;
  payments: Pick<PaymentsService, 'subjectById'>;
  setting: (communityId: string) => Promise<boolean>;
}): PrepaidService {
  const { dialect, ids, ledger } = deps;
  const post = (tx: Tx, txns: readonly JournalTransaction[]) => ledger.postMany(tx, txns);
  return {
    autoDeductEnabled: (communityId) => deps.setting(communityId),
    async autoDeduct(tx, ctx, communityId, subjectIds) {
      if (subjectIds.length === 0) return { bills: 0, amountCents: 0 };
      const at = deps.clock.now().toISOString();
      const actor = ctx.actor.userId ?? ctx.actor.name;
      const bills = await lockBills(tx, dialect, { communityId, subjectIds });
      const withBills = [...new Set(bills.map((b) => b.subject_id))];
      if (withBills.length === 0) return { bills: 0, amountCents: 0 };
      let balanceQuery = tx
        .selectFrom('ledger_balances')
        .select(['subject_id', 'balance_cents'])
        .where('community_id', '=', communityId)
        .where('account', '=', 'prepaid')
        .where('subject_id', 'in', withBills)
        .orderBy('subject_id');
      if (dialect === 'postgres') balanceQuery = balanceQuery.forUpdate();
      const balances = new Map((await balanceQuery.execute()).map((b) => [b.subject_id, -Number(b.balance_cents)]));
      const rows: { billId: string; subjectId: string; paymentId: null; amountCents: number }[] = [];
      const txns: JournalTransaction[] = [];
      for (const subjectId of withBills) {
        const available = balances.get(subjectId) ?? 0;
        if (available <= 0) continue;
        const planned = plan(
          bills.filter((b) => b.subject_id === subjectId),
          available,
        );
        const total = planned.reduce((s, p) => s + p.amountCents, 0);
        if (total === 0) continue;
        rows.push(...planned.map((p) => ({ billId: p.billId, subjectId, paymentId: null, amountCents: p.amountCents })));
        txns.push({
          communityId,
          kind: 'prepaid_deduct',
          refType: 'subject',
          refId: subjectId,
          actor,
          entries: [
            { account: 'prepaid', subjectId, amountCents: total },
            { account: 'receivable', subjectId, amountCents: -total },
          ],
        });
      }
      if (rows.length === 0) return { bills: 0, amountCents: 0 };
      await applyAllocations(tx, { ids, dialect, at, actor }, communityId, rows);
      await post(tx, txns);
      const amountCents = rows.reduce((s, r) => s + r.amountCents, 0);
      await deps.audit.record(tx, ctx, { action: 'billing.prepaid.deduct', entityType: 'community', entityId: communityId, communityId, after: { subjects: txns.length, bills: rows.length, amountCents } });
      return { bills: rows.length, amountCents };
    },
    async statement(ctx, query) {
      const room = await deps.payments.subjectById(deps.db, null, query.subjectId);
      assertCan(ctx, 'billing.payment.read', room.communityId);
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.prepaidMovements(deps.db, room.communityId, room.subjectId, after, limit + 1);
      const balance = await ledger.balances(deps.db, room.communityId, 'prepaid', [room.subjectId]);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const iso = (v: string | Date) => (typeof v === 'string' ? v : v.toISOString());
      return {
        subjectId: room.subjectId,
        balanceCents: -(balance.get(room.subjectId) ?? 0),
        // Owner's view: credit (money the organisation holds for them) shown positive.
        items: page.map((m) => ({ transactionId: m.transaction_id, kind: m.kind, refType: m.ref_type, refId: m.ref_id, amountCents: -Number(m.amount_cents), balanceCents: -Number(m.balance_cents), occurredAt: iso(m.occurred_at) })),
        nextCursor: rows.length > limit && last ? encodeCursor([iso(last.occurred_at), last.entry_id]) : null,
      };
    },
  };
}
