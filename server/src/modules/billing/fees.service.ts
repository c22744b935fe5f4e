import type { CreateFeeItemBody, FeeItem, FeeItemListQuery, LateFeeSettings, UpdateFeeItemBody } from '@courtyard/contracts';
import type { Updateable } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import type { FeeItemTable } from './billing.tables.js';
import type { FeeItemRow } from './bills.repository.js';
import * as repo from './fees.repository.js';

/** Fee items (收费项目) of a community: what is charged, how it is rounded and when it falls due. */
export interface FeesService {
  list(ctx: RequestContext, query: FeeItemListQuery): Promise<FeeItem[]>;
  get(ctx: RequestContext, id: string): Promise<FeeItem>;
  create(ctx: RequestContext, body: CreateFeeItemBody): Promise<FeeItem>;
  update(ctx: RequestContext, id: string, body: UpdateFeeItemBody): Promise<FeeItem>;
}

export interface FeesDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
}

export function feeItemView(r: FeeItemRow): FeeItem {
  return {
    id: r.id,
    communityId: r.community_id,
    code: r.code,
    name: r.name,
    category: r.category,
    roundingUnit: r.rounding_unit,
    roundingMode: r.rounding_mode,
    dueDays: r.due_days,
    lateFee:
      r.late_fee_daily_ppm === null
        ? null
        : { dailyPpm: r.late_fee_daily_ppm, graceDays: r.late_fee_grace_days, cap: r.late_fee_cap, capCents: r.late_fee_cap_cents === null ? null : Number(r.late_fee_cap_cents) },
    active: r.active === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The late-fee columns of a setting; a fixed cap needs its amount and only it may carry one. */
function lateFeeColumns(lateFee: LateFeeSettings | null): Pick<FeeItemTable, 'late_fee_daily_ppm' | 'late_fee_grace_days' | 'late_fee_cap' | 'late_fee_cap_cents'> {
  if (lateFee === null) return { late_fee_daily_ppm: null, late_fee_grace_days: 0, late_fee_cap: 'principal', late_fee_cap_cents: null };
  const capCents = lateFee.capCents ?? null;
  if (lateFee.cap === 'amount' && capCents === null) throw invalid('/body/lateFee/capCents', 'required when the cap is a fixed amount', '滞纳金上限为固定金额时必须填写');
  if (lateFee.cap !== 'amount' && capCents !== null) throw invalid('/body/lateFee/capCents', 'only with cap "amount"', '仅在滞纳金上限为固定金额时填写');
  return { late_fee_daily_ppm: lateFee.dailyPpm, late_fee_grace_days: lateFee.graceDays, late_fee_cap: lateFee.cap, late_fee_cap_cents: capCents };
}

export function createFeesService(deps: FeesDeps): FeesService {
  const { db, clock, ids, audit } = deps;

  async function load(ctx: RequestContext, id: string, permission: 'billing.fee.read' | 'billing.fee.manage', exec = db): Promise<FeeItemRow> {
    const row = await repo.feeItemById(exec, id);
    if (!row) throw notFound();
    assertCan(ctx, permission, row.community_id);
    return row;
  }

  return {
    async list(ctx, query) {
      assertCan(ctx, 'billing.fee.read', query.communityId);
      return (await repo.feeItemsOf(db, query.communityId, query.active)).map(feeItemView);
    },

    async get(ctx, id) {
      return feeItemView(await load(ctx, id, 'billing.fee.read'));
    },

    async create(ctx, body) {
      assertCan(ctx, 'billing.fee.manage', body.communityId);
      const late = lateFeeColumns(body.lateFee ?? null);
      return db.transaction().execute(async (tx) => {
        if (await repo.codeTaken(tx, body.communityId, body.code)) throw new AppError('billing.fee_item_code_taken', [fieldError('/body/code', 'taken', '已被使用')]);
        const at = clock.now().toISOString();
        const row: FeeItemRow = {
          id: ids(),
          community_id: body.communityId,
          code: body.code,
          name: body.name.trim(),
          category: body.category,
          rounding_unit: body.roundingUnit ?? 'cent',
          rounding_mode: body.roundingMode ?? 'half_up',
          due_days: body.dueDays ?? 30,
          ...late,
          active: 1,
          created_at: at,
          updated_at: at,
        };
        await repo.insertFeeItem(tx, row);
        const view = feeItemView(row);
        await audit.record(tx, ctx, { action: 'billing.fee_item.create', entityType: 'fee_item', entityId: row.id, communityId: row.community_id, after: view });
        return view;
      });
    },

    async update(ctx, id, body) {
      return db.transaction().execute(async (tx) => {
        const before = await load(ctx, id, 'billing.fee.manage', tx);
        const set: Updateable<FeeItemTable> = { updated_at: clock.now().toISOString() };
        if (body.name !== undefined) set.name = body.name.trim();
        if (body.category !== undefined) set.category = body.category;
        if (body.roundingUnit !== undefined) set.rounding_unit = body.roundingUnit;
        if (body.roundingMode !== undefined) set.rounding_mode = body.roundingMode;
        if (body.dueDays !== undefined) set.due_days = body.dueDays;
        if (body.lateFee !== undefined) Object.assign(set, lateFeeColumns(body.lateFee));
        if (body.active !== undefined) set.active = body.active ? 1 : 0;
        await repo.updateFeeItem(tx, id, set);
        const after = (await repo.feeItemById(tx, id))!;
        await audit.record(tx, ctx, { action: 'billing.fee_item.update', entityType: 'fee_item', entityId: id, communityId: before.community_id, before: feeItemView(before), after: feeItemView(after) });
        return feeItemView(after);
      });
    },
  };
}
