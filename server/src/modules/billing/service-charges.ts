import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Tx } from '../../core/db/schema.js';
import type { RequestContext } from '../../core/http/context.js';
import type { AuditService } from '../audit/index.js';
import { chinaToday, type BillsService } from './bills.service.js';
import { addDays, computeCharge, type OneOffItem } from './engine/index.js';
import { feeItemView } from './fees.service.js';
import type { FeeItemRow } from './bills.repository.js';
import { runsRepo } from './runs.repository.js';

/**
 * The fee item every paid repair (有偿维修) of a community is billed under. Found by its code, so
 * a manager may rename it, change its due days or give it a late fee like any fee item; billing
 * creates it (audited) the first time a community's repair is billed.
 */
export const SERVICE_FEE_ITEM = { code: 'REPAIR', name: '有偿维修服务费', category: 'one_off', dueDays: 30 } as const;

/** A service-desk charge to bill (the `service_desk.charge.created` payload and its community). */
export interface ServiceChargeToBill {
  communityId: string;
  chargeId: string;
  requestNumber: string;
  /** Null for a public-area request: nothing to bill (see `bill`). */
  roomId: string | null;
  totalCents: number;
  lines: readonly OneOffItem[];
}

export type ServiceChargeBilled = { billed: true; billId: string; inserted: boolean } | { billed: false; reason: 'no_room' };

export interface ServiceChargeBilling {
  /**
   * Issues the one-off bill of a paid repair in the caller's transaction (source `service`, unique
   * key `service:<chargeId>`: a second delivery returns the first bill), its lines the charge's
   * materials and labour, due `dueDays` of the repair fee item after today (China). A charge
   * without a room is not billed: a public area has no payer in billing.
   */
  bill(tx: Tx, ctx: RequestContext, charge: ServiceChargeToBill): Promise<ServiceChargeBilled>;
}

export function createServiceChargeBilling(deps: { clock: Clock; ids: IdGenerator; audit: AuditService; bills: BillsService }): ServiceChargeBilling {
  const { clock, ids, audit, bills } = deps;

  /** The community's repair fee item, created once (a concurrent first use finds the other's row). */
  async function feeItem(tx: Tx, ctx: RequestContext, communityId: string): Promise<FeeItemRow> {
    const find = () => tx.selectFrom('fee_items').selectAll().where('community_id', '=', communityId).where('code', '=', SERVICE_FEE_ITEM.code).executeTakeFirst();
    const existing = await find();
    if (existing) return existing;
    const at = clock.now().toISOString();
    const row: FeeItemRow = {
      id: ids(),
      community_id: communityId,
      code: SERVICE_FEE_ITEM.code,
      name: SERVICE_FEE_ITEM.name,
      category: SERVICE_FEE_ITEM.category,
      rounding_unit: 'cent',
      rounding_mode: 'half_up',
      due_days: SERVICE_FEE_ITEM.dueDays,
      late_fee_daily_ppm: null,
      late_fee_grace_days: 0,
      late_fee_cap: 'principal',
      late_fee_cap_cents: null,
      active: 1,
      created_at: at,
      updated_at: at,
    };
    const inserted = await tx.insertInto('fee_items').values(row).onConflict((oc) => oc.columns(['community_id', 'code']).doNothing()).returning('id').executeTakeFirst();
    if (inserted) await audit.record(tx, ctx, { action: 'billing.fee_item.create', entityType: 'fee_item', entityId: row.id, communityId, after: feeItemView(row) });
    return inserted ? row : (await find())!;
  }

  return {
    async bill(tx, ctx, charge) {
      if (!charge.roomId) return { billed: false, reason: 'no_room' };
      const uniqueKey = `service:${charge.chargeId}`;
      // A redelivered event: the bill exists, so nothing is issued (or audited) again.
      const existing = await tx.selectFrom('bills').select('id').where('unique_key', '=', uniqueKey).executeTakeFirst();
      if (existing) return { billed: true, billId: existing.id, inserted: false };
      const fee = await feeItem(tx, ctx, charge.communityId);
      const today = chinaToday(clock.now());
      // The payer at issue is the room's primary contact, as for the bills of a run.
      const occupants = await runsRepo.occupancies(tx, [charge.roomId], today);
      const payer = occupants.find((o) => o.primary_contact === 1)?.person_id ?? null;
      const { cents, explanation } = computeCharge({ kind: 'one_off', amountCents: charge.totalCents, items: charge.lines, label: `${fee.name} ${charge.requestNumber}` });
      const res = await bills.issueOne(tx, ctx, {
        communityId: charge.communityId,
        roomId: charge.roomId,
        personId: payer,
        feeItemId: fee.id,
        source: 'service',
        periodStartOn: today,
        periodEndOn: today,
        periodLabel: today.slice(0, 7),
        // A one-off bill falls due the fee item's due days after its issue date (FeeItem.dueDays).
        dueOn: addDays(today, fee.due_days),
        amountCents: cents,
        explanation,
        uniqueKey,
      });
      return { billed: true, billId: res.id, inserted: res.inserted };
    },
  };
}
