import type {
  AddFeeRuleAssignmentBody,
  AddFeeRulePriceBody,
  CreateFeeRuleBody,
  FeeRule,
  FeeRuleAssignment,
  FeeRuleListQuery,
  UpdateFeeRuleBody,
} from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import type { IdGenerator } from '../../core/ids.js';
import type { AuditService } from '../audit/index.js';
import { formatCents, formatPercentBp, formatPriceE4, formatQtyE3, parseCents, parsePercentBp, parsePriceE4, parseQtyE3 } from './engine/decimal.js';
import { parseField as parse } from './engine-fields.js';
import { validateTiers, type Tier } from './engine/tiers.js';
import { rules as repo } from './rules.repository.js';
import type { FeeRuleAssignmentTable, FeeRulePriceTable, FeeRuleTable } from './runs.tables.js';

export interface RulesDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
}

/** Prepay discount tiers as stored: pay `minMonths` ahead → `offBp` off. */
export interface PrepayTierRow {
  minMonths: number;
  offBp: number;
}

export type RulesService = ReturnType<typeof createRulesService>;

function parseTiers(field: string, tiers: { upTo: string | null; price: string }[]): Tier[] {
  const out = tiers.map((t, i) => ({
    upToE3: t.upTo === null ? null : parse(`${field}/${i}/upTo`, () => parseQtyE3(t.upTo)),
    priceE4: parse(`${field}/${i}/price`, () => parsePriceE4(t.price)),
  }));
  parse(field, () => validateTiers(out));
  return out;
}

export function priceView(p: FeeRulePriceTable) {
  const tiers = p.tiers_json ? (JSON.parse(p.tiers_json) as Tier[]) : null;
  return {
    id: p.id,
    effectiveOn: p.effective_on,
    price: p.price_e4 === null ? null : formatPriceE4(Number(p.price_e4)),
    tiers: tiers ? tiers.map((t) => ({ upTo: t.upToE3 === null ? null : formatQtyE3(t.upToE3), price: formatPriceE4(t.priceE4) })) : null,
  };
}

export function assignmentView(a: FeeRuleAssignmentTable): FeeRuleAssignment {
  return { id: a.id, ruleId: a.rule_id, targetType: a.target_type, targetId: a.target_id, effectiveOn: a.effective_on, endsOn: a.ends_on };
}

