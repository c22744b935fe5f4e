import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';
import { DateOnly } from './properties.js';

/**
 * Billing — fee items (收费项目), bills (账单), approvals of discounts and waivers (减免审批),
 * late fees (滞纳金) and the ledger check. Money is integer cents (`*Cents`); late-fee rates are
 * parts per million per day (`dailyPpm`: 500 = 万分之五 per day).
 */
export const FeeCategory = Type.Union([
  Type.Literal('property'),
  Type.Literal('maintenance'),
  Type.Literal('greening'),
  Type.Literal('security'),
  Type.Literal('water'),
  Type.Literal('electricity'),
  Type.Literal('gas'),
  Type.Literal('garbage'),
  Type.Literal('parking'),
  Type.Literal('deposit'),
  Type.Literal('one_off'),
]);
export const RoundingUnit = Type.Union([Type.Literal('cent'), Type.Literal('jiao'), Type.Literal('yuan')]);
export const RoundingMode = Type.Union([Type.Literal('half_up'), Type.Literal('half_even')]);
export const LateFeeCap = Type.Union([Type.Literal('principal'), Type.Literal('amount'), Type.Literal('none')]);

/** Late fee of a fee item: a daily rate after the grace days, capped (the principal by default). */
export const LateFeeSettings = Type.Object(
  {
    /** Parts per million of the unpaid principal per day, 1–10000 (at most 1 % a day). */
    dailyPpm: Type.Integer({ minimum: 1, maximum: 10_000 }),
    graceDays: Type.Integer({ minimum: 0, maximum: 365 }),
    cap: LateFeeCap,
    /** Required with cap `amount`, absent otherwise. */
    capCents: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000_000_000 }))),
  },
  { additionalProperties: false },
);
export type LateFeeSettings = Static<typeof LateFeeSettings>;

