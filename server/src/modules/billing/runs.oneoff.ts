import type { IssueOneOffBody, OneOffIssue, SkipReason } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Db, Exec } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import { chinaToday, type BillsService, type NewBill } from './bills.service.js';
import { addDays, computeCharge, formatCents } from './engine/index.js';
import { rules as rulesRepo } from './rules.repository.js';
import type { FeeRuleAssignmentTable } from './runs.tables.js';
import type { Skip } from './runs.service.js';

/**
 * One-off fees (一次性收费, e.g. 装修垃圾清运费): a `one_off` rule's amount is charged ONCE to each
 * room or parking space its assignments reach, when the manager issues the rule — not by the
 * periodic bill run: such a charge arises on an event (a renovation approved, a card replaced)
 * and is owed from then, so the manager issues it when it arises instead of waiting for month end.
 *
 * The assignment's `effective_on` is the day the charge arises: the bill's period is that one day
 * (label: its month), due `due_days` after the day of issue. Assignments dated in the future wait
 * (`rule_not_effective`). Key `one_off:<ruleId>:<subjectId>:<effective_on>`: issuing again bills
 * only what is new (a room assigned later, or again on another day for a second renovation).
 */
interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  bills: BillsService;
}

const SKIP_LIST = 500;
const ISSUE_CHUNK = 400;

async function roomsOf(exec: Exec, a: FeeRuleAssignmentTable) {
  let q = exec.selectFrom('rooms').select(['id', 'code', 'state', 'delivered_on']);
  if (a.target_type === 'room') q = q.where('id', '=', a.target_id);
  else if (a.target_type === 'building') q = q.where('building_id', '=', a.target_id);
  else if (a.target_type === 'community') q = q.where('community_id', '=', a.target_id);
  else return [];
  return q.orderBy('id').execute();
}

/** Who holds the room or space on the day: the primary contact first, else the latest to move in. */
async function holders(exec: Exec, column: 'room_id' | 'parking_space_id', ids: readonly string[], on: string) {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 900) {
    const rows = await exec
      .selectFrom('occupancies')
      .select(['room_id', 'parking_space_id', 'person_id', 'primary_contact', 'moved_in_on'])
      .where(column, 'in', ids.slice(i, i + 900))
      .where('moved_in_on', '<=', on)
      .where((eb) => eb.or([eb('moved_out_on', 'is', null), eb('moved_out_on', '>=', on)]))
      .orderBy('primary_contact')
      .orderBy('moved_in_on')
      .execute();
    // Ascending: the primary contact and then the latest move-in are written last and win.
    for (const r of rows) out.set((column === 'room_id' ? r.room_id : r.parking_space_id)!, r.person_id);
  }
  return out;
}

