import type { BillRun, BillRunBody, BillRunListQuery, BillRunPreview, SkipReason } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import { sql } from 'kysely';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { dialectOf } from '../../core/db/sql.js';
import { assertCan, systemContext, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, notFound } from '../../core/http/errors.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Jobs } from '../../core/jobs/jobs.js';
import type { AuditService } from '../audit/index.js';
import type { BillsService, NewBill } from './bills.service.js';
import {
  addDays,
  addMonths,
  apportion,
  computeCharge,
  EngineError,
  formatCents,
  roundCents,
  usageAmount,
  vacancyDiscount,
  type ActiveLimits,
  type BillingCycle,
  type Discount,
  type EffectivePrice,
  type Explanation,
  type Period,
  type Tier,
} from './engine/index.js';
import { rules as rulesRepo } from './rules.repository.js';
import { runsRepo, type RunRoom } from './runs.repository.js';
import type { BillRunTable, FeeRuleAssignmentTable, FeeRulePriceTable, FeeRuleTable } from './runs.tables.js';
import { issueSpaceBills, spaceBills } from './runs.spaces.js';
import { createOneOffIssuer } from './runs.oneoff.js';
import { createPrepay } from './runs.prepay.js';
import type { Idempotency } from './idempotency.js';
import type { PaymentsService } from './payments.service.js';

/** Rooms per batch: one read of each related table and one issueMany per batch (memory stays flat). */
export const RUN_BATCH = 2_000;
/**
 * Rooms per issuing transaction: short transactions keep SQLite's single writer (and, with its
 * synchronous driver, the event loop) free between them, so /healthz and other requests wait at
 * most one slice.
 */
export const ISSUE_SLICE = 250;
/**
 * PostgreSQL issues larger slices: its driver never holds the event loop, and each transaction
 * costs a dozen round trips (fee items, bills, journal, balances, audit, commit) that a loaded
 * server pays in milliseconds each. Not much larger: building a slice's rows and COPY text is
 * synchronous and grows with it — at 1,000 rooms /healthz reached 106–144 ms, at 500 it stays ≈ 50 ms.
 */
const PG_ISSUE_SLICE = 500;
const YIELD_ROOMS = 250;
const yieldLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * A yield from a request's handler: called from an I/O callback, one setImmediate resumes in the
 * same turn of the event loop, before it polls for I/O again; the second resumes after that poll.
 */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
/** PostgreSQL's unique_violation (a COPY meeting a key that exists). */
const isUniqueViolation = (err: unknown) => typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
/** Skipped rooms listed by a preview (the counts cover all). */
const SKIP_LIST = 500;

export interface RunsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  jobs: Jobs;
  bills: BillsService;
  /** The payments part's automatic prepaid deduction (prepaid.autoDeduct), when the community asks for it. */
  prepaid?: {
    autoDeductEnabled(communityId: string): Promise<boolean>;
    autoDeduct(tx: Tx, ctx: RequestContext, communityId: string, subjectIds: readonly string[]): Promise<{ bills: number; amountCents: number }>;
  };
  /** The counter's prepayment (runs.prepay.ts) takes the money through payments, idempotently. */
  payments?: Pick<PaymentsService, 'receive' | 'resolveSubject'>;
  idempotency?: Idempotency;
  /** Rooms per issuing transaction instead of {@link ISSUE_SLICE} / PostgreSQL's 500. */
  sliceRooms?: number | undefined;
}
export type RunsService = ReturnType<typeof createRunsService>;

interface LabelPeriod extends Period {
  label: string;
  cycle: BillingCycle;
}

/** `2026-03` → March; `2026-Q1`, `2026-H2`, `2026` → quarter, half year, year. */
export function periodOfLabel(label: string): LabelPeriod {
  const year = label.slice(0, 4);
  const rest = label.slice(5);
  let start: string;
  let cycle: BillingCycle;
  if (rest === '') [start, cycle] = [`${year}-01-01`, 'yearly'];
  else if (rest.startsWith('Q')) [start, cycle] = [`${year}-${String((Number(rest.slice(1)) - 1) * 3 + 1).padStart(2, '0')}-01`, 'quarterly'];
  else if (rest.startsWith('H')) [start, cycle] = [`${year}-${rest === 'H1' ? '01' : '07'}-01`, 'half_yearly'];
  else [start, cycle] = [`${year}-${rest}-01`, 'monthly'];
  const months = { monthly: 1, quarterly: 3, half_yearly: 6, yearly: 12 }[cycle];
  return { label, cycle, start, end: addDays(addMonths(start, months), -1) };
}

interface RulePlan {
  rule: FeeRuleTable;
  prices: EffectivePrice[];
  tiers: { fromOn: string; tiers: Tier[] }[];
  assignments: FeeRuleAssignmentTable[];
  /** apportion rules: the room's share, computed over every room before streaming. */
  shares?: Map<string, { cents: number; explanation: Explanation }>;
  sharesSkip?: SkipReason;
}

