import type { Selectable } from 'kysely';
import type { Locale, NotificationChannel, NotificationStatus } from '@courtyard/contracts';
import type { Exec } from '../../core/db/schema.js';
import type { NotificationMessageTable, NotificationPreferenceTable, NotificationTemplateTable } from './notifications.tables.js';

/** The only place in notifications that speaks SQL. Every function takes the db or a transaction. */

export type MessageRow = Selectable<NotificationMessageTable>;
export type TemplateRow = Selectable<NotificationTemplateTable>;
export type PreferenceRow = Selectable<NotificationPreferenceTable>;

export const messages = {
  insert: (db: Exec, rows: MessageRow[]) => (rows.length ? db.insertInto('notification_messages').values(rows).execute() : Promise.resolve([])),
  byId: (db: Exec, id: string) => db.selectFrom('notification_messages').selectAll().where('id', '=', id).executeTakeFirst(),
  update: (db: Exec, id: string, patch: Partial<MessageRow>) => db.updateTable('notification_messages').set(patch).where('id', '=', id).execute(),
  /** Moves a message on only from the status the caller saw: a second worker cannot overwrite it. */
  updateFrom: async (db: Exec, id: string, from: NotificationStatus, patch: Partial<MessageRow>) => {
    const r = await db.updateTable('notification_messages').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** A user's in-app messages, newest first (keyset on id: UUIDv7 is time-ordered). */
  inbox: (db: Exec, userId: string, filter: { unread?: boolean; before?: string; limit: number }) => {
    let q = db.selectFrom('notification_messages').selectAll().where('user_id', '=', userId).where('channel', '=', 'in_app');
    if (filter.unread) q = q.where('read_at', 'is', null);
    if (filter.before) q = q.where('id', '<', filter.before);
    return q.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  },
  unreadCount: async (db: Exec, userId: string) => {
    const row = await db
      .selectFrom('notification_messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('channel', '=', 'in_app')
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  /** Marks the user's unread in-app messages read (all, or the one given); returns how many changed. */
  markRead: async (db: Exec, userId: string, at: string, id?: string) => {
    let q = db.updateTable('notification_messages').set({ read_at: at }).where('user_id', '=', userId).where('channel', '=', 'in_app').where('read_at', 'is', null);
    if (id) q = q.where('id', '=', id);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
  /** Administration: newest first, filtered; `communities` null = every message, otherwise those communities only. */
  list: (db: Exec, filter: { status?: NotificationStatus; channel?: NotificationChannel; provider?: string; userId?: string; before?: string; limit: number; communities: string[] | null }) => {
    let q = db.selectFrom('notification_messages').selectAll();
    if (filter.communities !== null) {
      if (filter.communities.length === 0) return Promise.resolve([]);
      q = q.where('community_id', 'in', filter.communities);
    }
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.channel) q = q.where('channel', '=', filter.channel);
    if (filter.provider) q = q.where('provider', '=', filter.provider);
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    if (filter.before) q = q.where('id', '<', filter.before);
    return q.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  },
  /**
   * Messages sent to one address since `since`, and the oldest of their send times (when the
   * rolling hour frees a slot).
   */
  sentToAddressSince: async (db: Exec, addressIdx: string, since: string) => {
    const row = await db
      .selectFrom('notification_messages')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('sent_at').as('oldest')])
      .where('address_idx', '=', addressIdx)
      .where('sent_at', '>', since)
      .where('status', 'in', ['sent', 'delivered'])
      .executeTakeFirstOrThrow();
    return { count: Number(row.n), oldest: row.oldest };
  },
};

export const preferences = {
  ofUsers: (db: Exec, userIds: string[]) =>
    userIds.length ? db.selectFrom('notification_preferences').selectAll().where('user_id', 'in', userIds).execute() : Promise.resolve([] as PreferenceRow[]),
  upsert: (db: Exec, rows: PreferenceRow[]) =>
    rows.length
      ? db
          .insertInto('notification_preferences')
          .values(rows)
          .onConflict((oc) => oc.columns(['user_id', 'channel']).doUpdateSet((eb) => ({ enabled: eb.ref('excluded.enabled'), updated_at: eb.ref('excluded.updated_at') })))
          .execute()
      : Promise.resolve([]),
};

export const templates = {
  all: (db: Exec) => db.selectFrom('notification_templates').selectAll().orderBy('code').orderBy('channel').orderBy('locale').execute(),
  ofCode: (db: Exec, code: string) => db.selectFrom('notification_templates').selectAll().where('code', '=', code).execute(),
  one: (db: Exec, code: string, channel: NotificationChannel, locale: Locale) =>
    db.selectFrom('notification_templates').selectAll().where('code', '=', code).where('channel', '=', channel).where('locale', '=', locale).executeTakeFirst(),
  /** Inserts the rows that do not exist yet; existing (possibly edited) templates are kept. */
  insertMissing: (db: Exec, rows: TemplateRow[]) =>
    rows.length
      ? db
          .insertInto('notification_templates')
          .values(rows)
          .onConflict((oc) => oc.columns(['code', 'channel', 'locale']).doNothing())
          .execute()
      : Promise.resolve([]),
  update: (db: Exec, code: string, channel: NotificationChannel, locale: Locale, patch: Partial<TemplateRow>) =>
    db.updateTable('notification_templates').set(patch).where('code', '=', code).where('channel', '=', channel).where('locale', '=', locale).execute(),
};
