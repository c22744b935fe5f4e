import { Type, type Static } from '@sinclair/typebox';

/** Billing documents: receipt PDFs (收据打印), dunning (催缴), reports (报表), expenses and budgets (支出与预算). */

/** `a4` (portrait) or `continuous`: the 241 × 140 mm continuous form of dot-matrix printers (针式打印). */
export const PaperSize = Type.Union([Type.Literal('a4'), Type.Literal('continuous')]);
export type PaperSize = Static<typeof PaperSize>;
export const ReceiptPdfQuery = Type.Object({ paper: Type.Optional(PaperSize) }, { additionalProperties: false });
export type ReceiptPdfQuery = Static<typeof ReceiptPdfQuery>;

// ---- dunning (催缴)
export const DunningChannel = Type.Union([Type.Literal('in_app'), Type.Literal('sms'), Type.Literal('email')]);
export const DunningRule = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  name: Type.String(),
  daysOverdue: Type.Integer(),
  channels: Type.Array(DunningChannel),
  active: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type DunningRule = Static<typeof DunningRule>;
export const DunningRuleList = Type.Object({ items: Type.Array(DunningRule) });
export const CreateDunningRuleBody = Type.Object(
  {
    communityId: Type.String({ format: 'uuid' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    daysOverdue: Type.Integer({ minimum: 1, maximum: 3650 }),
    channels: Type.Array(DunningChannel, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateDunningRuleBody = Static<typeof CreateDunningRuleBody>;
export const UpdateDunningRuleBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    channels: Type.Optional(Type.Array(DunningChannel, { minItems: 1, uniqueItems: true })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateDunningRuleBody = Static<typeof UpdateDunningRuleBody>;

/** Overdue age buckets in days past the due date (China calendar). */
export const AGEING_BUCKETS = ['0-30', '31-90', '91-180', '181-365', '365+'] as const;
export const AgeingBucket = Type.Union(AGEING_BUCKETS.map((b) => Type.Literal(b)));
export type AgeingBucket = Static<typeof AgeingBucket>;
export const AgeingQuery = Type.Object({ communityId: Type.String({ format: 'uuid' }), bucket: Type.Optional(AgeingBucket) }, { additionalProperties: false });
export type AgeingQuery = Static<typeof AgeingQuery>;
export const AgeingReport = Type.Object({
  communityId: Type.String(),
  asOn: Type.String(),
  buckets: Type.Array(Type.Object({ bucket: AgeingBucket, bills: Type.Integer(), subjects: Type.Integer(), outstandingCents: Type.Integer() })),
  totalCents: Type.Integer(),
  /** Rooms / spaces with overdue bills (in `bucket` when given: their oldest overdue bill's age), largest first, at most 500. */
  subjects: Type.Array(
    Type.Object({ subjectId: Type.String(), label: Type.String(), bills: Type.Integer(), outstandingCents: Type.Integer(), oldestDueOn: Type.String(), bucket: AgeingBucket }),
  ),
});
export type AgeingReport = Static<typeof AgeingReport>;
export const DunningRunResult = Type.Object({ asOn: Type.String(), reminders: Type.Integer(), bills: Type.Integer(), messages: Type.Integer(), tagged: Type.Integer(), untagged: Type.Integer() });
export type DunningRunResult = Static<typeof DunningRunResult>;
export const DunningLogQuery = Type.Object({ communityId: Type.String({ format: 'uuid' }), subjectId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false });
export type DunningLogQuery = Static<typeof DunningLogQuery>;
export const DunningLogEntry = Type.Object({ id: Type.String(), ruleId: Type.String(), billId: Type.String(), subjectId: Type.String(), personId: Type.Union([Type.String(), Type.Null()]), outstandingCents: Type.Integer(), messages: Type.Integer(), sentOn: Type.String(), sentAt: Type.String() });
export const DunningLogList = Type.Object({ items: Type.Array(DunningLogEntry) });

// ---- reports (报表): every report is a titled table; `.xlsx` and `.pdf` variants export the same table
export const ReportColumn = Type.Object({ key: Type.String(), label: Type.String(), kind: Type.Union([Type.Literal('text'), Type.Literal('int'), Type.Literal('cents'), Type.Literal('rate')]) });
export const ReportTable = Type.Object({
  title: Type.String(),
  communityId: Type.String(),
  /** What the report covers, e.g. `2026-03-02` or `2026-03 · 按收费项目`. */
  subtitle: Type.String(),
  columns: Type.Array(ReportColumn),
  /** Values by column key: text, integers, cents, or rates in basis points (collected / due × 10000, half-up). */
  rows: Type.Array(Type.Record(Type.String(), Type.Union([Type.String(), Type.Integer(), Type.Null()]))),
});
export type ReportTable = Static<typeof ReportTable>;
export const CashReportQuery = Type.Object({ communityId: Type.String({ format: 'uuid' }), on: Type.String({ format: 'date' }) }, { additionalProperties: false });
export type CashReportQuery = Static<typeof CashReportQuery>;
/** `by=period`: `periodLabel` is a prefix (`2026` → every period of 2026, one row each). */
export const CollectionReportQuery = Type.Object(
  { communityId: Type.String({ format: 'uuid' }), periodLabel: Type.String({ minLength: 4, maxLength: 7 }), by: Type.Optional(Type.Union([Type.Literal('fee_item'), Type.Literal('building'), Type.Literal('period')])) },
  { additionalProperties: false },
);
export type CollectionReportQuery = Static<typeof CollectionReportQuery>;

// ---- expenses (支出) and budgets (预算)
export const ExpenseCategory = Type.String({ minLength: 1, maxLength: 50, description: 'e.g. 人工 · 保洁 · 绿化 · 维修 · 能耗 · 安保 · 办公' });
export const CreateExpenseBody = Type.Object(
  { communityId: Type.String({ format: 'uuid' }), category: ExpenseCategory, spentOn: Type.String({ format: 'date' }), amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000_000 }), description: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
export type CreateExpenseBody = Static<typeof CreateExpenseBody>;
export const Expense = Type.Object({ id: Type.String(), communityId: Type.String(), category: Type.String(), spentOn: Type.String(), amountCents: Type.Integer(), description: Type.String(), createdBy: Type.String(), createdAt: Type.String() });
export type Expense = Static<typeof Expense>;
export const SetBudgetBody = Type.Object(
  { communityId: Type.String({ format: 'uuid' }), year: Type.Integer({ minimum: 2000, maximum: 2100 }), category: ExpenseCategory, amountCents: Type.Integer({ minimum: 1, maximum: 100_000_000_000 }) },
  { additionalProperties: false },
);
export type SetBudgetBody = Static<typeof SetBudgetBody>;
export const BudgetQuery = Type.Object({ communityId: Type.String({ format: 'uuid' }), year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false });
export type BudgetQuery = Static<typeof BudgetQuery>;
export const BudgetLine = Type.Object({ category: Type.String(), budgetCents: Type.Integer(), actualCents: Type.Integer(), remainingCents: Type.Integer(), usedBp: Type.Union([Type.Integer(), Type.Null()]) });
export type BudgetLine = Static<typeof BudgetLine>;
export const BudgetVsActual = Type.Object({
  communityId: Type.String(),
  year: Type.Integer(),
  /** One line per category with a budget or an expense; usedBp = actual / budget in basis points (null without a budget). */
  lines: Type.Array(BudgetLine),
});
export type BudgetVsActual = Static<typeof BudgetVsActual>;
