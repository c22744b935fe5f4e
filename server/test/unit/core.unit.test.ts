import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '@courtyard/contracts';
import { createFieldCipher, maskIdNumber, maskPhone } from '../../src/core/crypto/field.js';
import { generatePassword, passwordStrongEnough } from '../../src/core/crypto/password.js';
import { createTokenHasher, randomToken } from '../../src/core/crypto/tokens.js';
import { decodeCursor, encodeCursor, pageOf } from '../../src/core/http/cursor.js';
import { fieldValue, invalid, problem } from '../../src/core/http/errors.js';
import { backoffMs } from '../../src/core/jobs/jobs.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { toScopes } from '../../src/modules/identity/access.service.js';

describe('password policy', () => {
  it.each([
    ['Abcdefg1', true],
    ['abcdefg1!', true],
    ['ABCDEFG1!', true],
    ['Abcdefgh!', true],
    ['abcdefgh1', false], // two classes
    ['Abc1!', false], // too short
    ['密码密码密码Ab1', true], // CJK counts as a symbol class
    ['abcdefgh', false],
  ])('%s → %s', (password, ok) => {
    expect(passwordStrongEnough(password)).toBe(ok);
  });

  it('generated passwords always satisfy the policy', () => {
    for (let i = 0; i < 200; i++) expect(passwordStrongEnough(generatePassword())).toBe(true);
  });
});

describe('field encryption', () => {
  const cipher = createFieldCipher(crypto.randomBytes(32));

  it('round-trips any text, with a fresh nonce each time', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const a = cipher.encrypt(text);
        expect(cipher.decrypt(a)).toBe(text);
        expect(cipher.encrypt(text)).not.toBe(a);
      }),
    );
  });

  it('encrypts a batch in the same format, each value with its own nonce (one random buffer per batch)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 50 }), (texts) => {
        const sealed = cipher.encryptMany(texts);
        expect(sealed.map((s) => cipher.decrypt(s))).toEqual(texts);
        expect(sealed.every((s) => cipher.isCurrent(s))).toBe(true);
        const nonces = sealed.map((s) => s.split('.')[2]);
        expect(new Set(nonces).size).toBe(texts.length);
      }),
    );
  });

  it('encrypts a large batch on the seal worker in the same format, with the current key, each value with its own nonce', async () => {
    const texts = Array.from({ length: 3_000 }, (_, i) => `1390000${String(i).padStart(4, '0')}·张`);
    const [first, second] = await Promise.all([cipher.encryptManyOffThread(texts), cipher.encryptManyOffThread(texts.slice(0, 1_000))]);
    expect(first.map((s) => cipher.decrypt(s))).toEqual(texts);
    expect(second.map((s) => cipher.decrypt(s))).toEqual(texts.slice(0, 1_000));
    expect(first.every((s) => cipher.isCurrent(s))).toBe(true);
    expect(new Set([...first, ...second].map((s) => s.split('.')[2])).size).toBe(4_000);
    // Small batches are sealed in-thread, the same way.
    expect((await cipher.encryptManyOffThread(['13812345678'])).map((s) => cipher.decrypt(s))).toEqual(['13812345678']);
  });

  it('computes blind indexes on the seal worker exactly as in-thread', async () => {
    const texts = Array.from({ length: 2_000 }, (_, i) => (i % 2 ? ` 1101051949${String(i).padStart(7, '0')}x ` : `1390000${String(i).padStart(4, '0')}`));
    expect(await cipher.blindIndexManyOffThread(texts)).toEqual(texts.map((t) => cipher.blindIndex(t)));
    expect(await cipher.blindIndexManyOffThread(texts.slice(0, 3))).toEqual(texts.slice(0, 3).map((t) => cipher.blindIndex(t)));
  });

  it('detects a tampered ciphertext', () => {
    const stored = cipher.encrypt('13812345678');
    const [v, n, body] = stored.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.decrypt(`${v}.${n}.${flipped.toString('base64url')}`)).toThrow();
  });

  it('cannot be read with another key', () => {
    const other = createFieldCipher(crypto.randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt('secret'))).toThrow();
  });

  it('gives a stable blind index that ignores case and surrounding spaces', () => {
    expect(cipher.blindIndex(' ABC@x.cn ')).toBe(cipher.blindIndex('abc@x.cn'));
    expect(cipher.blindIndex('13812345678')).not.toBe(cipher.blindIndex('13812345679'));
  });
});

