import type { CreatePaymentBody, Payment, PaymentListQuery, Receipt, TopUpBody } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Dialect } from '../../core/db/database.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import type { IdGenerator } from '../../core/ids.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, fieldError, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { PropertiesService } from '../properties/index.js';
import type { JournalKind, LedgerAccount } from './billing.tables.js';
import type { JournalTransaction, Ledger } from './ledger.js';
import { applyAllocations, lockBills, oldestFirst, plan } from './allocation.js';
import type { Idempotency, IdempotentResult } from './idempotency.js';
import { idempotencyScope } from './idempotency.js';
import type { PaymentMethod, PaymentTable } from './payments.tables.js';
import * as repo from './payments.repository.js';
import type { UserNames } from './approvals.service.js';

export interface PaymentsDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  ledger: Ledger;
  properties: Pick<PropertiesService, 'roomRef' | 'parkingSpaceRef'>;
  idempotency: Idempotency;
  /** Optional: receipts then show who took the money by name (identity's `users.displayNames`). */
  userNames?: UserNames;
}

/** The room or parking space a payment is for: the subject of its receivable and prepaid accounts. */
export interface Subject {
  communityId: string;
  subjectId: string;
  roomId: string | null;
  parkingSpaceId: string | null;
  label: string;
}

export interface ReceiveInput {
  subject: Subject;
  method: PaymentMethod;
  amountCents: number;
  /** Chosen bills; undefined = every open bill oldest first; null = none (a top-up). */
  billIds: readonly string[] | undefined | null;
  payerName?: string | null;
  personId?: string | null;
  note?: string | null;
  gatewayOrderId?: string | null;
}

export interface PaymentsService {
  /** `POST /api/payments`: idempotent on the caller's key. */
  collect(ctx: RequestContext, key: string, body: CreatePaymentBody): Promise<IdempotentResult>;
  /** `POST /api/prepaid/top-ups`: a payment with nothing to allocate, idempotent. */
  topUp(ctx: RequestContext, key: string, body: TopUpBody): Promise<IdempotentResult>;
  /** Receives money (or, with method `prepaid`, spends the balance) in the caller's transaction. */
  receive(tx: Tx, ctx: RequestContext, input: ReceiveInput): Promise<Payment>;
  get(ctx: RequestContext, id: string): Promise<Payment>;
  list(ctx: RequestContext, query: PaymentListQuery): Promise<{ items: Payment[]; nextCursor: string | null }>;
  /** Everything a receipt print (PDF) needs. */
  receipt(ctx: RequestContext, id: string): Promise<Receipt>;
  /** For portal / internal callers that checked access themselves. */
  viewsOf(exec: Exec, rows: readonly PaymentTable[]): Promise<Payment[]>;
  receiptOf(exec: Exec, id: string): Promise<Receipt | undefined>;
  resolveSubject(exec: Exec, communityId: string | null, roomId?: string | null, parkingSpaceId?: string | null): Promise<Subject>;
  /** The subject (room, else parking space) with this id; `billing.subject_unknown` otherwise. */
  subjectById(exec: Exec, communityId: string | null, subjectId: string): Promise<Subject>;
  /** The next receipt number of the community (in the caller's transaction, gap-free). */
  issueReceipt(tx: Tx, ctx: RequestContext, r: { communityId: string; subjectId: string; paymentId: string | null; depositId: string | null; amountCents: number; method: string; payerName: string | null }): Promise<{ id: string; number: string }>;
}

/** Which asset account money taken with a method lands on (ledger.ts). */
export function moneyAccount(method: PaymentMethod): LedgerAccount {
  switch (method) {
    case 'cash':
      return 'cash';
    case 'bank_card':
    case 'bank_transfer':
      return 'bank';
    case 'online':
      return 'gateway_clearing';
    case 'prepaid':
      throw new Error('prepaid is not money received');
  }
}

/** Receipt years follow the calendar in China (UTC+8, no daylight saving). */
export function receiptYear(at: Date): number {
  return new Date(at.getTime() + 8 * 3600_000).getUTCFullYear();
}

