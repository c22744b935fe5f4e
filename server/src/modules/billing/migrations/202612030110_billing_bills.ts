import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Bills (账单 / 应收明细): one fee item for one room or parking space for one period. The amounts
 * the ledger posts are kept on the row so a bill explains its own outstanding; the database refuses
 * a bill paid beyond what is due or discounted beyond its principal, whatever code path writes it.
 */
export const billingBills: ModuleMigration = {
  name: '202612030110_billing_bills',
  async up(db, c) {
    await db.schema
      .createTable('bills')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('room_id', c.id, (col) => col.references('rooms.id'))
      .addColumn('parking_space_id', c.id, (col) => col.references('parking_spaces.id'))
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('person_id', c.id)
      .addColumn('fee_item_id', c.id, (col) => col.notNull().references('fee_items.id'))
      // No foreign key: bill runs are a later table of this module (runs.*), and one-off bills have none.
      .addColumn('bill_run_id', c.id)
      .addColumn('source', c.text, (col) => col.notNull())
      .addColumn('period_start_on', c.date, (col) => col.notNull())
      .addColumn('period_end_on', c.date, (col) => col.notNull())
      .addColumn('period_label', c.text, (col) => col.notNull())
      .addColumn('due_on', c.date, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('discount_cents', c.cents, (col) => col.notNull().defaultTo(0))
      .addColumn('waived_cents', c.cents, (col) => col.notNull().defaultTo(0))
      .addColumn('late_fee_cents', c.cents, (col) => col.notNull().defaultTo(0))
      .addColumn('late_fee_waived_cents', c.cents, (col) => col.notNull().defaultTo(0))
      .addColumn('late_fee_through_on', c.date)
      .addColumn('paid_cents', c.cents, (col) => col.notNull().defaultTo(0))
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('explanation_json', c.text, (col) => col.notNull())
      .addColumn('unique_key', c.text, (col) => col.notNull().unique())
      .addColumn('issued_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addColumn('paid_at', c.instant)
      .addCheckConstraint('bills_one_subject', sql`(room_id is null) <> (parking_space_id is null)`)
      .addCheckConstraint('bills_source', sql`source in ('run', 'one_off', 'service', 'deposit')`)
      .addCheckConstraint('bills_status', sql`status in ('open', 'paid', 'cancelled')`)
      .addCheckConstraint(
        'bills_amounts',
        sql`amount_cents >= 0 and discount_cents >= 0 and waived_cents >= 0 and late_fee_cents >= 0 and late_fee_waived_cents >= 0
            and discount_cents + waived_cents <= amount_cents`,
      )
      // Never paid beyond what is due (payments put any excess on the room's prepaid balance).
      .addCheckConstraint('bills_paid_within_due', sql`paid_cents >= 0 and paid_cents <= amount_cents - discount_cents - waived_cents + late_fee_cents`)
      .execute();
    // A subject's open bills, oldest first (payment allocation, the room card).
    await db.schema.createIndex('bills_subject_status_due').on('bills').columns(['subject_id', 'status', 'due_on', 'id']).execute();
    // A run's bills (cancel, progress, preview of a rerun).
    await db.schema.createIndex('bills_run').on('bills').columns(['bill_run_id']).execute();
    // Period listings and reports per fee item; also the default keyset order of the bill list.
    await db.schema.createIndex('bills_community_period_fee').on('bills').columns(['community_id', 'period_label', 'fee_item_id']).execute();
    await db.schema.createIndex('bills_community_list').on('bills').columns(['community_id', 'period_start_on', 'id']).execute();
    // Overdue open bills by due date (late-fee job, dunning).
    await db.schema.createIndex('bills_status_due').on('bills').columns(['status', 'due_on']).execute();
  },
};
