import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Locale, NotificationChannel, SettingKey, SettingValue } from '@courtyard/contracts';
import { htmlOf } from './templates.js';

/** What an adapter needs to send one message. */
export interface OutgoingMessage {
  id: string;
  channel: Exclude<NotificationChannel, 'in_app'>;
  /** E-mail address, phone number, or (push) the recipient's user id. */
  to: string;
  subject: string | null;
  text: string;
  template: string;
  data: Record<string, unknown>;
  locale: Locale;
}

export interface SendResult {
  /** The provider's id for the message (SMTP Message-ID, gateway BizId). */
  providerId?: string | null;
  /** true when the provider reported delivery to the recipient (not only acceptance). */
  delivered?: boolean;
}

/** One channel's provider. `send` throws on failure; the delivery job retries with backoff. */
export interface ChannelAdapter {
  provider: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/**
 * The channel cannot send anything as configured (disabled, no server, no provider). Retrying
 * would not help: the message fails at once with this reason instead of going through every
 * attempt (no retry storm), and an administrator resends it after fixing the settings.
 */
export class ChannelNotConfigured extends Error {}

/** Reads settings (effective values, secrets decrypted): the settings service's `get`. */
export type SettingsReader = <K extends SettingKey>(key: K) => Promise<SettingValue<K>>;

const HTTP_TIMEOUT_MS = 10_000;

/**
 * POSTs a JSON body signed the way the common Chinese SMS gateways expect a shared secret to be
 * used: `x-signature` = hex HMAC-SHA256 of the exact body bytes under the secret, `x-access-key-id`
 * names the key. Non-2xx answers and `{ code }` other than `OK` are failures.
 */
export async function signedPost(endpoint: string, keyId: string, secret: string, payload: unknown, what: string): Promise<Record<string, unknown>> {
  const body = JSON.stringify(payload);
  const signature = crypto.createHmac('sha256', secret).update(body).digest('hex');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-access-key-id': keyId, 'x-signature': signature },
    body,
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${what} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const answer = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  if (answer.code !== undefined && answer.code !== 'OK') {
    throw new Error(`${what} refused the message: ${JSON.stringify(answer.code)}${typeof answer.message === 'string' ? ` ${answer.message.slice(0, 200)}` : ''}`);
  }
  return answer;
}

const idOf = (answer: Record<string, unknown>, ...keys: string[]): string | null => {
  for (const key of keys) {
    const value = answer[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return null;
};

/** Builds the adapter of a channel from the current settings, at every delivery (settings may change). */
export function createChannels(settings: SettingsReader) {
  // One SMTP transport per distinct configuration: reused between messages, replaced when the
  // administrator changes the settings.
  let smtp: { key: string; transport: Transporter } | undefined;

  async function email(): Promise<ChannelAdapter> {
    const s = await settings('notifications.email');
    if (!s.enabled || !s.host || !s.from) throw new ChannelNotConfigured('email channel is not configured');
    const key = JSON.stringify([s.host, s.port, s.secure, s.user, s.password]);
    if (smtp?.key !== key) {
      smtp?.transport.close();
      smtp = {
        key,
        transport: nodemailer.createTransport({
          host: s.host,
          port: s.port,
          secure: s.secure,
          ...(s.user ? { auth: { user: s.user, pass: s.password } } : {}),
          connectionTimeout: HTTP_TIMEOUT_MS,
          greetingTimeout: HTTP_TIMEOUT_MS,
          socketTimeout: 30_000,
        }),
      };
    }
    const transport = smtp.transport;
    return {
      provider: 'smtp',
      async send(m) {
        const info = (await transport.sendMail({ from: s.from, to: m.to, subject: m.subject ?? '', text: m.text, html: htmlOf(m.text) })) as { messageId?: string };
        return { providerId: info.messageId ?? null };
      },
    };
  }

  async function sms(): Promise<ChannelAdapter> {
    const s = await settings('notifications.sms');
    if (s.provider === 'log') {
      // Demo mode: the rendered text stays in the message row, viewable in the SMS log.
      return { provider: 'log', send: () => Promise.resolve({ providerId: null }) };
    }
    if (!s.endpoint) throw new ChannelNotConfigured('sms channel is not configured: no gateway endpoint');
    return {
      provider: 'http',
      async send(m) {
        const answer = await signedPost(
          s.endpoint,
          s.accessKeyId,
          s.accessKeySecret,
          { phoneNumbers: m.to, signName: s.signName, templateCode: m.template, templateParam: m.data, outId: m.id },
          'the SMS gateway',
        );
        return { providerId: idOf(answer, 'bizId', 'BizId', 'serialNo', 'requestId') };
      },
    };
  }

  async function push(): Promise<ChannelAdapter> {
    const s = await settings('notifications.push');
    if (s.provider === 'none' || !s.endpoint) throw new ChannelNotConfigured('push channel is not configured');
    return {
      provider: 'http',
      async send(m) {
        const answer = await signedPost(
          s.endpoint,
          s.appId,
          s.appSecret,
          { appId: s.appId, userId: m.to, title: m.subject ?? '', body: m.text, template: m.template, data: m.data, messageId: m.id },
          'the push provider',
        );
        return { providerId: idOf(answer, 'messageId', 'msgId', 'requestId'), delivered: answer.delivered === true };
      },
    };
  }

  return {
    adapter(channel: Exclude<NotificationChannel, 'in_app'>): Promise<ChannelAdapter> {
      return channel === 'email' ? email() : channel === 'sms' ? sms() : push();
    },
    close() {
      smtp?.transport.close();
      smtp = undefined;
    },
  };
}

export type Channels = ReturnType<typeof createChannels>;
