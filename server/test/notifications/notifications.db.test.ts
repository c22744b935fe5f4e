import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxItem, Locale, NotificationMessage, NotificationTemplate, SettingKey, SettingValue } from '@courtyard/contracts';
import { HOUR, MINUTE } from '../../src/core/clock.js';
import { backoffMs } from '../../src/core/jobs/jobs.js';
import { systemContext } from '../../src/core/http/context.js';
import type { SendInput } from '../../src/modules/notifications/index.js';
import { Client, enrolMfa, makeUser, PASSWORD, signInWithMfa, startCourtyard, type TestCourtyard } from '../harness.js';
import { signatureValid, startReceiver, startSmtp, type TestReceiver, type TestSmtp } from './receivers.js';

let c: TestCourtyard;
let smtp: TestSmtp;
let gateway: TestReceiver;
let admin: Client;
let secret = '';
const ctx = systemContext('test');

beforeAll(async () => {
  c = await startCourtyard();
  smtp = await startSmtp();
  gateway = await startReceiver();
  await makeUser(c, { username: 'root', role: 'system_admin' });
  admin = new Client(c.app);
  await admin.signIn('root');
  secret = (await enrolMfa(admin, c.clock)).secret;
  await configure('notifications.email', { enabled: true, host: '127.0.0.1', port: smtp.port, secure: false, user: '', password: '', from: '翠湖物业 <noreply@courtyard.test>' });
});
afterAll(async () => {
  await c.dispose();
  await smtp.close();
  await gateway.close();
});

async function configure<K extends SettingKey>(key: K, value: Partial<SettingValue<K>>) {
  await c.services.settings.update(ctx, key, value);
}

let seq = 0;
/** A recipient built through the users service, with a language and contact details. */
async function recipient(spec: { name: string; locale?: Locale; email?: string; phone?: string }): Promise<string> {
  seq += 1;
  return c.database.db.transaction().execute((tx) =>
    c.services.users.createIn(tx, ctx, {
      username: `r${seq}.${spec.locale ?? 'zh'}`.toLowerCase(),
      displayName: spec.name,
      kind: 'owner',
      locale: spec.locale ?? 'zh-CN',
      email: spec.email ?? null,
      phone: spec.phone ?? null,
      password: PASSWORD,
    }),
  );
}

/** A business transaction that only sends. */
const send = (input: SendInput) => c.database.db.transaction().execute((tx) => c.services.notifications.send(tx, ctx, input));
const messagesOf = async (userId: string): Promise<NotificationMessage[]> => (await c.services.notifications.listMessages(ctx, { userId, limit: 200 })).items;
const message = async (id: string): Promise<NotificationMessage> => (await c.services.notifications.listMessages(ctx, { limit: 200 })).items.find((m) => m.id === id)!;

/** Runs every due job, then moves time past the backoff of `attempt` (the jobs core's schedule). */
async function runAttempt(attempt: number) {
  await c.services.jobs.runDue();
  c.clock.advance(backoffMs(attempt) + 1);
}

