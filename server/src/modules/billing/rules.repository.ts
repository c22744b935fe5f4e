import type { Insertable, Updateable } from 'kysely';
import type { Exec } from '../../core/db/schema.js';
import type { AssignmentTarget, FeeRuleAssignmentTable, FeeRulePriceTable, FeeRuleTable } from './runs.tables.js';

/** SQL of fee rules, their dated prices and their assignments. */
export const rules = {
  byId: (exec: Exec, id: string) => exec.selectFrom('fee_rules').selectAll().where('id', '=', id).executeTakeFirst(),
  list: (exec: Exec, communityId: string, feeItemId?: string) => {
    let q = exec.selectFrom('fee_rules').selectAll().where('community_id', '=', communityId);
    if (feeItemId) q = q.where('fee_item_id', '=', feeItemId);
    return q.orderBy('created_at').orderBy('id').execute();
  },
  /** Active rules of the fee items of a bill run. */
  ofFeeItems: (exec: Exec, communityId: string, feeItemIds: readonly string[]) =>
    exec.selectFrom('fee_rules').selectAll().where('community_id', '=', communityId).where('fee_item_id', 'in', feeItemIds).where('active', '=', 1).orderBy('id').execute(),
  insert: (exec: Exec, row: Insertable<FeeRuleTable>) => exec.insertInto('fee_rules').values(row).execute(),
  update: (exec: Exec, id: string, set: Updateable<FeeRuleTable>) => exec.updateTable('fee_rules').set(set).where('id', '=', id).execute(),
  prices: (exec: Exec, ruleIds: readonly string[]) =>
    ruleIds.length ? exec.selectFrom('fee_rule_prices').selectAll().where('rule_id', 'in', ruleIds).orderBy('rule_id').orderBy('effective_on').execute() : Promise.resolve([]),
  insertPrice: (exec: Exec, row: Insertable<FeeRulePriceTable>) => exec.insertInto('fee_rule_prices').values(row).execute(),
  priceOn: (exec: Exec, ruleId: string, effectiveOn: string) =>
    exec.selectFrom('fee_rule_prices').select('id').where('rule_id', '=', ruleId).where('effective_on', '=', effectiveOn).executeTakeFirst(),
  assignments: (exec: Exec, ruleIds: readonly string[]) =>
    ruleIds.length ? exec.selectFrom('fee_rule_assignments').selectAll().where('rule_id', 'in', ruleIds).orderBy('rule_id').orderBy('effective_on').orderBy('id').execute() : Promise.resolve([]),
  assignmentById: (exec: Exec, id: string) => exec.selectFrom('fee_rule_assignments').selectAll().where('id', '=', id).executeTakeFirst(),
  insertAssignment: (exec: Exec, row: Insertable<FeeRuleAssignmentTable>) => exec.insertInto('fee_rule_assignments').values(row).execute(),
  endAssignment: (exec: Exec, id: string, endsOn: string) => exec.updateTable('fee_rule_assignments').set({ ends_on: endsOn }).where('id', '=', id).execute(),
  feeItem: (exec: Exec, id: string) => exec.selectFrom('fee_items').select(['id', 'community_id', 'name', 'rounding_unit', 'rounding_mode', 'due_days']).where('id', '=', id).executeTakeFirst(),
  /** The community of an assignment target (registry tables, read-only), or undefined when it does not exist. */
  async targetCommunity(exec: Exec, type: AssignmentTarget, id: string): Promise<string | undefined> {
    if (type === 'community') return (await exec.selectFrom('communities').select('id').where('id', '=', id).executeTakeFirst())?.id;
    const table = type === 'building' ? 'buildings' : type === 'room' ? 'rooms' : 'parking_spaces';
    return (await exec.selectFrom(table).select('community_id').where('id', '=', id).executeTakeFirst())?.community_id;
  },
};
