import type {
  DeadLetterQuery,
  InboxItem,
  MessageListQuery,
  NotificationChannel,
  NotificationMessage,
  NotificationPreferences,
  NotificationTemplate,
  SentNotifications,
  TemplateParams,
  UnreadCount,
  UpdateTemplateBody,
} from '@courtyard/contracts';
import { api } from '../../ui/api';
import type { KeysetPage } from '../../ui/DataTable';

const seg = (value: string) => encodeURIComponent(value);

export type MessageFilters = Omit<MessageListQuery, 'cursor' | 'limit'>;

/** Query keys of this module; mutations invalidate by prefix. */
export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  inbox: (unreadOnly: boolean) => ['notifications', 'inbox', unreadOnly] as const,
  preferences: ['notifications', 'preferences'] as const,
  templates: ['notifications', 'templates'] as const,
  messages: (filters: MessageFilters) => ['notifications', 'messages', filters] as const,
  deadLetters: (filters: Omit<DeadLetterQuery, 'cursor' | 'limit'>) => ['notifications', 'dead-letters', filters] as const,
  smsLog: ['notifications', 'sms-log'] as const,
};

export const notificationsApi = {
  unreadCount: (signal?: AbortSignal) => api.get<UnreadCount>('/api/notifications/unread-count', undefined, { signal }),
  inbox: (unreadOnly: boolean, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<InboxItem>>('/api/notifications/inbox', { unread: unreadOnly ? true : undefined, cursor, limit: 20 }, { signal }),
  markRead: (id: string) => api.post<UnreadCount>(`/api/notifications/${seg(id)}/read`),
  markAllRead: () => api.post<UnreadCount>('/api/notifications/read-all'),
  preferences: () => api.get<NotificationPreferences>('/api/notifications/preferences'),
  updatePreferences: (items: NotificationPreferences['items']) => api.put<NotificationPreferences>('/api/notifications/preferences', { items }),

  templates: () => api.get<{ items: NotificationTemplate[] }>('/api/notifications/templates'),
  updateTemplate: (params: TemplateParams, body: UpdateTemplateBody) =>
    api.put<NotificationTemplate>(`/api/notifications/templates/${seg(params.code)}/${seg(params.channel)}/${seg(params.locale)}`, body),
  testSend: (userId: string, channels: NotificationChannel[]) => api.post<SentNotifications>('/api/notifications/test', { userId, channels }),

  messages: (filters: MessageFilters, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<NotificationMessage>>('/api/notifications/messages', { ...filters, cursor, limit: 50 }, { signal }),
  deadLetters: (channel: NotificationChannel | undefined, cursor: string | undefined, signal?: AbortSignal) =>
    api.get<KeysetPage<NotificationMessage>>('/api/notifications/dead-letters', { channel, cursor, limit: 50 }, { signal }),
  smsLog: (cursor: string | undefined, signal?: AbortSignal) => api.get<KeysetPage<NotificationMessage>>('/api/notifications/sms-log', { cursor, limit: 50 }, { signal }),
  resend: (id: string) => api.post<NotificationMessage>(`/api/notifications/messages/${seg(id)}/resend`),
};
