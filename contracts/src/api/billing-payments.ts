import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';

/** Payments (收款), receipts (收据), prepaid (预存款), deposits (押金), refunds and reversals (退款 / 冲正), owner portal. */
const Cents = Type.Integer({ minimum: 1, maximum: 100_000_000_000 });
export const PaymentMethod = Type.Union([Type.Literal('cash'), Type.Literal('bank_card'), Type.Literal('bank_transfer'), Type.Literal('online'), Type.Literal('prepaid')]);
export type PaymentMethod = Static<typeof PaymentMethod>;
/** Methods a cashier can take money with at the counter (online goes through the gateway). */
export const CounterMethod = Type.Union([Type.Literal('cash'), Type.Literal('bank_card'), Type.Literal('bank_transfer')]);

/** Exactly one of roomId / parkingSpaceId names whose bills and prepaid account are concerned. */
const SubjectFields = {
  communityId: Id,
  roomId: Type.Optional(Id),
  parkingSpaceId: Type.Optional(Id),
};

export const CreatePaymentBody = Type.Object(
  {
    ...SubjectFields,
    amountCents: Cents,
    method: Type.Union([Type.Literal('cash'), Type.Literal('bank_card'), Type.Literal('bank_transfer'), Type.Literal('prepaid')]),
    /** Bills to settle (paid oldest first among them); omitted = every open bill, oldest due first. */
    billIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true })),
    payerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    personId: Type.Optional(Id),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CreatePaymentBody = Static<typeof CreatePaymentBody>;