export function createPaymentsService(deps: PaymentsDeps): PaymentsService {
  const { db, dialect, clock, ids, audit, ledger } = deps;
  const post = (tx: Tx, txns: readonly JournalTransaction[]) => ledger.postMany(tx, txns);
  const now = () => clock.now().toISOString();
  const actorOf = (ctx: RequestContext) => ctx.actor.userId ?? ctx.actor.name;

  async function resolveSubject(exec: Exec, communityId: string | null, roomId?: string | null, parkingSpaceId?: string | null): Promise<Subject> {
    if ((roomId ? 1 : 0) + (parkingSpaceId ? 1 : 0) !== 1) throw new AppError('request.invalid', [fieldError('/body/roomId', 'give exactly one of roomId, parkingSpaceId', '房屋和车位须填且只填一项')]);
    if (roomId) {
      const room = await deps.properties.roomRef(exec, roomId);
      if (!room || (communityId !== null && room.communityId !== communityId)) throw new AppError('billing.subject_unknown');
      return { communityId: room.communityId, subjectId: room.id, roomId: room.id, parkingSpaceId: null, label: room.code };
    }
    const space = await deps.properties.parkingSpaceRef(exec, parkingSpaceId!);
    if (!space || (communityId !== null && space.communityId !== communityId)) throw new AppError('billing.subject_unknown');
    return { communityId: space.communityId, subjectId: space.id, roomId: null, parkingSpaceId: space.id, label: space.number };
  }

  async function issueReceipt(tx: Tx, ctx: RequestContext, r: Parameters<PaymentsService['issueReceipt']>[2]) {
    const at = clock.now();
    const year = receiptYear(at);
    const comm = await repo.community(tx, r.communityId);
    const seq = await repo.receipts.nextSeq(tx, r.communityId, year);
    const number = `${comm?.code ?? 'C'}-${year}-${String(seq).padStart(6, '0')}`;
    const id = ids();
    await repo.receipts.insert(tx, {
      id,
      community_id: r.communityId,
      number,
      year,
      seq,
      payment_id: r.paymentId,
      deposit_id: r.depositId,
      subject_id: r.subjectId,
      amount_cents: r.amountCents,
      method: r.method,
      payer_name: r.payerName,
      status: 'issued',
      issued_at: at.toISOString(),
      issued_by: actorOf(ctx),
      voided_at: null,
      voided_by: null,
      void_reason: null,
      reissue_of: null,
    });
    return { id, number };
  }

  async function viewsOf(exec: Exec, rows: readonly PaymentTable[]): Promise<Payment[]> {
    const idsOf = rows.map((r) => r.id);
    const [allocs, receipts] = await Promise.all([repo.allocations.ofPayments(exec, idsOf), repo.receipts.ofPayments(exec, idsOf)]);
    const subjects = [...new Set(rows.map((r) => `${r.community_id}\u0000${r.subject_id}`))];
    const balances = new Map<string, number>();
    for (const s of subjects) {
      const [communityId, subjectId] = s.split('\u0000') as [string, string];
      const b = await ledger.balances(exec, communityId, 'prepaid', [subjectId]);
      balances.set(s, -(b.get(subjectId) ?? 0));
    }
    return rows.map((r) => {
      const mine = allocs.filter((a) => a.payment_id === r.id && Number(a.amount_cents) !== 0).map((a) => ({ billId: a.bill_id, amountCents: Number(a.amount_cents) }));
      const receipt = receipts.find((x) => x.payment_id === r.id);
      return {
        id: r.id,
        communityId: r.community_id,
        subjectId: r.subject_id,
        roomId: r.room_id,
        parkingSpaceId: r.parking_space_id,
        method: r.method,
        amountCents: Number(r.amount_cents),
        allocatedCents: mine.reduce((s, a) => s + a.amountCents, 0),
        allocations: mine,
        prepaidBalanceCents: balances.get(`${r.community_id}\u0000${r.subject_id}`) ?? 0,
        status: r.status,
        payerName: r.payer_name,
        note: r.note,
        receiptId: receipt?.id ?? null,
        receiptNumber: receipt?.number ?? null,
        receivedAt: r.received_at,
      };
    });
  }

  async function receive(tx: Tx, ctx: RequestContext, input: ReceiveInput): Promise<Payment> {
    const { subject } = input;
    const at = now();
    const actor = actorOf(ctx);
    // Lock the bills first (always in the same order), then touch balances: every payment takes
    // its locks in this order, so concurrent payments queue instead of deadlocking.
    let bills: Awaited<ReturnType<typeof lockBills>> = [];
    if (input.billIds !== null) {
      bills = await lockBills(tx, dialect, { communityId: subject.communityId, subjectIds: [subject.subjectId], billIds: input.billIds });
      if (input.billIds && (bills.length !== input.billIds.length || bills.some((b) => b.status === 'cancelled'))) throw new AppError('billing.bill_not_payable');
      bills = oldestFirst(bills);
    }
    let available = input.amountCents;
    if (input.method === 'prepaid') {
      // Paying from the balance only moves what is already there (the balance is a credit, ≤ 0).
      const balance = -(await repo.lockedBalance(tx, dialect, subject.communityId, 'prepaid', subject.subjectId));
      if (balance < input.amountCents) throw new AppError('billing.prepaid_insufficient');
    }
    const allocations = plan(bills, available);
    const applied = allocations.reduce((s, a) => s + a.amountCents, 0);
    if (input.method === 'prepaid') {
      if (applied === 0) throw new AppError('billing.bill_not_payable');
      available = applied;
    }
    const paymentId = ids();
    const payment: PaymentTable = {
      id: paymentId,
      community_id: subject.communityId,
      subject_id: subject.subjectId,
      room_id: subject.roomId,
      parking_space_id: subject.parkingSpaceId,
      person_id: input.personId ?? null,
      payer_name: input.payerName ?? null,
      method: input.method,
      amount_cents: available,
      status: 'completed',
      note: input.note ?? null,
      gateway_order_id: input.gatewayOrderId ?? null,
      received_by: actor,
      received_at: at,
      reversed_at: null,
    };
    await tx.insertInto('payments').values(payment).execute();
    const txns: JournalTransaction[] = [];
    if (input.method !== 'prepaid') {
      // Money lands on the room's prepaid account first (ledger.ts): it is never lost, whatever
      // part of it the bills take. Subject accounts are listed first so that balance rows are
      // always locked in the same order (subject, then the community's cash/bank).
      const kind: JournalKind = input.billIds === null ? 'prepaid_topup' : 'payment';
      txns.push({
        communityId: subject.communityId,
        kind,
        refType: 'payment',
        refId: paymentId,
        actor,
        entries: [
          { account: 'prepaid', subjectId: subject.subjectId, amountCents: -available },
          { account: moneyAccount(input.method), subjectId: '', amountCents: available },
        ],
      });
    }
    if (applied > 0) {
      txns.push({
        communityId: subject.communityId,
        kind: 'allocation',
        refType: 'payment',
        refId: paymentId,
        actor,
        entries: [
          { account: 'prepaid', subjectId: subject.subjectId, amountCents: applied },
          { account: 'receivable', subjectId: subject.subjectId, amountCents: -applied },
        ],
      });
      await applyAllocations(
        tx,
        { ids, dialect, at, actor },
        subject.communityId,
        allocations.map((a) => ({ billId: a.billId, subjectId: subject.subjectId, paymentId, amountCents: a.amountCents })),
      );
    }
    await post(tx, txns);
    if (input.method !== 'prepaid') {
      await issueReceipt(tx, ctx, { communityId: subject.communityId, subjectId: subject.subjectId, paymentId, depositId: null, amountCents: available, method: input.method, payerName: input.payerName ?? null });
    }
    await audit.record(tx, ctx, {
      action: input.billIds === null ? 'billing.prepaid.top_up' : 'billing.payment.create',
      entityType: 'payment',
      entityId: paymentId,
      communityId: subject.communityId,
      after: { subjectId: subject.subjectId, method: input.method, amountCents: available, allocatedCents: applied, bills: allocations.length },
    });
    const [view] = await viewsOf(tx, [payment]);
    return view!;
  }

  async function receiveIdempotent(ctx: RequestContext, key: string, route: string, body: CreatePaymentBody | TopUpBody, billIds: readonly string[] | undefined | null): Promise<IdempotentResult> {
    assertCan(ctx, 'billing.payment.collect', body.communityId);
    return deps.idempotency.run(idempotencyScope(ctx, route), key, body, async (tx) => {
      const subject = await resolveSubject(tx, body.communityId, body.roomId, body.parkingSpaceId);
      const payment = await receive(tx, ctx, {
        subject,
        method: body.method,
        amountCents: body.amountCents,
        billIds,
        payerName: body.payerName ?? null,
        personId: body.personId ?? null,
        note: body.note ?? null,
      });
      return { status: 201, body: payment };
    });
  }

  async function receiptOf(exec: Exec, id: string): Promise<Receipt | undefined> {
    const r = await repo.receipts.byId(exec, id);
    if (!r) return undefined;
    const comm = await repo.community(exec, r.community_id);
    const lines = r.payment_id ? await repo.receiptLines(exec, r.payment_id) : [];
    const room = await deps.properties.roomRef(exec, r.subject_id);
    const space = room ? undefined : await deps.properties.parkingSpaceRef(exec, r.subject_id);
    const settled = lines.reduce((s, l) => s + Number(l.amount_cents), 0);
    const names = deps.userNames ? await deps.userNames(exec, r.voided_by ? [r.issued_by, r.voided_by] : [r.issued_by]) : new Map<string, string>();
    return {
      id: r.id,
      communityId: r.community_id,
      communityName: comm?.name ?? '',
      number: r.number,
      subjectId: r.subject_id,
      subjectLabel: room?.code ?? space?.number ?? '',
      paymentId: r.payment_id,
      depositId: r.deposit_id,
      amountCents: Number(r.amount_cents),
      method: r.method,
      payerName: r.payer_name,
      lines: lines.map((l) => ({ billId: l.bill_id, feeItemName: l.fee_item_name, periodLabel: l.period_label, amountCents: Number(l.amount_cents) })),
      prepaidCents: r.deposit_id ? 0 : Number(r.amount_cents) - settled,
      status: r.status,
      issuedAt: r.issued_at,
      issuedBy: r.issued_by,
      issuedByName: names.get(r.issued_by) ?? null,
      voidedAt: r.voided_at,
      voidedBy: r.voided_by,
      voidedByName: r.voided_by ? (names.get(r.voided_by) ?? null) : null,
      voidReason: r.void_reason,
      reissueOf: r.reissue_of,
    };
  }

  return {
    receive,
    viewsOf,
    receiptOf,
    resolveSubject,
    async subjectById(exec, communityId, subjectId) {
      const room = await deps.properties.roomRef(exec, subjectId);
      return room ? resolveSubject(exec, communityId, subjectId, null) : resolveSubject(exec, communityId, null, subjectId);
    },
    issueReceipt,
    collect: (ctx, key, body) => receiveIdempotent(ctx, key, 'POST /api/payments', body, body.billIds),
    topUp: (ctx, key, body) => receiveIdempotent(ctx, key, 'POST /api/prepaid/top-ups', body, null),
    async get(ctx, id) {
      const row = await repo.payments.byId(db, id);
      if (!row) throw notFound();
      assertCan(ctx, 'billing.payment.read', row.community_id);
      const [view] = await viewsOf(db, [row]);
      return view!;
    },
    async list(ctx, query) {
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 2) as [string, string] | undefined;
      const rows = await repo.payments.page(db, {
        communityIds: scopeOf(ctx, 'billing.payment.read'),
        communityId: query.communityId,
        subjectIds: query.subjectId ? [query.subjectId] : undefined,
        after,
        limit: limit + 1,
      });
      const page = pageOf(rows, limit, (r) => [r.received_at, r.id]);
      return { items: await viewsOf(db, page.items), nextCursor: page.nextCursor };
    },
    async receipt(ctx, id) {
      const r = await receiptOf(db, id);
      if (!r) throw notFound();
      assertCan(ctx, 'billing.payment.read', r.communityId);
      return r;
    },
  };
}
