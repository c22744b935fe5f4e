import path from 'node:path';

/**
 * The only reader of process.env. Everything else receives a Config.
 * Bad values fail here with one line naming the variable and what to do.
 */
export type Role = 'all' | 'web' | 'worker';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… or undefined for the embedded SQLite database under dataDir. */
  databaseUrl: string | undefined;
  /** COURTYARD_DB_HOLD_WARN_MS: report SQLite connection holds longer than this (diagnostics; off when unset). */
  dbHoldWarnMs: number | undefined;
  /** COURTYARD_DB_FAIL_SELF_WAIT: fail a SQLite query made on the database inside a transaction (diagnostics). */
  dbFailSelfWait: boolean;
  role: Role;
  adminPassword: string | undefined;
  /** Keys given by the environment (base64, 32 bytes); missing ones are read or generated in dataDir. */
  keys: { fieldKey?: string; auditKey?: string; sessionSecret?: string };
  /** Serve cookies with Secure (behind HTTPS). */
  secureCookies: boolean;
  trustProxy: boolean;
  seedDemo: boolean;
  /** Audit records are kept at least this long (never below 180 days). */
  auditRetentionDays: number;
  /** Account policy overrides (PRODUCT §10); unset values keep the defaults in identity/policy.ts. */
  policy: { lockThreshold?: number; lockMinutes?: number; idleMinutes?: number; absoluteHours?: number; staffPasswordExpiryDays?: number };
  /** COURTYARD_FILES_URL: `s3://…` or `file:///dir`; undefined = `<dataDir>/files`. */
  filesUrl: string | undefined;
  /** COURTYARD_PDF_FONT: CJK font for billing PDFs (`path` or `path.ttc#PostScriptName`). */
  pdfFont: string | undefined;
  logLevel: string;
  webDist: string;
}

export class ConfigError extends Error {}

function int(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${value}")`);
  }
  return n;
}

function optionalInt(name: string, value: string | undefined, min: number, max: number): number | undefined {
  return value === undefined || value === '' ? undefined : int(name, value, min, min, max);
}

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false (got "${value}")`);
}

/** Checks the shape of COURTYARD_FILES_URL here, so a typo stops start-up with one line. */
function filesUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const name = 'COURTYARD_FILES_URL';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be s3://ACCESS:SECRET@host:port/bucket?region=…&forcePathStyle=true or file:///absolute/dir`);
  }
  if (url.protocol === 'file:') {
    if (!url.pathname || url.pathname === '/') throw new ConfigError(`${name}: file:// needs an absolute directory, e.g. file:///srv/courtyard/files`);
    return value;
  }
  if (url.protocol !== 's3:') throw new ConfigError(`${name} must start with s3:// or file:// (got "${url.protocol}")`);
  if (!url.hostname) throw new ConfigError(`${name} needs the S3 endpoint host: s3://ACCESS:SECRET@host:port/bucket`);
  if (!url.pathname.split('/').some((p) => p !== '')) throw new ConfigError(`${name} needs a bucket: s3://ACCESS:SECRET@host:port/bucket`);
  if (Boolean(url.username) !== Boolean(url.password)) throw new ConfigError(`${name}: give both the access key and the secret, or neither`);
  for (const [key, v] of url.searchParams) {
    if (key === 'region') continue;
    if (key !== 'forcePathStyle' && key !== 'tls') throw new ConfigError(`${name}: unknown parameter "${key}" (region, forcePathStyle, tls)`);
    if (!['true', 'false', '1', '0'].includes(v)) throw new ConfigError(`${name}: ${key} must be true or false (got "${v}")`);
  }
  return value;
}

export function parseRole(value: string, name: string): Role {
  if (value === 'all' || value === 'web' || value === 'worker') return value;
  throw new ConfigError(`${name} must be all, web or worker (got "${value}")`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)');
  }
  const role = parseRole(env.COURTYARD_ROLE ?? 'all', 'COURTYARD_ROLE');
  const repoRoot = path.resolve(import.meta.dirname, '../..');
  return {
    port: int('PORT', env.PORT, 3000, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? path.join(repoRoot, 'data')),
    databaseUrl,
    dbHoldWarnMs: Number(env.COURTYARD_DB_HOLD_WARN_MS) || undefined,
    dbFailSelfWait: bool('COURTYARD_DB_FAIL_SELF_WAIT', env.COURTYARD_DB_FAIL_SELF_WAIT, false),
    role,
    adminPassword: env.COURTYARD_ADMIN_PASSWORD || undefined,
    keys: {
      fieldKey: env.COURTYARD_FIELD_KEY || undefined,
      auditKey: env.COURTYARD_AUDIT_KEY || undefined,
      sessionSecret: env.COURTYARD_SESSION_SECRET || undefined,
    },
    secureCookies: bool('COURTYARD_SECURE_COOKIES', env.COURTYARD_SECURE_COOKIES, false),
    trustProxy: bool('COURTYARD_TRUST_PROXY', env.COURTYARD_TRUST_PROXY, false),
    seedDemo: bool('COURTYARD_SEED_DEMO', env.COURTYARD_SEED_DEMO, true),
    auditRetentionDays: int('COURTYARD_AUDIT_RETENTION_DAYS', env.COURTYARD_AUDIT_RETENTION_DAYS, 365, 180, 36500),
    policy: {
      lockThreshold: optionalInt('COURTYARD_LOCK_THRESHOLD', env.COURTYARD_LOCK_THRESHOLD, 1, 20),
      lockMinutes: optionalInt('COURTYARD_LOCK_MINUTES', env.COURTYARD_LOCK_MINUTES, 1, 24 * 60),
      idleMinutes: optionalInt('COURTYARD_SESSION_IDLE_MINUTES', env.COURTYARD_SESSION_IDLE_MINUTES, 1, 24 * 60),
      absoluteHours: optionalInt('COURTYARD_SESSION_MAX_HOURS', env.COURTYARD_SESSION_MAX_HOURS, 1, 24 * 30),
      staffPasswordExpiryDays: optionalInt('COURTYARD_PASSWORD_EXPIRY_DAYS', env.COURTYARD_PASSWORD_EXPIRY_DAYS, 0, 3650),
    },
    filesUrl: filesUrl(env.COURTYARD_FILES_URL),
    pdfFont: env.COURTYARD_PDF_FONT || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    webDist: path.join(repoRoot, 'web', 'dist'),
    ...overrides,
  };
}
