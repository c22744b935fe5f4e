import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './core/clock.js';
import { createIdGenerator, type IdGenerator } from './core/ids.js';
import { systemContext } from './core/http/context.js';
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
import { serviceDeskEncryptedColumns, serviceDeskMigrations } from './modules/service-desk/index.js';
import { createFeedbackService, createSurveysService, createVisitsService, feedbackRoutes, surveysRoutes, visitsRoutes, type FeedbackService, type SurveysService, type VisitsService } from './modules/service-desk/index.js';
import { createDeskConfigService, createRequestsService, serviceDeskRoutes, type DeskConfigService, type RequestsService } from './modules/service-desk/index.js';

import { billingMigrations, billingRoutes, createApprovalsService, createBillReliefs, createBillsService, createFeesService, createLateFees, createLedger, createLedgerCheck, LATE_FEE_CRON, LATE_FEE_JOB, LEDGER_CHECK_CRON, LEDGER_CHECK_JOB, type LedgerCheck, type ApprovalsService, type BillReliefs, type BillsService, type FeesService, type LateFees, type Ledger } from './modules/billing/index.js';
import { createDunning, createExpenses, createReceiptsPdf, createReports, documentsRoutes, DUNNING_CRON, DUNNING_JOB } from './modules/billing/index.js';
import { createMetersService, createReadingsImport, createReadingsService, createRulesService, createRunsService, runsRoutes, type MetersService, type ReadingsService, type RulesService, type RunsService } from './modules/billing/index.js';
import {
  createDepositsService,
  createGatewayService,
  createIdempotency,
  createPaymentsService,
  createPortalBillingService,
  createPrepaidService,
  createRefundsService,
  createSandboxGateway,
  paymentsRoutes,
  type DepositsService,
  type PaymentsService,
  type PrepaidService,
  type RefundsService,
  type SandboxGateway,
} from './modules/billing/index.js';
import { createServiceChargeBilling, type ServiceChargeToBill } from './modules/billing/index.js';
import { createNotificationsService, createUnreadStreams, notificationsEncryptedColumns, notificationsMigrations, notificationsRoutes, type NotificationsService } from './modules/notifications/index.js';

/** Every module's migrations, in layer order (names sort the same way). */
export const MIGRATIONS: ModuleMigration[] = [coreJobsInit, ...auditMigrations, ...settingsMigrations, ...identityMigrations, ...notificationsMigrations, ...propertiesMigrations, ...peopleMigrations, ...filesMigrations, ...billingMigrations, ...serviceDeskMigrations, ...webhooksMigrations, ...dataExchangeMigrations];

