import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { RoleCode } from '@courtyard/contracts';
import { loadConfig, parseRole, type Config, type Role } from '../config.js';
import { systemClock } from '../core/clock.js';
import { systemContext } from '../core/http/context.js';
import { migrate } from '../core/db/migrator.js';
import { openFromConfig } from '../bootstrap.js';
import { createCourtyard, MIGRATIONS, type Courtyard } from '../app.js';
import { BENCH_PASSWORD, ensureAdmin, seedDemo, seedLarge } from '../seed/demo.js';
import { fail, serve } from '../main.js';

/** `courtyard …` (or `npm run cli -- …`): operator commands that work on the configured database. */
async function withCourtyard<T>(config: Config, run: (c: Courtyard) => Promise<T>): Promise<T> {
  const { database, secrets } = await openFromConfig(config);
  const courtyard = await createCourtyard({ database, secrets, clock: systemClock });
  try {
    return await run(courtyard);
  } finally {
    await courtyard.close();
  }
}

async function userId(c: Courtyard, username: string): Promise<string> {
  const id = await c.services.users.idByUsername(username);
  if (!id) throw new Error(`no user "${username}"`);
  return id;
}

const program = new Command('courtyard').description('Courtyard property management system').showHelpAfterError();
const config = () => loadConfig();

program
  .command('serve')
  .description('run the server (API, web UI and jobs)')
  .option('--role <role>', 'all | web | worker (default: COURTYARD_ROLE or all)')
  .action(async (opts: { role?: Role }) => {
    const cfg = config();
    await serve(opts.role ? { ...cfg, role: parseRole(opts.role, '--role') } : cfg);
  });

program
  .command('migrate')
  .description('bring the database schema up to date')
  .action(async () => {
    const { database } = await openFromConfig(config());
    const applied = await migrate(database.db, database.dialect, MIGRATIONS);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    await database.close();
  });

program
  .command('seed')
  .description('create the administrator and the demo company (idempotent)')
  .option('--size <size>', 'demo (default) or large: the demo plus 1,000,000 people for benchmarks', 'demo')
  .action(async (options: { size: string }) => {
    if (options.size !== 'demo' && options.size !== 'large') throw new Error('--size must be demo or large');
    const cfg = config();
    await withCourtyard(cfg, async (c) => {
      const admin = await ensureAdmin(c.services, c.database.db, cfg.adminPassword);
      if (admin.password) console.log(`admin password: ${admin.password}`);
      if (options.size === 'large') {
        const { persons, samples } = await seedLarge(c, (line) => console.log(line));
        fs.writeFileSync(path.join(cfg.dataDir, 'bench-samples.json'), JSON.stringify({ ...samples, username: 'bench1', password: BENCH_PASSWORD }));
        console.log(`large seed: ${persons.toLocaleString('en')} people besides the demo; search samples in ${path.join(cfg.dataDir, 'bench-samples.json')}`);
        return;
      }
      console.log((await seedDemo(c)) ? 'demo data seeded' : 'demo data already present');
    });
  });

const user = program.command('user').description('manage accounts');
user
  .command('create <username>')
  .description('create a user; prints the initial password unless --password is given')
  .requiredOption('--name <displayName>', 'display name')
  .option('--kind <kind>', 'staff | owner', 'staff')
  .option('--role <role>', 'built-in or custom role code to grant (no approval needed from the CLI)')
  .option('--community <code>', 'community code the role applies to (default: all)')
  .option('--password <password>', 'initial password (must meet the policy)')
  .action(async (username: string, opts: { name: string; kind: 'staff' | 'owner'; role?: RoleCode; community?: string; password?: string }) => {
    await withCourtyard(config(), async (c) => {
      const { generatePassword } = await import('../core/crypto/password.js');
      const password = opts.password ?? generatePassword();
      const communityId = opts.community ? await c.services.properties.communityIdByCode(opts.community) : null;
      if (opts.community && !communityId) throw new Error(`no community with code "${opts.community}"`);
      const ctx = systemContext('cli');
      await c.database.db.transaction().execute(async (tx) => {
        const id = await c.services.users.createIn(tx, ctx, { username, displayName: opts.name, kind: opts.kind, password, mustChangePassword: true });
        if (opts.role) await c.services.access.grantDirect(tx, ctx, id, opts.role, communityId ?? null);
      });
      console.log(`created ${username}${opts.password ? '' : ` with password ${password}`} (must be changed at first sign-in)`);
    });
  });
