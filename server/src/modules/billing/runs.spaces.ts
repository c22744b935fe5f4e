import type { SkipReason } from '@courtyard/contracts';
import type { Exec, Tx } from '../../core/db/schema.js';
import type { RequestContext } from '../../core/http/context.js';
import type { BillsService, NewBill } from './bills.service.js';
import { computeCharge, EngineError, type ActiveLimits, type Discount, type EffectivePrice, type Period } from './engine/index.js';
import { rules as rulesRepo } from './rules.repository.js';
import type { FeeRuleAssignmentTable, FeeRuleTable } from './runs.tables.js';

/**
 * Parking fees in a bill run (车位管理费 / 车位租金): `fixed_per_space` rules of the run's fee items
 * and cycle, assigned to a parking space or to the whole community, bill every space they reach
 * that someone owns or rents over the period (people's occupancy person ↔ space). One bill per
 * fee item × space × period, key `run:<feeItemId>:<spaceId>:<periodLabel>`, so a rerun issues
 * nothing new. Spaces are few next to rooms (hundreds per community), so they are read at once.
 */

/** What a run needs of each fee item (runs.service's plan). */
export interface SpaceFee {
  feeItemId: string;
  name: string;
  rounding: { unit: 'cent' | 'jiao' | 'yuan'; mode: 'half_up' | 'half_even' };
  dueOn: string;
}
export interface SpacePeriod extends Period {
  label: string;
  cycle: 'monthly' | 'quarterly' | 'half_yearly' | 'yearly';
}
/** A skipped subject as the preview lists it: `roomId` carries the space id when `subjectType` says so. */
export interface SpaceSkip {
  roomId: string;
  roomCode: string;
  feeItemId: string;
  reason: SkipReason;
  subjectType: 'parking_space';
}
export interface SpaceBatch {
  spaces: number;
  bills: NewBill[];
  skipped: SpaceSkip[];
}

interface SpaceRule {
  rule: FeeRuleTable;
  prices: EffectivePrice[];
  assignments: FeeRuleAssignmentTable[];
}

const overlaps = (a: { effective_on: string; ends_on: string | null }, p: Period) => a.effective_on <= p.end && (a.ends_on === null || a.ends_on >= p.start);

/** Every parking space of the community with its lot code (registry tables, read-only). */
function spacesOf(exec: Exec, communityId: string) {
  return exec
    .selectFrom('parking_spaces as s')
    .innerJoin('parking_lots as l', 'l.id', 's.parking_lot_id')
    .select(['s.id', 's.number', 's.state', 'l.code as lot_code'])
    .where('s.community_id', '=', communityId)
    .orderBy('s.id')
    .execute();
}

/** Occupancies of spaces (owner, co-owner, tenant) overlapping the period (people's table, read-only). */
function spaceOccupancies(exec: Exec, communityId: string, p: Period) {
  return exec
    .selectFrom('occupancies')
    .select(['parking_space_id', 'person_id', 'relation', 'primary_contact', 'moved_in_on', 'moved_out_on'])
    .where('community_id', '=', communityId)
    .where('parking_space_id', 'is not', null)
    .where('moved_in_on', '<=', p.end)
    .where((eb) => eb.or([eb('moved_out_on', 'is', null), eb('moved_out_on', '>=', p.start)]))
    .orderBy('moved_in_on')
    .execute();
}

/**
 * The parking-space bills of a run's period for its fee items, and the spaces skipped with why:
 * `space_unavailable` (the space is out of use), `no_occupant` (nobody owns or rents it during the
 * period — an unsold or unlet space owes nothing), `rule_not_effective`, `zero_amount`,
 * `already_billed`. The charge is the monthly price × the cycle's months, prorated by the days
 * somebody held the space when the rule prorates (move-in / move-out, rule start / end).
 */
