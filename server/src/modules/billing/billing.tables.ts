/** Fee item categories (收费项目类别), PRODUCT.md §2. */
export type FeeCategory = 'property' | 'maintenance' | 'greening' | 'security' | 'water' | 'electricity' | 'gas' | 'garbage' | 'parking' | 'deposit' | 'one_off';
export type RoundingUnit = 'cent' | 'jiao' | 'yuan';
export type RoundingMode = 'half_up' | 'half_even';
export type LateFeeCap = 'principal' | 'amount' | 'none';

/**
 * Ledger accounts. Debit-normal: receivable (per room or space), cash, bank, gateway_clearing,
 * discounts (per fee item, contra-revenue). Credit-normal: revenue and late_fee_revenue (per fee
 * item), prepaid and deposit (liabilities per room or space). See ledger.ts for who posts what.
 */
export type LedgerAccount = 'receivable' | 'cash' | 'bank' | 'gateway_clearing' | 'revenue' | 'late_fee_revenue' | 'discounts' | 'prepaid' | 'deposit';

/** What a journal transaction records: one kind per money movement of PRODUCT.md §2. */
export type JournalKind =
  | 'bill_issue'
  | 'bill_cancel'
  | 'payment'
  | 'allocation'
  | 'prepaid_topup'
  | 'prepaid_deduct'
  | 'late_fee'
  | 'late_fee_waiver'
  | 'discount'
  | 'waiver'
  | 'reversal'
  | 'refund'
  | 'deposit_collect'
  | 'deposit_return';

export interface FeeItemTable {
  id: string;
  community_id: string;
  code: string;
  name: string;
  category: FeeCategory;
  rounding_unit: RoundingUnit;
  rounding_mode: RoundingMode;
  due_days: number;
  late_fee_daily_ppm: number | null;
  late_fee_grace_days: number;
  late_fee_cap: LateFeeCap;
  late_fee_cap_cents: number | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface JournalTransactionTable {
  id: string;
  community_id: string;
  kind: JournalKind;
  ref_type: string;
  ref_id: string;
  memo: string | null;
  actor: string;
  occurred_at: string;
}

export interface JournalEntryTable {
  id: string;
  transaction_id: string;
  community_id: string;
  account: LedgerAccount;
  subject_id: string;
  amount_cents: number;
}

export interface LedgerBalanceTable {
  community_id: string;
  account: LedgerAccount;
  subject_id: string;
  balance_cents: number;
  updated_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    fee_items: FeeItemTable;
    journal_transactions: JournalTransactionTable;
    journal_entries: JournalEntryTable;
    ledger_balances: LedgerBalanceTable;
  }
}
