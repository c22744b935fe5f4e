import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, Nullable, Page, PageQuery } from './common.js';
import { DateOnly } from './properties.js';

/**
 * Billing — fee rules (收费标准), meters and readings (抄表), bill runs (批量出账). Prices are
 * exact decimal strings of yuan with up to 4 places ("2.3500"), quantities of meters up to 3
 * places ("1234.567"), areas 2 places; never floats.
 */
const PriceText = Type.String({ pattern: '^\\d{1,9}(\\.\\d{1,4})?$', description: 'Yuan, up to 4 decimals' });
const QtyText = Type.String({ pattern: '^\\d{1,12}(\\.\\d{1,3})?$', description: 'Meter quantity, up to 3 decimals' });
const MultiplierText = Type.String({ pattern: '^\\d{1,6}(\\.\\d{1,4})?$' });
const PercentText = Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,2})?$', description: 'Percentage 0–100, up to 2 decimals' });

export const FeeRuleKind = Type.Union([
  Type.Literal('fixed_per_room'),
  Type.Literal('fixed_per_space'),
  Type.Literal('area_building'),
  Type.Literal('area_inner'),
  Type.Literal('metered'),
  Type.Literal('apportion'),
  Type.Literal('one_off'),
]);
export type FeeRuleKind = Static<typeof FeeRuleKind>;
export const FeeRuleCycle = Type.Union([Type.Literal('monthly'), Type.Literal('quarterly'), Type.Literal('half_yearly'), Type.Literal('yearly')]);
export const TierScope = Type.Union([Type.Literal('period'), Type.Literal('year')]);
export const ApportionBasisCode = Type.Union([Type.Literal('building_area'), Type.Literal('equal'), Type.Literal('usage')]);
export const MeterKind = Type.Union([Type.Literal('water'), Type.Literal('electricity'), Type.Literal('gas'), Type.Literal('heat')]);
export type MeterKind = Static<typeof MeterKind>;
export const AssignmentTarget = Type.Union([Type.Literal('community'), Type.Literal('building'), Type.Literal('room'), Type.Literal('parking_space')]);

export const PriceTier = Type.Object({ upTo: Nullable(QtyText), price: PriceText }, { additionalProperties: false });
export const PrepayTier = Type.Object({ minMonths: Type.Integer({ minimum: 1, maximum: 60 }), percent: PercentText }, { additionalProperties: false });

export const FeeRulePrice = Type.Object({ id: Id, effectiveOn: DateOnly, price: Nullable(PriceText), tiers: Nullable(Type.Array(PriceTier)) });
export const FeeRuleAssignment = Type.Object({ id: Id, ruleId: Id, targetType: AssignmentTarget, targetId: Id, effectiveOn: DateOnly, endsOn: Nullable(DateOnly) });
export type FeeRuleAssignment = Static<typeof FeeRuleAssignment>;

export const FeeRule = Type.Object({
  id: Id,
  communityId: Id,
  feeItemId: Id,
  name: Type.String(),
  kind: FeeRuleKind,
  cycle: FeeRuleCycle,
  prorate: Type.Boolean(),
  meterKind: Nullable(MeterKind),
  tierScope: Nullable(TierScope),
  apportionBasis: Nullable(ApportionBasisCode),
  sharedMeterId: Nullable(Id),
  amount: Nullable(Type.String()),
  vacantRatePercent: Nullable(Type.String()),
  prepay: Type.Array(PrepayTier),
  active: Type.Boolean(),
  prices: Type.Array(FeeRulePrice),
  assignments: Type.Array(FeeRuleAssignment),
  createdAt: Instant,
  updatedAt: Instant,
});
export type FeeRule = Static<typeof FeeRule>;
export const FeeRuleList = Type.Object({ items: Type.Array(FeeRule) });

const RuleFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  cycle: Type.Optional(FeeRuleCycle),
  prorate: Type.Optional(Type.Boolean()),
  meterKind: Type.Optional(Nullable(MeterKind)),
  tierScope: Type.Optional(Nullable(TierScope)),
  apportionBasis: Type.Optional(Nullable(ApportionBasisCode)),
  sharedMeterId: Type.Optional(Nullable(Id)),
  amount: Type.Optional(Nullable(Type.String({ pattern: '^\\d{1,10}(\\.\\d{1,2})?$' }))),
  vacantRatePercent: Type.Optional(Nullable(PercentText)),
  prepay: Type.Optional(Type.Array(PrepayTier, { maxItems: 10 })),
};
export const CreateFeeRuleBody = Type.Object(
  {
    communityId: Id,
    feeItemId: Id,
    kind: FeeRuleKind,
    ...RuleFields,
    /** The first price (required except for one_off and fixed-total apportionment). */
    price: Type.Optional(Type.Object({ effectiveOn: DateOnly, price: Type.Optional(PriceText), tiers: Type.Optional(Type.Array(PriceTier, { minItems: 1, maxItems: 10 })) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type CreateFeeRuleBody = Static<typeof CreateFeeRuleBody>;
export const UpdateFeeRuleBody = Type.Partial(Type.Object({ ...RuleFields, active: Type.Boolean() }), { additionalProperties: false });
export type UpdateFeeRuleBody = Static<typeof UpdateFeeRuleBody>;
export const AddFeeRulePriceBody = Type.Object(
  { effectiveOn: DateOnly, price: Type.Optional(PriceText), tiers: Type.Optional(Type.Array(PriceTier, { minItems: 1, maxItems: 10 })) },
  { additionalProperties: false },
);
export type AddFeeRulePriceBody = Static<typeof AddFeeRulePriceBody>;
export const AddFeeRuleAssignmentBody = Type.Object(
  { targetType: AssignmentTarget, targetId: Id, effectiveOn: DateOnly, endsOn: Type.Optional(Nullable(DateOnly)) },
  { additionalProperties: false },
);
export type AddFeeRuleAssignmentBody = Static<typeof AddFeeRuleAssignmentBody>;
export const EndFeeRuleAssignmentBody = Type.Object({ endsOn: DateOnly }, { additionalProperties: false });
export const FeeRuleListQuery = Type.Object({ communityId: Id, feeItemId: Type.Optional(Id) }, { additionalProperties: false });
export type FeeRuleListQuery = Static<typeof FeeRuleListQuery>;
export const RuleAssignmentParams = Type.Object({ id: Id, assignmentId: Id }, { additionalProperties: false });

export const Meter = Type.Object({
  id: Id,
  communityId: Id,
  kind: MeterKind,
  roomId: Nullable(Id),
  buildingId: Nullable(Id),
  shared: Type.Boolean(),
  serialNumber: Type.String(),
  multiplier: Type.String(),
  maxValue: Nullable(Type.String()),
  active: Type.Boolean(),
  lastReading: Nullable(Type.Object({ readOn: DateOnly, reading: Type.String() })),
  createdAt: Instant,
});
export type Meter = Static<typeof Meter>;
export const MeterPage = Page(Meter);
export const CreateMeterBody = Type.Object(
  {
    communityId: Id,
    kind: MeterKind,
    roomId: Type.Optional(Nullable(Id)),
    buildingId: Type.Optional(Nullable(Id)),
    serialNumber: Type.String({ minLength: 1, maxLength: 64 }),
    multiplier: Type.Optional(MultiplierText),
    maxValue: Type.Optional(Nullable(QtyText)),
  },
  { additionalProperties: false },
);
export type CreateMeterBody = Static<typeof CreateMeterBody>;
export const UpdateMeterBody = Type.Partial(
  Type.Object({ serialNumber: Type.String({ minLength: 1, maxLength: 64 }), multiplier: MultiplierText, maxValue: Nullable(QtyText), active: Type.Boolean() }),
  { additionalProperties: false },
);
export type UpdateMeterBody = Static<typeof UpdateMeterBody>;
export const MeterListQuery = Type.Object(
  { communityId: Id, kind: Type.Optional(MeterKind), roomId: Type.Optional(Id), buildingId: Type.Optional(Id), shared: Type.Optional(Type.Boolean()), ...PageQuery },
  { additionalProperties: false },
);
export type MeterListQuery = Static<typeof MeterListQuery>;

export const ReviewStatus = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')]);
export const ReadingSource = Type.Union([Type.Literal('manual'), Type.Literal('import'), Type.Literal('device')]);
export const MeterReading = Type.Object({
  id: Id,
  communityId: Id,
  meterId: Id,
  readOn: DateOnly,
  reading: Type.String(),
  usage: Nullable(Type.String()),
  rolledOver: Type.Boolean(),
  source: ReadingSource,
  /** Why the reading was flagged: `usage_spike` (> 3× the median), `zero_streak` (no usage three periods running). */
  flags: Type.Array(Type.String()),
  reviewStatus: ReviewStatus,
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Instant),
  createdAt: Instant,
});
export type MeterReading = Static<typeof MeterReading>;
export const MeterReadingPage = Page(MeterReading);
export const ReadingEntry = Type.Object(
  {
    meterId: Id,
    readOn: DateOnly,
    reading: QtyText,
    /** The register passed its maximum since the last reading (a lower value is then accepted). */
    rolledOver: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ReadingEntry = Static<typeof ReadingEntry>;
export const ReadingBatchBody = Type.Object({ readings: Type.Array(ReadingEntry, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });
export type ReadingBatchBody = Static<typeof ReadingBatchBody>;
/** One line of a batch: accepted (maybe flagged) or refused with a reason code. */
export const ReadingOutcome = Type.Object({
  index: Type.Integer(),
  meterId: Id,
  accepted: Type.Boolean(),
  /** Refusal reason: `reading_lower` (lower than the previous without rollover), `rollover_without_max`, `rollover_not_lower`, `reading_above_max`, `date_not_after_previous`, `date_gap` (> 100 days), `unknown_meter`, `inactive_meter`, `duplicate_date`. */
  reason: Nullable(Type.String()),
  reading: Nullable(MeterReading),
});
export type ReadingOutcome = Static<typeof ReadingOutcome>;
export const ReadingBatchResult = Type.Object({ accepted: Type.Integer(), flagged: Type.Integer(), refused: Type.Integer(), items: Type.Array(ReadingOutcome) });
export type ReadingBatchResult = Static<typeof ReadingBatchResult>;
export const DeviceReadingBody = Type.Object(
  { communityId: Id, readings: Type.Array(Type.Object({ serialNumber: Type.String({ minLength: 1, maxLength: 64 }), readOn: DateOnly, reading: QtyText }, { additionalProperties: false }), { minItems: 1, maxItems: 500 }) },
  { additionalProperties: false },
);
export type DeviceReadingBody = Static<typeof DeviceReadingBody>;
export const ReadingListQuery = Type.Object({ meterId: Id, ...PageQuery }, { additionalProperties: false });
export type ReadingListQuery = Static<typeof ReadingListQuery>;
export const ReviewListQuery = Type.Object({ communityId: Id, ...PageQuery }, { additionalProperties: false });
export type ReviewListQuery = Static<typeof ReviewListQuery>;
export const ReviewReadingBody = Type.Object({ decision: Type.Union([Type.Literal('accepted'), Type.Literal('rejected')]) }, { additionalProperties: false });
export type ReviewReadingBody = Static<typeof ReviewReadingBody>;

export const BillRunStatus = Type.Union([Type.Literal('preview'), Type.Literal('running'), Type.Literal('done'), Type.Literal('cancelled'), Type.Literal('failed')]);
/** Why a room gets no bill for a fee item in a run. */
export const SkipReason = Type.Union([
  Type.Literal('no_area'),
  Type.Literal('no_reading'),
  Type.Literal('unreviewed_reading'),
  Type.Literal('not_delivered'),
  Type.Literal('rule_not_effective'),
  Type.Literal('already_billed'),
  Type.Literal('zero_amount'),
  /** A parking space nobody owns or rents during the period (unsold, unlet). */
  Type.Literal('no_occupant'),
  /** A parking space marked unavailable (out of use). */
  Type.Literal('space_unavailable'),
]);
export type SkipReason = Static<typeof SkipReason>;
export const BillRunBody = Type.Object(
  {
    communityId: Id,
    /** `2026-03`, `2026-Q1`, `2026-H1` or `2026`. */
    periodLabel: Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$' }),
    feeItemIds: Type.Array(Id, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type BillRunBody = Static<typeof BillRunBody>;
export const FeeItemTotal = Type.Object({ feeItemId: Id, bills: Type.Integer(), amount: Type.String(), amountCents: Type.Integer() });
/** A skipped room, or a parking space (`subjectType: 'parking_space'`, its id in `roomId`, code `<lot>-<number>`). */
export const SkippedRoom = Type.Object({ roomId: Id, roomCode: Type.String(), feeItemId: Id, reason: SkipReason, subjectType: Type.Optional(Type.Literal('parking_space')) });
export const BillRunPreview = Type.Object({
  communityId: Id,
  periodLabel: Type.String(),
  periodStartOn: DateOnly,
  periodEndOn: DateOnly,
  rooms: Type.Integer(),
  /** Parking spaces reached by a per-space rule of the run's fee items. */
  spaces: Type.Integer(),
  bills: Type.Integer(),
  /** What the bills ask for: charges less the discounts granted at issue (vacant-room rate). */
  totalCents: Type.Integer(),
  totals: Type.Array(FeeItemTotal),
  skippedCounts: Type.Record(Type.String(), Type.Integer()),
  /** The first 500 skipped rooms with their reason; the counts cover all. */
  skipped: Type.Array(SkippedRoom),
});
export type BillRunPreview = Static<typeof BillRunPreview>;
export const BillRun = Type.Object({
  id: Id,
  communityId: Id,
  periodLabel: Type.String(),
  periodStartOn: DateOnly,
  periodEndOn: DateOnly,
  feeItemIds: Type.Array(Id),
  status: BillRunStatus,
  roomsTotal: Type.Integer(),
  roomsDone: Type.Integer(),
  billsInserted: Type.Integer(),
  billsSkippedExisting: Type.Integer(),
  roomsSkipped: Type.Integer(),
  totalCents: Type.Integer(),
  totals: Type.Array(FeeItemTotal),
  skippedCounts: Type.Record(Type.String(), Type.Integer()),
  jobId: Nullable(Id),
  error: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Instant,
  finishedAt: Nullable(Instant),
});
export type BillRun = Static<typeof BillRun>;
export const BillRunPage = Page(BillRun);
export const BillRunListQuery = Type.Object({ communityId: Id, ...PageQuery }, { additionalProperties: false });
export type BillRunListQuery = Static<typeof BillRunListQuery>;

/** One problem of an Excel import of readings, in the data-exchange report format. */
export const ReadingImportError = Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), code: Type.String(), message: Type.String() });
export type ReadingImportError = Static<typeof ReadingImportError>;
export const ReadingImportReport = Type.Object({
  rows: Type.Integer(),
  accepted: Type.Integer(),
  flagged: Type.Integer(),
  /** True only when every row was valid and the import was asked to commit: all or nothing. */
  committed: Type.Boolean(),
  errors: Type.Array(ReadingImportError),
});
export type ReadingImportReport = Static<typeof ReadingImportReport>;
export const ReadingImportFields = Type.Object(
  { communityId: Id, commit: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])) },
  { additionalProperties: false },
);
export const ReadingTemplateQuery = Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en-US')])) }, { additionalProperties: false });

/** Issue a one-off rule (一次性收费) to the rooms and spaces it is assigned to; `dryRun` only counts. */
export const IssueOneOffBody = Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type IssueOneOffBody = Static<typeof IssueOneOffBody>;
export const OneOffIssue = Type.Object({
  ruleId: Id,
  dryRun: Type.Boolean(),
  /** Bills issued (or, in a dry run, that would be). */
  bills: Type.Integer(),
  totalCents: Type.Integer(),
  total: Type.String(),
  skippedCounts: Type.Record(Type.String(), Type.Integer()),
  skipped: Type.Array(SkippedRoom),
});
export type OneOffIssue = Static<typeof OneOffIssue>;

/**
 * The counter's prepayment (预交物业费): N months of a room's or space's fee item issued now as the
 * bills of the next periods, each with the rule's prepayment discount (`prepay`), and paid at once.
 */
export const PrepayQuoteBody = Type.Object(
  {
    communityId: Id,
    roomId: Type.Optional(Id),
    parkingSpaceId: Type.Optional(Id),
    feeItemId: Id,
    /** A whole number of the rule's cycles (12 months = 4 quarters). */
    months: Type.Integer({ minimum: 1, maximum: 60 }),
  },
  { additionalProperties: false },
);
export type PrepayQuoteBody = Static<typeof PrepayQuoteBody>;
export const PrepayBody = Type.Object(
  {
    ...PrepayQuoteBody.properties,
    method: Type.Union([Type.Literal('cash'), Type.Literal('bank_card'), Type.Literal('bank_transfer')]),
    /** The quote's total: refused when the bills would now come to another amount. */
    amountCents: Type.Integer({ minimum: 1 }),
    payerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    personId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type PrepayBody = Static<typeof PrepayBody>;
export const PrepayPeriod = Type.Object({ periodLabel: Type.String(), periodStartOn: DateOnly, periodEndOn: DateOnly, amountCents: Type.Integer(), discountCents: Type.Integer(), dueCents: Type.Integer() });
export const PrepayQuote = Type.Object({
  subjectId: Id,
  feeItemId: Id,
  months: Type.Integer(),
  /** The prepayment discount earned, e.g. "5.00" (%), or null when no rule tier is reached. */
  discountPercent: Nullable(Type.String()),
  periods: Type.Array(PrepayPeriod),
  amountCents: Type.Integer(),
  discountCents: Type.Integer(),
  /** What to take: amount − discount. */
  totalCents: Type.Integer(),
  total: Type.String(),
});
export type PrepayQuote = Static<typeof PrepayQuote>;
export const PrepayResult = Type.Object({ quote: PrepayQuote, billIds: Type.Array(Id), paymentId: Id, receiptNumber: Nullable(Type.String()) });
export type PrepayResult = Static<typeof PrepayResult>;
