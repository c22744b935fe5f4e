import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../../config.js';

/** The three keys the server cannot run without. Losing them loses encrypted data: back them up. */
export interface Secrets {
  fieldKey: Buffer;
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
  const out: Partial<Secrets> = {};
  for (const name of Object.keys(FILES) as (keyof Secrets)[]) {
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
  return out as Secrets;
}
