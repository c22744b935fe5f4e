import type { CollectDepositBody, Deposit } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Exec } from '../../core/db/schema.js';
import type { IdGenerator } from '../../core/ids.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import type { AuditService } from '../audit/index.js';
import { idempotencyScope, type Idempotency, type IdempotentResult } from './idempotency.js';
import type { Ledger } from './ledger.js';
import type { DepositTable } from './payments.tables.js';
import { moneyAccount, type PaymentsService } from './payments.service.js';

export interface DepositsService {
  /** Collects a deposit (押金, e.g. renovation): Dr cash|bank, Cr deposit(room); receipt; idempotent. */
  collect(ctx: RequestContext, key: string, body: CollectDepositBody): Promise<IdempotentResult>;
  ofSubject(ctx: RequestContext, subjectId: string): Promise<Deposit[]>;
  viewOf(exec: Exec, row: DepositTable): Promise<Deposit>;
}

export function createDepositsService(deps: { db: Db; dialect: Dialect; clock: Clock; ids: IdGenerator; audit: AuditService; ledger: Ledger; payments: PaymentsService; idempotency: Idempotency }): DepositsService {
  const { db, clock, ids, audit, ledger, payments } = deps;

  async function viewOf(exec: Exec, r: DepositTable): Promise<Deposit> {
    const receipt = await exec.selectFrom('receipts').select('number').where('deposit_id', '=', r.id).where('status', '=', 'issued').executeTakeFirst();
    return {
      id: r.id,
      communityId: r.community_id,
      subjectId: r.subject_id,
      renovationId: r.renovation_id,
      purpose: r.purpose,
      method: r.method,
      amountCents: Number(r.amount_cents),
      status: r.status,
      payerName: r.payer_name,
      receiptNumber: receipt?.number ?? null,
      collectedAt: r.collected_at,
      returnedAt: r.returned_at,
    };
  }

  return {
    viewOf,
    async collect(ctx, key, body) {
      assertCan(ctx, 'billing.payment.collect', body.communityId);
      return deps.idempotency.run(idempotencyScope(ctx, 'POST /api/deposits'), key, body, async (tx) => {
        const subject = await payments.resolveSubject(tx, body.communityId, body.roomId, body.parkingSpaceId);
        const at = clock.now().toISOString();
        const actor = ctx.actor.userId ?? ctx.actor.name;
        const row: DepositTable = {
          id: ids(),
          community_id: subject.communityId,
          subject_id: subject.subjectId,
          room_id: subject.roomId,
          parking_space_id: subject.parkingSpaceId,
          renovation_id: body.renovationId ?? null,
          person_id: body.personId ?? null,
          payer_name: body.payerName ?? null,
          purpose: body.purpose,
          method: body.method,
          amount_cents: body.amountCents,
          status: 'held',
          collected_by: actor,
          collected_at: at,
          returned_at: null,
        };
        await tx.insertInto('deposits').values(row).execute();
        await ledger.post(tx, {
          communityId: subject.communityId,
          kind: 'deposit_collect',
          refType: 'deposit',
          refId: row.id,
          actor,
          entries: [
            { account: 'deposit', subjectId: subject.subjectId, amountCents: -body.amountCents },
            { account: moneyAccount(body.method), subjectId: '', amountCents: body.amountCents },
          ],
        });
        await payments.issueReceipt(tx, ctx, { communityId: subject.communityId, subjectId: subject.subjectId, paymentId: null, depositId: row.id, amountCents: body.amountCents, method: body.method, payerName: row.payer_name });
        await audit.record(tx, ctx, { action: 'billing.deposit.collect', entityType: 'deposit', entityId: row.id, communityId: subject.communityId, after: { subjectId: subject.subjectId, purpose: row.purpose, amountCents: body.amountCents, renovationId: row.renovation_id } });
        return { status: 201, body: await viewOf(tx, row) };
      });
    },
    async ofSubject(ctx, subjectId) {
      const subject = await payments.subjectById(db, null, subjectId);
      assertCan(ctx, 'billing.payment.read', subject.communityId);
      const rows = await db.selectFrom('deposits').selectAll().where('subject_id', '=', subjectId).orderBy('collected_at', 'desc').execute();
      return Promise.all(rows.map((r) => viewOf(db, r)));
    },
  };
}
