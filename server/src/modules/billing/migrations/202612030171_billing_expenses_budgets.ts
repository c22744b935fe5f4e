import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/** Expenses by category and community; annual budgets per category with their one-time alerts. */
export const billingExpensesBudgets: ModuleMigration = {
  name: '202612030171_billing_expenses_budgets',
  async up(db, c) {
    await db.schema
      .createTable('expenses')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('category', c.text, (col) => col.notNull())
      .addColumn('spent_on', c.date, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('description', c.text, (col) => col.notNull())
      .addColumn('created_by', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addCheckConstraint('expenses_amount', sql`amount_cents > 0`)
      .execute();
    await db.schema.createIndex('expenses_community_category').on('expenses').columns(['community_id', 'category', 'spent_on']).execute();
    await db.schema
      .createTable('budgets')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('year', c.int, (col) => col.notNull())
      .addColumn('category', c.text, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('alerted_90_at', c.instant)
      .addColumn('alerted_100_at', c.instant)
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addCheckConstraint('budgets_amount', sql`amount_cents > 0`)
      .addUniqueConstraint('budgets_line', ['community_id', 'year', 'category'])
      .execute();
  },
};
