import type { ModuleMigration } from '../../../core/db/migrator.js';

export const notificationsInit: ModuleMigration = {
  name: '202611250200_notifications_init',
  async up(db, c) {
    await db.schema
      .createTable('notification_messages')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('recipient_name', c.text, (col) => col.notNull())
      .addColumn('community_id', c.id)
      .addColumn('channel', c.text, (col) => col.notNull())
      .addColumn('template', c.text, (col) => col.notNull())
      .addColumn('locale', c.text, (col) => col.notNull())
      .addColumn('emergency', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('status', c.text, (col) => col.notNull())
      .addColumn('subject', c.text)
      .addColumn('body', c.text, (col) => col.notNull())
      .addColumn('data_json', c.text, (col) => col.notNull())
      .addColumn('address_enc', c.text)
      .addColumn('address_idx', c.text)
      .addColumn('provider', c.text)
      .addColumn('provider_id', c.text)
      .addColumn('attempts', c.int, (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', c.text)
      .addColumn('created_by', c.id)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('sent_at', c.instant)
      .addColumn('delivered_at', c.instant)
      .addColumn('failed_at', c.instant)
      .addColumn('read_at', c.instant)
      .execute();
    // The notification centre: a user's in-app messages, newest first, and the unread count.
    await db.schema.createIndex('notification_messages_inbox').on('notification_messages').columns(['user_id', 'channel', 'id']).execute();
    await db.schema.createIndex('notification_messages_unread').on('notification_messages').columns(['user_id', 'channel', 'read_at']).execute();
    // Administration lists by status (the dead-letter list is status = failed) and by channel.
    await db.schema.createIndex('notification_messages_status').on('notification_messages').columns(['status', 'id']).execute();
    await db.schema.createIndex('notification_messages_channel').on('notification_messages').columns(['channel', 'id']).execute();
    // Rate limit: messages sent to one address in the last hour.
    await db.schema.createIndex('notification_messages_address').on('notification_messages').columns(['address_idx', 'sent_at']).execute();

    await db.schema
      .createTable('notification_preferences')
      .addColumn('user_id', c.id, (col) => col.notNull().references('users.id'))
      .addColumn('channel', c.text, (col) => col.notNull())
      .addColumn('enabled', c.int, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'channel'])
      .execute();

    await db.schema
      .createTable('notification_templates')
      .addColumn('code', c.text, (col) => col.notNull())
      .addColumn('channel', c.text, (col) => col.notNull())
      .addColumn('locale', c.text, (col) => col.notNull())
      .addColumn('subject', c.text)
      .addColumn('body', c.text, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .addColumn('updated_by', c.text)
      .addPrimaryKeyConstraint('notification_templates_pk', ['code', 'channel', 'locale'])
      .execute();
  },
};
