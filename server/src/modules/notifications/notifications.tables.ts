import type { Locale, NotificationChannel, NotificationStatus } from '@courtyard/contracts';

/** One message to one recipient on one channel: the outbox row and its delivery record. */
export interface NotificationMessageTable {
  id: string;
  user_id: string;
  /** The recipient's display name when the message was written (admin lists). */
  recipient_name: string;
  community_id: string | null;
  channel: NotificationChannel;
  template: string;
  locale: Locale;
  /** 1: ignores the recipient's channel choices and the rate limit. */
  emergency: number;
  status: NotificationStatus;
  subject: string | null;
  /** Rendered plain text (the e-mail HTML part is derived from it, escaped). */
  body: string;
  /** The template variables, for providers that render their own templates (SMS gateways). */
  data_json: string;
  /** E-mail address or phone number, field-encrypted, and its blind index (rate limit per address). */
  address_enc: string | null;
  address_idx: string | null;
  /** Which adapter handled it (`smtp`, `log`, `http`, `in_app`). */
  provider: string | null;
  provider_id: string | null;
  attempts: number;
  last_error: string | null;
  created_by: string | null;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  read_at: string | null;
}

/** A channel a user turned off (rows exist only for choices made; no row = enabled). */
export interface NotificationPreferenceTable {
  user_id: string;
  channel: NotificationChannel;
  enabled: number;
  updated_at: string;
}

export interface NotificationTemplateTable {
  code: string;
  channel: NotificationChannel;
  locale: Locale;
  subject: string | null;
  body: string;
  updated_at: string;
  /** Who last edited it; null for the built-in text. */
  updated_by: string | null;
}

declare module '../../core/db/schema.js' {
  interface Database {
    notification_messages: NotificationMessageTable;
    notification_preferences: NotificationPreferenceTable;
    notification_templates: NotificationTemplateTable;
  }
}
