import crypto from 'node:crypto';

/**
 * Field encryption for personal data (phone, ID number): AES-256-GCM with a random 96-bit nonce,
 * stored as `v1.<nonce>.<ciphertext+tag>` in base64url. A keyed blind index (HMAC-SHA256) allows
 * exact-match search without decrypting.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
  blindIndex(plain: string): string;
}

export function createFieldCipher(key: Buffer): FieldCipher {
  const encKey = crypto.createHmac('sha256', key).update('courtyard.field.enc').digest();
  const idxKey = crypto.createHmac('sha256', key).update('courtyard.field.idx').digest();
  return {
    encrypt(plain) {
      const nonce = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', encKey, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(stored) {
      const [version, nonceText, bodyText] = stored.split('.');
      if (version !== 'v1' || !nonceText || !bodyText) throw new Error('unrecognised encrypted field');
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = crypto.createDecipheriv('aes-256-gcm', encKey, Buffer.from(nonceText, 'base64url'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    blindIndex(plain) {
      return crypto.createHmac('sha256', idxKey).update(plain.trim().toLowerCase()).digest('base64url');
    },
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