interface FeePlan {
  feeItemId: string;
  name: string;
  rounding: { unit: 'cent' | 'jiao' | 'yuan'; mode: 'half_up' | 'half_even' };
  dueOn: string;
  rules: RulePlan[];
}

interface Plan {
  communityId: string;
  period: LabelPeriod;
  fees: FeePlan[];
  needsMeters: boolean;
  readingsFrom: string;
  /** Discounts granted on top of the rule's own (the counter's prepayment), by the rule that applies. */
  extraDiscounts?: (rule: FeeRuleTable) => Discount[];
  /** Charges computed so far, by rule and input (computeBatch): bounded by {@link CHARGE_MEMO}. */
  charges: Map<string, Charge>;
}

interface Charge {
  cents: number;
  explanation: Explanation;
  grossCents?: number;
  discountCents?: number;
  /** The explanation serialised once for every bill that shares it. */
  explanationJson?: string;
}
/** Distinct charges a run keeps (a few hundred bytes each); past this the memo starts over. */
const CHARGE_MEMO = 10_000;

export interface Skip {
  roomId: string;
  roomCode: string;
  feeItemId: string;
  reason: SkipReason;
  /** Absent for rooms; a parking space's skip carries its id in `roomId` (runs.spaces.ts). */
  subjectType?: 'parking_space';
}

interface BatchResult {
  bills: NewBill[];
  skipped: Skip[];
}

const specificity = { room: 3, building: 2, parking_space: 3, community: 1 } as const;

function overlaps(a: FeeRuleAssignmentTable, p: Period): boolean {
  return a.effective_on <= p.end && (a.ends_on === null || a.ends_on >= p.start);
}

/** The assignment of `rule` reaching `room` that is most specific (room > building > community), or undefined. */
function reach(rp: RulePlan, room: Pick<RunRoom, 'id' | 'building_id'>, communityId: string, p: Period): { a: FeeRuleAssignmentTable; effective: boolean } | undefined {
  let best: FeeRuleAssignmentTable | undefined;
  let bestEffective = false;
  for (const a of rp.assignments) {
    const hits =
      (a.target_type === 'room' && a.target_id === room.id) || (a.target_type === 'building' && a.target_id === room.building_id) || (a.target_type === 'community' && a.target_id === communityId);
    if (!hits) continue;
    const eff = overlaps(a, p);
    // An effective assignment beats one that is not; then the more specific; then the later start.
    if (
      !best ||
      (eff && !bestEffective) ||
      (eff === bestEffective && (specificity[a.target_type] > specificity[best.target_type] || (specificity[a.target_type] === specificity[best.target_type] && a.effective_on > best.effective_on)))
    ) {
      best = a;
      bestEffective = eff;
    }
  }
  return best ? { a: best, effective: bestEffective } : undefined;
}

function tiersOn(rp: RulePlan, on: string): Tier[] | undefined {
  let found: Tier[] | undefined;
  for (const t of rp.tiers) if (t.fromOn <= on) found = t.tiers;
  return found;
}
function priceOn(rp: RulePlan, on: string): number | undefined {
  let found: number | undefined;
  for (const p of rp.prices) if (p.fromOn <= on) found = p.priceE4;
  return found;
}

