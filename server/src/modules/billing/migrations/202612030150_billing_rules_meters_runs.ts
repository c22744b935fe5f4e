import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Fee rules (收费标准) with dated prices and assignments, meters (水电气热表) and their readings,
 * and bill runs (批量出账). Formulas are data: a rule is a kind plus numbers, never code.
 */
export const billingRulesMetersRuns: ModuleMigration = {
  name: '202612030150_billing_rules_meters_runs',
  async up(db, c) {
    await db.schema
      .createTable('fee_rules')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('fee_item_id', c.id, (col) => col.notNull().references('fee_items.id'))
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('cycle', c.text, (col) => col.notNull().defaultTo('monthly'))
      .addColumn('prorate', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('meter_kind', c.text)
      .addColumn('tier_scope', c.text)
      .addColumn('apportion_basis', c.text)
      .addColumn('shared_meter_id', c.id)
      .addColumn('amount_cents', c.cents)
      .addColumn('vacant_rate_bp', c.int)
      .addColumn('prepay_json', c.text)
      .addColumn('active', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('fee_rules_community').on('fee_rules').columns(['community_id', 'fee_item_id']).execute();

    await db.schema
      .createTable('fee_rule_prices')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('rule_id', c.id, (col) => col.notNull().references('fee_rules.id'))
      .addColumn('effective_on', c.date, (col) => col.notNull())
      .addColumn('price_e4', c.cents)
      .addColumn('tiers_json', c.text)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('fee_rule_prices_unique', ['rule_id', 'effective_on'])
      .execute();

    await db.schema
      .createTable('fee_rule_assignments')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('rule_id', c.id, (col) => col.notNull().references('fee_rules.id'))
      .addColumn('target_type', c.text, (col) => col.notNull())
      .addColumn('target_id', c.id, (col) => col.notNull())
      .addColumn('effective_on', c.date, (col) => col.notNull())
      .addColumn('ends_on', c.date)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('fee_rule_assignments_rule').on('fee_rule_assignments').columns(['rule_id']).execute();
    await db.schema.createIndex('fee_rule_assignments_target').on('fee_rule_assignments').columns(['community_id', 'target_type', 'target_id']).execute();

    await db.schema
      .createTable('meters')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('room_id', c.id)
      .addColumn('building_id', c.id)
      .addColumn('serial_number', c.text, (col) => col.notNull())
      .addColumn('multiplier_e4', c.int, (col) => col.notNull().defaultTo(10_000))
      .addColumn('max_value_e3', c.cents)
      .addColumn('active', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('meters_serial_unique', ['community_id', 'serial_number'])
      .execute();
    await db.schema.createIndex('meters_room').on('meters').columns(['room_id', 'kind']).execute();

    await db.schema
      .createTable('meter_readings')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('meter_id', c.id, (col) => col.notNull().references('meters.id'))
      .addColumn('read_on', c.date, (col) => col.notNull())
      .addColumn('reading_e3', c.cents, (col) => col.notNull())
      .addColumn('usage_e3', c.cents)
      .addColumn('rolled_over', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('source', c.text, (col) => col.notNull())
      .addColumn('flags_json', c.text, (col) => col.notNull().defaultTo('{"reasons":[]}'))
      .addColumn('review_status', c.text, (col) => col.notNull())
      .addColumn('reviewed_by', c.text)
      .addColumn('reviewed_at', c.instant)
      .addColumn('entered_by', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      // One reading per meter per day: a second entry of the same day is a correction, not a reading.
      .addUniqueConstraint('meter_readings_unique', ['meter_id', 'read_on'])
      .execute();
    await db.schema.createIndex('meter_readings_review').on('meter_readings').columns(['community_id', 'review_status', 'read_on']).execute();

    await db.schema
      .createTable('bill_runs')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('period_label', c.text, (col) => col.notNull())
      .addColumn('period_start_on', c.date, (col) => col.notNull())
      .addColumn('period_end_on', c.date, (col) => col.notNull())
      .addColumn('fee_item_ids_json', c.text, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('rooms_total', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('rooms_done', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('bills_inserted', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('bills_skipped_existing', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('rooms_skipped', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('total_cents', c.cents, (col) => col.notNull().defaultTo(0))
      .addColumn('totals_json', c.text, (col) => col.notNull().defaultTo('[]'))
      .addColumn('skipped_json', c.text, (col) => col.notNull().defaultTo('{}'))
      .addColumn('job_id', c.id)
      .addColumn('error', c.text)
      .addColumn('created_by', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addColumn('finished_at', c.instant)
      .execute();
    await db.schema.createIndex('bill_runs_community').on('bill_runs').columns(['community_id', 'period_label']).execute();
  },
};
