import { Type } from '@sinclair/typebox';
import {
  DeadLetterQuery,
  IdParams,
  InboxItem,
  InboxQuery,
  MessageListQuery,
  NotificationMessage,
  NotificationPreferences,
  NotificationTemplate,
  Page,
  SentNotifications,
  SmsLogQuery,
  TemplateParams,
  TestSendBody,
  UnreadCount,
  UpdatePreferencesBody,
  UpdateTemplateBody,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { NotificationsService } from './notifications.service.js';
import type { UnreadStreams } from './notifications.stream.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });

export function notificationsRoutes(app: App, deps: { notifications: NotificationsService; streams: UnreadStreams }) {
  const { notifications, streams } = deps;
  const tags = ['notifications'];

  // Open streams must not hold up a graceful shutdown (SIGTERM drain).
  app.addHook('preClose', (done) => {
    streams.closeAll();
    done();
  });

  // ---- my notification centre ----
  app.get('/api/notifications/inbox', { schema: { tags, summary: 'My in-app notifications, newest first', querystring: InboxQuery, response: r(Page(InboxItem)) }, config: { access: 'authenticated' } }, (request) =>
    notifications.inbox(request.ctx, request.query),
  );
  app.get('/api/notifications/unread-count', { schema: { tags, summary: 'How many of my in-app notifications are unread', response: r(UnreadCount) }, config: { access: 'authenticated' } }, async (request) => ({
    count: await notifications.myUnreadCount(request.ctx),
  }));
  app.get(
    '/api/notifications/stream',
    {
      schema: {
        tags,
        summary: 'Live unread count',
        description:
          'With `Accept: text/event-stream` (EventSource): Server-Sent Events, `event: unread` with `{"count": n}` at connect and on every change, a heartbeat comment every 25 s, closed when the session ends. Other clients get the current count once as JSON.',
        response: { 200: { content: { 'application/json': { schema: UnreadCount }, 'text/event-stream': { schema: Type.String() } } }, ...problemResponses },
      },
      config: { access: 'authenticated' },
    },
    async (request, reply) => {
      if (!String(request.headers.accept ?? '').includes('text/event-stream')) return { count: await notifications.myUnreadCount(request.ctx) };
      await streams.open(request, reply);
      return reply;
    },
  );
  app.post('/api/notifications/:id/read', { schema: { tags, summary: 'Mark one of my notifications read', params: IdParams, response: r(UnreadCount) }, config: { access: 'authenticated' } }, async (request) => ({
    count: await notifications.markRead(request.ctx, request.params.id),
  }));
  app.post('/api/notifications/read-all', { schema: { tags, summary: 'Mark all my notifications read', response: r(UnreadCount) }, config: { access: 'authenticated' } }, async (request) => ({
    count: await notifications.markAllRead(request.ctx),
  }));
  app.get('/api/notifications/preferences', { schema: { tags, summary: 'The channels I accept', response: r(NotificationPreferences) }, config: { access: 'authenticated' } }, (request) =>
    notifications.preferences(request.ctx),
  );
  app.put(
    '/api/notifications/preferences',
    { schema: { tags, summary: 'Choose the channels I accept (emergencies use every channel)', body: UpdatePreferencesBody, response: r(NotificationPreferences) }, config: { access: 'authenticated' } },
    (request) => notifications.updatePreferences(request.ctx, request.body),
  );

  // ---- administration ----
  app.get('/api/notifications/templates', { schema: { tags, summary: 'Templates per channel and language', response: r(Type.Object({ items: Type.Array(NotificationTemplate) })) }, config: { access: 'notifications.template.manage' } }, async (request) => ({
    items: await notifications.listTemplates(request.ctx),
  }));
  app.put(
    '/api/notifications/templates/:code/:channel/:locale',
    { schema: { tags, summary: 'Edit a template ({{variable}} placeholders)', params: TemplateParams, body: UpdateTemplateBody, response: r(NotificationTemplate) }, config: { access: 'notifications.template.manage' } },
    (request) => notifications.updateTemplate(request.ctx, request.params, request.body),
  );
  app.post('/api/notifications/test', { schema: { tags, summary: 'Send the test notification to a user', body: TestSendBody, response: r(SentNotifications) }, config: { access: 'notifications.template.manage' } }, (request) =>
    notifications.testSend(request.ctx, request.body),
  );
  app.get('/api/notifications/messages', { schema: { tags, summary: 'Delivery records, newest first', querystring: MessageListQuery, response: r(Page(NotificationMessage)) }, config: { access: 'notifications.delivery.read' } }, (request) =>
    notifications.listMessages(request.ctx, request.query),
  );
  app.get('/api/notifications/dead-letters', { schema: { tags, summary: 'Messages that failed after the last attempt', querystring: DeadLetterQuery, response: r(Page(NotificationMessage)) }, config: { access: 'notifications.delivery.read' } }, (request) =>
    notifications.deadLetters(request.ctx, request.query),
  );
  app.get('/api/notifications/sms-log', { schema: { tags, summary: 'SMS messages with their text (the log provider keeps them here)', querystring: SmsLogQuery, response: r(Page(NotificationMessage)) }, config: { access: 'notifications.delivery.read' } }, (request) =>
    notifications.smsLog(request.ctx, request.query),
  );
  app.post('/api/notifications/messages/:id/resend', { schema: { tags, summary: 'Resend a failed message', params: IdParams, response: r(NotificationMessage) }, config: { access: 'notifications.delivery.resend' } }, (request) =>
    notifications.resend(request.ctx, request.params.id),
  );
}