function ruleView(r: FeeRuleTable, prices: FeeRulePriceTable[], assignments: FeeRuleAssignmentTable[]): FeeRule {
  const prepay = r.prepay_json ? (JSON.parse(r.prepay_json) as PrepayTierRow[]) : [];
  return {
    id: r.id,
    communityId: r.community_id,
    feeItemId: r.fee_item_id,
    name: r.name,
    kind: r.kind,
    cycle: r.cycle,
    prorate: r.prorate === 1,
    meterKind: r.meter_kind,
    tierScope: r.tier_scope,
    apportionBasis: r.apportion_basis,
    sharedMeterId: r.shared_meter_id,
    amount: r.amount_cents === null ? null : formatCents(Number(r.amount_cents)),
    vacantRatePercent: r.vacant_rate_bp === null ? null : formatPercentBp(r.vacant_rate_bp),
    prepay: prepay.map((p) => ({ minMonths: p.minMonths, percent: formatPercentBp(p.offBp) })),
    active: r.active === 1,
    prices: prices.map(priceView),
    assignments: assignments.map(assignmentView),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Checks that a rule's fields fit its kind (formulas are data: a kind plus the numbers it needs).
 * Throws request.invalid naming the field.
 */
function checkShape(r: Pick<FeeRuleTable, 'kind' | 'meter_kind' | 'tier_scope' | 'apportion_basis' | 'shared_meter_id' | 'amount_cents' | 'vacant_rate_bp'>): void {
  if (r.kind === 'metered' && !r.meter_kind) throw invalid('/body/meterKind', 'a metered rule needs the kind of meter', '按用量计费的规则须指定仪表类型');
  if (r.kind === 'apportion') {
    if (!r.apportion_basis) throw invalid('/body/apportionBasis', 'an apportionment needs a basis', '公摊须指定分摊方式');
    if ((r.shared_meter_id === null) === (r.amount_cents === null)) throw invalid('/body/sharedMeterId', 'an apportionment spreads either a shared meter or a fixed amount, not both', '公摊只能分摊公共表用量或固定金额，二者选一');
    if (r.apportion_basis === 'usage' && !r.meter_kind) throw invalid('/body/meterKind', 'apportioning by usage needs the kind of the rooms’ meters', '按用量公摊须指定房屋仪表的类型');
  }
  if (r.kind === 'one_off' && r.amount_cents === null) throw invalid('/body/amount', 'a one-off rule needs an amount', '一次性收费规则须填写金额');
  if (r.tier_scope !== null && r.kind !== 'metered') throw invalid('/body/tierScope', 'only metered rules have tiers', '只有按用量计费的规则才能设阶梯价');
  if (r.vacant_rate_bp !== null && r.vacant_rate_bp > 10_000) throw invalid('/body/vacantRatePercent', 'at most 100', '不能超过 100');
}

/** Does the kind take a unit price (per room, per m², per unit of usage)? */
const pricedKinds = new Set(['fixed_per_room', 'fixed_per_space', 'area_building', 'area_inner', 'metered']);

export function createRulesService(deps: RulesDeps) {
  const now = () => deps.clock.now().toISOString();

  async function load(id: string) {
    const row = await repo.byId(deps.db, id);
    if (!row) throw notFound();
    return row;
  }
  async function view(row: FeeRuleTable): Promise<FeeRule> {
    const [prices, assignments] = await Promise.all([repo.prices(deps.db, [row.id]), repo.assignments(deps.db, [row.id])]);
    return ruleView(row, prices, assignments);
  }

  function priceRow(rule: Pick<FeeRuleTable, 'id' | 'community_id' | 'tier_scope'>, body: AddFeeRulePriceBody, field: string): FeeRulePriceTable {
    const tiered = rule.tier_scope !== null;
    if (tiered && !body.tiers) throw invalid(`${field}/tiers`, 'a tiered rule takes tiers', '阶梯计费的规则须填写阶梯价');
    if (!tiered && body.price === undefined) throw invalid(`${field}/price`, 'a price is required', '须填写单价');
    if (tiered && body.price !== undefined) throw invalid(`${field}/price`, 'a tiered rule takes tiers, not a single price', '阶梯计费的规则应填写阶梯价，而不是单一单价');
    if (!tiered && body.tiers) throw invalid(`${field}/tiers`, 'tiers need a tier scope on the rule', '规则须先设置阶梯范围，才能填写阶梯价');
    return {
      id: deps.ids(),
      community_id: rule.community_id,
      rule_id: rule.id,
      effective_on: body.effectiveOn,
      price_e4: body.price === undefined ? null : parse(`${field}/price`, () => parsePriceE4(body.price)),
      tiers_json: body.tiers ? JSON.stringify(parseTiers(`${field}/tiers`, body.tiers)) : null,
      created_at: now(),
    };
  }

  return {
    async list(ctx: RequestContext, query: FeeRuleListQuery): Promise<{ items: FeeRule[] }> {
      assertCan(ctx, 'billing.rule.read', query.communityId);
      const rows = await repo.list(deps.db, query.communityId, query.feeItemId);
      const ids = rows.map((r) => r.id);
      const [prices, assignments] = await Promise.all([repo.prices(deps.db, ids), repo.assignments(deps.db, ids)]);
      return { items: rows.map((r) => ruleView(r, prices.filter((p) => p.rule_id === r.id), assignments.filter((a) => a.rule_id === r.id))) };
    },

    async get(ctx: RequestContext, id: string): Promise<FeeRule> {
      const row = await load(id);
      assertCan(ctx, 'billing.rule.read', row.community_id);
      return view(row);
    },

    async create(ctx: RequestContext, body: CreateFeeRuleBody): Promise<FeeRule> {
      assertCan(ctx, 'billing.rule.manage', body.communityId);
      const at = now();
      const row: FeeRuleTable = {
        id: deps.ids(),
        community_id: body.communityId,
        fee_item_id: body.feeItemId,
        name: body.name,
        kind: body.kind,
        cycle: body.cycle ?? 'monthly',
        prorate: body.prorate === false ? 0 : 1,
        meter_kind: body.meterKind ?? null,
        tier_scope: body.tierScope ?? null,
        apportion_basis: body.apportionBasis ?? null,
        shared_meter_id: body.sharedMeterId ?? null,
        amount_cents: body.amount == null ? null : parse('/body/amount', () => parseCents(body.amount)),
        vacant_rate_bp: body.vacantRatePercent == null ? null : parse('/body/vacantRatePercent', () => parsePercentBp(body.vacantRatePercent)),
        prepay_json: body.prepay?.length ? JSON.stringify(body.prepay.map((p, i) => ({ minMonths: p.minMonths, offBp: parse(`/body/prepay/${i}/percent`, () => parsePercentBp(p.percent)) }))) : null,
        active: 1,
        created_at: at,
        updated_at: at,
      };
      checkShape(row);
      const needsPrice = pricedKinds.has(row.kind) || (row.kind === 'apportion' && row.shared_meter_id !== null);
      if (needsPrice && !body.price) throw invalid('/body/price', 'this kind of rule needs a price', '此类规则须填写单价');
      if (!needsPrice && body.price) throw invalid('/body/price', 'this kind of rule takes an amount, not a price', '此类规则应填写金额，而不是单价');
      return deps.db.transaction().execute(async (tx) => {
        const item = await repo.feeItem(tx, body.feeItemId);
        if (!item || item.community_id !== body.communityId) throw invalid('/body/feeItemId', 'no such fee item in the community', '该小区没有这个收费项目');
        if (row.shared_meter_id) {
          const meter = await tx.selectFrom('meters').select(['community_id', 'room_id']).where('id', '=', row.shared_meter_id).executeTakeFirst();
          if (!meter || meter.community_id !== body.communityId || meter.room_id !== null) throw invalid('/body/sharedMeterId', 'no such shared meter in the community', '该小区没有这个公共表');
        }
        await repo.insert(tx, row);
        const price = body.price ? priceRow(row, body.price, '/body/price') : null;
        if (price) await repo.insertPrice(tx, price);
        await deps.audit.record(tx, ctx, { action: 'billing.rule.create', entityType: 'fee_rule', entityId: row.id, communityId: row.community_id, after: { ...row, price } });
        return ruleView(row, price ? [price] : [], []);
      });
    },

    async update(ctx: RequestContext, id: string, body: UpdateFeeRuleBody): Promise<FeeRule> {
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'billing.rule.manage', before.community_id);
        const after: FeeRuleTable = {
          ...before,
          ...(body.name !== undefined ? { name: body.name } : {}),
          ...(body.cycle !== undefined ? { cycle: body.cycle } : {}),
          ...(body.prorate !== undefined ? { prorate: body.prorate ? 1 : 0 } : {}),
          ...(body.meterKind !== undefined ? { meter_kind: body.meterKind } : {}),
          ...(body.tierScope !== undefined ? { tier_scope: body.tierScope } : {}),
          ...(body.apportionBasis !== undefined ? { apportion_basis: body.apportionBasis } : {}),
          ...(body.sharedMeterId !== undefined ? { shared_meter_id: body.sharedMeterId } : {}),
          ...(body.amount !== undefined ? { amount_cents: body.amount === null ? null : parse('/body/amount', () => parseCents(body.amount)) } : {}),
          ...(body.vacantRatePercent !== undefined
            ? { vacant_rate_bp: body.vacantRatePercent === null ? null : parse('/body/vacantRatePercent', () => parsePercentBp(body.vacantRatePercent)) }
            : {}),
          ...(body.prepay !== undefined
            ? { prepay_json: body.prepay.length ? JSON.stringify(body.prepay.map((p, i) => ({ minMonths: p.minMonths, offBp: parse(`/body/prepay/${i}/percent`, () => parsePercentBp(p.percent)) }))) : null }
            : {}),
          ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
          updated_at: now(),
        };
        checkShape(after);
        // Switching between tiered and flat prices would make the stored prices meaningless.
        if ((before.tier_scope === null) !== (after.tier_scope === null)) {
          const prices = await repo.prices(tx, [id]);
          if (prices.length) throw invalid('/body/tierScope', 'tiered and flat prices cannot be swapped on a rule that has prices; create a new rule', '已有价格的规则不能在阶梯价和单一单价之间切换，请新建规则');
        }
        await repo.update(tx, id, after);
        await deps.audit.record(tx, ctx, { action: 'billing.rule.update', entityType: 'fee_rule', entityId: id, communityId: before.community_id, before, after });
        const [prices, assignments] = await Promise.all([repo.prices(tx, [id]), repo.assignments(tx, [id])]);
        return ruleView(after, prices, assignments);
      });
    },

    /** A new price from a date (调价): earlier periods keep their price; a run prorates across it. */
    async addPrice(ctx: RequestContext, id: string, body: AddFeeRulePriceBody): Promise<FeeRule> {
      const rule = await load(id);
      assertCan(ctx, 'billing.rule.manage', rule.community_id);
      if (!pricedKinds.has(rule.kind) && !(rule.kind === 'apportion' && rule.shared_meter_id)) throw new AppError('billing.rule_invalid', [fieldError('/body/price', 'this kind of rule has no price', '此类规则没有单价')]);
      const price = priceRow(rule, body, '/body');
      await deps.db.transaction().execute(async (tx) => {
        if (await repo.priceOn(tx, id, body.effectiveOn)) throw new AppError('request.conflict', [fieldError('/body/effectiveOn', 'the rule already has a price from that day', '该规则从这一天起已有价格')]);
        await repo.insertPrice(tx, price);
        await deps.audit.record(tx, ctx, { action: 'billing.rule.price', entityType: 'fee_rule', entityId: id, communityId: rule.community_id, after: priceView(price) });
      });
      return view(rule);
    },

    async addAssignment(ctx: RequestContext, id: string, body: AddFeeRuleAssignmentBody): Promise<FeeRule> {
      const rule = await load(id);
      assertCan(ctx, 'billing.rule.manage', rule.community_id);
      if (body.endsOn && body.endsOn < body.effectiveOn) throw invalid('/body/endsOn', 'ends before it starts', '结束日期早于开始日期');
      if (body.targetType === 'parking_space' && rule.kind !== 'fixed_per_space' && rule.kind !== 'one_off') throw invalid('/body/targetType', 'only per-space rules apply to parking spaces', '只有按车位计费的规则才能用于车位');
      if (rule.kind === 'fixed_per_space' && (body.targetType === 'room' || body.targetType === 'building')) throw invalid('/body/targetType', 'a per-space rule applies to spaces or the whole community', '按车位计费的规则只能用于车位或整个小区');
      const row: FeeRuleAssignmentTable = {
        id: deps.ids(),
        community_id: rule.community_id,
        rule_id: id,
        target_type: body.targetType,
        target_id: body.targetId,
        effective_on: body.effectiveOn,
        ends_on: body.endsOn ?? null,
        created_at: now(),
      };
      await deps.db.transaction().execute(async (tx) => {
        const community = await repo.targetCommunity(tx, body.targetType, body.targetId);
        if (community !== rule.community_id) throw invalid('/body/targetId', 'no such target in the rule’s community', '规则所在小区没有这个收费对象');
        await repo.insertAssignment(tx, row);
        await deps.audit.record(tx, ctx, { action: 'billing.rule.assign', entityType: 'fee_rule', entityId: id, communityId: rule.community_id, after: assignmentView(row) });
      });
      return view(rule);
    },

    /** Ends an assignment (the rule stops applying after `endsOn`); history stays. */
    async endAssignment(ctx: RequestContext, id: string, assignmentId: string, endsOn: string): Promise<FeeRule> {
      const rule = await load(id);
      assertCan(ctx, 'billing.rule.manage', rule.community_id);
      await deps.db.transaction().execute(async (tx) => {
        const a = await repo.assignmentById(tx, assignmentId);
        if (!a || a.rule_id !== id) throw notFound();
        if (endsOn < a.effective_on) throw invalid('/body/endsOn', 'ends before it starts', '结束日期早于开始日期');
        await repo.endAssignment(tx, assignmentId, endsOn);
        await deps.audit.record(tx, ctx, { action: 'billing.rule.unassign', entityType: 'fee_rule', entityId: id, communityId: rule.community_id, before: assignmentView(a), after: { ...assignmentView(a), endsOn } });
      });
      return view(rule);
    },
  };
}
