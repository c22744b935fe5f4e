import type { Exec } from '../../core/db/schema.js';
import type { FeedbackItemTable } from './feedback.tables.js';

const nonEmpty = (ids: readonly string[]) => (ids.length ? [...ids] : ['00000000-0000-0000-0000-000000000000']);

/** A feedback row with its newest screenshot (files attached as owner type `feedback`). */
const withScreenshot = (db: Exec) =>
  db
    .selectFrom('feedback_items as f')
    .selectAll('f')
    .select((eb) =>
      eb
        .selectFrom('files')
        .select('files.id')
        .whereRef('files.owner_id', '=', 'f.id')
        .where('files.owner_type', '=', 'feedback')
        .where('files.deleted_at', 'is', null)
        .orderBy('files.id', 'desc')
        .limit(1)
        .as('screenshot_file_id'),
    );
export type FeedbackRow = FeedbackItemTable & { screenshot_file_id: string | null };

export const feedback = {
  insert: (db: Exec, row: FeedbackItemTable) => db.insertInto('feedback_items').values(row).execute(),
  byId: (db: Exec, id: string): Promise<FeedbackRow | undefined> => withScreenshot(db).where('f.id', '=', id).executeTakeFirst(),
  /** Just the community, for the files owner type. */
  communityOf: (db: Exec, id: string) => db.selectFrom('feedback_items').select('community_id').where('id', '=', id).executeTakeFirst(),
  update: (db: Exec, id: string, patch: Partial<FeedbackItemTable>) => db.updateTable('feedback_items').set(patch).where('id', '=', id).execute(),
  /** Newest first. `scope` null = everything; a list = those communities only (rows without a community excluded). */
  page: (db: Exec, filter: { scope?: string[] | null; senderUserId?: string; state?: string; category?: string }, after: string | undefined, limit: number): Promise<FeedbackRow[]> => {
    let q = withScreenshot(db);
    if (filter.scope) q = q.where('f.community_id', 'in', nonEmpty(filter.scope));
    if (filter.senderUserId) q = q.where('f.sender_user_id', '=', filter.senderUserId);
    if (filter.state) q = q.where('f.state', '=', filter.state as FeedbackItemTable['state']);
    if (filter.category) q = q.where('f.category', '=', filter.category as FeedbackItemTable['category']);
    if (after) q = q.where('f.id', '<', after);
    return q.orderBy('f.id', 'desc').limit(limit).execute();
  },
  stats: (db: Exec, scope: string[] | null) => {
    let q = db.selectFrom('feedback_items').select(['category', 'state', (eb) => eb.fn.countAll<number | string>().as('n')]);
    if (scope) q = q.where('community_id', 'in', nonEmpty(scope));
    return q.groupBy(['category', 'state']).execute();
  },
};

/** Who is sending: identity's user row and, for owners, their first registered community. */
export const senders = {
  user: (db: Exec, userId: string) => db.selectFrom('users').select(['display_name', 'kind']).where('id', '=', userId).executeTakeFirst(),
  ownerCommunity: (db: Exec, userId: string) => db.selectFrom('persons').select('community_id').where('user_id', '=', userId).orderBy('id').executeTakeFirst(),
};
