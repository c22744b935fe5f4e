import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Billing's foundation: fee items (收费项目) and the double-entry ledger. Every money movement is
 * one journal transaction whose entries sum to zero; both tables are append-only in the database
 * (corrections are new, reversing transactions). `ledger_balances` is the running balance of each
 * account, kept in the same transaction as the entries; `courtyard ledger check` recomputes it.
 */
export const billingLedger: ModuleMigration = {
  name: '202612030100_billing_ledger',
  async up(db, c) {
    await db.schema
      .createTable('fee_items')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('name', c.text, (col) => col.notNull())
      .addColumn('category', c.text, (col) => col.notNull())
      // The fee item's rounding rule, applied once per charge by the engine (billing/engine).
      .addColumn('rounding_unit', c.text, (col) => col.notNull().defaultTo('cent'))
      .addColumn('rounding_mode', c.text, (col) => col.notNull().defaultTo('half_up'))
      // Days after the period's start (or the issue date of a one-off) the bill falls due.
      .addColumn('due_days', c.int, (col) => col.notNull().defaultTo(30))
      // Late fee (滞纳金): none when the rate is null. Cap: the principal unless said otherwise.
      .addColumn('late_fee_daily_ppm', c.int)
      .addColumn('late_fee_grace_days', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('late_fee_cap', c.text, (col) => col.notNull().defaultTo('principal'))
      .addColumn('late_fee_cap_cents', c.cents)
      .addColumn('active', c.int, (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addUniqueConstraint('fee_items_code_unique', ['community_id', 'code'])
      .execute();

    await db.schema
      .createTable('journal_transactions')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('kind', c.text, (col) => col.notNull())
      // What the movement is about (a bill run, a payment, a refund …): for the trail and reversals.
      .addColumn('ref_type', c.text, (col) => col.notNull())
      .addColumn('ref_id', c.id, (col) => col.notNull())
      .addColumn('memo', c.text)
      .addColumn('actor', c.text, (col) => col.notNull())
      .addColumn('occurred_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('journal_transactions_ref').on('journal_transactions').columns(['ref_type', 'ref_id']).execute();
    await db.schema.createIndex('journal_transactions_community').on('journal_transactions').columns(['community_id', 'occurred_at']).execute();
    await c.appendOnly('journal_transactions');

    await db.schema
      .createTable('journal_entries')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('transaction_id', c.id, (col) => col.notNull().references('journal_transactions.id'))
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('account', c.text, (col) => col.notNull())
      // The account's subject: the room or space of a receivable / prepaid / deposit account, the
      // fee item of a revenue or discount account; '' for the community's cash, bank and clearing.
      .addColumn('subject_id', c.text, (col) => col.notNull())
      // Debit positive, credit negative: a transaction's entries sum to zero.
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('journal_entries_transaction').on('journal_entries').column('transaction_id').execute();
    await db.schema.createIndex('journal_entries_account').on('journal_entries').columns(['community_id', 'account', 'subject_id']).execute();
    await c.appendOnly('journal_entries');

    await db.schema
      .createTable('ledger_balances')
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('account', c.text, (col) => col.notNull())
      .addColumn('subject_id', c.text, (col) => col.notNull())
      .addColumn('balance_cents', c.cents, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addPrimaryKeyConstraint('ledger_balances_pk', ['community_id', 'account', 'subject_id'])
      // A liability the organisation owes an owner (prepaid, deposit; credit balances, so ≤ 0)
      // can never turn into a claim: the database refuses it even if a code path forgot to check.
      .addCheckConstraint('ledger_balances_liability_not_negative', sql`account not in ('prepaid', 'deposit') or balance_cents <= 0`)
      .execute();
  },
};
