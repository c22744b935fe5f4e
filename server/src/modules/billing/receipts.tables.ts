/** Receipts (收据): numbered per community and year without gaps; void and reissue leave a trail. */
export type ReceiptStatus = 'issued' | 'void';

export interface ReceiptTable {
  id: string;
  community_id: string;
  /** `<community code>-<yyyy>-<seq 6 digits>`, gap-free per community and year. */
  number: string;
  year: number;
  seq: number;
  payment_id: string | null;
  deposit_id: string | null;
  subject_id: string;
  amount_cents: number;
  method: string;
  payer_name: string | null;
  status: ReceiptStatus;
  issued_at: string;
  issued_by: string;
  voided_at: string | null;
  voided_by: string | null;
  void_reason: string | null;
  reissue_of: string | null;
}

export interface ReceiptCounterTable {
  community_id: string;
  year: number;
  last_seq: number;
}

declare module '../../core/db/schema.js' {
  interface Database {
    receipts: ReceiptTable;
    receipt_counters: ReceiptCounterTable;
  }
}