/** Every field-encrypted column, as each module declares it: what a field-key rotation re-encrypts. */
export const ENCRYPTED_COLUMNS: EncryptedColumns[] = [
  ...identityEncryptedColumns,
  ...settingsEncryptedColumns,
  ...notificationsEncryptedColumns,
  ...webhooksEncryptedColumns,
  ...propertiesEncryptedColumns,
  ...peopleEncryptedColumns,
  ...serviceDeskEncryptedColumns,
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
  /** COURTYARD_PDF_FONT: the CJK font of billing PDFs (`path` or `path.ttc#PostScriptName`); system fonts when unset. */
  pdfFont?: string;
  /** Rooms per bill-run issuing transaction; by default 250 on SQLite, 500 on PostgreSQL (tests use small slices to run many). */
  billRunSliceRooms?: number;
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
  surveys: SurveysService;
  feedback: FeedbackService;
  visits: VisitsService;
  deskConfig: DeskConfigService;
  serviceRequests: RequestsService;
  /** Billing (issue 5): each part of the module adds its service here. */
  billing: { ledger: Ledger; bills: BillsService; fees: FeesService; approvals: ApprovalsService; reliefs: BillReliefs; lateFees: LateFees; check: LedgerCheck; payments: PaymentsService; prepaid: PrepaidService; deposits: DepositsService; refunds: RefundsService; sandboxGateway: SandboxGateway; rules: RulesService; meters: MetersService; readings: ReadingsService; runs: RunsService };
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
  const exports = createExportsService({ db, audit, cipher, now: () => clock.now() });
  // Service desk: satisfaction surveys and feedback about the system.
  const surveys = createSurveysService({ db, clock, ids, audit, cipher });
  const feedback = createFeedbackService({ db, clock, ids, audit, notify: (tx, ctx, input) => notifications.send(tx, ctx, { ...input, channels: ['in_app'] }) });
  // Screenshots of feedback: the sender attaches them, triagers read them.
  files.registerOwnerType('feedback', { read: 'service_desk.feedback.manage', write: 'service_desk.feedback.send', communityOf: (exec, id) => feedback.communityOf(exec, id) });
  // Service desk requests (operations layer): categories, teams, dispatch, time limits, paid repairs.
  const deskConfig = createDeskConfigService({ db, clock, ids, audit, communityExists: (exec, id) => properties.communityExists(exec, id), userExists: (exec, id) => users.exists(exec, id) });
  const serviceRequests = createRequestsService({
    db,
    dialect: database.dialect,
    clock,
    ids,
    audit,
    events,
    cipher,
    config: deskConfig,
    communityExists: (exec, id) => properties.communityExists(exec, id),
    roomRef: (exec, id) => properties.roomRef(exec, id),
    notify: async (tx, ctx, input) => {
      await notifications.send(tx, ctx, input);
    },
  });
  // Photos of a request: staff of its community attach and read them; so do its requester (and
  // household) and the technician it is dispatched to.
  files.registerOwnerType('service_request', {
    read: 'service_desk.request.read',
    write: 'service_desk.request.manage',
    communityOf: (exec, id) => serviceRequests.communityOf(exec, id),
    allows: (exec, ctx, id) => serviceRequests.isParty(exec, ctx, id),
  });
  // Every new community starts with the default categories and time limits.
  events.on('properties.community.created', 'service_desk.defaults', async (event) => {
    if (event.communityId) await db.transaction().execute((tx) => deskConfig.ensureDefaults(tx, systemContext('service_desk.defaults'), event.communityId as string));
  });
  // Return visits: a dissatisfied caller's complaint is opened through the request service, in the visit's transaction.
  const visits = createVisitsService({
    db,
    clock,
    ids,
    audit,
    openComplaint: (tx, ctx, c) => serviceRequests.createIn(tx, ctx, { communityId: c.communityId, channel: 'staff', type: 'complaint', roomId: c.roomId, location: c.location, description: c.description }),
  });
  // Billing (issue 5): the ledger and every billing service, built in one block.
  const ledger = createLedger({ ids, clock });
  const bills = createBillsService({ db, dialect: database.dialect, clock, ids, audit, ledger, properties });
  const fees = createFeesService({ db, clock, ids, audit });
  // Second-person approvals: each part registers the effect of its kinds (bill reliefs here).
  const approvals = createApprovalsService({ db, clock, ids, audit, userNames: (exec, userIds) => users.displayNames(exec, userIds) });
  const reliefs = createBillReliefs({ db, dialect: database.dialect, clock, audit, ledger, approvals });
  bills.useApprovalsOf((exec, billId) => approvals.forSubject(exec, 'bill', billId));
  const lateFees = createLateFees({ db, dialect: database.dialect, clock, audit, ledger });
  const check = createLedgerCheck({ db, dialect: database.dialect, clock, ledger, audit, notifications, log: (msg) => (log ? log.error(msg) : console.error(msg)) });
  // Payments: idempotency keys, the online gateway (the sandbox until a real adapter is configured).
  const idempotency = createIdempotency({ db, clock });
  const gateway = createSandboxGateway({ secret: crypto.createHmac('sha256', options.secrets.sessionSecret).update('billing.gateway.sandbox').digest(), now: () => clock.now() });
  const payments = createPaymentsService({ db, dialect: database.dialect, clock, ids, audit, ledger, properties, idempotency, userNames: (exec, userIds) => users.displayNames(exec, userIds) });
  const prepaid = createPrepaidService({ db, dialect: database.dialect, clock, ids, audit, ledger, payments, setting: async (communityId) => (await settings.get('billing.prepaid.auto_deduct', communityId)).enabled });
  const deposits = createDepositsService({ db, dialect: database.dialect, clock, ids, audit, ledger, payments, idempotency });
  const refunds = createRefundsService({ db, dialect: database.dialect, clock, ids, audit, payments, approvals });
  const gatewayService = createGatewayService({ db, dialect: database.dialect, clock, ids, audit, payments, adapter: gateway, sandbox: gateway, log: (msg, detail) => log?.warn({ detail }, msg) });
  const portalBilling = createPortalBillingService({ db, people, payments, gateway: gatewayService, idempotency });
  // Fee rules, meters and readings, bill runs (the run job is registered by createRunsService).
  const rules = createRulesService({ db, clock, ids, audit });
  const meters = createMetersService({ db, clock, ids, audit });
  const readings = createReadingsService({ db, clock, ids, audit });
  const readingsImport = createReadingsImport({ db, readings });
  const runs = createRunsService({ db, clock, ids, audit, jobs, bills, prepaid, payments, idempotency, sliceRooms: options.billRunSliceRooms });
  // Paid repairs (issue 6 §5): a service-desk charge becomes a one-off bill of its room and the
  // charge is marked billed in ONE transaction; a redelivered event finds the bill by its unique
  // key and the charge already billed, so nothing happens twice. No room → `not_billable`.
  const serviceChargeBilling = createServiceChargeBilling({ clock, ids, audit, bills });
  events.on('service_desk.charge.created', 'billing.service_charge', async (event) => {
    const charge = event.payload as Omit<ServiceChargeToBill, 'communityId'>;
    const communityId = event.communityId;
    if (!communityId) throw new Error(`service charge ${charge.chargeId}: event without a community`);
    const ctx = systemContext('billing.service_charge');
    await db.transaction().execute(async (tx) => {
      const res = await serviceChargeBilling.bill(tx, ctx, { ...charge, communityId });
      if (res.billed) await serviceRequests.markChargeBilled(tx, ctx, charge.chargeId, res.billId);
      else await serviceRequests.markChargeNotBillable(tx, ctx, charge.chargeId, res.reason);
    });
  });
  const billing: Services['billing'] = { ledger, bills, fees, approvals, reliefs, lateFees, check, payments, prepaid, deposits, refunds, sandboxGateway: gateway, rules, meters, readings, runs };
  const services: Services = { audit, settings, auth, users, access, properties, people, files, webhooks, notifications, imports, exports, billing, surveys, feedback, visits, deskConfig, serviceRequests, jobs, events };

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
  // Service desk: time-limit warnings and escalations every five minutes; unconfirmed resolutions close hourly.
  jobs.register('service_desk.sla_sweep', async () => {
    await serviceRequests.sweepSla();
  });
  await jobs.schedule(db, { name: 'service_desk.sla_sweep', expression: '*/5 * * * *', jobType: 'service_desk.sla_sweep' });
  jobs.register('service_desk.auto_close', async () => {
    await serviceRequests.autoClose();
  });
  await jobs.schedule(db, { name: 'service_desk.auto_close', expression: '13 * * * *', jobType: 'service_desk.auto_close' });
  // Billing's daily jobs: late fees (滞纳金) for the day that just ended in China.
  jobs.register(LATE_FEE_JOB, async () => {
    await lateFees.run();
  });
  await jobs.schedule(db, { name: LATE_FEE_JOB, expression: LATE_FEE_CRON, jobType: LATE_FEE_JOB });
  // …and the ledger check, which alerts the holders of billing.ledger.check when anything is off.
  jobs.register(LEDGER_CHECK_JOB, async () => {
    await check.daily();
  });
  await jobs.schedule(db, { name: LEDGER_CHECK_JOB, expression: LEDGER_CHECK_CRON, jobType: LEDGER_CHECK_JOB });

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
  surveysRoutes(app, { surveys });
  feedbackRoutes(app, { feedback });
  visitsRoutes(app, { visits });
  serviceDeskRoutes(app, { requests: serviceRequests, config: deskConfig });
  billingRoutes(app, { bills, fees, approvals, reliefs, check });
  paymentsRoutes(app, { payments, prepaid, deposits, refunds, gateway: gatewayService, portal: portalBilling });
  runsRoutes(app, { rules, meters, readings, readingsImport, runs });
  // Billing documents: receipt PDFs (font: COURTYARD_PDF_FONT or the system's CJK font), dunning and its daily job.
  const dunning = createDunning({ db, clock, ids, audit, notifications, properties, settings, fontPath: options.pdfFont });
  jobs.register(DUNNING_JOB, async () => {
    await dunning.runAll();
  });
  await jobs.schedule(db, { name: DUNNING_JOB, expression: DUNNING_CRON, jobType: DUNNING_JOB });
  documentsRoutes(app, { receiptsPdf: createReceiptsPdf({ db, settings, users, payments, portal: portalBilling, fontPath: options.pdfFont }), dunning, reports: createReports({ db, clock, users, settings, fontPath: options.pdfFont }), expenses: createExpenses({ db, clock, ids, audit, notifications }) });
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
