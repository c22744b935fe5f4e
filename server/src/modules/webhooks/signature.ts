import crypto from 'node:crypto';
import { randomToken } from '../../core/crypto/tokens.js';

/** Prefix of every signing secret, so that a leaked one is recognisable in logs and code scanners. */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` followed by 256 random bits in base64url. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomToken(32)}`;
}

/**
 * The signature header value: `v1=` + hex HMAC-SHA256 keyed with the whole secret string (UTF-8,
 * `whsec_` prefix included) over `${timestamp}.${rawBody}`, where `timestamp` is the decimal unix
 * time in seconds sent in `x-courtyard-timestamp` and `rawBody` the exact bytes of the request body.
 */
export function sign(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** What an endpoint URL may be: absolute http(s), no credentials in it. Returns the normalised URL. */
export function normaliseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // Credentials in the URL would be shown in the console and sent in clear on http.
  if (url.username || url.password) return null;
  if (!url.hostname) return null;
  return url.href;
}

/** The URL as the audit trail keeps it: a query string may carry a token, so it is elided. */
export function auditUrl(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
}