export const TopUpBody = Type.Object(
  {
    ...SubjectFields,
    amountCents: Cents,
    method: CounterMethod,
    payerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    personId: Type.Optional(Id),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TopUpBody = Static<typeof TopUpBody>;

export const AllocationView = Type.Object({ billId: Id, amountCents: Type.Integer() });

export const Payment = Type.Object({
  id: Id,
  communityId: Id,
  subjectId: Id,
  roomId: Nullable(Id),
  parkingSpaceId: Nullable(Id),
  method: PaymentMethod,
  amountCents: Type.Integer(),
  /** What went to bills; the rest of the amount stayed on the prepaid balance. */
  allocatedCents: Type.Integer(),
  allocations: Type.Array(AllocationView),
  /** The room's prepaid balance after the payment (what the organisation owes the owner). */
  prepaidBalanceCents: Type.Integer(),
  status: Type.Union([Type.Literal('completed'), Type.Literal('reversed')]),
  payerName: Nullable(Type.String()),
  note: Nullable(Type.String()),
  receiptId: Nullable(Id),
  receiptNumber: Nullable(Type.String()),
  receivedAt: Instant,
});
export type Payment = Static<typeof Payment>;

export const PaymentListQuery = Type.Object(
  { communityId: Type.Optional(Id), subjectId: Type.Optional(Id), ...PageQuery },
  { additionalProperties: false },
);
export type PaymentListQuery = Static<typeof PaymentListQuery>;
export const PaymentPage = Page(Payment);

export const PrepaidStatementQuery = Type.Object({ subjectId: Id, ...PageQuery }, { additionalProperties: false });
export type PrepaidStatementQuery = Static<typeof PrepaidStatementQuery>;
export const PrepaidMovement = Type.Object({
  transactionId: Id,
  kind: Type.String(),
  refType: Type.String(),
  refId: Id,
  /** Positive: money added to the owner's balance; negative: used or refunded. */
  amountCents: Type.Integer(),
  /** The balance right after this movement (what the organisation owes the owner). */
  balanceCents: Type.Integer(),
  occurredAt: Instant,
});
export const PrepaidStatement = Type.Object({ subjectId: Id, balanceCents: Type.Integer(), items: Type.Array(PrepaidMovement), nextCursor: Nullable(Type.String()) });
export type PrepaidStatement = Static<typeof PrepaidStatement>;

export const ReceiptLine = Type.Object({ billId: Id, feeItemName: Type.String(), periodLabel: Type.String(), amountCents: Type.Integer() });
export const Receipt = Type.Object({
  id: Id,
  communityId: Id,
  communityName: Type.String(),
  number: Type.String(),
  subjectId: Id,
  /** Room code or parking space number. */
  subjectLabel: Type.String(),
  paymentId: Nullable(Id),
  depositId: Nullable(Id),
  amountCents: Type.Integer(),
  method: Type.String(),
  payerName: Nullable(Type.String()),
  /** What the money settled; the rest is prepaid (预存) or a deposit. */
  lines: Type.Array(ReceiptLine),
  prepaidCents: Type.Integer(),
  status: Type.Union([Type.Literal('issued'), Type.Literal('void')]),
  issuedAt: Instant,
  issuedBy: Type.String(),
  /** Display name of the user who took the money (null when the actor is not a user, e.g. the gateway). */
  issuedByName: Type.Optional(Nullable(Type.String())),
  voidedAt: Nullable(Instant),
  voidedBy: Nullable(Type.String()),
  voidedByName: Type.Optional(Nullable(Type.String())),
  voidReason: Nullable(Type.String()),
  reissueOf: Nullable(Id),
});
export type Receipt = Static<typeof Receipt>;
export const ReceiptSummary = Type.Object({ id: Id, number: Type.String(), amountCents: Type.Integer(), method: Type.String(), status: Type.Union([Type.Literal('issued'), Type.Literal('void')]), issuedAt: Instant, paymentId: Nullable(Id) });
export const ReceiptList = Type.Object({ items: Type.Array(ReceiptSummary) });

export const CollectDepositBody = Type.Object(
  {
    ...SubjectFields,
    amountCents: Cents,
    method: CounterMethod,
    purpose: Type.String({ minLength: 1, maxLength: 100 }),
    renovationId: Type.Optional(Id),
    payerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    personId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CollectDepositBody = Static<typeof CollectDepositBody>;
export const Deposit = Type.Object({
  id: Id,
  communityId: Id,
  subjectId: Id,
  renovationId: Nullable(Id),
  purpose: Type.String(),
  method: Type.String(),
  amountCents: Type.Integer(),
  status: Type.Union([Type.Literal('held'), Type.Literal('returned')]),
  payerName: Nullable(Type.String()),
  receiptNumber: Nullable(Type.String()),
  collectedAt: Instant,
  returnedAt: Nullable(Instant),
});
export type Deposit = Static<typeof Deposit>;

const Reason = Type.String({ minLength: 2, maxLength: 500 });
export const RequestReversalBody = Type.Object({ reason: Reason }, { additionalProperties: false });
export type RequestReversalBody = Static<typeof RequestReversalBody>;
export const RequestRefundBody = Type.Object({ ...SubjectFields, amountCents: Cents, method: CounterMethod, reason: Reason }, { additionalProperties: false });
export type RequestRefundBody = Static<typeof RequestRefundBody>;
export const RequestDepositReturnBody = Type.Object({ method: CounterMethod, reason: Reason }, { additionalProperties: false });
export type RequestDepositReturnBody = Static<typeof RequestDepositReturnBody>;
export const DecideRefundBody = Type.Object({ approve: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type DecideRefundBody = Static<typeof DecideRefundBody>;
export const Refund = Type.Object({
  id: Id,
  communityId: Id,
  kind: Type.Union([Type.Literal('reversal'), Type.Literal('prepaid_refund'), Type.Literal('deposit_return')]),
  subjectId: Id,
  paymentId: Nullable(Id),
  depositId: Nullable(Id),
  amountCents: Type.Integer(),
  method: Type.String(),
  reason: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  requestedBy: Type.String(),
  requestedAt: Instant,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Instant),
  decisionNote: Nullable(Type.String()),
});
export type Refund = Static<typeof Refund>;
export const RefundListQuery = Type.Object({ communityId: Type.Optional(Id), status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])), ...PageQuery }, { additionalProperties: false });
export type RefundListQuery = Static<typeof RefundListQuery>;
export const RefundPage = Page(Refund);

export const OutTradeNoParams = Type.Object({ outTradeNo: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });
export type OutTradeNoParams = Static<typeof OutTradeNoParams>;
export const GatewayCallbackAnswer = Type.Object({ code: Type.String(), message: Type.String() });

// ---- owner portal
export const PortalBill = Type.Object({
  id: Id,
  subjectId: Id,
  subjectLabel: Type.String(),
  feeItemName: Type.String(),
  periodLabel: Type.String(),
  dueOn: Type.String(),
  amountCents: Type.Integer(),
  discountCents: Type.Integer(),
  waivedCents: Type.Integer(),
  lateFeeCents: Type.Integer(),
  paidCents: Type.Integer(),
  outstandingCents: Type.Integer(),
  status: Type.Union([Type.Literal('open'), Type.Literal('paid')]),
  /** How the amount was computed (the engine's explanation). */
  explanation: Type.Unknown(),
  /** The engine's rendering of the explanation in the request's language. */
  explanationLines: Type.Optional(Type.Array(Type.String())),
});
export const PortalBillsQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('paid')])) }, { additionalProperties: false });
export type PortalBillsQuery = Static<typeof PortalBillsQuery>;
export const PortalBillList = Type.Object({ items: Type.Array(PortalBill) });
export type PortalBillList = Static<typeof PortalBillList>;
export const PortalPayBody = Type.Object(
  { roomId: Type.Optional(Id), parkingSpaceId: Type.Optional(Id), billIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 200, uniqueItems: true })) },
  { additionalProperties: false },
);
export type PortalPayBody = Static<typeof PortalPayBody>;
export const GatewayOrder = Type.Object({ id: Id, outTradeNo: Type.String(), amountCents: Type.Integer(), status: Type.Union([Type.Literal('created'), Type.Literal('paid'), Type.Literal('closed')]), payUrl: Type.String(), paymentId: Nullable(Id) });
export type GatewayOrder = Static<typeof GatewayOrder>;
export const PortalPaymentList = Type.Object({ items: Type.Array(Payment) });
