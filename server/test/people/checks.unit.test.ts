import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkResidentId, normaliseDocumentNumber, normalisePhone, normalisePlate, residentIdCheckChar } from '../../src/modules/people/checks.js';
import { createFieldCipher, keyringOf } from '../../src/core/crypto/field.js';

describe('mainland mobile numbers', () => {
  it('accept 11 digits starting 13-19, with +86 / 0086 / 86 and separators removed', () => {
    for (const input of ['13812345678', '+86 138 1234 5678', '+8613812345678', '0086-138-1234-5678', '8613812345678', ' 199-1234-5678 ']) {
      expect([input, normalisePhone(input)]).toEqual([input, input.includes('199') ? '19912345678' : '13812345678']);
    }
  });
  it('refuse landlines, 12x prefixes, wrong lengths and letters', () => {
    for (const input of ['12812345678', '1381234567', '138123456789', '010-12345678', '1381234567a', '', '+1 13812345678']) expect([input, normalisePhone(input)]).toEqual([input, undefined]);
  });
});

describe('resident ID numbers (GB 11643)', () => {
  it('accept the standard example 11010519491231002X and a lower-case x, stored upper-case', () => {
    expect(checkResidentId('11010519491231002X')).toEqual({ value: '11010519491231002X' });
    expect(checkResidentId(' 11010519491231002x ')).toEqual({ value: '11010519491231002X' });
  });
  it('compute the check character from the weighted sum mod 11', () => {
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
    expect(residentIdCheckChar('44052418800101001')).toBe('4');
  });
  it('refuse a wrong check digit', () => {
    expect(checkResidentId('110105194912310021')).toEqual({ problem: 'checksum' });
  });
  it('refuse impossible or future birth dates and years before 1900', () => {
    const withDate = (d: string) => {
      const first = `110105${d}002`;
      return first + residentIdCheckChar(first);
    };
    expect(checkResidentId(withDate('19490230'))).toEqual({ problem: 'birth_date' });
    expect(checkResidentId(withDate('18991231'))).toEqual({ problem: 'birth_date' });
    expect(checkResidentId(withDate('20300101'), '2026-03-02')).toEqual({ problem: 'birth_date' });
    expect(checkResidentId(withDate('20000229'))).toEqual({ value: withDate('20000229') });
  });
  it('refuse 15-digit numbers, letters inside and X anywhere but last', () => {
    for (const input of ['110105491231002', '1101051949123100X2', '11010519491231002Y', 'abc']) expect(checkResidentId(input)).toEqual({ problem: 'format' });
  });
});

describe('other document numbers and plates', () => {
  it('document numbers lose spaces and are upper-cased', () => {
    expect(normaliseDocumentNumber(' e1234 5678 ')).toBe('E12345678');
    expect(normaliseDocumentNumber('a!')).toBeUndefined();
  });
  it('plates are one car however they are written', () => {
    for (const input of ['粤B12345', '粤b 12345', '粤B·12345', '粤B-12345', '粤BD12345']) expect(normalisePlate(input)).toBe(input === '粤BD12345' ? '粤BD12345' : '粤B12345');
    expect(normalisePlate('粤B1')).toBeUndefined();
    expect(normalisePlate('粤B12345!')).toBeUndefined();
  });
});

describe('field encryption key versions', () => {
  const key1 = crypto.randomBytes(32);
  const key2 = crypto.randomBytes(32);
  const one = createFieldCipher(key1);
  const two = createFieldCipher(keyringOf(key1, new Map([[2, key2]])));

  it('stores algorithm and key version with every value', () => {
    expect(one.encrypt('13812345678')).toMatch(/^aes256gcm\.k1\.[\w-]+\.[\w-]+$/);
    expect(two.encrypt('13812345678')).toMatch(/^aes256gcm\.k2\./);
    expect(two.version).toBe(2);
  });
  it('reads values of older keys and tells which are current', () => {
    const old = one.encrypt('secret');
    expect(two.decrypt(old)).toBe('secret');
    expect(two.versionOf(old)).toBe(1);
    expect(two.isCurrent(old)).toBe(false);
    expect(two.isCurrent(two.encrypt('x'))).toBe(true);
  });
  it('reads legacy v1 values as key 1', () => {
    const modern = one.encrypt('13812345678').split('.');
    const legacy = `v1.${modern[2]}.${modern[3]}`;
    expect(two.decrypt(legacy)).toBe('13812345678');
    expect(two.versionOf(legacy)).toBe(1);
  });
  it('keeps the blind index stable across key versions (derived from key 1)', () => {
    expect(two.blindIndex('13812345678')).toBe(one.blindIndex('13812345678'));
  });
  it('refuses a value under a key the ring does not hold', () => {
    expect(() => one.decrypt(two.encrypt('x'))).toThrow(/key 2/);
  });
});
