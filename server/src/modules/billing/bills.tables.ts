/** Where a bill comes from: a bill run, a one-off charge, a paid service (repair), a deposit. */
export type BillSource = 'run' | 'one_off' | 'service' | 'deposit';
/** `paid` once outstanding reaches zero; `cancelled` by cancelling its bill run (nothing paid). */
export type BillStatus = 'open' | 'paid' | 'cancelled';

/**
 * A bill (账单 / 应收): ONE fee item for ONE room or parking space for ONE period (BILLING.md).
 * Outstanding = amount − discount − waived + late_fee − paid; the database keeps
 * 0 ≤ paid ≤ amount − discount − waived + late_fee.
 */
export interface BillTable {
  id: string;
  community_id: string;
  room_id: string | null;
  parking_space_id: string | null;
  /** The room or space id: subject of the receivable and prepaid accounts. */
  subject_id: string;
  /** Payer at issue (the room's primary contact), kept for statements and dunning. */
  person_id: string | null;
  fee_item_id: string;
  bill_run_id: string | null;
  source: BillSource;
  period_start_on: string;
  period_end_on: string;
  period_label: string;
  due_on: string;
  /** Principal, already rounded by the engine. */
  amount_cents: number;
  discount_cents: number;
  waived_cents: number;
  /** Late fee charged so far, net of late-fee waivers. */
  late_fee_cents: number;
  /** Late fee waived (with approval); accrued late fee = late_fee_cents + late_fee_waived_cents. */
  late_fee_waived_cents: number;
  /** Last day the late-fee job accrued through (a rerun the same day adds nothing). */
  late_fee_through_on: string | null;
  paid_cents: number;
  status: BillStatus;
  explanation_json: string;
  /** `run:<feeItemId>:<subjectId>:<periodLabel>` for runs: what makes a rerun create nothing. */
  unique_key: string;
  issued_at: string;
  updated_at: string;
  paid_at: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    bills: BillTable;
  }
}