describe('e-mail over SMTP', () => {
  it("delivers through a real SMTP server in each recipient's language: Chinese subject and body for zh-CN, English for en-US", async () => {
    const zh = await recipient({ name: '张三', locale: 'zh-CN', email: 'zhang.san@example.com' });
    const en = await recipient({ name: 'Alice', locale: 'en-US', email: 'alice@example.com' });
    const before = smtp.mails.length;
    const ids = await send({ recipients: [zh, en], template: 'system.test', data: { sender: 'Courtyard' }, channels: ['email'] });
    expect(ids).toHaveLength(2);
    // Nothing leaves before the delivery job runs.
    expect(smtp.mails.length).toBe(before);
    expect((await messagesOf(zh))[0]).toMatchObject({ status: 'queued', channel: 'email', address: 'z***@example.com' });

    await c.services.jobs.runDue();
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    const toZh = mails.find((m) => m.to.includes('zhang.san@example.com'))!;
    const toEn = mails.find((m) => m.to.includes('alice@example.com'))!;
    expect(toZh.to).toEqual(['zhang.san@example.com']);
    expect(toZh.from).toBe('noreply@courtyard.test');
    expect(toZh.subject).toBe('测试通知');
    expect(toZh.text).toContain('张三，您好');
    expect(toZh.text).toContain('测试通知');
    expect(toZh.html).toContain('张三，您好');
    expect(toEn.to).toEqual(['alice@example.com']);
    expect(toEn.subject).toBe('Test notification');
    expect(toEn.text).toMatch(/^Hello Alice,/);
    expect(toEn.text).toContain('Sent by: Courtyard');
    expect(toEn.text).not.toMatch(/[\u4e00-\u9fff]/);

    const [sent] = await messagesOf(zh);
    expect(sent).toMatchObject({ status: 'sent', provider: 'smtp', attempts: 1, lastError: null, locale: 'zh-CN' });
    expect(sent!.providerId).toBeTruthy();
    expect(sent!.sentAt).toBe(c.clock.now().toISOString());
  });

  it('escapes HTML in the e-mail HTML part: a variable cannot inject markup, the text part keeps it verbatim', async () => {
    const id = await recipient({ name: 'Bob <b>', locale: 'en-US', email: 'bob@example.com' });
    const before = smtp.mails.length;
    await send({ recipients: [id], template: 'system.test', data: { sender: '<script>alert(1)</script>' }, channels: ['email'] });
    await c.services.jobs.runDue();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail!.html).toContain('Bob &lt;b&gt;');
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.text).toContain('Sent by: <script>alert(1)</script>');
  });

  it('sends nothing when the business transaction rolls back', async () => {
    const id = await recipient({ name: '李四', email: 'li.si@example.com' });
    const before = smtp.mails.length;
    await expect(
      c.database.db.transaction().execute(async (tx) => {
        await c.services.notifications.send(tx, ctx, { recipients: [id], template: 'system.test', channels: ['email', 'in_app'] });
        throw new Error('the business rule refused');
      }),
    ).rejects.toThrow('the business rule refused');
    await c.services.jobs.runDue();
    expect(await messagesOf(id)).toEqual([]);
    expect(smtp.mails.length).toBe(before);
  });

  it('a disabled e-mail channel fails the message at once with a clear reason, and does not retry', async () => {
    await configure('notifications.email', { enabled: false });
    try {
      const id = await recipient({ name: '王五', email: 'wang.wu@example.com' });
      const [messageId] = await send({ recipients: [id], template: 'system.test', channels: ['email'] });
      await c.services.jobs.runDue();
      expect(await message(messageId!)).toMatchObject({ status: 'failed', lastError: 'email channel is not configured', attempts: 1 });
      c.clock.advance(HOUR);
      await c.services.jobs.runDue();
      expect((await message(messageId!)).attempts).toBe(1);
    } finally {
      await configure('notifications.email', { enabled: true });
    }
  });
});

