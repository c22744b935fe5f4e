import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Approvals (审批) of billing changes that move money against the organisation: discounts,
 * waivers, late-fee waivers, refunds, reversals. Separation of duties is kept by the database too:
 * the decider is never the requester.
 */
export const billingApprovals: ModuleMigration = {
  name: '202612030111_billing_approvals',
  async up(db, c) {
    await db.schema
      .createTable('billing_approvals')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('subject_type', c.text, (col) => col.notNull())
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('reason', c.text, (col) => col.notNull())
      .addColumn('payload_json', c.text, (col) => col.notNull())
      .addColumn('requested_by', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('requested_at', c.instant, (col) => col.notNull())
      .addColumn('decided_by', c.id, (col) => col.references('users.id'))
      .addColumn('decided_at', c.instant)
      .addColumn('decision_note', c.text)
      .addCheckConstraint('billing_approvals_status', sql`status in ('pending', 'approved', 'rejected')`)
      .addCheckConstraint('billing_approvals_second_person', sql`decided_by is null or decided_by <> requested_by`)
      .execute();
    await db.schema.createIndex('billing_approvals_community').on('billing_approvals').columns(['community_id', 'status', 'id']).execute();
    await db.schema.createIndex('billing_approvals_subject').on('billing_approvals').columns(['subject_type', 'subject_id']).execute();
  },
};
