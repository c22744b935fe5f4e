import type { Locale, NotificationChannel } from '@courtyard/contracts';

/** Template variables: what `send` receives as `data` (plus `name`, the recipient's display name). */
export type TemplateData = Record<string, string | number | boolean | null | undefined>;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

/** Replaces `{{variable}}` with its value; an unknown variable becomes empty text. */
export function renderText(template: string, data: TemplateData): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = data[name];
    return value === undefined || value === null ? '' : String(value);
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/**
 * The e-mail HTML part of a rendered plain-text body: everything escaped (the template is
 * administrator-written and the variables come from users), paragraphs and line breaks kept.
 */
export function htmlOf(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html><html><body style="font-family:sans-serif;line-height:1.6">${paragraphs}</body></html>`;
}

/** The variables a template uses, for the template editor's hints and tests. */
export function variablesOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

export interface DefaultTemplate {
  code: string;
  channel: NotificationChannel;
  locale: Locale;
  subject: string | null;
  body: string;
}

type Texts = Record<Locale, { subject: string; body: string; sms: string }>;

/** Every channel in both languages from one text per language (SMS gets its own short text). */
function allChannels(code: string, texts: Texts, channels: NotificationChannel[] = ['in_app', 'email', 'sms', 'push']): DefaultTemplate[] {
  return channels.flatMap((channel) =>
    (Object.keys(texts) as Locale[]).map((locale) => {
      const t = texts[locale];
      return { code, channel, locale, subject: channel === 'sms' ? null : t.subject, body: channel === 'sms' ? t.sms : t.body };
    }),
  );
}

/**
 * Built-in templates, inserted when missing at every start (`ensureDefaultTemplates`); an
 * administrator's edits are kept. Other modules add the codes they send here.
 */
export const DEFAULT_TEMPLATES: DefaultTemplate[] = [
  ...allChannels('system.test', {
    'zh-CN': {
      subject: '测试通知',
      body: '{{name}}，您好：\n\n这是一条来自物业管理系统的测试通知，用于确认通知渠道可用。\n\n发送人：{{sender}}',
      sms: '{{name}}，您好：这是一条测试通知，通知渠道可用。',
    },
    'en-US': {
      subject: 'Test notification',
      body: 'Hello {{name}},\n\nThis is a test notification from the property management system, to confirm that the channel works.\n\nSent by: {{sender}}',
      sms: 'Hello {{name}}, this is a test notification: the channel works.',
    },
  }),
  ...allChannels(
    'identity.password_reset',
    {
      'zh-CN': {
        subject: '您的密码已被重置',
        body: '{{name}}，您好：\n\n管理员已重置您的账号 {{username}} 的密码。请使用管理员告知的临时密码登录，并按提示设置新密码。\n\n如果您没有申请重置，请立即联系物业管理处。',
        sms: '{{name}}，您好：您的账号 {{username}} 的密码已被管理员重置。如非本人申请，请立即联系物业管理处。',
      },
      'en-US': {
        subject: 'Your password was reset',
        body: 'Hello {{name}},\n\nAn administrator reset the password of your account {{username}}. Sign in with the temporary password you were given and choose a new one.\n\nIf you did not ask for this, contact the property management office at once.',
        sms: 'Hello {{name}}, the password of your account {{username}} was reset by an administrator. If you did not ask for this, contact the management office.',
      },
    },
    ['in_app', 'email', 'sms'],
  ),
  ...allChannels(
    'identity.account_locked',
    {
      'zh-CN': {
        subject: '您的账号已被锁定',
        body: '{{name}}，您好：\n\n由于连续多次登录失败，您的账号 {{username}} 已被锁定至 {{lockedUntil}}。\n\n如果这不是您本人的操作，可能有人在尝试登录您的账号，请联系管理员。',
        sms: '{{name}}，您好：您的账号 {{username}} 因多次登录失败已被锁定至 {{lockedUntil}}。如非本人操作，请联系管理员。',
      },
      'en-US': {
        subject: 'Your account is locked',
        body: 'Hello {{name}},\n\nAfter several failed sign-ins your account {{username}} is locked until {{lockedUntil}}.\n\nIf this was not you, somebody may be trying to sign in to your account: contact an administrator.',
        sms: 'Hello {{name}}, your account {{username}} is locked until {{lockedUntil}} after several failed sign-ins. If this was not you, contact an administrator.',
      },
    },
    ['in_app', 'email', 'sms'],
  ),
];