export const FeeItem = Type.Object({
  id: Id,
  communityId: Id,
  code: Type.String(),
  name: Type.String(),
  category: FeeCategory,
  roundingUnit: RoundingUnit,
  roundingMode: RoundingMode,
  dueDays: Type.Integer(),
  lateFee: Nullable(LateFeeSettings),
  active: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type FeeItem = Static<typeof FeeItem>;
export const FeeItemList = Type.Object({ items: Type.Array(FeeItem) });
export const FeeItemListQuery = Type.Object({ communityId: Id, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type FeeItemListQuery = Static<typeof FeeItemListQuery>;
const FeeItemCode = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' });
const FeeItemName = Type.String({ minLength: 1, maxLength: 60 });
export const CreateFeeItemBody = Type.Object(
  {
    communityId: Id,
    code: FeeItemCode,
    name: FeeItemName,
    category: FeeCategory,
    roundingUnit: Type.Optional(RoundingUnit),
    roundingMode: Type.Optional(RoundingMode),
    /** Days after the period start (or the issue date of a one-off bill) the bill falls due. */
    dueDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    lateFee: Type.Optional(Nullable(LateFeeSettings)),
  },
  { additionalProperties: false },
);
export type CreateFeeItemBody = Static<typeof CreateFeeItemBody>;
export const UpdateFeeItemBody = Type.Object(
  {
    name: Type.Optional(FeeItemName),
    category: Type.Optional(FeeCategory),
    roundingUnit: Type.Optional(RoundingUnit),
    roundingMode: Type.Optional(RoundingMode),
    dueDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    lateFee: Type.Optional(Nullable(LateFeeSettings)),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateFeeItemBody = Static<typeof UpdateFeeItemBody>;

export const BillStatus = Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('cancelled')]);
export const BillSource = Type.Union([Type.Literal('run'), Type.Literal('one_off'), Type.Literal('service'), Type.Literal('deposit')]);

export const Bill = Type.Object({
  id: Id,
  communityId: Id,
  roomId: Nullable(Id),
  parkingSpaceId: Nullable(Id),
  subjectId: Id,
  /** Room code (3-2-1502) or parking space number. */
  subjectCode: Type.String(),
  personId: Nullable(Id),
  feeItemId: Id,
  feeItemName: Type.String(),
  billRunId: Nullable(Id),
  source: BillSource,
  periodStartOn: DateOnly,
  periodEndOn: DateOnly,
  periodLabel: Type.String(),
  dueOn: DateOnly,
  amountCents: Type.Integer(),
  discountCents: Type.Integer(),
  waivedCents: Type.Integer(),
  lateFeeCents: Type.Integer(),
  lateFeeWaivedCents: Type.Integer(),
  paidCents: Type.Integer(),
  /** amount − discount − waived + late fee − paid. */
  outstandingCents: Type.Integer(),
  status: BillStatus,
  /** Open and past its due date (China calendar day). */
  overdue: Type.Boolean(),
  issuedAt: Instant,
  paidAt: Nullable(Instant),
});
export type Bill = Static<typeof Bill>;
export const BillPage = Page(Bill);

export const BillListQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    buildingId: Type.Optional(Id),
    roomId: Type.Optional(Id),
    parkingSpaceId: Type.Optional(Id),
    feeItemId: Type.Optional(Id),
    periodLabel: Type.Optional(Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$' })),
    status: Type.Optional(BillStatus),
    overdue: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type BillListQuery = Static<typeof BillListQuery>;
export const SubjectBillsQuery = Type.Object({ status: Type.Optional(BillStatus), ...PageQuery }, { additionalProperties: false });
export type SubjectBillsQuery = Static<typeof SubjectBillsQuery>;

export const LedgerAccountName = Type.Union(
  [Type.Literal('receivable'), Type.Literal('cash'), Type.Literal('bank'), Type.Literal('gateway_clearing'), Type.Literal('revenue'), Type.Literal('late_fee_revenue'), Type.Literal('discounts'), Type.Literal('prepaid'), Type.Literal('deposit')],
);
export const LedgerTrailItem = Type.Object({
  transactionId: Id,
  kind: Type.String(),
  refType: Type.String(),
  refId: Id,
  memo: Nullable(Type.String()),
  actor: Type.String(),
  occurredAt: Instant,
  /** The transaction's entries (all of them, so the trail shows both sides). */
  entries: Type.Array(Type.Object({ account: LedgerAccountName, subjectId: Type.String(), amountCents: Type.Integer() })),
});
export type LedgerTrailItem = Static<typeof LedgerTrailItem>;

export const ApprovalKind = Type.String({ pattern: '^[a-z_]+(\\.[a-z_]+)*$', maxLength: 60 });
export const ApprovalStatus = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);
export const Approval = Type.Object({
  id: Id,
  communityId: Id,
  kind: Type.String(),
  subjectType: Type.String(),
  subjectId: Id,
  status: ApprovalStatus,
  reason: Type.String(),
  payload: Type.Unknown(),
  requestedBy: Id,
  /** The requester's display name (identity), for screens that show who asked. */
  requestedByName: Type.Optional(Nullable(Type.String())),
  requestedAt: Instant,
  decidedBy: Nullable(Id),
  decidedByName: Type.Optional(Nullable(Type.String())),
  decidedAt: Nullable(Instant),
  decisionNote: Nullable(Type.String()),
});
export type Approval = Static<typeof Approval>;
export const ApprovalPage = Page(Approval);
export const ApprovalListQuery = Type.Object(
  { communityId: Type.Optional(Id), status: Type.Optional(ApprovalStatus), kind: Type.Optional(ApprovalKind), ...PageQuery },
  { additionalProperties: false },
);
export type ApprovalListQuery = Static<typeof ApprovalListQuery>;
export const DecideApprovalBody = Type.Object({ decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });
export type DecideApprovalBody = Static<typeof DecideApprovalBody>;

export const BillDetail = Type.Composite([
  Bill,
  Type.Object({
    /** The engine's explanation of the amount (versioned JSON, rendered by the UI). */
    explanation: Type.Unknown(),
    /** The engine's rendering of the explanation in the request's language. */
    explanationLines: Type.Optional(Type.Array(Type.String())),
    ledger: Type.Array(LedgerTrailItem),
    approvals: Type.Array(Approval),
  }),
]);
export type BillDetail = Static<typeof BillDetail>;

/** A manual discount or waiver (减免) of a bill: an exact amount or a percentage of what is outstanding. */
export const BillReliefKind = Type.Union([Type.Literal('discount'), Type.Literal('waiver'), Type.Literal('late_fee_waiver')]);
export const RequestBillReliefBody = Type.Object(
  {
    kind: BillReliefKind,
    amountCents: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000_000 })),
    /** Percentage of the principal still outstanding, "12.5" = 12.5 %; exclusive with amountCents. */
    percent: Type.Optional(Type.String({ pattern: '^(100(\\.0{1,2})?|\\d{1,2}(\\.\\d{1,2})?)$' })),
    reason: Type.String({ minLength: 2, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type RequestBillReliefBody = Static<typeof RequestBillReliefBody>;

export const LedgerCheckProblem = Type.Object({ check: Type.String(), detail: Type.String() });
export const LedgerCheckResult = Type.Object({ ok: Type.Boolean(), checkedAt: Instant, problems: Type.Array(LedgerCheckProblem) });
export type LedgerCheckResult = Static<typeof LedgerCheckResult>;
