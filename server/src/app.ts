import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './core/clock.js';
import { createIdGenerator, type IdGenerator } from './core/ids.js';
import type { DatabaseHandle } from './core/db/database.js';
import { migrate, type ModuleMigration } from './core/db/migrator.js';
import type { Database } from './core/db/schema.js';
import { createFieldCipher, type FieldCipher, keyringOf } from './core/crypto/field.js';
import type { EncryptedColumns } from './core/crypto/rotation.js';
import { createTokenHasher } from './core/crypto/tokens.js';
import type { Secrets } from './core/crypto/secrets.js';
import { createMetrics } from './core/metrics.js';
import { createHttpServer, sendProblem, type App, type RouteEntry } from './core/http/server.js';
import { createJobs, type Jobs } from './core/jobs/jobs.js';
import { coreJobsInit } from './core/jobs/migrations.js';
import { createEvents, type Events } from './core/events/outbox.js';
import { auditMigrations, auditRoutes, createAuditService, MIN_RETENTION_DAYS, type AuditService } from './modules/audit/index.js';
import {
  createAccessService,
  createAuthenticator,
  createAuthService,
  createUsersService,
  DEFAULT_POLICY,
  identityEncryptedColumns,
  identityMigrations,
  identityRoutes,
  type AccessService,
  type AuthService,
  type IdentityPolicy,
  type UsersService,
} from './modules/identity/index.js';
import { createPropertiesService, propertiesEncryptedColumns, propertiesMigrations, propertiesRoutes, type PropertiesService } from './modules/properties/index.js';
import { operationsRoutes } from './modules/operations/index.js';
import { createPeopleService, peopleEncryptedColumns, peopleMigrations, peopleRoutes, type PeopleService } from './modules/people/index.js';
import { createFilesService, createStorage, DEFAULT_MAX_BYTES, filesMigrations, filesRoutes, type FilesOptions, type FilesService } from './modules/files/index.js';
import { createSettingsService, settingsEncryptedColumns, settingsMigrations, settingsRoutes, type SettingsService } from './modules/settings/index.js';
import { createWebhooksService, webhooksEncryptedColumns, webhooksMigrations, webhooksRoutes, type WebhooksService } from './modules/webhooks/index.js';
import { createLive } from './core/events/live.js';
import { createExportsService, createImportsService, dataExchangeMigrations, exchangeRoutes, type ExportsService, type ImportsService } from './modules/data-exchange/index.js';
import { createNotificationsService, createUnreadStreams, notificationsEncryptedColumns, notificationsMigrations, notificationsRoutes, type NotificationsService } from './modules/notifications/index.js';

/** Every module's migrations, in layer order (names sort the same way). */
export const MIGRATIONS: ModuleMigration[] = [coreJobsInit, ...auditMigrations, ...settingsMigrations, ...identityMigrations, ...notificationsMigrations, ...propertiesMigrations, ...peopleMigrations, ...filesMigrations, ...webhooksMigrations, ...dataExchangeMigrations];

/** Every field-encrypted column, as each module declares it: what a field-key rotation re-encrypts. */
export const ENCRYPTED_COLUMNS: EncryptedColumns[] = [
  ...identityEncryptedColumns,
  ...settingsEncryptedColumns,
  ...notificationsEncryptedColumns,
  ...webhooksEncryptedColumns,
  ...propertiesEncryptedColumns,
  ...peopleEncryptedColumns,
];

export interface CourtyardOptions {
  database: DatabaseHandle<Database>;
  secrets: Secrets;
  clock: Clock;
  ids?: IdGenerator;
  logger?: FastifyBaseLogger | boolean;
  policy?: Partial<IdentityPolicy>;
  secureCookies?: boolean;
  trustProxy?: boolean;
  /** Directory of the built web UI; served at / when it exists. */
  webDist?: string;
  signInRateLimit?: { max: number; timeWindow: number };
  auditRetentionDays?: number;
  /** Heartbeat (and session check) interval of the live notification streams; 25 s by default. */
  liveHeartbeatMs?: number;
  /** File storage (COURTYARD_FILES_URL or DATA_DIR/files), upload size limit, virus scanner. */
  files?: FilesOptions;
}

export interface Services {
  audit: AuditService;
  settings: SettingsService;
  auth: AuthService;
  users: UsersService;
  access: AccessService;
  properties: PropertiesService;
  people: PeopleService;
  files: FilesService;
  webhooks: WebhooksService;
  notifications: NotificationsService;
  imports: ImportsService;
  exports: ExportsService;
  jobs: Jobs;
  events: Events;
}

