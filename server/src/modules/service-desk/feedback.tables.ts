import type { FeedbackCategory, FeedbackState } from '@courtyard/contracts';

export interface FeedbackItemTable {
  id: string;
  community_id: string | null;
  sender_user_id: string;
  sender_name: string;
  sender_kind: 'staff' | 'owner';
  category: FeedbackCategory;
  body: string;
  state: FeedbackState;
  response: string | null;
  responded_by: string | null;
  responded_at: string | null;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

declare module '../../core/db/schema.js' {
  interface Database {
    feedback_items: FeedbackItemTable;
  }
}
