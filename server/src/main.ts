import { ConfigError, loadConfig, type Config } from './config.js';
import { systemClock } from './core/clock.js';
import { openFromConfig } from './bootstrap.js';
import { createCourtyard, type Courtyard } from './app.js';
import { ensureAdmin, seedDemo } from './seed/demo.js';
import pino from 'pino';
import { DEFAULT_POLICY, type IdentityPolicy } from './modules/identity/index.js';

/**
 * `npm start` / `courtyard serve`: opens the database, migrates, bootstraps the administrator and
 * the demo company on first run, serves the API and UI, and runs jobs (by --role / COURTYARD_ROLE).
 */
function policyFrom(config: Config): Partial<IdentityPolicy> {
  const { staffPasswordExpiryDays, ...rest } = config.policy;
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<IdentityPolicy>;
  return staffPasswordExpiryDays === undefined ? defined : { ...defined, passwordExpiryDays: { ...DEFAULT_POLICY.passwordExpiryDays, staff: staffPasswordExpiryDays } };
}

export async function serve(config: Config): Promise<Courtyard> {
  const logger = pino({
    level: config.logLevel,
    base: { service: 'courtyard', role: config.role },
    // Request lines without the query string: it can carry personal data (search by phone or
    // ID number, GET /api/search?q=…), which must never reach the log in clear.
    serializers: { req: (req: { method?: string; url?: string; ip?: string }) => ({ method: req.method, url: req.url?.split('?')[0], remoteAddress: req.ip }) },
  });
  const { database, secrets } = await openFromConfig(config);
  const courtyard = await createCourtyard({
    database,
    secrets,
    clock: systemClock,
    logger,
    secureCookies: config.secureCookies,
    trustProxy: config.trustProxy,
    webDist: config.webDist,
    auditRetentionDays: config.auditRetentionDays,
    policy: policyFrom(config),
    files: { url: config.filesUrl, dataDir: config.dataDir },
    pdfFont: config.pdfFont,
  });
  const { services } = courtyard;
  const admin = await ensureAdmin(services, database.db, config.adminPassword);
  if (admin.created) {
    const line = admin.password
      ? `First start: sign in as "admin" with password ${admin.password} (you will be asked to change it).`
      : 'First start: sign in as "admin" with the password from COURTYARD_ADMIN_PASSWORD.';
    process.stdout.write(`\n  ${line}\n  Keys were written to ${config.dataDir}/keys — back them up: without them encrypted data and the audit chain cannot be read.\n\n`);
  }
  if (admin.created && config.seedDemo && (await seedDemo(courtyard))) {
    process.stdout.write('  Demo data seeded: three communities with 2,572 rooms and their residents, and a user in every role (logins in README.md).\n\n');
  }

  if (config.role !== 'web') services.jobs.start();
  if (config.role !== 'worker') {
    try {
      await courtyard.app.listen({ port: config.port, host: config.host });
    } catch (err) {
      await courtyard.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new ConfigError(`port ${config.port} is already in use; stop the other process or set PORT`);
      if (code === 'EACCES') throw new ConfigError(`not allowed to listen on port ${config.port}; set PORT above 1024`);
      throw err;
    }
    const address = courtyard.app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    process.stdout.write(`  Courtyard is running at http://localhost:${port} (${database.dialect})\n`);
  }

  // SIGTERM / SIGINT: stop taking requests, let in-flight requests and jobs finish, then exit.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'draining');
    courtyard
      .close()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return courtyard;
}

export function fail(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`courtyard: ${err.message}\n`);
  } else {
    process.stderr.write(`courtyard: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await serve(loadConfig());
  } catch (err) {
    fail(err);
  }
}
