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
  // Service desk: the sender of feedback about the system gets the answer (service_desk.feedback_answered).
  ...allChannels(
    'service_desk.feedback_answered',
    {
      'zh-CN': {
        subject: '您的反馈已答复',
        body: '{{name}}，您好：\n\n您提交的反馈「{{excerpt}}」已有答复：\n\n{{response}}\n\n可在“我的反馈”中查看。',
        sms: '{{name}}，您好：您的反馈已有答复，请登录系统在“我的反馈”中查看。',
      },
      'en-US': {
        subject: 'Your feedback was answered',
        body: 'Hello {{name}},\n\nYour feedback "{{excerpt}}" has an answer:\n\n{{response}}\n\nSee it under "My feedback".',
        sms: 'Hello {{name}}, your feedback has an answer: see it under "My feedback".',
      },
    },
    ['in_app', 'email'],
  ),
  // billing: the daily ledger check found broken invariants (sent to holders of billing.ledger.check)
  ...allChannels(
    'billing.ledger_check_failed',
    {
      'zh-CN': {
        subject: '账务核对发现 {{count}} 个问题',
        body: '{{name}}，您好：\n\n每日账务核对发现 {{count}} 个问题，请尽快处理。第一个问题：{{first}}\n\n可运行 courtyard ledger check 查看全部问题。',
        sms: '账务核对发现 {{count}} 个问题，请尽快处理。',
      },
      'en-US': {
        subject: 'Ledger check found {{count}} problem(s)',
        body: 'Hello {{name}},\n\nThe daily ledger check found {{count}} problem(s). The first: {{first}}\n\nRun courtyard ledger check to list them all.',
        sms: 'The ledger check found {{count}} problem(s).',
      },
    },
    ['in_app', 'email'],
  ),
  // Service desk requests: dispatch to a technician or team, time-limit warning and escalation.
  ...allChannels(
    'service_desk.request_dispatched',
    {
      'zh-CN': { subject: '新工单 {{number}}', body: '{{name}}，您好：\n\n工单 {{number}} 已派给您（或您的班组）：{{location}}，{{summary}}\n\n请及时接单并到场处理。', sms: '新工单 {{number}}：{{location}}，请及时处理。' },
      'en-US': { subject: 'New work order {{number}}', body: 'Hello {{name}},\n\nRequest {{number}} was dispatched to you (or your team): {{location}}, {{summary}}\n\nPlease take it and go on site.', sms: 'New work order {{number}}: {{location}}.' },
    },
    ['in_app', 'sms', 'push'],
  ),
  ...allChannels(
    'service_desk.sla_warning',
    {
      'zh-CN': { subject: '工单 {{number}} 即将超时', body: '{{name}}，您好：\n\n工单 {{number}} 的{{stage}}时限将于 {{dueAt}} 到期，请尽快处理。', sms: '工单 {{number}} 将于 {{dueAt}} 超时，请尽快处理。' },
      'en-US': { subject: 'Request {{number}} is nearly overdue', body: 'Hello {{name}},\n\nThe {{stage}} time limit of request {{number}} ends at {{dueAt}}.', sms: 'Request {{number}} is due at {{dueAt}}.' },
    },
    ['in_app', 'push'],
  ),
  ...allChannels(
    'service_desk.sla_escalated',
    {
      'zh-CN': { subject: '工单 {{number}} 已超时', body: '{{name}}，您好：\n\n工单 {{number}}（{{location}}）的{{stage}}时限已于 {{dueAt}} 到期，请督办。', sms: '工单 {{number}}（{{location}}）已超时，请督办。' },
      'en-US': { subject: 'Request {{number}} is overdue', body: 'Hello {{name}},\n\nThe {{stage}} time limit of request {{number}} ({{location}}) passed at {{dueAt}}. Please follow it up.', sms: 'Request {{number}} ({{location}}) is overdue.' },
    },
    ['in_app', 'email', 'sms'],
  ),
  // billing: dunning reminder (催缴) to a room's payer, per reminder rule (7 / 30 / 60 days overdue …)
  ...allChannels(
    'billing.dunning_reminder',
    {
      'zh-CN': {
        subject: '缴费提醒：{{room}} 有 {{count}} 笔费用已逾期',
        body: '{{name}}，您好：\n\n您的房屋/车位 {{room}} 有 {{count}} 笔费用已逾期 {{days}} 天以上（最早应缴日 {{oldestDueOn}}），合计欠费 {{amount}}。\n\n请尽快通过业主门户在线缴纳或到物业服务中心缴费。如已缴纳，请忽略本提醒。',
        sms: '【缴费提醒】{{room}} 有 {{count}} 笔费用逾期，合计 {{amount}}，请尽快缴纳。如已缴纳请忽略。',
      },
      'en-US': {
        subject: 'Payment reminder: {{count}} overdue bill(s) for {{room}}',
        body: 'Hello {{name}},\n\n{{room}} has {{count}} bill(s) more than {{days}} days overdue (the oldest was due on {{oldestDueOn}}), {{amount}} in total.\n\nPlease pay in the owner portal or at the property service centre. If you have already paid, please ignore this reminder.',
        sms: 'Reminder: {{room}} has {{count}} overdue bill(s), {{amount}} in total. Please pay soon; ignore this if already paid.',
      },
    },
    ['in_app', 'sms', 'email'],
  ),
  // billing: a budget line reached 90 % / 100 % (sent once each to holders of billing.budget.manage)
  ...allChannels(
    'billing.budget_threshold',
    {
      'zh-CN': {
        subject: '预算提醒：{{year}} 年「{{category}}」已使用 {{threshold}}%',
        body: '{{name}}，您好：\n\n{{year}} 年度预算「{{category}}」的实际支出 {{actual}} 已达到预算 {{budget}} 的 {{threshold}}%，请关注。',
        sms: '预算提醒：{{year}} 年「{{category}}」支出已达预算的 {{threshold}}%。',
      },
      'en-US': {
        subject: 'Budget alert: {{category}} {{year}} at {{threshold}}%',
        body: 'Hello {{name}},\n\nSpending on {{category}} in {{year}} ({{actual}}) has reached {{threshold}}% of its budget ({{budget}}).',
        sms: 'Budget alert: {{category}} {{year}} has reached {{threshold}}% of its budget.',
      },
    },
    ['in_app', 'email'],
  ),
];