export interface Courtyard {
  app: App;
  /** Every registered route with its declared access (see the route-guard test). */
  routes: RouteEntry[];
  services: Services;
  database: DatabaseHandle<Database>;
  /** For the seeds and CLI commands that write in bulk (registry seed, key rotation). */
  cipher: FieldCipher;
  ids: IdGenerator;
  clock: Clock;
  close(): Promise<void>;
}

/**
 * The identity policy with the administrator's stored `security.accounts` setting applied.
 * Every authenticated request asks for it, so it is recomputed only when the stored setting
 * changes (settings.stored hands out the same cached object between re-reads).
 */
function policyProvider(base: IdentityPolicy, settings: SettingsService): () => Promise<IdentityPolicy> {
  let seen: unknown = null;
  let policy = base;
  return async () => {
    const stored = await settings.stored('security.accounts');
    if (stored === seen) return policy;
    seen = stored;
    if (!stored) return (policy = base);
    const { staffPasswordExpiryDays, ...rest } = stored;
    policy = {
      ...base,
      ...rest,
      passwordExpiryDays: staffPasswordExpiryDays === undefined ? base.passwordExpiryDays : { ...base.passwordExpiryDays, staff: staffPasswordExpiryDays },
    };
    return policy;
  };
}

/** Runs migrations and the idempotent bootstrap every process needs (built-in roles, audit chain). */
export async function prepareDatabase(database: DatabaseHandle<Database>, services: Pick<Services, 'audit' | 'access'>) {
  await migrate(database.db, database.dialect, MIGRATIONS);
  await services.audit.ensureChain(database.db);
  await services.access.ensureBuiltInRoles();
}

