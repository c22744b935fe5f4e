import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/** Dunning (催缴): reminder rules per community, and the append-only log of reminders per bill. */
export const billingDunning: ModuleMigration = {
  name: '202612030170_billing_dunning',
  async up(db, c) {
    await db.schema
      .createTable('dunning_rules')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('days_overdue', c.int, (col) => col.notNull())
      .addColumn('channels_json', c.text, (col) => col.notNull())
      .addColumn('active', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addCheckConstraint('dunning_rules_days', sql`days_overdue between 1 and 3650`)
      .addUniqueConstraint('dunning_rules_community_days', ['community_id', 'days_overdue'])
      .execute();
    await db.schema
      .createTable('dunning_log')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('rule_id', c.id, (col) => col.notNull().references('dunning_rules.id'))
      .addColumn('bill_id', c.id, (col) => col.notNull().references('bills.id'))
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('person_id', c.id)
      .addColumn('outstanding_cents', c.cents, (col) => col.notNull())
      .addColumn('messages', c.int, (col) => col.notNull())
      .addColumn('sent_on', c.date, (col) => col.notNull())
      .addColumn('sent_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('dunning_log_rule_bill', ['rule_id', 'bill_id'])
      .execute();
    await db.schema.createIndex('dunning_log_subject').on('dunning_log').columns(['subject_id', 'sent_at']).execute();
    await db.schema.createIndex('dunning_log_community').on('dunning_log').columns(['community_id', 'sent_at', 'id']).execute();
    await c.appendOnly('dunning_log');
  },
};
