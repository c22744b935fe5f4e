import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../../config.js';

/** The three keys the server cannot run without. Losing them loses encrypted data: back them up. */
export interface Secrets {
  /** Field key 1: `keys/field.key` or COURTYARD_FIELD_KEY. Kept for good (the blind index derives from it). */
  fieldKey: Buffer;
  /** Later field keys by version (2, 3, …) from `keys/field.<n>.key`, added by `courtyard keys rotate-field`; the highest encrypts. */
  fieldKeys?: ReadonlyMap<number, Buffer>;
  auditKey: Buffer;
  sessionSecret: Buffer;
}

const FILES = { fieldKey: 'field.key', auditKey: 'audit.key', sessionSecret: 'session.key' } as const;
const ENV = { fieldKey: 'COURTYARD_FIELD_KEY', auditKey: 'COURTYARD_AUDIT_KEY', sessionSecret: 'COURTYARD_SESSION_SECRET' } as const;

function decode(value: string, where: string): Buffer {
  const trimmed = value.trim();
  const buf = Buffer.from(trimmed, 'base64');
  if (buf.length !== 32 || buf.toString('base64') !== trimmed) {
    throw new ConfigError(`${where} must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)`);
  }
  return buf;
}

/**
 * Keys come from the environment when set; otherwise from `<dataDir>/keys/*.key`, generated on
 * first start with owner-only permissions. A malformed key stops start-up with one clear line.
 */
export function loadSecrets(config: Pick<Config, 'dataDir' | 'keys'>, options: { create: boolean } = { create: true }): Secrets {
  const dir = path.join(config.dataDir, 'keys');
  const out: Partial<Record<keyof typeof FILES, Buffer>> = {};
  for (const name of Object.keys(FILES) as (keyof typeof FILES)[]) {
    const fromEnv = config.keys[name];
    if (fromEnv) {
      out[name] = decode(fromEnv, ENV[name]);
      continue;
    }
    const file = path.join(dir, FILES[name]);
    if (fs.existsSync(file)) {
      out[name] = decode(fs.readFileSync(file, 'utf8'), file);
      continue;
    }
    if (!options.create) throw new ConfigError(`key file ${file} is missing; restore it from your backup or set ${ENV[name]}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const key = crypto.randomBytes(32);
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    out[name] = key;
  }
  const secrets = out as Secrets;
  secrets.fieldKeys = readLaterFieldKeys(dir);
  return secrets;
}

const laterKeyFile = (dir: string, version: number) => path.join(dir, `field.${version}.key`);

/** `field.2.key`, `field.3.key`, … in order; a gap ends the ring (a missing middle key is reported by decryption). */
function readLaterFieldKeys(dir: string): Map<number, Buffer> {
  const keys = new Map<number, Buffer>();
  for (let version = 2; fs.existsSync(laterKeyFile(dir, version)); version++) {
    const file = laterKeyFile(dir, version);
    keys.set(version, decode(fs.readFileSync(file, 'utf8'), file));
  }
  return keys;
}

/**
 * Generates the next field key (`keys/field.<n>.key`, owner-only, never overwritten) and returns
 * the secrets with it as the current key. Every server process must be restarted to use it.
 */
export function addFieldKey(config: Pick<Config, 'dataDir'>, secrets: Secrets): { version: number; secrets: Secrets } {
  const dir = path.join(config.dataDir, 'keys');
  const later = new Map(secrets.fieldKeys ?? []);
  const version = Math.max(1, ...later.keys()) + 1;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32);
  fs.writeFileSync(laterKeyFile(dir, version), key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  later.set(version, key);
  return { version, secrets: { ...secrets, fieldKeys: later } };
}