describe('failing channels', () => {
  it('an SMTP server refusing the recipient: retried with exponential backoff, then dead-lettered; the business change stays committed; resend delivers it', async () => {
    const id = await recipient({ name: '赵六', email: 'zhao.liu@example.com' });
    smtp.refuse = true;
    const before = smtp.mails.length;
    // The business operation: a community is created and its manager told, in one transaction.
    const { communityId, messageId } = await c.database.db.transaction().execute(async (tx) => {
      const communityId = await c.services.properties.createCommunity(tx, ctx, { code: 'FAIL1', name: '失败测试小区', address: '测试路 1 号', type: 'residential' });
      const [messageId] = await c.services.notifications.send(tx, ctx, { recipients: [id], template: 'system.test', channels: ['email'], communityId });
      return { communityId, messageId: messageId! };
    });

    await c.services.jobs.runDue();
    let m = await message(messageId);
    expect(m).toMatchObject({ status: 'queued', attempts: 1 });
    expect(m.lastError).toMatch(/550/);
    // Backoff: not before 10 s have passed.
    c.clock.advance(backoffMs(1) - 1000);
    await c.services.jobs.runDue();
    expect((await message(messageId)).attempts).toBe(1);
    c.clock.advance(1001);
    for (let attempt = 2; attempt <= 5; attempt++) {
      await c.services.jobs.runDue();
      expect((await message(messageId)).attempts).toBe(attempt);
      c.clock.advance(backoffMs(attempt) + 1);
    }
    m = await message(messageId);
    expect(m).toMatchObject({ status: 'failed', attempts: 5, communityId });
    expect(m.failedAt).not.toBeNull();
    expect(smtp.mails.length).toBe(before);
    // No sixth attempt on its own.
    c.clock.advance(HOUR);
    await c.services.jobs.runDue();
    expect((await message(messageId)).attempts).toBe(5);

    // The business change committed regardless.
    expect(await c.services.properties.communityExists(c.database.db, communityId)).toBe(true);

    // The dead-letter list shows it to an administrator, who resends once the server accepts mail.
    const dead = await adminClient();
    const list = await dead.get('/api/notifications/dead-letters?channel=email');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: NotificationMessage[] }>().items.map((x) => x.id)).toContain(messageId);
    smtp.refuse = false;
    const resent = await dead.post(`/api/notifications/messages/${messageId}/resend`);
    expect(resent.statusCode).toBe(200);
    expect(resent.json()).toMatchObject({ status: 'queued', lastError: null });
    // A second resend while it is queued is refused.
    expect((await dead.post(`/api/notifications/messages/${messageId}/resend`)).json()).toMatchObject({ code: 'notifications.not_resendable' });
    await c.services.jobs.runDue();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual(['zhao.liu@example.com']);
    expect(await message(messageId)).toMatchObject({ status: 'sent', attempts: 6, lastError: null });
    const audit = await dead.get('/api/audit?action=notifications.message.resend');
    expect(audit.json<{ items: { entityId: string }[] }>().items.map((a) => a.entityId)).toContain(messageId);
  });

  it('an SMS gateway answering 500: signed requests retried with backoff, then dead-lettered; resend succeeds once the gateway recovers', async () => {
    await configure('notifications.sms', { provider: 'http', endpoint: gateway.url, accessKeyId: 'AK-test', accessKeySecret: 'sms-secret-1', signName: '翠湖物业' });
    try {
      const id = await recipient({ name: '孙七', phone: '13900001111' });
      gateway.answer = { status: 500, body: { message: 'internal error' } };
      gateway.requests.length = 0;
      const [messageId] = await send({ recipients: [id], template: 'system.test', data: { sender: 'x' }, channels: ['sms'] });
      for (let attempt = 1; attempt <= 5; attempt++) await runAttempt(attempt);
      const m = await message(messageId!);
      expect(m).toMatchObject({ status: 'failed', attempts: 5, provider: 'http', address: '139****1111' });
      expect(m.lastError).toMatch(/HTTP 500/);
      expect(gateway.requests).toHaveLength(5);
      for (const r of gateway.requests) {
        expect(signatureValid(r, 'sms-secret-1')).toBe(true);
        expect(r.headers['x-access-key-id']).toBe('AK-test');
        expect(r.json).toMatchObject({ phoneNumbers: '13900001111', signName: '翠湖物业', templateCode: 'system.test', templateParam: { name: '孙七', sender: 'x' }, outId: messageId });
      }
      const dead = await c.services.notifications.deadLetters(ctx, { channel: 'sms' });
      expect(dead.items.map((x) => x.id)).toContain(messageId);

      // A gateway that answers 200 with an error code is a failure too.
      gateway.answer = { status: 200, body: { code: 'isv.BUSINESS_LIMIT_CONTROL', message: 'too many' } };
      await c.services.notifications.resend(ctx, messageId!);
      await runAttempt(1);
      expect((await message(messageId!)).lastError).toMatch(/isv\.BUSINESS_LIMIT_CONTROL/);

      gateway.answer = { status: 200, body: { code: 'OK', bizId: 'BIZ-42' } };
      await c.services.jobs.runDue();
      expect(await message(messageId!)).toMatchObject({ status: 'sent', providerId: 'BIZ-42', lastError: null, attempts: 7 });
    } finally {
      await configure('notifications.sms', { provider: 'log' });
    }
  });

  it('push goes through the HTTP adapter signed with the app secret; provider "none" fails clearly without retries', async () => {
    const id = await recipient({ name: '周八' });
    const [unconfigured] = await send({ recipients: [id], template: 'system.test', channels: ['push'] });
    await c.services.jobs.runDue();
    expect(await message(unconfigured!)).toMatchObject({ status: 'failed', attempts: 1, lastError: 'push channel is not configured' });

    const receiver = await startReceiver({ status: 200, body: { code: 'OK', messageId: 'PUSH-7', delivered: true } });
    try {
      await configure('notifications.push', { provider: 'http', endpoint: receiver.url, appId: 'wx-app-1', appSecret: 'push-secret' });
      const [pushed] = await send({ recipients: [id], template: 'system.test', channels: ['push'] });
      await c.services.jobs.runDue();
      expect(await message(pushed!)).toMatchObject({ status: 'delivered', providerId: 'PUSH-7' });
      expect(receiver.requests).toHaveLength(1);
      const [r] = receiver.requests;
      expect(signatureValid(r!, 'push-secret')).toBe(true);
      expect(r!.headers['x-access-key-id']).toBe('wx-app-1');
      expect(r!.json).toMatchObject({ appId: 'wx-app-1', userId: id, title: '测试通知', messageId: pushed });
    } finally {
      await configure('notifications.push', { provider: 'none' });
      await receiver.close();
    }
  });
});

