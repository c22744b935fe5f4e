import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, LocaleSchema, Nullable, PageQuery } from './common.js';

/** Where a notification goes: the in-app notification centre, e-mail, SMS or app push. */
export const NotificationChannel = Type.Union([Type.Literal('in_app'), Type.Literal('email'), Type.Literal('sms'), Type.Literal('push')]);
export type NotificationChannel = Static<typeof NotificationChannel>;
export const NOTIFICATION_CHANNELS = ['in_app', 'email', 'sms', 'push'] as const satisfies readonly NotificationChannel[];

/**
 * Per-recipient delivery status: queued (waiting for its delivery job), sent (the channel accepted
 * it), delivered (the channel reported delivery; in-app messages are delivered at commit), failed
 * (after the last attempt: the dead-letter list).
 */
export const NotificationStatus = Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('delivered'), Type.Literal('failed')]);
export type NotificationStatus = Static<typeof NotificationStatus>;

/** Template codes: `<module>.<what>`. */
export const TemplateCode = Type.String({ minLength: 3, maxLength: 100, pattern: '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' });

// ---- the signed-in user's notification centre ----

export const InboxItem = Type.Object({
  id: Id,
  template: Type.String(),
  subject: Nullable(Type.String()),
  body: Type.String(),
  emergency: Type.Boolean(),
  createdAt: Instant,
  readAt: Nullable(Instant),
});
export type InboxItem = Static<typeof InboxItem>;

export const InboxQuery = Type.Object(
  {
    /** true: unread messages only. */
    unread: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type InboxQuery = Static<typeof InboxQuery>;

export const UnreadCount = Type.Object({ count: Type.Integer({ minimum: 0 }) });
export type UnreadCount = Static<typeof UnreadCount>;

export const NotificationPreference = Type.Object({ channel: NotificationChannel, enabled: Type.Boolean() }, { additionalProperties: false });
export type NotificationPreference = Static<typeof NotificationPreference>;

export const NotificationPreferences = Type.Object({ items: Type.Array(NotificationPreference) });
export type NotificationPreferences = Static<typeof NotificationPreferences>;

export const UpdatePreferencesBody = Type.Object({ items: Type.Array(NotificationPreference, { minItems: 1, maxItems: 4 }) }, { additionalProperties: false });
export type UpdatePreferencesBody = Static<typeof UpdatePreferencesBody>;

// ---- administration: templates ----

export const NotificationTemplate = Type.Object({
  code: Type.String(),
  channel: NotificationChannel,
  locale: LocaleSchema,
  /** E-mail subject, in-app and push title; null for SMS. */
  subject: Nullable(Type.String()),
  /** Plain text with `{{variable}}` placeholders. */
  body: Type.String(),
  updatedAt: Instant,
  updatedBy: Nullable(Type.String()),
});
export type NotificationTemplate = Static<typeof NotificationTemplate>;

export const TemplateParams = Type.Object({ code: TemplateCode, channel: NotificationChannel, locale: LocaleSchema }, { additionalProperties: false });
export type TemplateParams = Static<typeof TemplateParams>;

export const UpdateTemplateBody = Type.Object(
  {
    subject: Nullable(Type.String({ maxLength: 200 })),
    body: Type.String({ minLength: 1, maxLength: 10_000 }),
  },
  { additionalProperties: false },
);
export type UpdateTemplateBody = Static<typeof UpdateTemplateBody>;

// ---- administration: messages, dead letters, SMS log ----

export const NotificationMessage = Type.Object({
  id: Id,
  userId: Id,
  recipientName: Type.String(),
  communityId: Nullable(Id),
  channel: NotificationChannel,
  template: Type.String(),
  locale: LocaleSchema,
  status: NotificationStatus,
  emergency: Type.Boolean(),
  subject: Nullable(Type.String()),
  body: Type.String(),
  /** The e-mail address or phone number, masked. */
  address: Nullable(Type.String()),
  provider: Nullable(Type.String()),
  providerId: Nullable(Type.String()),
  attempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Instant,
  sentAt: Nullable(Instant),
  deliveredAt: Nullable(Instant),
  failedAt: Nullable(Instant),
  readAt: Nullable(Instant),
});
export type NotificationMessage = Static<typeof NotificationMessage>;

export const MessageListQuery = Type.Object(
  {
    status: Type.Optional(NotificationStatus),
    channel: Type.Optional(NotificationChannel),
    userId: Type.Optional(Id),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type MessageListQuery = Static<typeof MessageListQuery>;

export const DeadLetterQuery = Type.Object({ channel: Type.Optional(NotificationChannel), ...PageQuery }, { additionalProperties: false });
export type DeadLetterQuery = Static<typeof DeadLetterQuery>;

export const SmsLogQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type SmsLogQuery = Static<typeof SmsLogQuery>;

export const TestSendBody = Type.Object(
  {
    userId: Id,
    /** Omitted: every channel the `system.test` template has. */
    channels: Type.Optional(Type.Array(NotificationChannel, { minItems: 1, maxItems: 4, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type TestSendBody = Static<typeof TestSendBody>;

export const SentNotifications = Type.Object({ messageIds: Type.Array(Id) });
export type SentNotifications = Static<typeof SentNotifications>;
