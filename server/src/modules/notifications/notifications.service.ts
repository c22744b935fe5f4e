import {
  NOTIFICATION_CHANNELS,
  type DeadLetterQuery,
  type InboxItem,
  type InboxQuery,
  type Locale,
  type MessageListQuery,
  type NotificationChannel,
  type NotificationMessage,
  type NotificationPreferences,
  type NotificationTemplate,
  type SentNotifications,
  type SmsLogQuery,
  type TemplateParams,
  type TestSendBody,
  type UpdatePreferencesBody,
  type UpdateTemplateBody,
} from '@courtyard/contracts';
import { HOUR, type Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { maskPhone, type FieldCipher } from '../../core/crypto/field.js';
import { AppError, notFound } from '../../core/http/errors.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import type { Jobs } from '../../core/jobs/jobs.js';
import { LIVE_RESYNC, type Live } from '../../core/events/live.js';
import type { AuditService } from '../audit/index.js';
import { ChannelNotConfigured, createChannels, type SettingsReader } from './channels.js';
import { DEFAULT_TEMPLATES, renderText, type TemplateData } from './templates.js';
import * as repo from './notifications.repository.js';

/** Attempts per delivery job; after the last one the message is `failed` (the dead-letter list). */
export const DELIVERY_ATTEMPTS = 5;
export const DELIVER_JOB = 'notifications.deliver';
/** Live topic: the unread in-app count of these users may have changed. */
export const UNREAD_TOPIC = 'notifications.unread';
const FALLBACK_LOCALE: Locale = 'zh-CN';

/** A recipient's contact details, decrypted (identity's `users.contactsOf`). */
export interface Contact {
  id: string;
  displayName: string;
  locale: Locale;
  email: string | null;
  phone: string | null;
}

export interface SendInput {
  /** User ids; duplicates are sent once. */
  recipients: string[];
  /** Template code, e.g. `system.test`. */
  template: string;
  /** Template variables; `name` defaults to the recipient's display name. */
  data?: TemplateData;
  /** Omitted: every channel the template has a text for. */
  channels?: NotificationChannel[];
  /** Emergency messages ignore the recipients' channel choices and the rate limit. */
  emergency?: boolean;
  communityId?: string | null;
}

export interface NotificationsService {
  /**
   * The one call every module uses. Writes one message per recipient × channel in the caller's
   * transaction, with one delivery job each (in-app messages are delivered at commit): nothing is
   * sent unless the business change commits, and nothing is lost if the process dies after it.
   * Returns the message ids. Recipients without an address for a channel, or who turned the
   * channel off (unless emergency), get no message on it.
   */
  send(tx: Tx, ctx: RequestContext, input: SendInput): Promise<string[]>;
  /** Inserts the built-in templates that are missing; keeps edited ones. Run at every start. */
  ensureDefaultTemplates(): Promise<void>;
  /** The delivery job's work for one message; `attempt` is the job's attempt number (1-based). */
  deliver(messageId: string, attempt: number): Promise<void>;

  inbox(ctx: RequestContext, query: InboxQuery): Promise<{ items: InboxItem[]; nextCursor: string | null }>;
  unreadCount(userId: string): Promise<number>;
  myUnreadCount(ctx: RequestContext): Promise<number>;
  markRead(ctx: RequestContext, id: string): Promise<number>;
  markAllRead(ctx: RequestContext): Promise<number>;
  /** Calls `listener` with the users whose unread count may have changed ('all' after a reconnect). */
  onUnreadChange(listener: (userIds: string[] | 'all') => void): () => void;
  preferences(ctx: RequestContext): Promise<NotificationPreferences>;
  updatePreferences(ctx: RequestContext, body: UpdatePreferencesBody): Promise<NotificationPreferences>;

  listTemplates(ctx: RequestContext): Promise<NotificationTemplate[]>;
  updateTemplate(ctx: RequestContext, params: TemplateParams, body: UpdateTemplateBody): Promise<NotificationTemplate>;
  listMessages(ctx: RequestContext, query: MessageListQuery): Promise<{ items: NotificationMessage[]; nextCursor: string | null }>;
  deadLetters(ctx: RequestContext, query: DeadLetterQuery): Promise<{ items: NotificationMessage[]; nextCursor: string | null }>;
  smsLog(ctx: RequestContext, query: SmsLogQuery): Promise<{ items: NotificationMessage[]; nextCursor: string | null }>;
  /** A failed message gets a new delivery job (a new round of attempts). */
  resend(ctx: RequestContext, id: string): Promise<NotificationMessage>;
  /** Sends `system.test` to one user (administrators checking a channel). */
  testSend(ctx: RequestContext, body: TestSendBody): Promise<SentNotifications>;
  close(): void;
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  jobs: Jobs;
  cipher: FieldCipher;
  live: Live;
  settings: SettingsReader;
  /** Recipients' locale and decrypted contact details, one set-based query (identity). */
  contactsOf(exec: Exec, userIds: string[]): Promise<Contact[]>;
}

/** a***@example.com */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

function toTemplate(row: repo.TemplateRow): NotificationTemplate {
  return { code: row.code, channel: row.channel, locale: row.locale, subject: row.subject, body: row.body, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

const PUBLISH_BATCH = 100; // user ids per live message (NOTIFY payloads are limited to 8000 bytes)

export function createNotificationsService(deps: NotificationsDeps): NotificationsService {
  const iso = () => deps.clock.now().toISOString();
  const channels = createChannels(deps.settings);

  function userOf(ctx: RequestContext): string {
    if (!ctx.actor.userId) throw new AppError('auth.unauthenticated');
    return ctx.actor.userId;
  }

  async function publishUnread(exec: Exec, userIds: string[]) {
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += PUBLISH_BATCH) {
      await deps.live.publish(exec, UNREAD_TOPIC, { userIds: unique.slice(i, i + PUBLISH_BATCH) });
    }
  }

  function view(row: repo.MessageRow): NotificationMessage {
    let address: string | null = null;
    if (row.address_enc) {
      const clear = deps.cipher.decrypt(row.address_enc);
      address = row.channel === 'sms' ? maskPhone(clear) : maskEmail(clear);
    }
    return {
      id: row.id,
      userId: row.user_id,
      recipientName: row.recipient_name,
      communityId: row.community_id,
      channel: row.channel,
      template: row.template,
      locale: row.locale,
      status: row.status,
      emergency: row.emergency === 1,
      subject: row.subject,
      body: row.body,
      address,
      provider: row.provider,
      providerId: row.provider_id,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      sentAt: row.sent_at,
      deliveredAt: row.delivered_at,
      failedAt: row.failed_at,
      readAt: row.read_at,
    };
  }

  async function list(ctx: RequestContext, filter: { status?: repo.MessageRow['status']; channel?: NotificationChannel; userId?: string; cursor?: string; limit?: number }) {
    const limit = filter.limit ?? 50;
    const cursor = decodeCursor(filter.cursor, 1);
    const rows = await repo.messages.list(deps.db, {
      status: filter.status,
      channel: filter.channel,
      userId: filter.userId,
      before: cursor ? String(cursor[0]) : undefined,
      limit,
      // Messages of no community (organisation-wide) are visible to organisation-wide readers only.
      communities: scopeOf(ctx, 'notifications.delivery.read'),
    });
    const page = pageOf(rows, limit, (r) => [r.id]);
    return { items: page.items.map(view), nextCursor: page.nextCursor };
  }

  async function preferencesOf(exec: Exec, userId: string): Promise<NotificationPreferences> {
    const rows = await repo.preferences.ofUsers(exec, [userId]);
    return { items: NOTIFICATION_CHANNELS.map((channel) => ({ channel, enabled: rows.find((r) => r.channel === channel)?.enabled !== 0 })) };
  }

  const service: NotificationsService = {
    async send(tx, ctx, input) {
      const recipients = [...new Set(input.recipients)];
      if (recipients.length === 0) return [];
      const templates = await repo.templates.ofCode(tx, input.template);
      if (templates.length === 0) throw new Error(`unknown notification template ${input.template}`);
      const available = new Set(templates.map((t) => t.channel));
      const wanted = input.channels ? [...new Set(input.channels)] : NOTIFICATION_CHANNELS.filter((c) => available.has(c));
      const missing = wanted.filter((c) => !available.has(c));
      if (missing.length) throw new Error(`template ${input.template} has no text for ${missing.join(', ')}`);

      const contacts = await deps.contactsOf(tx, recipients);
      // Users choose the channels they accept, except for emergencies.
      const turnedOff = new Set(
        input.emergency ? [] : (await repo.preferences.ofUsers(tx, recipients)).filter((p) => p.enabled === 0).map((p) => `${p.user_id}:${p.channel}`),
      );
      const at = iso();
      const rows: repo.MessageRow[] = [];
      for (const contact of contacts) {
        for (const channel of wanted) {
          if (turnedOff.has(`${contact.id}:${channel}`)) continue;
          const address = channel === 'email' ? contact.email : channel === 'sms' ? contact.phone : null;
          if ((channel === 'email' || channel === 'sms') && !address) continue;
          // The recipient's language, else the default language.
          const template =
            templates.find((t) => t.channel === channel && t.locale === contact.locale) ?? templates.find((t) => t.channel === channel && t.locale === FALLBACK_LOCALE) ?? templates.find((t) => t.channel === channel)!;
          const data: TemplateData = { name: contact.displayName, ...input.data };
          const inApp = channel === 'in_app';
          rows.push({
            id: deps.ids(),
            user_id: contact.id,
            recipient_name: contact.displayName,
            community_id: input.communityId ?? null,
            channel,
            template: input.template,
            locale: template.locale,
            emergency: input.emergency ? 1 : 0,
            // In-app messages need no delivery: they are in the recipient's notification centre at commit.
            status: inApp ? 'delivered' : 'queued',
            subject: template.subject === null ? null : renderText(template.subject, data),
            body: renderText(template.body, data),
            data_json: JSON.stringify(data),
            address_enc: address ? deps.cipher.encrypt(address) : null,
            address_idx: address ? deps.cipher.blindIndex(address) : null,
            provider: inApp ? 'in_app' : null,
            provider_id: null,
            attempts: 0,
            last_error: null,
            created_by: ctx.actor.userId,
            created_at: at,
            sent_at: inApp ? at : null,
            delivered_at: inApp ? at : null,
            failed_at: null,
            read_at: null,
          });
        }
      }
      await repo.messages.insert(tx, rows);
      for (const row of rows) {
        if (row.channel === 'in_app') continue;
        await deps.jobs.enqueue(tx, { type: DELIVER_JOB, payload: { messageId: row.id }, maxAttempts: DELIVERY_ATTEMPTS, uniqueKey: `notify:${row.id}`, communityId: row.community_id });
      }
      const inAppUsers = rows.filter((r) => r.channel === 'in_app').map((r) => r.user_id);
      if (inAppUsers.length) await publishUnread(tx, inAppUsers);
      return rows.map((r) => r.id);
    },

    async ensureDefaultTemplates() {
      const at = iso();
      await repo.templates.insertMissing(
        deps.db,
        DEFAULT_TEMPLATES.map((t) => ({ ...t, updated_at: at, updated_by: null })),
      );
    },

    async deliver(messageId, attempt) {
      const row = await repo.messages.byId(deps.db, messageId);
      // Already sent, failed or resent by another job: delivering is idempotent.
      if (!row || row.status !== 'queued' || row.channel === 'in_app') return;
      const channel = row.channel;
      const now = deps.clock.now();

      // Rate limit per address over a rolling hour; emergencies are exempt. Over the limit the
      // message waits for the first free slot: a new job at that time, without using an attempt.
      if (row.emergency === 0 && row.address_idx && (channel === 'email' || channel === 'sms')) {
        const { perRecipientPerHour } = await deps.settings('notifications.limits');
        const window = await repo.messages.sentToAddressSince(deps.db, row.address_idx, new Date(now.getTime() - HOUR).toISOString());
        if (window.count >= perRecipientPerHour && window.oldest) {
          const until = new Date(new Date(window.oldest).getTime() + HOUR + 1000);
          await deps.db.transaction().execute(async (tx) => {
            const still = await repo.messages.updateFrom(tx, row.id, 'queued', {
              last_error: `rate limit: ${perRecipientPerHour} messages per hour to this address; deferred until ${until.toISOString()}`,
            });
            if (!still) return;
            await deps.jobs.enqueue(tx, {
              type: DELIVER_JOB,
              payload: { messageId: row.id },
              runAt: until,
              maxAttempts: DELIVERY_ATTEMPTS,
              uniqueKey: `notify:${row.id}:deferred:${until.toISOString()}`,
              communityId: row.community_id,
            });
          });
          return;
        }
      }

      let adapter;
      try {
        adapter = await channels.adapter(channel);
      } catch (err) {
        if (!(err instanceof ChannelNotConfigured)) throw err;
        await repo.messages.updateFrom(deps.db, row.id, 'queued', { status: 'failed', attempts: row.attempts + 1, last_error: err.message, failed_at: now.toISOString() });
        return;
      }
      const to = channel === 'push' ? row.user_id : row.address_enc ? deps.cipher.decrypt(row.address_enc) : null;
      if (!to) {
        await repo.messages.updateFrom(deps.db, row.id, 'queued', { status: 'failed', attempts: row.attempts + 1, last_error: `no ${channel} address`, failed_at: now.toISOString() });
        return;
      }
      try {
        const result = await adapter.send({
          id: row.id,
          channel,
          to,
          subject: row.subject,
          text: row.body,
          template: row.template,
          data: JSON.parse(row.data_json) as Record<string, unknown>,
          locale: row.locale,
        });
        const at = deps.clock.now().toISOString();
        await repo.messages.updateFrom(deps.db, row.id, 'queued', {
          status: result.delivered ? 'delivered' : 'sent',
          provider: adapter.provider,
          provider_id: result.providerId ?? null,
          attempts: row.attempts + 1,
          last_error: null,
          sent_at: at,
          delivered_at: result.delivered ? at : null,
        });
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
        const final = attempt >= DELIVERY_ATTEMPTS;
        await repo.messages.updateFrom(deps.db, row.id, 'queued', {
          provider: adapter.provider,
          attempts: row.attempts + 1,
          last_error: message,
          ...(final ? { status: 'failed' as const, failed_at: deps.clock.now().toISOString() } : {}),
        });
        // The jobs core re-queues the job with exponential backoff (and fails it after the last attempt).
        throw err;
      }
    },

    async inbox(ctx, query) {
      const userId = userOf(ctx);
      const limit = query.limit ?? 50;
      const cursor = decodeCursor(query.cursor, 1);
      const rows = await repo.messages.inbox(deps.db, userId, { unread: query.unread, before: cursor ? String(cursor[0]) : undefined, limit });
      const page = pageOf(rows, limit, (r) => [r.id]);
      return {
        items: page.items.map((r) => ({ id: r.id, template: r.template, subject: r.subject, body: r.body, emergency: r.emergency === 1, createdAt: r.created_at, readAt: r.read_at })),
        nextCursor: page.nextCursor,
      };
    },

    unreadCount: (userId) => repo.messages.unreadCount(deps.db, userId),
    myUnreadCount: (ctx) => repo.messages.unreadCount(deps.db, userOf(ctx)),

    async markRead(ctx, id) {
      const userId = userOf(ctx);
      return deps.db.transaction().execute(async (tx) => {
        const row = await repo.messages.byId(tx, id);
        // Only one's own in-app messages; anything else is as good as absent.
        if (!row || row.user_id !== userId || row.channel !== 'in_app') throw notFound();
        const changed = await repo.messages.markRead(tx, userId, iso(), id);
        if (changed) {
          await deps.audit.record(tx, ctx, { action: 'notifications.inbox.read', entityType: 'notification', entityId: id, communityId: row.community_id });
          await publishUnread(tx, [userId]);
        }
        return repo.messages.unreadCount(tx, userId);
      });
    },

    async markAllRead(ctx) {
      const userId = userOf(ctx);
      return deps.db.transaction().execute(async (tx) => {
        const changed = await repo.messages.markRead(tx, userId, iso());
        if (changed) {
          await deps.audit.record(tx, ctx, { action: 'notifications.inbox.read_all', entityType: 'user', entityId: userId, after: { marked: changed } });
          await publishUnread(tx, [userId]);
        }
        return 0;
      });
    },

    onUnreadChange(listener) {
      return deps.live.subscribe((message) => {
        if (message.topic === LIVE_RESYNC) listener('all');
        else if (message.topic === UNREAD_TOPIC) {
          const ids = (message.data as { userIds?: unknown } | null)?.userIds;
          if (Array.isArray(ids)) listener(ids.filter((v): v is string => typeof v === 'string'));
        }
      });
    },

    preferences: (ctx) => preferencesOf(deps.db, userOf(ctx)),

    async updatePreferences(ctx, body) {
      const userId = userOf(ctx);
      return deps.db.transaction().execute(async (tx) => {
        const before = await preferencesOf(tx, userId);
        const at = iso();
        await repo.preferences.upsert(
          tx,
          body.items.map((p) => ({ user_id: userId, channel: p.channel, enabled: p.enabled ? 1 : 0, updated_at: at })),
        );
        const after = await preferencesOf(tx, userId);
        await deps.audit.record(tx, ctx, { action: 'notifications.preferences.update', entityType: 'user', entityId: userId, before, after });
        return after;
      });
    },

    async listTemplates(ctx) {
      assertCan(ctx, 'notifications.template.manage');
      return (await repo.templates.all(deps.db)).map(toTemplate);
    },

    async updateTemplate(ctx, params, body) {
      // Templates are organisation-wide: they speak for the whole company.
      assertCan(ctx, 'notifications.template.manage');
      return deps.db.transaction().execute(async (tx) => {
        const before = await repo.templates.one(tx, params.code, params.channel, params.locale);
        if (!before) throw new AppError('notifications.template_not_found');
        await repo.templates.update(tx, params.code, params.channel, params.locale, {
          subject: params.channel === 'sms' ? null : body.subject,
          body: body.body,
          updated_at: iso(),
          updated_by: ctx.actor.name,
        });
        const after = (await repo.templates.one(tx, params.code, params.channel, params.locale))!;
        await deps.audit.record(tx, ctx, {
          action: 'notifications.template.update',
          entityType: 'notification_template',
          entityId: `${params.code}/${params.channel}/${params.locale}`,
          before: { subject: before.subject, body: before.body },
          after: { subject: after.subject, body: after.body },
        });
        return toTemplate(after);
      });
    },

    listMessages: (ctx, query) => list(ctx, query),
    deadLetters: (ctx, query) => list(ctx, { ...query, status: 'failed' }),
    smsLog: (ctx, query) => list(ctx, { ...query, channel: 'sms' }),

    async resend(ctx, id) {
      return deps.db.transaction().execute(async (tx) => {
        const row = await repo.messages.byId(tx, id);
        if (!row) throw notFound();
        assertCan(ctx, 'notifications.delivery.resend', row.community_id);
        if (row.status !== 'failed' || row.channel === 'in_app') throw new AppError('notifications.not_resendable');
        const moved = await repo.messages.updateFrom(tx, id, 'failed', { status: 'queued', failed_at: null, last_error: null });
        if (!moved) throw new AppError('notifications.not_resendable');
        await deps.jobs.enqueue(tx, { type: DELIVER_JOB, payload: { messageId: id }, maxAttempts: DELIVERY_ATTEMPTS, uniqueKey: `notify:${id}:resend:${deps.ids()}`, communityId: row.community_id });
        await deps.audit.record(tx, ctx, {
          action: 'notifications.message.resend',
          entityType: 'notification',
          entityId: id,
          communityId: row.community_id,
          before: { status: row.status, attempts: row.attempts, lastError: row.last_error },
          after: { status: 'queued' },
        });
        return view((await repo.messages.byId(tx, id))!);
      });
    },

    async testSend(ctx, body) {
      assertCan(ctx, 'notifications.template.manage');
      return deps.db.transaction().execute(async (tx) => {
        const [contact] = await deps.contactsOf(tx, [body.userId]);
        if (!contact) throw notFound();
        const messageIds = await service.send(tx, ctx, { recipients: [body.userId], template: 'system.test', data: { sender: ctx.actor.name }, channels: body.channels });
        await deps.audit.record(tx, ctx, { action: 'notifications.test.send', entityType: 'user', entityId: body.userId, after: { channels: body.channels ?? 'all', messages: messageIds.length } });
        return { messageIds };
      });
    },

    close() {
      channels.close();
    },
  };

  deps.jobs.register(DELIVER_JOB, async (job) => {
    const { messageId } = job.payload as { messageId: string };
    await service.deliver(messageId, job.attempt);
  });

  return service;
}