export function createRunsService(deps: RunsDeps) {
  const now = () => deps.clock.now().toISOString();

  async function loadPlan(exec: Exec, communityId: string, label: string, feeItemIds: readonly string[]): Promise<Plan> {
    const period = periodOfLabel(label);
    const items = await runsRepo.feeItems(exec, communityId, feeItemIds);
    if (items.length !== new Set(feeItemIds).size) throw new AppError('request.invalid', [{ field: '/body/feeItemIds', message: { en: 'unknown fee item in the community', zh: '该小区没有这个收费项目' } }]);
    // A run bills the rules whose cycle is the period's (a monthly run does not bill yearly rules).
    const ruleRows = (await rulesRepo.ofFeeItems(exec, communityId, feeItemIds)).filter((r) => r.cycle === period.cycle && r.kind !== 'one_off' && r.kind !== 'fixed_per_space');
    const ids = ruleRows.map((r) => r.id);
    const [prices, assignments] = await Promise.all([rulesRepo.prices(exec, ids), rulesRepo.assignments(exec, ids)]);
    const plans = new Map<string, RulePlan>(
      ruleRows.map((r) => [
        r.id,
        {
          rule: r,
          prices: prices.filter((p) => p.rule_id === r.id && p.price_e4 !== null).map((p) => ({ fromOn: p.effective_on, priceE4: Number(p.price_e4) })),
          tiers: prices.filter((p: FeeRulePriceTable) => p.rule_id === r.id && p.tiers_json !== null).map((p) => ({ fromOn: p.effective_on, tiers: JSON.parse(p.tiers_json!) as Tier[] })),
          assignments: assignments.filter((a) => a.rule_id === r.id),
        },
      ]),
    );
    const fees: FeePlan[] = items.map((f) => ({
      feeItemId: f.id,
      name: f.name,
      rounding: { unit: f.rounding_unit, mode: f.rounding_mode },
      dueOn: addDays(period.start, f.due_days),
      rules: ruleRows.filter((r) => r.fee_item_id === f.id).map((r) => plans.get(r.id)!),
    }));
    const plan: Plan = {
      charges: new Map(),
      communityId,
      period,
      fees,
      needsMeters: ruleRows.some((r) => r.kind === 'metered'),
      readingsFrom: ruleRows.some((r) => r.kind === 'metered' && r.tier_scope === 'year') ? `${period.start.slice(0, 4)}-01-01` : period.start,
    };
    for (const fee of fees) for (const rp of fee.rules) if (rp.rule.kind === 'apportion') await planApportion(exec, plan, fee, rp);
    return plan;
  }

  /**
   * Apportionment (公摊) needs every sharing room at once, so it is computed before the rooms are
   * streamed: the total (a shared meter's usage × price, or a fixed amount) is rounded by the fee
   * item's rule and split by largest remainder, summing exactly to it.
   */
  async function planApportion(exec: Exec, plan: Plan, fee: FeePlan, rp: RulePlan): Promise<void> {
    const p = plan.period;
    const r = rp.rule;
    let totalCents: number;
    if (r.shared_meter_id) {
      const readings = await runsRepo.readings(exec, [r.shared_meter_id], p.start, p.end);
      const live = readings.filter((x) => x.review_status !== 'rejected' && x.usage_e3 !== null);
      if (live.some((x) => x.review_status === 'pending')) return void (rp.sharesSkip = 'unreviewed_reading');
      if (live.length === 0) return void (rp.sharesSkip = 'no_reading');
      const usage = live.reduce((s, x) => s + Number(x.usage_e3), 0);
      const price = priceOn(rp, live[live.length - 1]!.read_on);
      if (price === undefined) return void (rp.sharesSkip = 'rule_not_effective');
      totalCents = roundCents(usageAmount(usage, price), fee.rounding).cents;
    } else totalCents = Number(r.amount_cents ?? 0);
    const rooms = (await runsRepo.allRooms(exec, plan.communityId)).filter((room) => {
      const hit = reach(rp, room, plan.communityId, p);
      return hit?.effective && room.state !== 'unsold' && !(room.delivered_on && room.delivered_on > p.end);
    });
    const usage = r.apportion_basis === 'usage' ? await runsRepo.usageByRoom(exec, plan.communityId, r.meter_kind ?? 'water', p.start, p.end) : new Map<string, number>();
    const basis = r.apportion_basis === 'building_area' ? 'area' : r.apportion_basis === 'usage' ? 'usage' : 'equal';
    const result = apportion({
      totalCents,
      basis,
      label: fee.name,
      parts: rooms.map((room) => ({ key: room.id, weight: basis === 'area' ? Number(room.building_area_dm2) : basis === 'usage' ? (usage.get(room.id) ?? 0) : 1 })),
    });
    rp.shares = new Map(result.parts.map((part) => [part.key, { cents: part.cents, explanation: part.explanation }]));
  }

  /**
   * Computes one batch of rooms: the bills to issue and the rooms skipped with their reason.
   * `checkExisting: false` (the run itself) leaves finding already-billed keys to the insert's
   * ON CONFLICT instead of looking every key up first; a preview looks them up.
   */
  async function computeBatch(exec: Exec, plan: Plan, rooms: RunRoom[], options: { checkExisting?: boolean } = {}): Promise<BatchResult> {
    const p = plan.period;
    const ids = rooms.map((r) => r.id);
    // SQLite's driver is synchronous and `await` alone never lets the event loop run: yield
    // between the batch's reads so /healthz and other requests are answered in between.
    const occ = await runsRepo.occupancies(exec, ids, p.start);
    await yieldLoop();
    const moveIn = new Map<string, string>();
    const payer = new Map<string, string>();
    for (const o of occ) {
      if (!o.room_id) continue;
      const m = moveIn.get(o.room_id);
      if (m === undefined || o.moved_in_on < m) moveIn.set(o.room_id, o.moved_in_on);
      if (o.primary_contact === 1) payer.set(o.room_id, o.person_id);
    }
    const meterOf = new Map<string, { id: string; kind: string }[]>();
    const readingsOf = new Map<string, { read_on: string; usage_e3: number | null; review_status: string; reading_e3: number }[]>();
    if (plan.needsMeters) {
      const rows = await runsRepo.roomMeterReadings(exec, ids, plan.readingsFrom, p.end);
      await yieldLoop();
      for (const x of rows) {
        let meters = meterOf.get(x.room_id!);
        if (!meters) meterOf.set(x.room_id!, (meters = []));
        if (meters[meters.length - 1]?.id !== x.meter_id) meters.push({ id: x.meter_id, kind: x.kind });
        if (x.read_on === null) continue;
        let list = readingsOf.get(x.meter_id);
        if (!list) readingsOf.set(x.meter_id, (list = []));
        list.push({ read_on: x.read_on, usage_e3: x.usage_e3, review_status: x.review_status!, reading_e3: x.reading_e3! });
      }
    }

    const bills: NewBill[] = [];
    const skipped: Skip[] = [];
    let n = 0;
    for (const room of rooms) {
      // SQLite's driver is synchronous: hand the event loop back now and then so the server keeps answering.
      if (++n % YIELD_ROOMS === 0) await yieldLoop();
      for (const fee of plan.fees) {
        const skip = (reason: SkipReason) => skipped.push({ roomId: room.id, roomCode: room.code, feeItemId: fee.feeItemId, reason });
        // The fee item's rule for this room: the most specific effective assignment among its rules.
        let chosen: { rp: RulePlan; a: FeeRuleAssignmentTable; effective: boolean } | undefined;
        for (const rp of fee.rules) {
          const hit = reach(rp, room, plan.communityId, p);
          if (hit && (!chosen || (hit.effective && !chosen.effective) || (hit.effective === chosen.effective && specificity[hit.a.target_type] > specificity[chosen.a.target_type]))) {
            chosen = { rp, ...hit };
          }
        }
        if (!chosen) continue; // the fee item does not apply to this room at all
        if (!chosen.effective) {
          skip('rule_not_effective');
          continue;
        }
        if (room.state === 'unsold' || (room.delivered_on !== null && room.delivered_on > p.end)) {
          skip('not_delivered');
          continue;
        }
        const { rp, a } = chosen;
        const r = rp.rule;
        const limits: ActiveLimits = { deliveredOn: room.delivered_on, moveInOn: moveIn.get(room.id) ?? null, ruleStartOn: a.effective_on, ruleEndOn: a.ends_on };
        const discounts: Discount[] = [];
        if (room.state === 'vacant' && r.vacant_rate_bp !== null) {
          const d = vacancyDiscount(r.vacant_rate_bp);
          if (d) discounts.push(d);
        }
        if (plan.extraDiscounts) discounts.push(...plan.extraDiscounts(r));
        const common = { label: fee.name, rounding: fee.rounding, discounts };
        // grossCents / discountCents: the vacant-room rate is issued as the bill's discount (full charge shown).
        let amount: Charge;
        // Rooms alike get the same charge (one garbage fee for all, a handful of floor plans, of
        // usages): computed and serialised once per distinct input, not once per room. The key is
        // everything the computation reads besides the plan's constants; extra discounts (the
        // counter's prepayment, one room) are not memoised.
        const limitsKey = `${limits.deliveredOn}|${limits.moveInOn}|${limits.ruleStartOn}|${limits.ruleEndOn}|${discounts.length ? discounts.map((d) => JSON.stringify(d)).join() : ''}`;
        const charge = (key: string, compute: () => Charge): Charge => {
          if (plan.extraDiscounts) return compute();
          const k = `${r.id}|${key}|${limitsKey}`;
          let hit = plan.charges.get(k);
          if (!hit) {
            const c = compute();
            hit = { ...c, explanationJson: JSON.stringify(c.explanation) };
            if (plan.charges.size >= CHARGE_MEMO) plan.charges.clear();
            plan.charges.set(k, hit);
          }
          return hit;
        };
        try {
          if (r.kind === 'fixed_per_room') {
            amount = charge(`${limitsKey}`, () => computeCharge({ kind: 'fixed', period: p, cycle: p.cycle, prices: rp.prices, limits, prorate: r.prorate === 1, ...common }));
          } else if (r.kind === 'area_building' || r.kind === 'area_inner') {
            const area = r.kind === 'area_building' ? Number(room.building_area_dm2) : room.inner_area_dm2 === null ? 0 : Number(room.inner_area_dm2);
            if (area <= 0) {
              skip('no_area');
              continue;
            }
            amount = charge(`${area}|${limitsKey}`, () =>
              computeCharge({ kind: 'area', basis: r.kind === 'area_building' ? 'building' : 'inner', areaDm2: area, period: p, cycle: p.cycle, prices: rp.prices, limits, prorate: r.prorate === 1, ...common }),
            );
          } else if (r.kind === 'metered') {
            const meter = (meterOf.get(room.id) ?? []).find((m) => m.kind === r.meter_kind);
            const all = meter ? (readingsOf.get(meter.id) ?? []).filter((x) => x.review_status !== 'rejected') : [];
            const inPeriod = all.filter((x) => x.read_on >= p.start && x.usage_e3 !== null);
            if (inPeriod.some((x) => x.review_status === 'pending')) {
              skip('unreviewed_reading');
              continue;
            }
            if (inPeriod.length === 0) {
              skip('no_reading');
              continue;
            }
            const qtyE3 = inPeriod.reduce((s, x) => s + Number(x.usage_e3), 0);
            const last = inPeriod[inPeriod.length - 1]!;
            if (r.tier_scope) {
              const tiers = tiersOn(rp, last.read_on);
              if (!tiers) {
                skip('rule_not_effective');
                continue;
              }
              // Yearly tiers (阶梯按年累计): usage already read this calendar year before the period.
              const prior = r.tier_scope === 'year' ? all.filter((x) => x.read_on < p.start && x.read_on.slice(0, 4) === last.read_on.slice(0, 4) && x.review_status === 'accepted').reduce((s, x) => s + Number(x.usage_e3 ?? 0), 0) : 0;
              amount = charge(`${qtyE3}|${last.read_on}|${prior}`, () => computeCharge({ kind: 'tiered', qtyE3, tiers, scope: r.tier_scope!, ...(r.tier_scope === 'year' ? { priorQtyE3: prior } : {}), ...common }));
            } else {
              const price = priceOn(rp, last.read_on);
              if (price === undefined) {
                skip('rule_not_effective');
                continue;
              }
              amount = charge(`${qtyE3}|${last.read_on}`, () => computeCharge({ kind: 'usage', qtyE3, priceE4: price, ...common }));
            }
          } else if (r.kind === 'apportion') {
            if (rp.sharesSkip) {
              skip(rp.sharesSkip);
              continue;
            }
            const share = rp.shares?.get(room.id);
            if (!share) {
              skip('rule_not_effective');
              continue;
            }
            amount = share;
          } else continue;
        } catch (err) {
          if (err instanceof EngineError && err.code === 'engine.no_price') {
            skip('rule_not_effective');
            continue;
          }
          throw err;
        }
        if (amount.cents === 0) {
          skip('zero_amount');
          continue;
        }
        bills.push({
          roomId: room.id,
          personId: payer.get(room.id) ?? null,
          feeItemId: fee.feeItemId,
          source: 'run',
          periodStartOn: p.start,
          periodEndOn: p.end,
          periodLabel: p.label,
          dueOn: fee.dueOn,
          amountCents: amount.grossCents ?? amount.cents,
          discountCents: amount.discountCents ?? 0,
          explanation: amount.explanation,
          ...(amount.explanationJson ? { explanationJson: amount.explanationJson } : {}),
          uniqueKey: `run:${fee.feeItemId}:${room.id}:${p.label}`,
        });
      }
    }
    if (options.checkExisting === false) return { bills, skipped };
    // Already billed (a rerun, or a run of the same period before): say so, issue nothing new.
    const existing = await runsRepo.existingKeys(exec, bills.map((b) => b.uniqueKey!));
    const fresh: NewBill[] = [];
    for (const b of bills) {
      if (existing.has(b.uniqueKey!)) skipped.push({ roomId: b.roomId!, roomCode: rooms.find((x) => x.id === b.roomId)?.code ?? '', feeItemId: b.feeItemId, reason: 'already_billed' });
      else fresh.push(b);
    }
    return { bills: fresh, skipped };
  }

  interface Tally {
    rooms: number;
    bills: number;
    totalCents: number;
    totals: Map<string, { bills: number; cents: number }>;
    skippedCounts: Record<string, number>;
    skipped: Skip[];
  }
  const newTally = (plan: Plan): Tally => ({
    rooms: 0,
    bills: 0,
    totalCents: 0,
    totals: new Map(plan.fees.map((f) => [f.feeItemId, { bills: 0, cents: 0 }])),
    skippedCounts: {},
    skipped: [],
  });
  function addToTally(t: Tally, rooms: number, res: BatchResult, bills: readonly NewBill[] = res.bills): void {
    t.rooms += rooms;
    for (const b of bills) {
      // Totals are what the bills ask for: the charge less any discount granted at issue.
      const due = b.amountCents - (b.discountCents ?? 0);
      t.bills += 1;
      t.totalCents += due;
      const x = t.totals.get(b.feeItemId)!;
      x.bills += 1;
      x.cents += due;
    }
    for (const s of res.skipped) {
      t.skippedCounts[s.reason] = (t.skippedCounts[s.reason] ?? 0) + 1;
      if (t.skipped.length < SKIP_LIST) t.skipped.push(s);
    }
  }
  const totalsOf = (t: Tally) => [...t.totals].map(([feeItemId, x]) => ({ feeItemId, bills: x.bills, amountCents: x.cents, amount: formatCents(x.cents) }));

  function view(row: BillRunTable): BillRun {
    const totals = JSON.parse(row.totals_json) as BillRun['totals'];
    const skippedCounts = JSON.parse(row.skipped_json) as Record<string, number>;
    return {
      id: row.id,
      communityId: row.community_id,
      periodLabel: row.period_label,
      periodStartOn: row.period_start_on,
      periodEndOn: row.period_end_on,
      feeItemIds: JSON.parse(row.fee_item_ids_json) as string[],
      status: row.status,
      roomsTotal: row.rooms_total,
      roomsDone: row.rooms_done,
      billsInserted: row.bills_inserted,
      billsSkippedExisting: row.bills_skipped_existing,
      roomsSkipped: row.rooms_skipped,
      totalCents: Number(row.total_cents),
      totals,
      skippedCounts,
      jobId: row.job_id,
      error: row.error,
      // A rerun that found everything billed says so rather than looking like an empty run.
      note: row.status === 'done' && row.bills_inserted === 0 && row.bills_skipped_existing > 0 ? `nothing new: ${row.bills_skipped_existing} bills of ${row.period_label} already exist` : null,
      createdBy: row.created_by,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    };
  }

  /** The run itself (job `billing.run`): rooms streamed in keyset batches, one transaction per batch. */
  async function execute(runId: string, progress: (done: number, total: number) => Promise<void>, signal?: AbortSignal): Promise<void> {
    const run = await runsRepo.byId(deps.db, runId);
    if (!run || run.status !== 'running') return;
    const ctx = systemContext('billing.run');
    try {
      const plan = await loadPlan(deps.db, run.community_id, run.period_label, JSON.parse(run.fee_item_ids_json) as string[]);
      const tally = newTally(plan);
      let skippedExisting = 0;
      let inserted = 0;
      let after: string | null = null;
      // Read before any transaction: settings reads use the pool (SQLite has one connection).
      const deduct = deps.prepaid && (await deps.prepaid.autoDeductEnabled(run.community_id)) ? deps.prepaid : null;
      const postgres = dialectOf(deps.db) === 'postgres';
      const sliceRooms = deps.sliceRooms ?? (postgres ? PG_ISSUE_SLICE : ISSUE_SLICE);
      // PostgreSQL writes a first run's bills by COPY (bills.issueMany `newKeys`) until a slice
      // meets a key that exists; from then on the run skips existing keys (ON CONFLICT).
      let newKeys = postgres && run.bills_inserted === 0;
      // The next batch: its rooms and its computed bills. Already-billed keys (a rerun) are found
      // by the insert itself (ON CONFLICT DO NOTHING), not by looking each key up first: the first
      // run of a period — the common case — pays nothing for them.
      const nextBatch = async (): Promise<{ rooms: RunRoom[]; res: BatchResult } | null> => {
        const rooms = await runsRepo.rooms(deps.db, run.community_id, after, RUN_BATCH);
        if (rooms.length === 0) return null;
        after = rooms[rooms.length - 1]!.id;
        await yieldLoop();
        return { rooms, res: await computeBatch(deps.db, plan, rooms, { checkExisting: false }) };
      };
      // PostgreSQL: the next batch is read and computed while the database inserts this one (the
      // server's work and the database's overlap); SQLite's synchronous driver could not overlap them.
      let ahead: Promise<{ rooms: RunRoom[]; res: BatchResult } | null> | null = null;
      // PostgreSQL: two slices in flight at once, each on its own connection — the database is
      // the bottleneck there (the server waits half of the run), and the second backend uses the
      // CPU the first leaves. They meet only on the fee items' revenue balances (ledger.postMany
      // upserts balances in key order, so they wait, never deadlock) and on the audit chain's
      // head, both taken at the end of a slice. SQLite has one connection: one slice at a time.
      const slicesInFlight = postgres ? 2 : 1;
      const inFlight: Promise<void>[] = [];
      const settle = async (limit: number) => {
        while (inFlight.length > limit) {
          const oldest = inFlight.shift()!;
          try {
            await oldest;
          } catch (err) {
            // Nothing of the run goes on behind a failure: the other slice finishes (or fails) first.
            await Promise.allSettled(inFlight);
            throw err;
          }
        }
      };
      for (;;) {
        if (signal?.aborted) throw new Error('stopped by shutdown; the job is retried and skips what was issued');
        const batch = await (ahead ?? nextBatch());
        ahead = null;
        if (!batch) break;
        const { rooms, res } = batch;
        if (postgres) {
          ahead = nextBatch();
          // Awaited at the top of the next turn; a failure meanwhile must not go unhandled.
          ahead.catch(() => undefined);
        }
        addToTally(tally, rooms.length, { bills: [], skipped: res.skipped });
        // Bills are issued in slices of whole rooms, one transaction each (one issueMany, one audit record).
        for (let i = 0; i < res.bills.length; ) {
          let j = Math.min(i + sliceRooms * plan.fees.length, res.bills.length);
          while (j < res.bills.length && res.bills[j]!.roomId === res.bills[j - 1]!.roomId) j++;
          const slice = res.bills.slice(i, j);
          i = j;
          const issue = (newKeys: boolean) =>
            deps.db.transaction().execute(async (tx) => {
              // The slices' commits need not wait for their WAL flush (PostgreSQL's asynchronous
              // commit): a crash can lose only the last slices, never half of one, and the rerun
              // issues them again (unique keys). The run's final commit below is synchronous, which
              // flushes every slice before the run reads as done.
              if (postgres) await sql`set local synchronous_commit = off`.execute(tx);
              const out = await deps.bills.issueMany(tx, ctx, { communityId: run.community_id, billRunId: run.id, bills: slice, between: yieldLoop, newKeys });
              // Prepaid balances pay the new bills at once when the community asks for it (PRODUCT §2).
              if (deduct && out.subjectIds.length) await deduct.autoDeduct(tx, ctx, run.community_id, out.subjectIds);
              return out;
            });
          const issuing = (async () => {
            let out: Awaited<ReturnType<typeof issue>>;
            const keys = newKeys;
            try {
              out = await issue(keys);
            } catch (err) {
              // A key was billed already (a rerun, or a bill of the period issued meanwhile): the
              // slice was rolled back whole; it and the rest of the run skip existing keys instead.
              if (!keys || !isUniqueViolation(err)) throw err;
              newKeys = false;
              out = await issue(false);
            }
            skippedExisting += out.skipped;
            inserted += out.inserted;
            if (out.skipped === 0) addToTally(tally, 0, { bills: slice, skipped: [] });
            else {
              // Some keys were billed before (a rerun): the bills this call inserted are the issued ones.
              const issuedKeys = await runsRepo.keysOfBills(deps.db, out.billIds);
              const codeOf = new Map(rooms.map((r) => [r.id, r.code]));
              const issued = slice.filter((b) => issuedKeys.has(b.uniqueKey!));
              const already = slice.filter((b) => !issuedKeys.has(b.uniqueKey!)).map((b) => ({ roomId: b.roomId!, roomCode: codeOf.get(b.roomId!) ?? '', feeItemId: b.feeItemId, reason: 'already_billed' as const }));
              addToTally(tally, 0, { bills: issued, skipped: already });
            }
          })();
          inFlight.push(issuing);
          issuing.catch(() => undefined); // awaited below; a failure meanwhile must not go unhandled
          await settle(slicesInFlight - 1);
          await yieldLoop();
        }
        // Progress counts committed slices only.
        await settle(0);
        await runsRepo.update(deps.db, run.id, { rooms_done: tally.rooms, bills_inserted: inserted, bills_skipped_existing: skippedExisting, updated_at: now() });
        await progress(tally.rooms, run.rooms_total);
      }
      // Parking spaces after the rooms (runs.spaces.ts).
      const spaces = await spaceBills(deps.db, run.community_id, plan.period, plan.fees);
      addToTally(tally, 0, spaces);
      skippedExisting += spaces.skipped.filter((s) => s.reason === 'already_billed').length;
      const spaceOut = await issueSpaceBills(deps.db, deps.bills, ctx, run, spaces.bills, ISSUE_SLICE, deduct);
      inserted += spaceOut.inserted;
      skippedExisting += spaceOut.skipped;
      await deps.db.transaction().execute(async (tx) => {
        await runsRepo.update(tx, run.id, {
          status: 'done',
          rooms_done: tally.rooms,
          bills_inserted: inserted,
          bills_skipped_existing: skippedExisting,
          rooms_skipped: Object.values(tally.skippedCounts).reduce((s, n) => s + n, 0) - (tally.skippedCounts.already_billed ?? 0),
          total_cents: tally.totalCents,
          totals_json: JSON.stringify(totalsOf(tally)),
          skipped_json: JSON.stringify(tally.skippedCounts),
          finished_at: now(),
          updated_at: now(),
        });
        await deps.audit.record(tx, ctx, {
          action: 'billing.run.done',
          entityType: 'bill_run',
          entityId: run.id,
          communityId: run.community_id,
          after: { rooms: tally.rooms, inserted, skippedExisting, totalCents: tally.totalCents, skipped: tally.skippedCounts },
        });
      });
    } catch (err) {
      await runsRepo.update(deps.db, run.id, { status: 'failed', error: err instanceof Error ? err.message : String(err), updated_at: now(), finished_at: now() });
      throw err;
    }
  }

  deps.jobs.register('billing.run', async (job) => {
    const { runId } = job.payload as { runId: string };
    await execute(runId, (done, total) => job.progress(done, total, 'rooms'), job.signal);
  });

  /**
   * The bill one room or parking space would get for one fee item and period, with extra
   * discounts (runs.prepay.ts), or why it gets none; exactly what a run would compute.
   */
  async function billFor(exec: Exec, communityId: string, label: string, feeItemId: string, subject: { roomId?: string | null; parkingSpaceId?: string | null }, extraDiscounts: (rule: FeeRuleTable) => Discount[]): Promise<{ bill?: NewBill; reason?: SkipReason }> {
    const plan = await loadPlan(exec, communityId, label, [feeItemId]);
    plan.extraDiscounts = extraDiscounts;
    let res: { bills: NewBill[]; skipped: { reason: SkipReason }[] };
    if (subject.roomId) {
      const rooms = await exec.selectFrom('rooms').select(['id', 'code', 'building_id', 'building_area_dm2', 'inner_area_dm2', 'state', 'delivered_on']).where('id', '=', subject.roomId).execute();
      res = await computeBatch(exec, plan, rooms);
    } else res = await spaceBills(exec, communityId, plan.period, plan.fees, { spaceId: subject.parkingSpaceId!, extraDiscounts });
    return res.bills[0] ? { bill: res.bills[0] } : { reason: res.skipped[0]?.reason ?? 'rule_not_effective' };
  }

  return {
    execute,
    periodOfLabel,
    /** The counter's prepayment of N months of a fee item, discounted by the rule (runs.prepay.ts). */
    ...createPrepay(deps, billFor),
    /** Issue a one-off rule to its assigned rooms and spaces (runs.oneoff.ts). */
    ...createOneOffIssuer(deps),

    async preview(ctx: RequestContext, body: BillRunBody): Promise<BillRunPreview> {
      assertCan(ctx, 'billing.run.manage', body.communityId);
      const plan = await loadPlan(deps.db, body.communityId, body.periodLabel, body.feeItemIds);
      const tally = newTally(plan);
      let after: string | null = null;
      for (;;) {
        const rooms = await runsRepo.rooms(deps.db, body.communityId, after, RUN_BATCH);
        if (rooms.length === 0) break;
        after = rooms[rooms.length - 1]!.id;
        addToTally(tally, rooms.length, await computeBatch(deps.db, plan, rooms));
      }
      const spaces = await spaceBills(deps.db, body.communityId, plan.period, plan.fees);
      addToTally(tally, 0, spaces);
      return {
        communityId: body.communityId,
        periodLabel: plan.period.label,
        periodStartOn: plan.period.start,
        periodEndOn: plan.period.end,
        rooms: tally.rooms,
        spaces: spaces.spaces,
        bills: tally.bills,
        totalCents: tally.totalCents,
        totals: totalsOf(tally),
        skippedCounts: tally.skippedCounts,
        skipped: tally.skipped,
      };
    },

    /** Starts a run: the row and its job in one transaction; the job issues the bills. */
    async start(ctx: RequestContext, body: BillRunBody): Promise<BillRun> {
      assertCan(ctx, 'billing.run.manage', body.communityId);
      await loadPlan(deps.db, body.communityId, body.periodLabel, body.feeItemIds); // validates the fee items
      // SQLite's driver is synchronous: without a yield between them, the plan's reads, the count
      // of a large community's rooms and the transaction below held the event loop together
      // (≈ 115 ms on a cold page cache, 100,000 rooms). The count is progress's denominator only.
      await yieldToRequests();
      const roomsTotal = await runsRepo.countRooms(deps.db, body.communityId);
      await yieldToRequests();
      const period = periodOfLabel(body.periodLabel);
      const at = now();
      const row = await deps.db.transaction().execute(async (tx) => {
        if (await runsRepo.running(tx, body.communityId, body.periodLabel)) throw new AppError('billing.run_in_progress');
        const id = deps.ids();
        const row: BillRunTable = {
          id,
          community_id: body.communityId,
          period_label: period.label,
          period_start_on: period.start,
          period_end_on: period.end,
          fee_item_ids_json: JSON.stringify([...new Set(body.feeItemIds)]),
          status: 'running',
          rooms_total: roomsTotal,
          rooms_done: 0,
          bills_inserted: 0,
          bills_skipped_existing: 0,
          rooms_skipped: 0,
          total_cents: 0,
          totals_json: '[]',
          skipped_json: '{}',
          job_id: null,
          error: null,
          created_by: ctx.actor.userId ?? ctx.actor.name,
          created_at: at,
          updated_at: at,
          finished_at: null,
        };
        await runsRepo.insert(tx, row);
        row.job_id = await deps.jobs.enqueue(tx, { type: 'billing.run', payload: { runId: id }, uniqueKey: `billing.run:${id}`, communityId: body.communityId, maxAttempts: 1 });
        await runsRepo.update(tx, id, { job_id: row.job_id });
        await deps.audit.record(tx, ctx, { action: 'billing.run.start', entityType: 'bill_run', entityId: id, communityId: body.communityId, after: { periodLabel: row.period_label, feeItemIds: body.feeItemIds, rooms: row.rooms_total } });
        return row;
      });
      return view(row);
    },

    /** Cancels the run's bills (bills.cancelRun refuses once any bill has seen money). */
    async cancel(ctx: RequestContext, id: string): Promise<BillRun> {
      return deps.db.transaction().execute(async (tx) => {
        const run = await runsRepo.byId(tx, id);
        if (!run) throw notFound();
        assertCan(ctx, 'billing.run.manage', run.community_id);
        if (run.status !== 'done' && run.status !== 'failed') throw new AppError('billing.run_not_cancellable');
        const { cancelled } = await deps.bills.cancelRun(tx, ctx, id);
        const at = now();
        await runsRepo.update(tx, id, { status: 'cancelled', updated_at: at });
        await deps.audit.record(tx, ctx, { action: 'billing.run.cancel', entityType: 'bill_run', entityId: id, communityId: run.community_id, before: { status: run.status }, after: { status: 'cancelled', cancelled } });
        return view({ ...run, status: 'cancelled', updated_at: at });
      });
    },

    async get(ctx: RequestContext, id: string): Promise<BillRun> {
      const run = await runsRepo.byId(deps.db, id);
      if (!run) throw notFound();
      assertCan(ctx, 'billing.run.read', run.community_id);
      return view(run);
    },

    async list(ctx: RequestContext, q: BillRunListQuery) {
      assertCan(ctx, 'billing.run.read', q.communityId);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 1) as [string] | undefined;
      const rows = await runsRepo.page(deps.db, q.communityId, after?.[0], limit);
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map(view), nextCursor: page.nextCursor };
    },
  };
}
