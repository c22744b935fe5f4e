import { describe, expect, it } from 'vitest';
import { auditUrl, generateSecret, normaliseUrl, sign } from '../../src/modules/webhooks/signature.js';

describe('webhook signature', () => {
  it('is v1= and the hex HMAC-SHA256 keyed with the whole secret over "timestamp.body" (vector computed with openssl)', () => {
    // printf '%s' '1772438400.{"id":"x","type":"webhooks.ping"}' | openssl dgst -sha256 -hmac 'whsec_test'
    expect(sign('whsec_test', 1772438400, '{"id":"x","type":"webhooks.ping"}')).toBe('v1=1ee131ee8ac28ce2f155299530a1c56718c92252b8cf023e0420e488d5811d3a');
  });

  it('secrets are whsec_ and 256 random bits, different every time', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).not.toBe(a);
  });
});

describe('endpoint URLs', () => {
  it('accepts absolute http and https URLs, LAN addresses included, and normalises them', () => {
    expect(normaliseUrl(' https://example.com/hook ')).toBe('https://example.com/hook');
    expect(normaliseUrl('http://192.168.1.20:8080/x?a=1')).toBe('http://192.168.1.20:8080/x?a=1');
    expect(normaliseUrl('HTTP://EXAMPLE.com')).toBe('http://example.com/');
  });

  it('refuses other schemes, relative URLs and credentials in the URL', () => {
    for (const bad of ['ftp://example.com', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', '/hook', 'example.com/hook', 'http://u:p@example.com', 'http://u@example.com', '']) {
      expect([bad, normaliseUrl(bad)]).toEqual([bad, null]);
    }
  });

  it('the audit trail keeps the URL without its query string', () => {
    expect(auditUrl('https://example.com/hook?token=secret')).toBe('https://example.com/hook?…');
    expect(auditUrl('https://example.com/hook')).toBe('https://example.com/hook');
  });
});
