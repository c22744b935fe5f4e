import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, htmlOf, renderText } from '../../src/modules/notifications/index.js';

describe('notification templates', () => {
  it('replaces {{variable}} placeholders, tolerating spaces, and leaves unknown variables empty', () => {
    expect(renderText('{{name}}，您好：{{ when }} {{missing}}!', { name: '张三', when: '08:00' })).toBe('张三，您好：08:00 !');
    expect(renderText('{{n}} {{flag}} {{none}}', { n: 0, flag: false, none: null })).toBe('0 false ');
  });

  it('does not re-expand placeholders that arrive inside a value', () => {
    expect(renderText('Hi {{name}}', { name: '{{secret}}', secret: 'x' })).toBe('Hi {{secret}}');
  });

  it('escapes everything in the HTML part and keeps paragraphs and line breaks', () => {
    const html = htmlOf('Hello <b>&"\'\n\nline one\nline two');
    expect(html).toContain('<p>Hello &lt;b&gt;&amp;&quot;&#39;</p>');
    expect(html).toContain('<p>line one<br>line two</p>');
  });

  it('ships every built-in template in both languages, with a subject except for SMS', () => {
    const codes = new Set(DEFAULT_TEMPLATES.map((t) => t.code));
    expect([...codes].sort()).toEqual([
      'billing.budget_threshold',
      'billing.dunning_reminder',
      'billing.ledger_check_failed',
      'identity.account_locked',
      'identity.password_reset',
      'service_desk.feedback_answered',
      'service_desk.request_dispatched',
      'service_desk.sla_escalated',
      'service_desk.sla_warning',
      'system.test',
    ]);
    for (const t of DEFAULT_TEMPLATES) {
      expect(DEFAULT_TEMPLATES.some((o) => o.code === t.code && o.channel === t.channel && o.locale === (t.locale === 'zh-CN' ? 'en-US' : 'zh-CN'))).toBe(true);
      expect(t.subject === null).toBe(t.channel === 'sms');
    }
  });
});
