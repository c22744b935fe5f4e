import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { LocaleSchema } from './api/common.js';

/**
 * The settings catalogue: every system setting, its schema, default, which fields are secrets
 * (encrypted at rest, never returned in clear) and whether a community may override it.
 * The server validates writes against these schemas; the UI renders forms from them.
 */
const Secret = (options: { description?: string } = {}) => Type.String({ maxLength: 500, ...options, 'x-secret': true });

export const SETTINGS = {
  'organisation.profile': {
    schema: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 100 }),
        shortName: Type.String({ maxLength: 30 }),
        address: Type.String({ maxLength: 200 }),
        phone: Type.String({ maxLength: 30 }),
        email: Type.String({ maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    default: { name: 'Courtyard 物业', shortName: '', address: '', phone: '', email: '' },
    secrets: [] as string[],
    communityOverride: false,
  },
  'locale.defaults': {
    schema: Type.Object(
      {
        language: LocaleSchema,
        /** IANA time zone, e.g. Asia/Shanghai. */
        timezone: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$' }),
        dateFormat: Type.Union([Type.Literal('YYYY-MM-DD'), Type.Literal('YYYY/MM/DD'), Type.Literal('DD/MM/YYYY'), Type.Literal('MM/DD/YYYY')]),
      },
      { additionalProperties: false },
    ),
    default: { language: 'zh-CN', timezone: 'Asia/Shanghai', dateFormat: 'YYYY-MM-DD' },
    secrets: [] as string[],
    communityOverride: true,
  },
  'security.accounts': {
    schema: Type.Object(
      {
        lockThreshold: Type.Integer({ minimum: 1, maximum: 20 }),
        lockMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        idleMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
        absoluteHours: Type.Integer({ minimum: 1, maximum: 720 }),
        /** 0 = staff passwords never expire. */
        staffPasswordExpiryDays: Type.Integer({ minimum: 0, maximum: 3650 }),
      },
      { additionalProperties: false },
    ),
    default: { lockThreshold: 3, lockMinutes: 15, idleMinutes: 30, absoluteHours: 12, staffPasswordExpiryDays: 90 },
    secrets: [] as string[],
    communityOverride: false,
  },
  'notifications.email': {
    schema: Type.Object(
      {
        enabled: Type.Boolean(),
        host: Type.String({ maxLength: 200 }),
        port: Type.Integer({ minimum: 1, maximum: 65535 }),
        /** true: TLS from the start (port 465); false: plain, upgraded with STARTTLS when offered. */
        secure: Type.Boolean(),
        user: Type.String({ maxLength: 200 }),
        password: Secret(),
        from: Type.String({ maxLength: 200 }),
      },
      { additionalProperties: false },
    ),
    default: { enabled: false, host: '', port: 587, secure: false, user: '', password: '', from: '' },
    secrets: ['password'],
    communityOverride: false,
  },
  'notifications.sms': {
    schema: Type.Object(
      {
        /** log: messages are kept for viewing in the admin UI only (demo mode); http: a provider API. */
        provider: Type.Union([Type.Literal('log'), Type.Literal('http')]),
        endpoint: Type.String({ maxLength: 500 }),
        accessKeyId: Type.String({ maxLength: 200 }),
        accessKeySecret: Secret(),
        signName: Type.String({ maxLength: 50 }),
      },
      { additionalProperties: false },
    ),
    default: { provider: 'log', endpoint: '', accessKeyId: '', accessKeySecret: '', signName: '' },
    secrets: ['accessKeySecret'],
    communityOverride: false,
  },
  'notifications.push': {
    schema: Type.Object(
      {
        provider: Type.Union([Type.Literal('none'), Type.Literal('http')]),
        endpoint: Type.String({ maxLength: 500 }),
        appId: Type.String({ maxLength: 200 }),
        appSecret: Secret(),
      },
      { additionalProperties: false },
    ),
    default: { provider: 'none', endpoint: '', appId: '', appSecret: '' },
    secrets: ['appSecret'],
    communityOverride: false,
  },
  'notifications.limits': {
    schema: Type.Object(
      {
        /** Messages per phone number or e-mail address per hour (emergency messages are exempt). */
        perRecipientPerHour: Type.Integer({ minimum: 1, maximum: 1000 }),
      },
      { additionalProperties: false },
    ),
    default: { perRecipientPerHour: 10 },
    secrets: [] as string[],
    communityOverride: false,
  },
  /** Prepaid balances (预存款) settle new bills automatically right after a bill run. */
  'billing.prepaid.auto_deduct': {
    schema: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
    default: { enabled: false },
    secrets: [] as string[],
    communityOverride: true,
  },
} as const satisfies Record<string, { schema: TSchema; default: unknown; secrets: string[]; communityOverride: boolean }>;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = Static<(typeof SETTINGS)[K]['schema']>;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(value: string): value is SettingKey {
  return Object.prototype.hasOwnProperty.call(SETTINGS, value);
}

/**
 * A setting as the API returns it: secret fields are never sent back — they come as '' and their
 * names are listed in `secretsSet` when a value is stored.
 */
export const SettingView = Type.Object({
  key: Type.String(),
  communityId: Type.Union([Type.String(), Type.Null()]),
  value: Type.Record(Type.String(), Type.Unknown()),
  secretsSet: Type.Array(Type.String()),
  /** true when this scope has its own stored value; false when defaults (or the organisation's value) apply. */
  stored: Type.Boolean(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
});
export type SettingView = Static<typeof SettingView>;
