import crypto from 'node:crypto';
import { offThread } from './seal-worker.js';

/**
 * Field encryption for personal data (phone, ID number): AES-256-GCM with a random 96-bit nonce,
 * stored as `aes256gcm.k<version>.<nonce>.<ciphertext+tag>` (base64url parts). The algorithm and
 * key version travel with every value so keys can be rotated: new writes use the keyring's current
 * key, reads pick the key the value names. Values written before versioning (`v1.<nonce>.<body>`)
 * read as key 1.
 *
 * A keyed blind index (HMAC-SHA256) allows exact-match search without decrypting. Its key is always
 * derived from key 1, never from the current key: an index must give the same token for the same
 * phone before, during and after a rotation, otherwise every `*_idx` column would have to be
 * recomputed in the same pass and exact search would miss rows while it runs. Key 1 therefore stays
 * in the keyring for good (it is needed anyway to read rows a rotation has not reached yet).
 */
export interface FieldCipher {
  /** Version of the key new values are encrypted with. */
  readonly version: number;
  encrypt(plain: string): string;
  /**
   * Encrypts many values at once (bulk imports): the same format as {@link encrypt}, with the
   * nonces drawn from one random buffer — one call into the CSPRNG per batch, not per value.
   */
  encryptMany(plains: readonly string[]): string[];
  /**
   * {@link encryptMany} on a worker thread (seal-worker.ts), so that the caller's thread can write
   * the previous batch meanwhile (the import's commit does).
   */
  encryptManyOffThread(plains: readonly string[]): Promise<string[]>;
  /** {@link blindIndex} of many values on the same worker thread (an import hashes while it reads). */
  blindIndexManyOffThread(plains: readonly string[]): Promise<string[]>;
  decrypt(stored: string): string;
  blindIndex(plain: string): string;
  /** Key version a stored value was written with (1 for legacy `v1.` values). */
  versionOf(stored: string): number;
  /** True when the value is already encrypted with the current key (a rotation skips it). */
  isCurrent(stored: string): boolean;
}

/** Field keys by version; `current` encrypts, the others only decrypt. Key 1 must be present. */
export interface FieldKeyring {
  current: number;
  keys: ReadonlyMap<number, Buffer>;
}

const ALGORITHM = 'aes256gcm';

export function keyringOf(key1: Buffer, later: ReadonlyMap<number, Buffer> = new Map()): FieldKeyring {
  const keys = new Map<number, Buffer>([[1, key1], ...later]);
  return { current: Math.max(...keys.keys()), keys };
}

function parse(stored: string): { version: number; nonce: string; body: string } {
  const parts = stored.split('.');
  if (parts.length === 3 && parts[0] === 'v1' && parts[1] && parts[2]) return { version: 1, nonce: parts[1], body: parts[2] };
  const match = parts.length === 4 && parts[0] === ALGORITHM ? /^k([1-9]\d{0,5})$/.exec(parts[1] ?? '') : null;
  if (!match || !parts[2] || !parts[3]) throw new Error('unrecognised encrypted field');
  return { version: Number(match[1]), nonce: parts[2], body: parts[3] };
}

function seal(key: Buffer, prefix: string, plain: string, nonce: Buffer): string {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${prefix}${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

/** Many values (also the body of the seal worker). */
export function sealMany(key: Buffer, prefix: string, plains: readonly string[]): string[] {
  // Each value still gets its own random 96-bit nonce: consecutive, non-overlapping slices of one
  // draw from the CSPRNG.
  const nonces = crypto.randomBytes(12 * plains.length);
  return plains.map((plain, i) => seal(key, prefix, plain, nonces.subarray(12 * i, 12 * i + 12)));
}

/** Keyed HMAC of the normalised value (also run by the seal worker). */
export function blindIndexWith(key: Buffer, plain: string): string {
  return crypto.createHmac('sha256', key).update(plain.trim().toLowerCase()).digest('base64url');
}

/** Below a few hundred values the round trip to the worker costs more than it saves. */
const OFF_THREAD_MIN = 500;

export function createFieldCipher(keyOrRing: Buffer | FieldKeyring): FieldCipher {
  const ring = Buffer.isBuffer(keyOrRing) ? keyringOf(keyOrRing) : keyOrRing;
  const key1 = ring.keys.get(1);
  const current = ring.keys.get(ring.current);
  if (!key1 || !current) throw new Error('the field keyring needs key 1 and its current key');
  const encKeys = new Map([...ring.keys].map(([v, key]) => [v, crypto.createHmac('sha256', key).update('courtyard.field.enc').digest()]));
  const idxKey = crypto.createHmac('sha256', key1).update('courtyard.field.idx').digest();
  const prefix = `${ALGORITHM}.k${ring.current}.`;
  const encKey = encKeys.get(ring.current) as Buffer;
  return {
    version: ring.current,
    encrypt: (plain) => seal(encKey, prefix, plain, crypto.randomBytes(12)),
    encryptMany: (plains) => sealMany(encKey, prefix, plains),
    encryptManyOffThread: (plains) => (plains.length < OFF_THREAD_MIN ? Promise.resolve(sealMany(encKey, prefix, plains)) : offThread('seal', encKey, prefix, plains)),
    blindIndexManyOffThread: (plains) => (plains.length < OFF_THREAD_MIN ? Promise.resolve(plains.map((p) => blindIndexWith(idxKey, p))) : offThread('index', idxKey, '', plains)),
    decrypt(stored) {
      const { version, nonce, body: bodyText } = parse(stored);
      const key = encKeys.get(version);
      if (!key) throw new Error(`encrypted field uses key ${version}, which is not in the keyring`);
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    blindIndex: (plain) => blindIndexWith(idxKey, plain),
    versionOf: (stored) => parse(stored).version,
    isCurrent: (stored) => stored.startsWith(prefix),
  };
}

/** 13812341234 → 138****1234; short values keep only their last character. */
export function maskPhone(phone: string): string {
  if (phone.length >= 7) return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  return `${'*'.repeat(Math.max(phone.length - 1, 0))}${phone.slice(-1)}`;
}

/** 110101199001011234 → 1101**********1234. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}
