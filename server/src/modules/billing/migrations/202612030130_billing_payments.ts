import { sql } from 'kysely';
import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Payments and everything that moves money after a bill: allocations (append-only, reversals are
 * negative rows), receipts with their gap-free counter, deposits, refund/reversal requests, gateway
 * orders and idempotency keys (see payments.tables.ts and receipts.tables.ts).
 */
export const billingPayments: ModuleMigration = {
  name: '202612030130_billing_payments',
  async up(db, c) {
    await db.schema
      .createTable('payments')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('room_id', c.id, (col) => col.references('rooms.id'))
      .addColumn('parking_space_id', c.id, (col) => col.references('parking_spaces.id'))
      .addColumn('person_id', c.id)
      .addColumn('payer_name', c.text)
      .addColumn('method', c.text, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('note', c.text)
      .addColumn('gateway_order_id', c.id)
      .addColumn('received_by', c.text, (col) => col.notNull())
      .addColumn('received_at', c.instant, (col) => col.notNull())
      .addColumn('reversed_at', c.instant)
      .addCheckConstraint('payments_amount_positive', sql`amount_cents > 0`)
      .execute();
    await db.schema.createIndex('payments_subject').on('payments').columns(['community_id', 'subject_id', 'received_at']).execute();
    // One payment per gateway order: a callback delivered twice can never create a second one.
    await db.schema.createIndex('payments_gateway_order').on('payments').column('gateway_order_id').unique().execute();

    await db.schema
      .createTable('payment_allocations')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('bill_id', c.id, (col) => col.notNull())
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('payment_id', c.id, (col) => col.references('payments.id'))
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('reverses_id', c.id, (col) => col.references('payment_allocations.id'))
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('actor', c.text, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('payment_allocations_bill').on('payment_allocations').column('bill_id').execute();
    await db.schema.createIndex('payment_allocations_payment').on('payment_allocations').column('payment_id').execute();
    // An allocation is reversed at most once.
    await db.schema.createIndex('payment_allocations_reverses').on('payment_allocations').column('reverses_id').unique().execute();
    await c.appendOnly('payment_allocations');

    await db.schema
      .createTable('deposits')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('room_id', c.id, (col) => col.references('rooms.id'))
      .addColumn('parking_space_id', c.id, (col) => col.references('parking_spaces.id'))
      .addColumn('renovation_id', c.id)
      .addColumn('person_id', c.id)
      .addColumn('payer_name', c.text)
      .addColumn('purpose', c.text, (col) => col.notNull())
      .addColumn('method', c.text, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('collected_by', c.text, (col) => col.notNull())
      .addColumn('collected_at', c.instant, (col) => col.notNull())
      .addColumn('returned_at', c.instant)
      .addCheckConstraint('deposits_amount_positive', sql`amount_cents > 0`)
      .execute();
    await db.schema.createIndex('deposits_subject').on('deposits').columns(['community_id', 'subject_id']).execute();

    await db.schema
      .createTable('receipt_counters')
      .addColumn('community_id', c.id, (col) => col.notNull())
      .addColumn('year', c.int, (col) => col.notNull())
      .addColumn('last_seq', c.int, (col) => col.notNull())
      .addPrimaryKeyConstraint('receipt_counters_pk', ['community_id', 'year'])
      .execute();

    await db.schema
      .createTable('receipts')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('number', c.text, (col) => col.notNull())
      .addColumn('year', c.int, (col) => col.notNull())
      .addColumn('seq', c.int, (col) => col.notNull())
      .addColumn('payment_id', c.id, (col) => col.references('payments.id'))
      .addColumn('deposit_id', c.id, (col) => col.references('deposits.id'))
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('method', c.text, (col) => col.notNull())
      .addColumn('payer_name', c.text)
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('issued_at', c.instant, (col) => col.notNull())
      .addColumn('issued_by', c.text, (col) => col.notNull())
      .addColumn('voided_at', c.instant)
      .addColumn('voided_by', c.text)
      .addColumn('void_reason', c.text)
      .addColumn('reissue_of', c.id, (col) => col.references('receipts.id'))
      .addUniqueConstraint('receipts_number_unique', ['community_id', 'number'])
      .addUniqueConstraint('receipts_seq_unique', ['community_id', 'year', 'seq'])
      .execute();
    await db.schema.createIndex('receipts_payment').on('receipts').column('payment_id').execute();
    await db.schema.createIndex('receipts_subject').on('receipts').columns(['community_id', 'subject_id', 'issued_at']).execute();

    await db.schema
      .createTable('refunds')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('kind', c.text, (col) => col.notNull())
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('payment_id', c.id, (col) => col.references('payments.id'))
      .addColumn('deposit_id', c.id, (col) => col.references('deposits.id'))
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('method', c.text, (col) => col.notNull())
      .addColumn('reason', c.text, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('requested_by', c.text, (col) => col.notNull())
      .addColumn('requested_at', c.instant, (col) => col.notNull())
      .addColumn('decided_by', c.text)
      .addColumn('decided_at', c.instant)
      .addColumn('decision_note', c.text)
      .addCheckConstraint('refunds_amount_positive', sql`amount_cents > 0`)
      .execute();
    await db.schema.createIndex('refunds_community').on('refunds').columns(['community_id', 'status', 'requested_at']).execute();

    await db.schema
      .createTable('gateway_orders')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.notNull().references('communities.id'))
      .addColumn('subject_id', c.id, (col) => col.notNull())
      .addColumn('bill_ids_json', c.text, (col) => col.notNull())
      .addColumn('amount_cents', c.cents, (col) => col.notNull())
      .addColumn('gateway', c.text, (col) => col.notNull())
      .addColumn('out_trade_no', c.text, (col) => col.notNull().unique())
      .addColumn('gateway_trade_no', c.text)
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('payment_id', c.id)
      .addColumn('created_by', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('paid_at', c.instant)
      .addCheckConstraint('gateway_orders_amount_positive', sql`amount_cents > 0`)
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope', c.text, (col) => col.notNull())
      .addColumn('key', c.text, (col) => col.notNull())
      .addColumn('request_hash', c.text, (col) => col.notNull())
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('response_status', c.int, (col) => col.notNull())
      .addColumn('response_body', c.text, (col) => col.notNull())
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
      .execute();
    // A stored answer never changes (replays must be byte-for-byte the first one): the only update
    // allowed is completing the pending row, which happens in the transaction that inserted it.
    if (c.dialect === 'postgres') {
      await sql`
        create or replace function idempotency_keys_guard() returns trigger language plpgsql as $$
        begin
          if tg_op = 'UPDATE' and old.status = 'pending' then return new; end if;
          raise exception 'idempotency_keys is append-only except completing a pending key';
        end $$`.execute(db);
      await sql`create trigger idempotency_keys_guard before update or delete on idempotency_keys for each row execute function idempotency_keys_guard()`.execute(db);
    } else {
      await sql`create trigger idempotency_keys_no_update before update on idempotency_keys when old.status <> 'pending'
        begin select raise(abort, 'idempotency_keys is append-only except completing a pending key'); end`.execute(db);
      await sql`create trigger idempotency_keys_no_delete before delete on idempotency_keys
        begin select raise(abort, 'idempotency_keys is append-only'); end`.execute(db);
    }
  },
};