describe('masking', () => {
  it('masks phone numbers as 138****1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('12345')).toBe('****5');
  });
  it('masks ID numbers keeping 4 + 4', () => {
    expect(maskIdNumber('110101199001011234')).toBe('1101**********1234');
    expect(maskIdNumber('1234')).toBe('****');
  });
});

describe('tokens', () => {
  it('are at least 128 bits of randomness and hash under a key', () => {
    expect(Buffer.from(randomToken(), 'base64url').length).toBeGreaterThanOrEqual(16);
    const a = createTokenHasher(crypto.randomBytes(32));
    const b = createTokenHasher(crypto.randomBytes(32));
    expect(a('t')).toBe(a('t'));
    expect(a('t')).not.toBe(b('t'));
  });
});

describe('language negotiation', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['en-US,en;q=0.9', 'en-US'],
    ['fr-FR,en;q=0.5', 'en-US'],
    ['en;q=0.3,zh-TW;q=0.8', 'zh-CN'],
    ['de', 'zh-CN'],
    ['*', 'zh-CN'],
  ])('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});

describe('problem field messages', () => {
  it('a field error raised in both languages is rendered in the caller’s; a value field and an already-rendered message pass through', () => {
    const error = invalid('/body/closesAt', 'must be after opensAt', '必须晚于开始时间');
    const fields = [...error.fields, fieldValue('/from', 'dispatched'), { field: '/body/x', message: 'as given' }];
    expect(problem(error.code, 'zh-CN', 'r1', fields).errors).toEqual([
      { field: '/body/closesAt', message: '必须晚于开始时间' },
      { field: '/from', message: 'dispatched' },
      { field: '/body/x', message: 'as given' },
    ]);
    expect(problem(error.code, 'en-US', 'r1', fields).errors).toEqual([
      { field: '/body/closesAt', message: 'must be after opensAt' },
      { field: '/from', message: 'dispatched' },
      { field: '/body/x', message: 'as given' },
    ]);
  });
});

describe('keyset cursors', () => {
  it('round-trip and page', () => {
    const rows = [5, 4, 3, 2, 1].map((n) => ({ n }));
    const page = pageOf(rows, 2, (r) => [r.n]);
    expect(page.items).toEqual([{ n: 5 }, { n: 4 }]);
    expect(decodeCursor(page.nextCursor!, 1)).toEqual([4]);
    expect(pageOf(rows.slice(0, 2), 2, (r) => [r.n]).nextCursor).toBeNull();
    expect(decodeCursor(encodeCursor(['a', 1]), 2)).toEqual(['a', 1]);
  });
  it('refuse garbage with a field error', () => {
    expect(() => decodeCursor('%%%', 1)).toThrow();
    expect(() => decodeCursor(encodeCursor([1, 2]), 1)).toThrow();
  });
});

describe('job backoff', () => {
  it('doubles from 10 s and stops at one hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs(30)).toBe(3_600_000);
  });
});

describe('data scopes', () => {
  it('merge grants: an organisation-wide grant wins over community grants', () => {
    const scopes = toScopes([
      { permission: 'properties.community.read', community_id: 'a' },
      { permission: 'properties.community.read', community_id: 'b' },
      { permission: 'identity.user.read', community_id: 'a' },
      { permission: 'identity.user.read', community_id: null },
      { permission: 'not.a.permission', community_id: null },
      { permission: null, community_id: null },
    ]);
    expect([...(scopes.get('properties.community.read') ?? [])].sort()).toEqual(['a', 'b']);
    expect(scopes.get('identity.user.read')).toBeNull();
    expect(scopes.size).toBe(2);
  });
});

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.role).toBe('all');
    expect(config.policy).toEqual({ lockThreshold: undefined, lockMinutes: undefined, idleMinutes: undefined, absoluteHours: undefined, staffPasswordExpiryDays: undefined });
    expect(loadConfig({ COURTYARD_PASSWORD_EXPIRY_DAYS: '0', COURTYARD_LOCK_THRESHOLD: '5' }).policy).toMatchObject({ staffPasswordExpiryDays: 0, lockThreshold: 5 });
  });
  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ COURTYARD_ROLE: 'boss' }, /COURTYARD_ROLE must be all, web or worker/],
    [{ COURTYARD_SECURE_COOKIES: 'maybe' }, /COURTYARD_SECURE_COOKIES must be true or false/],
    [{ COURTYARD_LOCK_MINUTES: '0' }, /COURTYARD_LOCK_MINUTES must be a whole number between 1 and 1440/],
    [{ COURTYARD_AUDIT_RETENTION_DAYS: '30' }, /COURTYARD_AUDIT_RETENTION_DAYS must be a whole number between 180/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
