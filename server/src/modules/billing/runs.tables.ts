/** Row types of fee rules, meters, readings and bill runs (the "runs" part of billing). */

/** How a rule turns a room or space into an amount (收费标准类型). */
export type FeeRuleKind = 'fixed_per_room' | 'fixed_per_space' | 'area_building' | 'area_inner' | 'metered' | 'apportion' | 'one_off';
export type FeeRuleCycle = 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';
/** Tiered thresholds restart each billing period, or count the calendar year (阶梯水价按年累计). */
export type TierScope = 'period' | 'year';
export type ApportionBasisCode = 'building_area' | 'equal' | 'usage';
export type AssignmentTarget = 'community' | 'building' | 'room' | 'parking_space';
export type MeterKind = 'water' | 'electricity' | 'gas' | 'heat';
export type ReadingSource = 'manual' | 'import' | 'device';
/** Readings that look wrong wait for a person (`pending`); the others are `accepted` at entry. */
export type ReviewStatus = 'pending' | 'accepted' | 'rejected';
export type BillRunStatus = 'preview' | 'running' | 'done' | 'cancelled' | 'failed';

export interface FeeRuleTable {
  id: string;
  community_id: string;
  fee_item_id: string;
  name: string;
  kind: FeeRuleKind;
  cycle: FeeRuleCycle;
  /** 1 = charge by days when the room is chargeable for part of the period. */
  prorate: number;
  /** metered: which of the room's meters; apportion by usage: the kind of the rooms' meters. */
  meter_kind: MeterKind | null;
  tier_scope: TierScope | null;
  apportion_basis: ApportionBasisCode | null;
  /** apportion: the shared meter whose usage × price is spread (null = a fixed total). */
  shared_meter_id: string | null;
  /** apportion without a meter, one_off: the amount to charge (cents). */
  amount_cents: number | null;
  /** Vacant rooms pay this share of the price, in basis points (5000 = 50 %); null = full price. */
  vacant_rate_bp: number | null;
  /** Prepay discounts as data: [{ minMonths, percentBp }]; applied when paying ahead. */
  prepay_json: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface FeeRulePriceTable {
  id: string;
  community_id: string;
  rule_id: string;
  effective_on: string;
  /** Monthly price per room / m² / unit of usage; null when tiers are given. */
  price_e4: number | null;
  /** [{ upToE3: number | null, priceE4 }] ascending, last unbounded. */
  tiers_json: string | null;
  created_at: string;
}

export interface FeeRuleAssignmentTable {
  id: string;
  community_id: string;
  rule_id: string;
  target_type: AssignmentTarget;
  target_id: string;
  effective_on: string;
  ends_on: string | null;
  created_at: string;
}

export interface MeterTable {
  id: string;
  community_id: string;
  kind: MeterKind;
  /** A room's own meter; null for a shared meter. */
  room_id: string | null;
  /** A shared meter of one building; null (with room_id null) = shared by the whole community. */
  building_id: string | null;
  serial_number: string;
  /** Meter multiplier (倍率) in ten-thousandths: usage = Δreading × multiplier. */
  multiplier_e4: number;
  /** The register's highest value (thousandths); past it the meter rolls over to zero. */
  max_value_e3: number | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface MeterReadingTable {
  id: string;
  community_id: string;
  meter_id: string;
  read_on: string;
  reading_e3: number;
  /** Δreading (with rollover) × multiplier; null for the meter's first reading. */
  usage_e3: number | null;
  rolled_over: number;
  source: ReadingSource;
  /** { reasons: string[] } — why the reading was flagged as suspicious. */
  flags_json: string;
  review_status: ReviewStatus;
  reviewed_by: string | null;
  reviewed_at: string | null;
  entered_by: string;
  created_at: string;
}

export interface BillRunTable {
  id: string;
  community_id: string;
  period_label: string;
  period_start_on: string;
  period_end_on: string;
  fee_item_ids_json: string;
  status: BillRunStatus;
  rooms_total: number;
  rooms_done: number;
  bills_inserted: number;
  bills_skipped_existing: number;
  rooms_skipped: number;
  total_cents: number;
  /** Per fee item: { feeItemId, bills, cents }[] */
  totals_json: string;
  /** Skipped rooms per reason: { reason: count } */
  skipped_json: string;
  job_id: string | null;
  error: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    fee_rules: FeeRuleTable;
    fee_rule_prices: FeeRulePriceTable;
    fee_rule_assignments: FeeRuleAssignmentTable;
    meters: MeterTable;
    meter_readings: MeterReadingTable;
    bill_runs: BillRunTable;
  }
}