export function createOneOffIssuer(deps: Deps) {
  async function compute(exec: Exec, ruleId: string, today: string) {
    const rule = await rulesRepo.byId(exec, ruleId);
    if (!rule) throw notFound();
    const fee = await exec.selectFrom('fee_items').select(['id', 'name', 'rounding_unit', 'rounding_mode', 'due_days']).where('id', '=', rule.fee_item_id).executeTakeFirstOrThrow();
    const assignments = rule.kind === 'one_off' && rule.active === 1 ? await rulesRepo.assignments(exec, [rule.id]) : [];
    const bills: NewBill[] = [];
    const skipped: Skip[] = [];
    const seen = new Set<string>();
    const dueOn = addDays(today, fee.due_days);
    const charge = () =>
      computeCharge({ kind: 'one_off', amountCents: Number(rule.amount_cents ?? 0), label: fee.name, rounding: { unit: fee.rounding_unit, mode: fee.rounding_mode } });
    const bill = (subject: { roomId?: string; parkingSpaceId?: string }, personId: string | null, on: string): NewBill => {
      const c = charge();
      return {
        ...subject,
        personId,
        feeItemId: fee.id,
        source: 'one_off',
        periodStartOn: on,
        periodEndOn: on,
        periodLabel: on.slice(0, 7),
        dueOn,
        amountCents: c.cents,
        explanation: c.explanation,
        uniqueKey: `one_off:${rule.id}:${subject.roomId ?? subject.parkingSpaceId}:${on}`,
      };
    };
    for (const a of assignments) {
      const on = a.effective_on;
      if (a.target_type === 'parking_space') {
        const space = await exec
          .selectFrom('parking_spaces as s')
          .innerJoin('parking_lots as l', 'l.id', 's.parking_lot_id')
          .select(['s.id', 's.number', 's.state', 'l.code as lot_code'])
          .where('s.id', '=', a.target_id)
          .executeTakeFirstOrThrow();
        const skip = (reason: SkipReason) => skipped.push({ roomId: space.id, roomCode: `${space.lot_code}-${space.number}`, feeItemId: fee.id, reason, subjectType: 'parking_space' });
        if (on > today) skip('rule_not_effective');
        else if (space.state === 'unavailable') skip('space_unavailable');
        else {
          const payer = (await holders(exec, 'parking_space_id', [space.id], on)).get(space.id);
          if (!payer) skip('no_occupant');
          else if (!seen.has(`${space.id}:${on}`)) {
            seen.add(`${space.id}:${on}`);
            bills.push(bill({ parkingSpaceId: space.id }, payer, on));
          }
        }
        continue;
      }
      const rooms = await roomsOf(exec, a);
      const payers = on <= today ? await holders(exec, 'room_id', rooms.map((r) => r.id), on) : new Map<string, string>();
      for (const room of rooms) {
        const skip = (reason: SkipReason) => skipped.push({ roomId: room.id, roomCode: room.code, feeItemId: fee.id, reason });
        if (on > today) skip('rule_not_effective');
        else if (room.state === 'unsold' || (room.delivered_on !== null && room.delivered_on > on)) skip('not_delivered');
        else if (!seen.has(`${room.id}:${on}`)) {
          seen.add(`${room.id}:${on}`);
          bills.push(bill({ roomId: room.id }, payers.get(room.id) ?? null, on));
        }
      }
    }
    const existing = new Set<string>();
    const keys = bills.map((b) => b.uniqueKey!);
    for (let i = 0; i < keys.length; i += 900) for (const r of await exec.selectFrom('bills').select('unique_key').where('unique_key', 'in', keys.slice(i, i + 900)).execute()) existing.add(r.unique_key);
    const fresh: NewBill[] = [];
    for (const b of bills) {
      if (existing.has(b.uniqueKey!)) skipped.push({ roomId: (b.roomId ?? b.parkingSpaceId)!, roomCode: '', feeItemId: fee.id, reason: 'already_billed', ...(b.parkingSpaceId ? { subjectType: 'parking_space' as const } : {}) });
      else fresh.push(b);
    }
    return { rule, bills: fresh, skipped };
  }

  return {
    /**
     * Issues a one-off rule to its assigned rooms and spaces now (`billing.run.manage`), or with
     * `dryRun` says what it would issue. One transaction: the bills (one `bill_issue` posting each),
     * one audit record `billing.rule.issue_one_off` with the counts.
     */
    async issueOneOff(ctx: RequestContext, ruleId: string, body: IssueOneOffBody): Promise<OneOffIssue> {
      const rule = await rulesRepo.byId(deps.db, ruleId);
      if (!rule) throw notFound();
      assertCan(ctx, 'billing.run.manage', rule.community_id);
      if (rule.kind !== 'one_off' || rule.active !== 1) throw new AppError('billing.rule_not_one_off');
      const today = chinaToday(deps.clock.now());
      const dryRun = body.dryRun === true;
      const run = async (exec: Exec, write: (bills: NewBill[]) => Promise<void>) => {
        const res = await compute(exec, ruleId, today);
        await write(res.bills);
        const totalCents = res.bills.reduce((s, b) => s + b.amountCents, 0);
        const skippedCounts: Record<string, number> = {};
        for (const s of res.skipped) skippedCounts[s.reason] = (skippedCounts[s.reason] ?? 0) + 1;
        return { ruleId, dryRun, bills: res.bills.length, totalCents, total: formatCents(totalCents), skippedCounts, skipped: res.skipped.slice(0, SKIP_LIST) };
      };
      if (dryRun) return run(deps.db, () => Promise.resolve());
      return deps.db.transaction().execute((tx) =>
        run(tx, async (bills) => {
          if (bills.length === 0) return;
          for (let i = 0; i < bills.length; i += ISSUE_CHUNK) await deps.bills.issueMany(tx, ctx, { communityId: rule.community_id, bills: bills.slice(i, i + ISSUE_CHUNK) });
          await deps.audit.record(tx, ctx, {
            action: 'billing.rule.issue_one_off',
            entityType: 'fee_rule',
            entityId: rule.id,
            communityId: rule.community_id,
            after: { bills: bills.length, totalCents: bills.reduce((s, b) => s + b.amountCents, 0) },
          });
        }),
      );
    },
  };
}