user
  .command('unlock <username>')
  .description('clear a lockout after failed sign-ins')
  .action(async (username: string) => {
    await withCourtyard(config(), async (c) => {
      await c.services.users.unlock(systemContext('cli'), await userId(c, username));
      console.log(`unlocked ${username}`);
    });
  });
user
  .command('reset-password <username>')
  .description('set a temporary password the user must change at next sign-in (ends their sessions)')
  .action(async (username: string) => {
    await withCourtyard(config(), async (c) => {
      const temporary = await c.services.users.resetPassword(systemContext('cli'), await userId(c, username));
      console.log(`temporary password for ${username}: ${temporary}`);
    });
  });
user
  .command('reset-mfa <username>')
  .description('remove two-factor so the user can enrol again (ends their sessions)')
  .action(async (username: string) => {
    await withCourtyard(config(), async (c) => {
      await c.services.users.resetMfa(systemContext('cli'), await userId(c, username));
      console.log(`two-factor reset for ${username}`);
    });
  });

program
  .command('audit')
  .description('audit trail')
  .command('verify')
  .description('check the HMAC chain; exits 1 when any record was edited, deleted, inserted or reordered')
  .action(async () => {
    await withCourtyard(config(), async (c) => {
      const result = await c.services.audit.verify(c.database.db);
      if (result.ok) console.log(`audit chain intact: ${result.checked} records verified`);
      else {
        console.error(`audit chain BROKEN at record ${result.brokenAtSeq}: ${result.problem} (${result.checked} records verified before it)`);
        process.exitCode = 1;
      }
    });
  });

program
  .command('import <kind> <file>')
  .description('import rooms | people | parking from an .xlsx file: validates, prints the errors, commits unless there are errors or --dry-run (exit code 1 on errors)')
  .requiredOption('--community <code>', 'community code to import into')
  .option('--dry-run', 'validate only')
  .option('--lang <locale>', 'zh-CN | en-US for the messages', 'zh-CN')
  .action(async (kind: string, file: string, opts: { community: string; dryRun?: boolean; lang?: string }) => {
    const { importCommand } = await import('./import.js');
    process.exitCode = await withCourtyard(config(), (c) => importCommand(c, kind, file, opts));
  });

program
  .command('ledger')
  .description('billing ledger')
  .command('check')
  .description('check every billing invariant (balanced transactions, balances, paid = allocations, receivable = bills owed, prepaid never negative); exits 1 with a listing when any fails')
  .action(async () => {
    const { ledgerCheckCommand } = await import('../modules/billing/index.js');
    process.exitCode = await withCourtyard(config(), (c) => ledgerCheckCommand(c.services.billing.check, (l) => console.log(l), (l) => console.error(l)));
  });

program
  .command('job <id>')
  .description('show a background job and its progress')
  .action(async (id: string) => {
    await withCourtyard(config(), async (c) => {
      const job = await c.services.jobs.get(c.database.db, id);
      if (!job) throw new Error(`no job ${id}`);
      const pct = job.progressTotal ? ` ${Math.floor((job.progressDone / job.progressTotal) * 100)}%` : '';
      console.log(`${job.type} ${job.status}${pct} ${job.progressDone}/${job.progressTotal ?? '?'} ${job.progressNote ?? ''}`);
    });
  });

program
  .command('keys')
  .description('encryption keys')
  .command('rotate-field')
  .description('generate the next field key and re-encrypt every encrypted column with it; run again to resume after an interruption')
  .option('--batch <rows>', 'rows per transaction', '500')
  .action(async (opts: { batch: string }) => {
    const { rotateFieldKey } = await import('./keys.js');
    const batchSize = Number(opts.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch must be a positive whole number');
    await rotateFieldKey(config(), (line) => console.log(line), { batchSize });
  });

program.parseAsync(process.argv).catch(fail);