export async function spaceBills(
  exec: Exec,
  communityId: string,
  period: SpacePeriod,
  fees: readonly SpaceFee[],
  /** One space only, and discounts on top of the rule's (the counter's prepayment, runs.prepay.ts). */
  opts: { spaceId?: string; extraDiscounts?: (rule: FeeRuleTable) => Discount[] } = {},
): Promise<SpaceBatch> {
  const ruleRows = (await rulesRepo.ofFeeItems(exec, communityId, fees.map((f) => f.feeItemId))).filter((r) => r.kind === 'fixed_per_space' && r.cycle === period.cycle);
  if (ruleRows.length === 0) return { spaces: 0, bills: [], skipped: [] };
  const ids = ruleRows.map((r) => r.id);
  const [prices, assignments] = await Promise.all([rulesRepo.prices(exec, ids), rulesRepo.assignments(exec, ids)]);
  const rulesOf = new Map<string, SpaceRule[]>();
  for (const r of ruleRows) {
    const list = rulesOf.get(r.fee_item_id) ?? [];
    list.push({
      rule: r,
      prices: prices.filter((x) => x.rule_id === r.id && x.price_e4 !== null).map((x) => ({ fromOn: x.effective_on, priceE4: Number(x.price_e4) })),
      assignments: assignments.filter((a) => a.rule_id === r.id),
    });
    rulesOf.set(r.fee_item_id, list);
  }
  const [all, occupancies] = await Promise.all([spacesOf(exec, communityId), spaceOccupancies(exec, communityId, period)]);
  const spaces = opts.spaceId ? all.filter((x) => x.id === opts.spaceId) : all;
  const occOf = new Map<string, typeof occupancies>();
  for (const o of occupancies) {
    const list = occOf.get(o.parking_space_id!) ?? [];
    list.push(o);
    occOf.set(o.parking_space_id!, list);
  }

  const bills: NewBill[] = [];
  const skipped: SpaceSkip[] = [];
  let reached = 0;
  for (const space of spaces) {
    const code = `${space.lot_code}-${space.number}`;
    let counted = false;
    for (const fee of fees) {
      // The most specific assignment reaching the space among the fee item's per-space rules:
      // an effective one over one that is not, the space's own over the community's, the later start.
      let chosen: { sr: SpaceRule; a: FeeRuleAssignmentTable; effective: boolean } | undefined;
      for (const sr of rulesOf.get(fee.feeItemId) ?? []) {
        for (const a of sr.assignments) {
          const hits = (a.target_type === 'parking_space' && a.target_id === space.id) || (a.target_type === 'community' && a.target_id === communityId);
          if (!hits) continue;
          const eff = overlaps(a, period);
          const spec = a.target_type === 'parking_space' ? 2 : 1;
          const best = chosen ? (chosen.a.target_type === 'parking_space' ? 2 : 1) : 0;
          if (!chosen || (eff && !chosen.effective) || (eff === chosen.effective && (spec > best || (spec === best && a.effective_on > chosen.a.effective_on)))) chosen = { sr, a, effective: eff };
        }
      }
      if (!chosen) continue;
      if (!counted) {
        counted = true;
        reached += 1;
      }
      const skip = (reason: SkipReason) => skipped.push({ roomId: space.id, roomCode: code, feeItemId: fee.feeItemId, reason, subjectType: 'parking_space' });
      if (!chosen.effective) {
        skip('rule_not_effective');
        continue;
      }
      if (space.state === 'unavailable') {
        skip('space_unavailable');
        continue;
      }
      const occ = occOf.get(space.id) ?? [];
      if (occ.length === 0) {
        skip('no_occupant');
        continue;
      }
      const moveInOn = occ.reduce((m, o) => (o.moved_in_on < m ? o.moved_in_on : m), occ[0]!.moved_in_on);
      // Held until the last occupancy ends; one still current holds it through the period.
      const moveOutOn = occ.every((o) => o.moved_out_on !== null) ? occ.reduce((m, o) => (o.moved_out_on! > m ? o.moved_out_on! : m), occ[0]!.moved_out_on!) : null;
      const payer = occ.find((o) => o.primary_contact === 1 && o.moved_out_on === null) ?? occ.find((o) => o.moved_out_on === null) ?? occ[occ.length - 1]!;
      const limits: ActiveLimits = { moveInOn, moveOutOn, ruleStartOn: chosen.a.effective_on, ruleEndOn: chosen.a.ends_on };
      let amount;
      try {
        amount = computeCharge({ kind: 'fixed', period, cycle: period.cycle, prices: chosen.sr.prices, limits, prorate: chosen.sr.rule.prorate === 1, label: fee.name, rounding: fee.rounding, discounts: opts.extraDiscounts?.(chosen.sr.rule) ?? [] });
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
        parkingSpaceId: space.id,
        personId: payer.person_id,
        feeItemId: fee.feeItemId,
        source: 'run',
        periodStartOn: period.start,
        periodEndOn: period.end,
        periodLabel: period.label,
        dueOn: fee.dueOn,
        amountCents: amount.grossCents,
        discountCents: amount.discountCents,
        explanation: amount.explanation,
        uniqueKey: `run:${fee.feeItemId}:${space.id}:${period.label}`,
      });
    }
  }
  // Already billed (a rerun): say so, issue nothing new.
  const keys = bills.map((b) => b.uniqueKey!);
  const existing = new Set<string>();
  for (let i = 0; i < keys.length; i += 900) {
    for (const r of await exec.selectFrom('bills').select('unique_key').where('unique_key', 'in', keys.slice(i, i + 900)).execute()) existing.add(r.unique_key);
  }
  const codeOf = new Map(spaces.map((s) => [s.id, `${s.lot_code}-${s.number}`]));
  const fresh: NewBill[] = [];
  for (const b of bills) {
    if (existing.has(b.uniqueKey!)) skipped.push({ roomId: b.parkingSpaceId!, roomCode: codeOf.get(b.parkingSpaceId!) ?? '', feeItemId: b.feeItemId, reason: 'already_billed', subjectType: 'parking_space' });
    else fresh.push(b);
  }
  return { spaces: reached, bills: fresh, skipped };
}

/** Spaces' bills issued in slices, one transaction each (as the rooms'), with the prepaid deduction when asked. */
export async function issueSpaceBills(
  db: { transaction(): { execute<T>(f: (tx: Tx) => Promise<T>): Promise<T> } },
  bills: BillsService,
  ctx: RequestContext,
  run: { id: string; community_id: string },
  list: readonly NewBill[],
  slice: number,
  deduct: { autoDeduct(tx: Tx, ctx: RequestContext, communityId: string, subjectIds: readonly string[]): Promise<unknown> } | null,
): Promise<{ inserted: number; skipped: number }> {
  let inserted = 0;
  let skipped = 0;
  for (let i = 0; i < list.length; i += slice) {
    const part = list.slice(i, i + slice);
    await db.transaction().execute(async (tx) => {
      const out = await bills.issueMany(tx, ctx, { communityId: run.community_id, billRunId: run.id, bills: part });
      inserted += out.inserted;
      skipped += out.skipped;
      if (deduct && out.subjectIds.length) await deduct.autoDeduct(tx, ctx, run.community_id, out.subjectIds);
    });
  }
  return { inserted, skipped };
}