/** The composition root: builds every service with explicit dependencies, then the HTTP app. */
export async function createCourtyard(options: CourtyardOptions): Promise<Courtyard> {
  const { database, clock } = options;
  const db = database.db;
  const ids = options.ids ?? createIdGenerator(clock);
  // Precedence: values an administrator saved in system settings, then the environment
  // (options.policy), then the built-in defaults.
  const basePolicy: IdentityPolicy = { ...DEFAULT_POLICY, ...options.policy };
  // New values use the highest field key; older keys still read (courtyard keys rotate-field).
  const cipher = createFieldCipher(keyringOf(options.secrets.fieldKey, options.secrets.fieldKeys));
  const log = typeof options.logger === 'object' ? options.logger : undefined;

  const jobs = createJobs({ db, dialect: database.dialect, clock, ids, log: (msg, err) => log?.warn({ err }, msg) });
  const events = createEvents({ db, jobs, clock, ids });
  const audit = createAuditService({ key: options.secrets.auditKey, clock, ids, dialect: database.dialect });
  const settings = createSettingsService({ db, clock, audit, cipher });
  // userExists is called only on requests, after `users` below exists.
  const properties = createPropertiesService({ db, clock, ids, audit, events, cipher, userExists: (exec, id) => users.exists(exec, id) });
  const access = createAccessService({ db, clock, ids, audit, events, communityExists: (exec, id) => properties.communityExists(exec, id) });
  const auth = createAuthService({ db, clock, ids, audit, cipher, access, hashToken: createTokenHasher(options.secrets.sessionSecret), policy: policyProvider(basePolicy, settings) });
  const users = createUsersService({ db, clock, ids, audit, cipher, auth, events });
  const people = createPeopleService({
    db,
    dialect: database.dialect,
    clock,
    ids,
    audit,
    events,
    cipher,
    properties,
    tagsOf: (exec, personIds) => properties.tagsOf(exec, 'person', personIds),
    userExists: (exec, id) => users.exists(exec, id),
  });
  // Tagging persons is scope-checked by their community; properties knows no persons (inversion).
  properties.registerTaggable('person', { communityOf: (exec, personIds) => people.communitiesOf(exec, personIds) });
  // Live "unread count changed" signals between server processes (PostgreSQL LISTEN/NOTIFY).
  const live = createLive({ dialect: database.dialect, channel: 'courtyard_notifications', newClient: database.newClient, log: (msg, err) => log?.warn({ err }, msg) });
  const notifications = createNotificationsService({
    db,
    clock,
    ids,
    audit,
    jobs,
    cipher,
    live,
    settings: (key) => settings.get(key),
    contactsOf: (exec, userIds) => users.contactsOf(exec, userIds),
  });
  const filesOptions = options.files ?? {};
  const files = createFilesService({
    db,
    clock,
    ids,
    audit,
    storage: filesOptions.storage ?? createStorage(filesOptions),
    maxBytes: filesOptions.maxBytes ?? DEFAULT_MAX_BYTES,
    scanner: filesOptions.scanner,
    log: (msg, err) => log?.warn({ err }, msg),
  });
  // Who may attach files to what: each owner type with its permissions and community (inversion:
  // files knows no other module).
  files.registerOwnerType('community', {
    read: 'properties.community.read',
    write: 'properties.community.manage',
    communityOf: async (exec, id) => ((await properties.communityExists(exec, id)) ? id : undefined),
  });
  files.registerOwnerType('user', {
    read: 'identity.user.read',
    write: 'identity.user.manage',
    communityOf: async (exec, id) => ((await users.exists(exec, id)) ? null : undefined),
    sensitiveCategories: ['id_card', 'passport'],
  });
  // Subscribes to every outbox event: must exist before anything emits.
  const webhooks = createWebhooksService({ db, clock, ids, audit, cipher, events, jobs });
  // Excel import / export (layer 3): writes only through the registry modules' bulk functions.
  const imports = createImportsService({ db, clock, ids, audit, jobs, files, cipher });
  const exports = createExportsService({ db, audit, cipher });
  const services: Services = { audit, settings, auth, users, access, properties, people, files, webhooks, notifications, imports, exports, jobs, events };

  await prepareDatabase(database, services);
  await notifications.ensureDefaultTemplates();
  await properties.ensureSystemTags();

  const retentionDays = Math.max(options.auditRetentionDays ?? MIN_RETENTION_DAYS, MIN_RETENTION_DAYS);
  jobs.register('audit.purge', async () => {
    await audit.purge(db, retentionDays);
  });
  await jobs.schedule(db, { name: 'audit.purge', expression: '17 3 * * *', jobType: 'audit.purge' });
  // Housekeeping: ended sessions and finished jobs are kept 30 days for troubleshooting.
  jobs.register('operations.housekeeping', async () => {
    await auth.purgeSessions(30);
    await jobs.purgeFinished(30);
  });
  await jobs.schedule(db, { name: 'operations.housekeeping', expression: '41 3 * * *', jobType: 'operations.housekeeping' });

  const metrics = createMetrics(() => database.poolStats(), () => jobs.counts(db));
  const { app, routes } = await createHttpServer({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false, metrics }, createAuthenticator(auth));

  app.get('/healthz', { schema: { hide: true }, config: { access: 'public' } }, () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    try {
      await database.ping();
      return { status: 'ready', database: database.dialect };
    } catch {
      return sendProblem(request, reply, 'internal.unavailable');
    }
  });
  app.get('/metrics', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());

  const cookie = { secure: options.secureCookies ?? false, maxAgeSeconds: basePolicy.absoluteHours * 3600 };
  identityRoutes(app, { auth, users, access, cookie, signInRateLimit: options.signInRateLimit ?? { max: 20, timeWindow: 60_000 } });
  auditRoutes(app, { db, audit });
  propertiesRoutes(app, { properties });
  peopleRoutes(app, { people });
  await filesRoutes(app, { files });
  operationsRoutes(app, { db, jobs });
  await exchangeRoutes(app, { imports, exports, files });
  settingsRoutes(app, { settings });
  webhooksRoutes(app, { webhooks });
  notificationsRoutes(app, { notifications, streams: createUnreadStreams(notifications, { sessionAlive: (id) => auth.sessionAlive(id), heartbeatMs: options.liveHeartbeatMs }) });

  const webDist = options.webDist;
  const hasWeb = webDist !== undefined && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) {
    // wildcard: files are looked up per request, so a rebuilt UI is served without a restart.
    await app.register(fastifyStatic, {
      root: webDist,
      prefix: '/',
      wildcard: true,
      index: 'index.html',
      // Vite names assets by content hash: cache them for good; the page itself must revalidate.
      setHeaders: (reply, filePath) => {
        void reply.header('cache-control', filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    // The SPA owns every non-API path (client-side routes such as /admin/users or /portal).
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api') && !/\.[a-z0-9]+$/i.test(request.url.split('?')[0] ?? '')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(request, reply, 'request.not_found');
  });

  return {
    app,
    routes,
    services,
    database,
    cipher,
    ids,
    clock,
    async close() {
      await app.close();
      await jobs.stop();
      notifications.close();
      await live.close();
      await database.close();
    },
  };
}
