import crypto from 'node:crypto';

/** 256 random bits, URL-safe: session ids, challenge ids, API tokens. */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export type TokenHasher = (token: string) => string;

/**
 * Session ids and API tokens are stored only as HMAC-SHA256 under the session secret: a copy of
 * the database alone neither hands out live sessions nor lets anyone test guessed tokens.
 */
export function createTokenHasher(secret: Buffer): TokenHasher {
  return (token) => crypto.createHmac('sha256', secret).update(token).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
