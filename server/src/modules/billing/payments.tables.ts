/**
 * Payments (收款), their allocations to bills (核销), receipts (收据), deposits (押金), refunds and
 * reversals (退款 / 冲正), gateway orders and idempotency keys. See payments.service.ts and the
 * "Payments" section of the module README.
 */
export type PaymentMethod = 'cash' | 'bank_card' | 'bank_transfer' | 'online' | 'prepaid';
export type PaymentStatus = 'completed' | 'reversed';

export interface PaymentTable {
  id: string;
  community_id: string;
  /** The room or parking space whose prepaid account the money lands on. */
  subject_id: string;
  room_id: string | null;
  parking_space_id: string | null;
  person_id: string | null;
  payer_name: string | null;
  method: PaymentMethod;
  amount_cents: number;
  status: PaymentStatus;
  note: string | null;
  gateway_order_id: string | null;
  received_by: string;
  received_at: string;
  reversed_at: string | null;
}

/**
 * Append-only: a reversal is a row with a negative amount pointing at the row it reverses. For every
 * bill, `bills.paid_cents` = the sum of its allocations (the ledger check reads this).
 */
export interface PaymentAllocationTable {
  id: string;
  community_id: string;
  bill_id: string;
  subject_id: string;
  /** Null for an automatic deduction from the prepaid balance (no new money). */
  payment_id: string | null;
  amount_cents: number;
  reverses_id: string | null;
  created_at: string;
  actor: string;
}

export type DepositStatus = 'held' | 'returned';

export interface DepositTable {
  id: string;
  community_id: string;
  subject_id: string;
  room_id: string | null;
  parking_space_id: string | null;
  renovation_id: string | null;
  person_id: string | null;
  payer_name: string | null;
  purpose: string;
  method: PaymentMethod;
  amount_cents: number;
  status: DepositStatus;
  collected_by: string;
  collected_at: string;
  returned_at: string | null;
}

export type RefundKind = 'reversal' | 'prepaid_refund' | 'deposit_return';
export type RefundStatus = 'pending' | 'approved' | 'rejected';

/** A reversal or refund request: requested by one user, decided by a second (separation of duties). */
export interface RefundTable {
  id: string;
  community_id: string;
  kind: RefundKind;
  subject_id: string;
  payment_id: string | null;
  deposit_id: string | null;
  amount_cents: number;
  method: PaymentMethod;
  reason: string;
  status: RefundStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export type GatewayOrderStatus = 'created' | 'paid' | 'closed';

export interface GatewayOrderTable {
  id: string;
  community_id: string;
  subject_id: string;
  /** The bills the owner chose to pay (JSON array of ids; oldest first when empty). */
  bill_ids_json: string;
  amount_cents: number;
  gateway: string;
  /** Our order number sent to the gateway (out_trade_no). */
  out_trade_no: string;
  /** The gateway's transaction id once paid. */
  gateway_trade_no: string | null;
  status: GatewayOrderStatus;
  payment_id: string | null;
  created_by: string;
  created_at: string;
  paid_at: string | null;
}

/**
 * Idempotency keys of payment requests. The row is inserted `pending` at the start of the use case's
 * transaction and completed at its end, so a pending row is never visible outside it: a crash or an
 * error rolls it back with the effect, and a concurrent request with the same key waits on it.
 */
export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status: 'pending' | 'completed';
  response_status: number;
  response_body: string;
  created_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    payments: PaymentTable;
    payment_allocations: PaymentAllocationTable;
    deposits: DepositTable;
    refunds: RefundTable;
    gateway_orders: GatewayOrderTable;
    idempotency_keys: IdempotencyKeyTable;
  }
}