describe('SMS log (demo mode)', () => {
  it('the log provider keeps the text and marks it sent; the SMS log shows it with the phone number masked', async () => {
    const id = await recipient({ name: '吴九', phone: '13800001234' });
    const [messageId] = await send({ recipients: [id], template: 'system.test', data: { sender: 'x' }, channels: ['sms'] });
    await c.services.jobs.runDue();
    const client = await adminClient();
    const res = await client.get('/api/notifications/sms-log');
    expect(res.statusCode).toBe(200);
    const item = res.json<{ items: NotificationMessage[] }>().items.find((m) => m.id === messageId);
    expect(item).toMatchObject({ status: 'sent', provider: 'log', address: '138****1234', body: '吴九，您好：这是一条测试通知，通知渠道可用。' });
    expect(res.body).not.toContain('13800001234');
  });
});

describe('rate limit per address', () => {
  it('sends at most perRecipientPerHour messages to one address per rolling hour; the next waits for a free slot without using an attempt; emergencies are exempt', async () => {
    await configure('notifications.limits', { perRecipientPerHour: 2 });
    try {
      const id = await recipient({ name: '郑十', phone: '13700002222' });
      const other = await recipient({ name: '冯一', phone: '13700003333' });
      const first = await send({ recipients: [id], template: 'system.test', channels: ['sms'] });
      const second = await send({ recipients: [id], template: 'system.test', channels: ['sms'] });
      const third = await send({ recipients: [id], template: 'system.test', channels: ['sms'] });
      const elsewhere = await send({ recipients: [other], template: 'system.test', channels: ['sms'] });
      const start = c.clock.now().getTime();
      await c.services.jobs.runDue();
      expect((await message(first[0]!)).status).toBe('sent');
      expect((await message(second[0]!)).status).toBe('sent');
      const waiting = await message(third[0]!);
      expect(waiting).toMatchObject({ status: 'queued', attempts: 0 });
      expect(waiting.lastError).toMatch(/rate limit: 2 messages per hour/);
      // Another address has its own allowance.
      expect((await message(elsewhere[0]!)).status).toBe('sent');

      const emergency = await send({ recipients: [id], template: 'system.test', channels: ['sms'], emergency: true });
      await c.services.jobs.runDue();
      expect(await message(emergency[0]!)).toMatchObject({ status: 'sent', emergency: true });

      c.clock.set(new Date(start + 59 * MINUTE));
      await c.services.jobs.runDue();
      expect((await message(third[0]!)).status).toBe('queued');
      c.clock.set(new Date(start + HOUR + 2000));
      await c.services.jobs.runDue();
      expect(await message(third[0]!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    } finally {
      await configure('notifications.limits', { perRecipientPerHour: 10 });
    }
  });
});

describe("recipients' channel choices", () => {
  it('a user who turns SMS off gets no SMS, and an emergency reaches them on it anyway', async () => {
    const id = await recipient({ name: '陈二', email: 'chen.er@example.com', phone: '13600004444' });
    const user = new Client(c.app);
    await user.signIn(`r${seq}.zh`);
    const initial = await user.get('/api/notifications/preferences');
    expect(initial.json()).toEqual({ items: ['in_app', 'email', 'sms', 'push'].map((channel) => ({ channel, enabled: true })) });
    const changed = await user.put('/api/notifications/preferences', { items: [{ channel: 'sms', enabled: false }] });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<{ items: { channel: string; enabled: boolean }[] }>().items.find((p) => p.channel === 'sms')).toEqual({ channel: 'sms', enabled: false });

    await send({ recipients: [id], template: 'system.test' });
    expect((await messagesOf(id)).map((m) => m.channel).sort()).toEqual(['email', 'in_app', 'push']);
    await send({ recipients: [id], template: 'system.test', channels: ['sms'], emergency: true });
    const sms = (await messagesOf(id)).filter((m) => m.channel === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.emergency).toBe(true);
  });

  it('a recipient without an address for a channel, or a disabled account, gets no message on it', async () => {
    const noContacts = await recipient({ name: '无联系方式' });
    const ids = await send({ recipients: [noContacts], template: 'system.test', channels: ['email', 'sms', 'in_app'] });
    expect(ids).toHaveLength(1);
    expect((await messagesOf(noContacts)).map((m) => m.channel)).toEqual(['in_app']);
    const disabled = await recipient({ name: '已停用', email: 'gone@example.com' });
    await c.services.users.setStatus(ctx, disabled, 'disabled');
    expect(await send({ recipients: [disabled], template: 'system.test', channels: ['email', 'in_app'] })).toEqual([]);
  });
});

describe('the in-app notification centre', () => {
  it('in-app messages are delivered at commit and counted unread; marking one read, then all, brings the count to zero', async () => {
    const id = await recipient({ name: '刘三' });
    const user = new Client(c.app);
    await user.signIn(`r${seq}.zh`);
    expect((await user.get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
    const [firstId] = await send({ recipients: [id], template: 'system.test', data: { sender: '管理处' }, channels: ['in_app'] });
    c.clock.advance(1000);
    await send({ recipients: [id], template: 'identity.account_locked', data: { username: 'liu', lockedUntil: '2026-03-02 16:15' }, channels: ['in_app'] });
    expect(await message(firstId!)).toMatchObject({ status: 'delivered', provider: 'in_app' });
    expect((await user.get('/api/notifications/unread-count')).json()).toEqual({ count: 2 });

    const inbox = (await user.get('/api/notifications/inbox')).json<{ items: InboxItem[]; nextCursor: string | null }>();
    expect(inbox.items.map((i) => i.subject)).toEqual(['您的账号已被锁定', '测试通知']);
    expect(inbox.items[0]!.body).toContain('2026-03-02 16:15');
    const page = (await user.get('/api/notifications/inbox?limit=1')).json<{ items: InboxItem[]; nextCursor: string }>();
    expect(page.items).toHaveLength(1);
    const next = (await user.get(`/api/notifications/inbox?limit=1&cursor=${page.nextCursor}`)).json<{ items: InboxItem[] }>();
    expect(next.items[0]!.id).toBe(firstId);

    expect((await user.post(`/api/notifications/${firstId}/read`)).json()).toEqual({ count: 1 });
    expect((await user.get('/api/notifications/inbox?unread=true')).json<{ items: InboxItem[] }>().items).toHaveLength(1);
    expect((await user.post('/api/notifications/read-all')).json()).toEqual({ count: 0 });
    expect((await user.get('/api/notifications/unread-count')).json()).toEqual({ count: 0 });
    const after = (await user.get('/api/notifications/inbox')).json<{ items: InboxItem[] }>();
    expect(after.items.every((i) => i.readAt === c.clock.now().toISOString())).toBe(true);
  });

  it("a user sees only their own notifications: another user's message answers 404", async () => {
    const owner = await recipient({ name: '甲' });
    await recipient({ name: '乙' });
    const stranger = new Client(c.app);
    await stranger.signIn(`r${seq}.zh`);
    const [theirs] = await send({ recipients: [owner], template: 'system.test', channels: ['in_app'] });
    expect((await stranger.post(`/api/notifications/${theirs}/read`)).statusCode).toBe(404);
    expect((await stranger.get('/api/notifications/inbox')).json<{ items: InboxItem[] }>().items).toEqual([]);
    expect((await message(theirs!)).readAt).toBeNull();
  });
});

describe('templates', () => {
  it('an administrator edits one channel and language of a template; the next message uses it; the change is audited and kept at the next start', async () => {
    const client = await adminClient();
    const list = await client.get('/api/notifications/templates');
    const items = list.json<{ items: NotificationTemplate[] }>().items;
    for (const code of ['system.test', 'identity.password_reset', 'identity.account_locked']) {
      expect(items.filter((t) => t.code === code && t.channel === 'email').map((t) => t.locale).sort()).toEqual(['en-US', 'zh-CN']);
    }
    const res = await client.put('/api/notifications/templates/system.test/email/en-US', { subject: 'Channel check for {{name}}', body: 'Dear {{name}}, all good.' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subject: 'Channel check for {{name}}', updatedBy: 'root' });

    await c.services.notifications.ensureDefaultTemplates();
    const id = await recipient({ name: 'Carol', locale: 'en-US', email: 'carol@example.com' });
    const zh = await recipient({ name: '钱多多', locale: 'zh-CN', email: 'qian@example.com' });
    const before = smtp.mails.length;
    await send({ recipients: [id, zh], template: 'system.test', channels: ['email'] });
    await c.services.jobs.runDue();
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    expect(mails.find((m) => m.to[0] === 'carol@example.com')).toMatchObject({ subject: 'Channel check for Carol', text: 'Dear Carol, all good.' });
    // The Chinese text is untouched.
    expect(mails.find((m) => m.to[0] === 'qian@example.com')!.subject).toBe('测试通知');

    const audit = await client.get('/api/audit?action=notifications.template.update');
    expect(audit.json<{ items: { entityId: string }[] }>().items[0]!.entityId).toBe('system.test/email/en-US');
    expect((await client.put('/api/notifications/templates/no.such/email/en-US', { subject: null, body: 'x' })).json()).toMatchObject({ code: 'notifications.template_not_found' });
  });

  it('a recipient whose language has no text gets the Chinese one', async () => {
    await c.database.db.deleteFrom('notification_templates').where('code', '=', 'identity.password_reset').where('channel', '=', 'in_app').where('locale', '=', 'en-US').execute();
    const id = await recipient({ name: 'Dave', locale: 'en-US' });
    const [messageId] = await send({ recipients: [id], template: 'identity.password_reset', data: { username: 'dave' }, channels: ['in_app'] });
    expect(await message(messageId!)).toMatchObject({ locale: 'zh-CN', subject: '您的密码已被重置' });
    await c.services.notifications.ensureDefaultTemplates();
  });

  it('template and delivery administration need their permissions', async () => {
    await makeUser(c, { username: 'mgr', role: 'property_manager' });
    const manager = new Client(c.app);
    await manager.signIn('mgr');
    expect((await manager.get('/api/notifications/templates')).statusCode).toBe(403);
    expect((await manager.get('/api/notifications/dead-letters')).statusCode).toBe(403);
    expect((await manager.post('/api/notifications/test', { userId: await recipient({ name: 'x' }) })).statusCode).toBe(403);
    // Every signed-in user has a notification centre.
    expect((await manager.get('/api/notifications/unread-count')).statusCode).toBe(200);
  });

  it('the test route sends system.test to a user on the channels asked for, and audits it', async () => {
    const id = await recipient({ name: '测试对象', email: 'test.target@example.com' });
    const client = await adminClient();
    const res = await client.post('/api/notifications/test', { userId: id, channels: ['in_app', 'email'] });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ messageIds: string[] }>().messageIds).toHaveLength(2);
    expect((await messagesOf(id)).find((m) => m.channel === 'in_app')!.body).toContain('发送人：root');
    expect((await client.post('/api/notifications/test', { userId: '01a20fba-bc25-7894-92fa-ed59faf81c69' })).statusCode).toBe(404);
  });
});

/** A fresh administrator session with two-factor (the clock moves in these tests, so sessions idle out). */
function adminClient(): Promise<Client> {
  return signInWithMfa(c.app, c.clock, 'root', secret);
}
