import type { ModuleMigration } from '../../../core/db/migrator.js';

/**
 * Feedback about the system itself (用户反馈, PRODUCT §3). Organisation-wide: `community_id` is
 * the sender's community when known (owners; staff whose grant covers exactly one community),
 * null otherwise — such rows are read only by holders of service_desk.feedback.manage over all
 * communities.
 */
export const serviceDeskFeedback: ModuleMigration = {
  name: '202612030340_service_desk_feedback',
  async up(db, c) {
    await db.schema
      .createTable('feedback_items')
      .addColumn('id', c.id, (col) => col.primaryKey())
      .addColumn('community_id', c.id, (col) => col.references('communities.id'))
      .addColumn('sender_user_id', c.id, (col) => col.notNull())
      .addColumn('sender_name', c.text, (col) => col.notNull())
      .addColumn('sender_kind', c.text, (col) => col.notNull())
      .addColumn('category', c.text, (col) => col.notNull())
      .addColumn('body', c.text, (col) => col.notNull())
      .addColumn('state', c.text, (col) => col.notNull())
      .addColumn('response', c.text)
      .addColumn('responded_by', c.id)
      .addColumn('responded_at', c.instant)
      .addColumn('closed_at', c.instant)
      .addColumn('created_at', c.instant, (col) => col.notNull())
      .addColumn('updated_at', c.instant, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('feedback_items_sender').on('feedback_items').columns(['sender_user_id', 'id']).execute();
    await db.schema.createIndex('feedback_items_state').on('feedback_items').columns(['state', 'id']).execute();
    await db.schema.createIndex('feedback_items_community').on('feedback_items').columns(['community_id', 'id']).execute();
  },
};
