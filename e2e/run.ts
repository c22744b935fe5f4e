/**
 * Browser journeys: the real server (fresh SQLite data directory, demo seed) and the built web UI,
 * driven by playwright-core through Debian's Chromium.
 *
 *   npm run e2e            (builds web/dist first)
 *   node --import tsx e2e/run.ts [journey-name …]   (only the named journeys; web/dist must exist)
 *
 * Environment: CHROMIUM_PATH (default /usr/bin/chromium), E2E_KEEP_DATA=1 keeps the data directory.
 * Screenshots go to e2e/artifacts/<journey>-<step>.png; the server's output to e2e/artifacts/server.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { readdir } from 'node:fs/promises';
import type { Journey, Kit } from './kit.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_PASSWORD = 'E2e#Admin-2026';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const CJK = /[\u4e00-\u9fff]/;

const DEMO = {
  cashier: { username: 'cashier1', password: 'Demo#2026cash' },
  manager: { username: 'manager1', password: 'Demo#2026mgr' },
  owner: { username: 'owner1', password: 'Demo#2026own' },
  service: { username: 'service1', password: 'Demo#2026svc' },
} as const;

// ---------------------------------------------------------------------------------------------
// Server

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface RunningServer {
  baseUrl: string;
  process: ChildProcess;
  dataDir: string;
}

async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'courtyard-e2e-'));
  const log = createWriteStream(path.join(ARTIFACTS, 'server.log'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      COURTYARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      COURTYARD_SEED_DEMO: 'true',
      // info: the request log's tail is printed when a journey fails.
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
      // A transaction holding SQLite's one connection for 10 s is reported with its stack.
      COURTYARD_DB_HOLD_WARN_MS: '10000',
      COURTYARD_DB_FAIL_SELF_WAIT: 'true',
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const state: { exitCode: number | null } = { exitCode: null };
  child.once('exit', (code) => {
    state.exitCode = code ?? -1;
  });
  while (Date.now() - started < 90_000) {
    if (state.exitCode !== null) {
      throw new Error(`the server exited with code ${state.exitCode} before it was ready; see e2e/artifacts/server.log`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return { baseUrl, process: child, dataDir };
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready within 90 s; see e2e/artifacts/server.log');
}

async function stopServer(server: RunningServer | undefined): Promise<void> {
  if (!server) return;
  const { process: child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
    if (timedOut) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  if (!process.env.E2E_KEEP_DATA) await rm(server.dataDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** TOTP codes that respect the server's replay rule: each accepted time step must be later than the last. */
class Authenticator {
  private lastStep = -1;
  constructor(private readonly secret: string) {}

  private totp(): OTPAuth.TOTP {
    return new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(this.secret) });
  }

  /** A code from a time step not used yet, waiting for the next 30-second window when needed. */
  async freshCode(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const step = Math.floor(now / 30_000);
      // Avoid the last second of a window: the request might land in the next one.
      const msLeft = (step + 1) * 30_000 - now;
      if (step > this.lastStep && msLeft > 1500) {
        this.lastStep = step;
        return this.totp().generate({ timestamp: now });
      }
      const wait = msLeft + 200;
      console.log(`    … waiting ${Math.ceil(wait / 1000)} s for the next TOTP window`);
      await sleep(wait);
    }
  }
}

interface Shared {
  baseUrl: string;
  browser: Browser;
  /** Set by the first journey: the administrator's TOTP and unused recovery codes. */
  adminTotp?: Authenticator;
  adminRecoveryCodes?: string[];
  /** Set by the administrator tour: a user created with a generated initial password. */
  newUser?: { username: string; password: string };
}

/** Contexts opened by the running journey; the runner screenshots them on failure and closes them. */
const openContexts: BrowserContext[] = [];

async function newPage(shared: Shared, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await shared.browser.newContext({ baseURL: shared.baseUrl, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  openContexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => {
    pageErrors.push(`${page.url()}: ${error.message}`);
  });
  // Kept for the failure report: a journey that times out waiting for a response says why.
  page.on('requestfailed', (request) => {
    networkLog.push(`failed ${request.method()} ${request.url()}: ${request.failure()?.errorText ?? '?'}`);
  });
  page.on('request', (request) => {
    if (request.url().includes('/api/')) networkLog.push(`sent ${request.method()} ${request.url()}`);
  });
  page.on('response', (response) => {
    if (response.url().includes('/api/') || response.status() >= 400) networkLog.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return { context, page };
}

const pageErrors: string[] = [];
/** Failed requests and error responses of the running journey (printed when it fails). */
const networkLog: string[] = [];

/**
 * What a failed journey prints besides its error: the page's failed requests, whether the server
 * still answers (static and database-backed), and the tail of the server's log.
 */
async function diagnose(server: RunningServer): Promise<string> {
  const lines: string[] = [];
  lines.push(...networkLog.slice(-20).map((l) => `network: ${l}`));
  for (const probe of ['/healthz', '/readyz']) {
    const started = Date.now();
    try {
      const res = await fetch(`${server.baseUrl}${probe}`, { signal: AbortSignal.timeout(5000) });
      lines.push(`probe ${probe}: ${res.status} in ${Date.now() - started} ms`);
    } catch (error) {
      lines.push(`probe ${probe}: no answer after ${Date.now() - started} ms (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  lines.push(`server process: ${server.process.exitCode === null && server.process.signalCode === null ? 'running' : `exited (${String(server.process.exitCode ?? server.process.signalCode)})`}`);
  const log = await readFile(path.join(ARTIFACTS, 'server.log'), 'utf8').catch(() => '');
  const logLines = log.trimEnd().split('\n');
  // A stalled SQLite connection is reported with the stack that holds it (COURTYARD_DB_HOLD_WARN_MS).
  const held = logLines.findIndex((l) => l.includes('SQLite connection has been held'));
  if (held >= 0) lines.push(...logLines.slice(held, held + 30).map((l) => `server.log (hold): ${l.slice(0, 400)}`));
  lines.push(...logLines.slice(-25).map((l) => `server.log: ${l.slice(0, 400)}`));
  return lines.join('\n');
}

/** Full-page screenshot; `overlay` takes the viewport only (drawers and dialogs are fixed to it). */
async function shot(page: Page, journey: string, step: string, overlay = false): Promise<void> {
  await page.waitForTimeout(350); // let animations settle
  await page.screenshot({ path: path.join(ARTIFACTS, `${journey}-${step}.png`), fullPage: !overlay });
}

const byTestId = (page: Page, id: string) => page.locator(`[data-testid="${id}"]`);

async function submitSignIn(page: Page, username: string, password: string): Promise<void> {
  await byTestId(page, 'signin-username').fill(username);
  await byTestId(page, 'signin-password').fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/auth/sign-in') && r.request().method() === 'POST'),
    byTestId(page, 'signin-submit').click(),
  ]);
}

/** Signs in on the current page; answers the two-factor step with `authenticator` when asked. */
async function signIn(page: Page, username: string, password: string, authenticator?: Authenticator): Promise<void> {
  await submitSignIn(page, username, password);
  if (authenticator) {
    await byTestId(page, 'mfa-code').waitFor();
    await byTestId(page, 'mfa-code').fill(await authenticator.freshCode());
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/mfa') && r.request().method() === 'POST'),
      byTestId(page, 'mfa-submit').click(),
    ]);
  }
}

async function signOut(page: Page): Promise<void> {
  await byTestId(page, 'user-menu').click();
  await byTestId(page, 'signout').click();
  await page.waitForURL((url) => url.pathname.endsWith('/sign-in'));
}

/** Visible text under `selector`, leaving out user data (names typed by people, marked data-user-data). */
async function visibleUiText(page: Page, selector: string): Promise<string> {
  return page.evaluate(`(() => {
    const parts = [];
    for (const root of document.querySelectorAll(${JSON.stringify(selector)})) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('[data-user-data]')) continue;
        if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
        const text = (node.textContent || '').trim();
        if (text) parts.push(text);
      }
    }
    return parts.join(' | ');
  })()`);
}

/** Picks a language in the header switch of a signed-in page and waits until the account saved it. */
async function switchLocale(page: Page, locale: 'zh-CN' | 'en-US'): Promise<void> {
  await byTestId(page, 'lang-switch').click();
  // The menu slides in: click its item once it is there (a click during the animation can miss).
  await byTestId(page, `lang-${locale}`).waitFor({ state: 'visible' });
  await page.waitForTimeout(300);
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/auth/me/locale') && r.request().method() === 'PUT'),
    byTestId(page, `lang-${locale}`).click(),
  ]);
  assert.ok(saved.ok(), `saving the language answered ${saved.status()}`);
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
  await page.waitForTimeout(400); // the dropdown closes
}

async function fetchStatus(page: Page, url: string): Promise<number> {
  return page.evaluate(`fetch(${JSON.stringify(url)}, { credentials: 'same-origin' }).then((r) => r.status)`);
}

// ---------------------------------------------------------------------------------------------
// Journeys

/** 1. The administrator must enrol two-factor, then signs in with password + TOTP. */
async function adminEnrolsTwoFactor(shared: Shared): Promise<void> {
  const J = 'j1-admin-mfa';
  const { page } = await newPage(shared, PHONE);
  await page.goto('/sign-in');
  await byTestId(page, 'signin-username').waitFor();
  await shot(page, J, '01-signin-375');
  await page.setViewportSize(DESKTOP);
  await shot(page, J, '02-signin');

  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.waitForURL((url) => url.pathname === '/account' && url.searchParams.get('tab') === 'mfa');
  await byTestId(page, 'mfa-required').waitFor();
  await shot(page, J, '03-enrolment-required');

  // Other pages are out of reach until two-factor is on.
  await page.goto('/admin/users');
  await page.waitForURL((url) => url.pathname === '/account');

  await byTestId(page, 'mfa-start').click();
  const secret = (await byTestId(page, 'mfa-secret').innerText()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]+=*$/, 'the enrolment shows a base32 secret');
  assert.ok(await byTestId(page, 'mfa-qr').isVisible(), 'the enrolment shows a QR code');
  await shot(page, J, '04-enrolment-qr');

  const authenticator = new Authenticator(secret);
  shared.adminTotp = authenticator;
  await byTestId(page, 'mfa-confirm-code').fill(await authenticator.freshCode());
  await byTestId(page, 'mfa-confirm').click();
  await byTestId(page, 'recovery-codes').waitFor();
  const codes = await byTestId(page, 'recovery-codes-item').allInnerTexts();
  assert.ok(codes.length >= 5, `recovery codes are shown (got ${codes.length})`);
  shared.adminRecoveryCodes = codes.map((c) => c.trim());
  await shot(page, J, '05-recovery-codes');
  await page.setViewportSize(PHONE);
  await shot(page, J, '06-recovery-codes-375');
  await page.setViewportSize(DESKTOP);
  await byTestId(page, 'recovery-done').click();
  await byTestId(page, 'mfa-status').waitFor();

  await page.goto('/');
  await byTestId(page, 'home-welcome').waitFor();
  assert.ok(await byTestId(page, 'menu-users').isVisible(), 'the administrator sees the users menu');

  await signOut(page);
  await signIn(page, 'admin', ADMIN_PASSWORD, authenticator);
  await page.waitForURL((url) => url.pathname === '/');
  await byTestId(page, 'home-welcome').waitFor();
  await shot(page, J, '07-home');

  await page.setViewportSize(PHONE);
  await shot(page, J, '08-home-375');
  await byTestId(page, 'menu-toggle').click();
  await byTestId(page, 'menu-users').waitFor();
  await shot(page, J, '09-menu-drawer-375', true);
}

/** 2. Three wrong passwords lock cashier1; an administrator unlocks them on the users page. */
async function lockoutAndUnlock(shared: Shared): Promise<void> {
  const J = 'j2-lockout';
  assert.ok(shared.adminTotp, 'journey 1 must run first (it enrols the administrator)');
  const cashier = await newPage(shared);
  const admin = await newPage(shared);
  const page = cashier.page;
  await page.goto('/sign-in');
  for (let attempt = 1; attempt <= 3; attempt++) {
    await submitSignIn(page, DEMO.cashier.username, `Wrong#password${attempt}`);
    await byTestId(page, 'signin-error').waitFor();
  }
  const error = byTestId(page, 'signin-error');
  await page.locator('[data-testid="signin-error"][data-code="auth.locked"]').waitFor({ timeout: 5000 });
  const lockedText = await error.innerText();
  assert.match(lockedText, /锁定/, 'the lockout message is shown');
  assert.match(lockedText, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, 'the unlock time is shown');
  await shot(page, J, '01-locked');

  await submitSignIn(page, DEMO.cashier.username, DEMO.cashier.password);
  await page.locator('[data-testid="signin-error"][data-code="auth.locked"]').waitFor({ timeout: 5000 });
  await page.waitForTimeout(500);
  assert.equal(await error.getAttribute('data-code'), 'auth.locked', 'the right password does not get past the lock');
  assert.match(await error.innerText(), /锁定/);
  assert.ok(page.url().endsWith('/sign-in'));
  await page.setViewportSize(PHONE);
  await shot(page, J, '02-still-locked-375');
  await page.setViewportSize(DESKTOP);

  const a = admin.page;
  await a.goto('/sign-in');
  await signIn(a, 'admin', ADMIN_PASSWORD, shared.adminTotp);
  await byTestId(a, 'home-welcome').waitFor();
  await byTestId(a, 'menu-users').click();
  await a.waitForURL((url) => url.pathname === '/admin/users');
  const row = byTestId(a, 'user-row-cashier1');
  await row.waitFor();
  assert.ok(await byTestId(a, 'locked-cashier1').isVisible(), 'the users page shows cashier1 as locked');
  await shot(a, J, '03-users-locked');
  await Promise.all([
    a.waitForResponse((r) => r.url().includes('/unlock') && r.request().method() === 'POST' && r.ok()),
    byTestId(a, 'unlock-cashier1').click(),
  ]);
  await byTestId(a, 'locked-cashier1').waitFor({ state: 'detached' });
  assert.equal(await byTestId(a, 'unlock-cashier1').count(), 0, 'the unlock button is gone');
  await shot(a, J, '04-unlocked');
  await a.setViewportSize(PHONE);
  await shot(a, J, '05-users-375');

  await submitSignIn(page, DEMO.cashier.username, DEMO.cashier.password);
  await page.waitForURL((url) => url.pathname === '/');
  await byTestId(page, 'home-welcome').waitFor();
  await shot(page, J, '06-cashier-home');
}

/** 3. The language switch changes every label, follows the account, and switches back. */
async function languageSwitch(shared: Shared): Promise<void> {
  const J = 'j3-language';
  const { page } = await newPage(shared);
  const layout = '[data-testid="app-header"], [data-testid="app-sider"], [data-testid="app-content"]';
  await page.goto('/sign-in');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN', 'Chinese is the default');
  await signIn(page, DEMO.manager.username, DEMO.manager.password);
  await byTestId(page, 'home-welcome').waitFor();
  assert.match(await visibleUiText(page, layout), CJK, 'the console starts in Chinese');
  await shot(page, J, '01-zh');

  await switchLocale(page, 'en-US');
  const english = await visibleUiText(page, layout);
  assert.doesNotMatch(english, CJK, `no Chinese left in the layout after switching to English: ${english}`);
  assert.match(await byTestId(page, 'page-title').innerText(), /Dashboard/);
  await shot(page, J, '02-en');

  // The choice is saved on the account: a reload keeps English.
  await page.reload();
  await byTestId(page, 'home-welcome').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en-US');
  await byTestId(page, 'menu-account').click();
  await page.waitForURL((url) => url.pathname === '/account');
  await byTestId(page, 'page-title').waitFor();
  const accountText = await visibleUiText(page, layout);
  assert.doesNotMatch(accountText, CJK, `no Chinese on the account page in English: ${accountText}`);
  await shot(page, J, '03-en-account');
  await page.setViewportSize(PHONE);
  await shot(page, J, '04-en-account-375');
  await byTestId(page, 'menu-toggle').click();
  await byTestId(page, 'menu-home').waitFor();
  const drawerText = await visibleUiText(page, '[data-testid="menu-drawer"]');
  assert.doesNotMatch(drawerText, CJK, `no Chinese in the phone menu: ${drawerText}`);
  await shot(page, J, '05-en-menu-375', true);
  await byTestId(page, 'menu-home').click();
  await page.setViewportSize(DESKTOP);

  await switchLocale(page, 'zh-CN');
  assert.match(await visibleUiText(page, layout), CJK, 'back in Chinese');
  assert.match(await byTestId(page, 'page-title').innerText(), /工作台/);
  await page.reload();
  await byTestId(page, 'home-welcome').waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await shot(page, J, '06-zh-again');
}

/** 4. A cashier has no user administration: no menu entry, a 403 from the API and the 403 page. */
async function cashierHasNoUserAdmin(shared: Shared): Promise<void> {
  const J = 'j4-permissions';
  const { page } = await newPage(shared);
  await page.goto('/sign-in');
  await signIn(page, DEMO.cashier.username, DEMO.cashier.password);
  await byTestId(page, 'home-welcome').waitFor();
  assert.ok(await byTestId(page, 'menu-home').isVisible());
  assert.equal(await byTestId(page, 'menu-users').count(), 0, 'no users menu for a cashier');
  assert.equal(await byTestId(page, 'menu-roles').count(), 0, 'no roles menu for a cashier');
  assert.equal(await byTestId(page, 'menu-audit').count(), 0, 'no audit menu for a cashier');
  assert.equal(await fetchStatus(page, '/api/users'), 403, 'GET /api/users answers 403');
  await shot(page, J, '01-cashier-home');

  await page.goto('/admin/users');
  await byTestId(page, 'forbidden').waitFor();
  await shot(page, J, '02-forbidden');
  await page.setViewportSize(PHONE);
  await shot(page, J, '03-forbidden-375');
  await byTestId(page, 'menu-toggle').click();
  await byTestId(page, 'menu-home').waitFor();
  assert.equal(await byTestId(page, 'menu-users').count(), 0);
  await shot(page, J, '04-menu-375', true);
}

/** 5. An owner signs in on a phone through the portal and sees the portal home. */
async function ownerPortal(shared: Shared): Promise<void> {
  const J = 'j5-portal';
  const { page } = await newPage(shared, PHONE);
  await page.goto('/portal/sign-in');
  await byTestId(page, 'signin-username').waitFor();
  await shot(page, J, '01-signin-375');
  await signIn(page, DEMO.owner.username, DEMO.owner.password);
  await page.waitForURL((url) => url.pathname === '/portal');
  await byTestId(page, 'portal-greeting').waitFor();
  for (const card of ['bills', 'repairs', 'visitors', 'notices']) {
    assert.ok(await byTestId(page, `portal-card-${card}`).isVisible(), `the ${card} card is shown`);
  }
  const width = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(typeof width === 'number' && width <= PHONE.width, `no horizontal scrolling on a phone (page is ${String(width)} px wide)`);
  await shot(page, J, '02-home-375');

  // An owner who opens the staff console lands in the portal.
  await page.goto('/admin/users');
  await page.waitForURL((url) => url.pathname === '/portal');
  await page.setViewportSize(DESKTOP);
  await shot(page, J, '03-home-desktop');
}

/** 6. The administrator's screens: user drawer and a sensitive grant, new user, roles, approvals, audit. */
async function adminConsoleTour(shared: Shared): Promise<void> {
  const J = 'j6-admin-console';
  const recovery = shared.adminRecoveryCodes?.shift();
  assert.ok(recovery, 'journey 1 must run first (it shows the recovery codes)');
  const { page } = await newPage(shared);
  await page.goto('/sign-in');
  await submitSignIn(page, 'admin', ADMIN_PASSWORD);
  // The second step also takes a recovery code.
  await byTestId(page, 'mfa-code').fill(recovery);
  await shot(page, J, '01-mfa-step');
  await byTestId(page, 'mfa-submit').click();
  await byTestId(page, 'home-welcome').waitFor();

  await byTestId(page, 'menu-users').click();
  await byTestId(page, 'view-manager1').click();
  await byTestId(page, 'user-drawer').waitFor();
  // Personal data arrives masked; the reveal asks the server, which audits it.
  const drawer = byTestId(page, 'user-drawer');
  await drawer.getByText('138****0011').waitFor();
  const [revealResponse] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/reveal') && r.request().method() === 'POST'),
    drawer.locator('[data-testid="masked-reveal"]').click(),
  ]);
  assert.equal(revealResponse.status(), 200, 'the administrator may reveal the phone number');
  await drawer.getByText('13800000011').waitFor();
  await byTestId(page, 'grant-role').click();
  await page.keyboard.type('安全管理员');
  await page.locator('.ant-select-item-option-active', { hasText: '安全管理员' }).waitFor();
  await page.keyboard.press('Enter');
  await byTestId(page, 'grant-sensitive').waitFor();
  const [grantResponse] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/grants') && r.request().method() === 'POST'),
    byTestId(page, 'grant-submit').click(),
  ]);
  assert.equal(grantResponse.status(), 200, 'the grant request is accepted');
  const grant = (await grantResponse.json()) as { status: string };
  assert.equal(grant.status, 'pending', 'a sensitive role needs a second administrator');
  await byTestId(page, 'grant-security_admin').waitFor();
  await shot(page, J, '02-user-drawer-pending-grant', true);
  await page.setViewportSize(PHONE);
  await shot(page, J, '03-user-drawer-375', true);
  await page.setViewportSize(DESKTOP);
  await page.keyboard.press('Escape');
  await byTestId(page, 'user-drawer').waitFor({ state: 'hidden' });

  await byTestId(page, 'user-create').click();
  await byTestId(page, 'user-form-username').fill('e2e.clerk');
  await byTestId(page, 'user-form-displayName').fill('E2E Clerk');
  await byTestId(page, 'user-create-submit').click();
  await byTestId(page, 'initial-password').waitFor();
  const initialPassword = (await byTestId(page, 'initial-password-item').innerText()).trim();
  assert.ok(initialPassword.length >= 8, 'the initial password is shown');
  shared.newUser = { username: 'e2e.clerk', password: initialPassword };
  await shot(page, J, '04-initial-password', true);
  await page.keyboard.press('Escape');
  await byTestId(page, 'user-row-e2e.clerk').waitFor();

  await byTestId(page, 'menu-roles').click();
  await byTestId(page, 'role-row-system_admin').waitFor();
  await shot(page, J, '05-roles');
  await byTestId(page, 'role-row-system_admin').locator('a').first().click();
  await page.locator('.ant-tree').waitFor();
  await shot(page, J, '06-role-permissions', true);
  await page.keyboard.press('Escape');
  await byTestId(page, 'roles-tab-approvals').click();
  const pending = byTestId(page, 'pending-manager1-security_admin');
  await pending.waitFor();
  assert.ok(await byTestId(page, 'approve-manager1-security_admin').isDisabled(), 'nobody approves their own request');
  await shot(page, J, '07-approvals');
  await page.setViewportSize(PHONE);
  await shot(page, J, '08-approvals-375');
  await page.setViewportSize(DESKTOP);

  await byTestId(page, 'menu-audit').click();
  // the sign-in chart (ECharts, SVG) draws from real audit records
  await byTestId(page, 'sign-in-activity').locator('svg').waitFor();
  await page.locator('[data-testid^="audit-row-"]').first().waitFor();
  await page.locator('.ant-table-row-expand-icon').first().click();
  await page.locator('pre.json-block').first().waitFor();
  await shot(page, J, '09-audit');
  await page.setViewportSize(PHONE);
  await shot(page, J, '10-audit-375');

  await page.goto('/account?tab=sessions');
  await byTestId(page, 'signout-everywhere').waitFor();
  await shot(page, J, '11-sessions-375');
  await page.setViewportSize(DESKTOP);
  await shot(page, J, '12-sessions');
  await page.goto('/account?tab=mfa');
  await byTestId(page, 'mfa-status').waitFor();
  await shot(page, J, '13-mfa-on');

  // Every administration page in English: no Chinese outside what people typed.
  const layout = '[data-testid="app-header"], [data-testid="app-sider"], [data-testid="app-content"]';
  await switchLocale(page, 'en-US');
  for (const [key, ready] of [
    ['users', '[data-testid="user-row-admin"]'],
    ['roles', '[data-testid="role-row-system_admin"]'],
    ['audit', '[data-testid^="audit-row-"]'],
    ['account', '[data-testid="account-language"]'],
  ] as const) {
    await byTestId(page, `menu-${key}`).click();
    await page.locator(ready).first().waitFor();
    const text = await visibleUiText(page, layout);
    assert.doesNotMatch(text, CJK, `no Chinese on the ${key} page in English: ${text.slice(0, 400)}`);
    await shot(page, J, `14-en-${key}`);
  }
  await byTestId(page, 'menu-roles').click();
  await byTestId(page, 'roles-tab-approvals').click();
  await byTestId(page, 'pending-manager1-security_admin').waitFor();
  assert.doesNotMatch(await visibleUiText(page, layout), CJK, 'no Chinese in the approval queue in English');
  await shot(page, J, '15-en-approvals');
  await switchLocale(page, 'zh-CN');
}

/** 7. A new user signs in with the initial password and must change it first. */
async function newUserChangesPassword(shared: Shared): Promise<void> {
  const J = 'j7-forced-password';
  const user = shared.newUser;
  assert.ok(user, 'the administrator tour must run first (it creates the user)');
  const { page } = await newPage(shared, PHONE);
  await page.goto('/sign-in');
  await signIn(page, user.username, user.password);
  await page.waitForURL((url) => url.pathname === '/change-password');
  await shot(page, J, '01-forced-375');
  // Nothing else is reachable before the change.
  await page.goto('/account');
  await page.waitForURL((url) => url.pathname === '/change-password');

  const fill = async (current: string, next: string) => {
    await byTestId(page, 'password-current').fill(current);
    await byTestId(page, 'password-new').fill(next);
    await byTestId(page, 'password-confirm').fill(next);
    return Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/password') && r.request().method() === 'POST'),
      byTestId(page, 'password-submit').click(),
    ]).then(([response]) => response);
  };
  // A weak password is refused with the server's message on the field.
  const weak = await fill(user.password, 'short');
  assert.equal(weak.status(), 400);
  await page.locator('.ant-form-item-explain-error').first().waitFor();
  await page.setViewportSize(DESKTOP);
  await shot(page, J, '02-weak-password');

  const strong = `Clerk#${Date.now() % 100000}x`;
  const changed = await fill(user.password, strong);
  assert.equal(changed.status(), 200, 'the new password is accepted');
  await page.waitForURL((url) => url.pathname === '/');
  await byTestId(page, 'home-welcome').waitFor();
  await shot(page, J, '03-home');

  await signOut(page);
  await signIn(page, user.username, strong);
  await page.waitForURL((url) => url.pathname === '/');
}

/** Settings: the administrator saves an SMTP password, which is shown as set and never sent back. */
async function adminSavesSmtpPassword(shared: Shared): Promise<void> {
  const J = 'j-settings';
  const SMTP_PASSWORD = 'Smtp#Secret-e2e-2026';
  assert.ok(shared.adminTotp, 'journey 1 must run first (it enrols the administrator)');
  const { page } = await newPage(shared);
  await page.goto('/sign-in');
  await signIn(page, 'admin', ADMIN_PASSWORD, shared.adminTotp);
  await byTestId(page, 'home-welcome').waitFor();
  await byTestId(page, 'menu-settings').click();
  await page.waitForURL((url) => url.pathname === '/admin/settings');
  await byTestId(page, 'settings-page').waitFor();
  await byTestId(page, 'settings-organisation-form').waitFor();
  await shot(page, J, '01-organisation');

  await byTestId(page, 'settings-tab-notifications').click();
  await byTestId(page, 'settings-email-form').waitFor();
  const passwordTag = byTestId(page, 'settings-secret-password');
  assert.equal(await passwordTag.getAttribute('data-set'), 'false', 'no SMTP password is stored at first');
  await byTestId(page, 'settings-email-host').fill('smtp.example.com');
  await byTestId(page, 'settings-email-user').fill('notice@example.com');
  await byTestId(page, 'settings-email-password').fill(SMTP_PASSWORD);
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/settings/notifications.email') && r.request().method() === 'PUT'),
    byTestId(page, 'settings-save-notifications.email').click(),
  ]);
  assert.equal(saved.status(), 200, 'the SMTP settings are saved');
  const sent = saved.request().postDataJSON() as { value: Record<string, unknown> };
  assert.deepEqual(Object.keys(sent.value).sort(), ['host', 'password', 'user'], 'only the changed fields are sent');
  assert.ok(!(await saved.text()).includes(SMTP_PASSWORD), 'the save answer does not echo the password');
  await page.locator('[data-testid="settings-secret-password"][data-set="true"]').waitFor();
  assert.equal(await byTestId(page, 'settings-email-password').inputValue(), '', 'the password field is emptied after saving');

  await page.reload();
  await byTestId(page, 'settings-email-form').waitFor();
  await page.locator('[data-testid="settings-secret-password"][data-set="true"]').waitFor();
  assert.equal((await passwordTag.innerText()).trim(), '已设置', 'the password shows as set after a reload');
  assert.equal(await byTestId(page, 'settings-email-password').inputValue(), '', 'the password is never prefilled');
  assert.equal(await byTestId(page, 'settings-email-host').inputValue(), 'smtp.example.com');
  const listed: unknown = await page.evaluate(`fetch('/api/settings', { credentials: 'same-origin' }).then((r) => r.text())`);
  assert.ok(typeof listed === 'string' && listed.includes('"secretsSet":["password"]'), 'GET /api/settings says the password is set');
  assert.ok(!listed.includes(SMTP_PASSWORD), 'GET /api/settings never contains the saved password');
  await shot(page, J, '02-email-password-set');

  // A community's own time zone, then back to the organisation default.
  await page.goto('/admin/settings?tab=locale');
  const override = byTestId(page, 'settings-override-locale.defaults');
  await byTestId(page, 'settings-locale-form').waitFor();
  await byTestId(page, 'settings-locale-scope').click();
  await page.keyboard.type('翠湖');
  await page.locator('.ant-select-item-option-active', { hasText: '翠湖花园' }).waitFor();
  await page.keyboard.press('Enter');
  await override.waitFor();
  assert.equal((await override.innerText()).trim(), '沿用组织默认');
  await byTestId(page, 'settings-locale-timezone').click();
  await page.keyboard.type('Hong_Kong');
  await page.locator('.ant-select-item-option-active', { hasText: 'Asia/Hong_Kong' }).waitFor();
  await page.keyboard.press('Enter');
  const [overridden] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/settings/locale.defaults') && r.request().method() === 'PUT'),
    byTestId(page, 'settings-save-locale.defaults').click(),
  ]);
  assert.equal(overridden.status(), 200, 'the community override is saved');
  const overrideBody = overridden.request().postDataJSON() as { value: Record<string, unknown>; communityId?: string };
  assert.deepEqual(overrideBody.value, { timezone: 'Asia/Hong_Kong' });
  assert.ok(overrideBody.communityId, 'the override names the community');
  await page.locator('[data-testid="settings-locale-form"][data-stored="true"]').waitFor();
  assert.equal((await override.innerText()).trim(), '本小区已单独设置');
  await shot(page, J, '03-community-override');
  await byTestId(page, 'settings-restore-locale.defaults').click();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/settings/locale.defaults?communityId=') && r.request().method() === 'DELETE' && r.ok()),
    page.locator('.ant-popconfirm .ant-btn-primary').click(),
  ]);
  await page.locator('[data-testid="settings-locale-form"][data-stored="false"]').waitFor();
  assert.equal((await override.innerText()).trim(), '沿用组织默认', 'the community follows the organisation again');

  await page.goto('/admin/settings?tab=notifications');
  await page.locator('[data-testid="settings-secret-password"][data-set="true"]').waitFor();
  await page.setViewportSize(PHONE);
  await shot(page, J, '04-notifications-375');
  const width = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(typeof width === 'number' && width <= PHONE.width, `no horizontal scrolling on a phone (page is ${String(width)} px wide)`);
  await page.goto('/admin/settings?tab=locale');
  await byTestId(page, 'settings-locale-form').waitFor();
  await shot(page, J, '05-locale-375');
  await page.setViewportSize(DESKTOP);

  // In English no Chinese is left on the page (community names are user data).
  const layout = '[data-testid="app-header"], [data-testid="app-sider"], [data-testid="app-content"]';
  await switchLocale(page, 'en-US');
  for (const [tab, form] of [
    ['organisation', 'organisation'],
    ['locale', 'locale'],
    ['security', 'security'],
    ['notifications', 'email'],
  ] as const) {
    await byTestId(page, `settings-tab-${tab}`).click();
    await byTestId(page, `settings-${form}-form`).waitFor();
    const text = await visibleUiText(page, layout);
    // Language names are written in their own language (简体中文 / English) in every locale.
    const chinese = text.split(' | ').filter((part) => CJK.test(part) && part !== '简体中文');
    assert.deepEqual(chinese, [], `no Chinese on the ${tab} settings tab in English`);
    await shot(page, J, `06-en-${tab}`);
  }
  await switchLocale(page, 'zh-CN');

  // A property manager reads the organisation settings and edits only their community.
  const manager = await newPage(shared);
  const m = manager.page;
  await m.goto('/sign-in');
  await signIn(m, DEMO.manager.username, DEMO.manager.password);
  await byTestId(m, 'home-welcome').waitFor();
  await m.goto('/admin/settings?tab=notifications');
  await byTestId(m, 'settings-read-only').waitFor();
  await byTestId(m, 'settings-email-form').waitFor();
  assert.equal(await byTestId(m, 'settings-save-notifications.email').count(), 0, 'no save button on organisation settings for a manager');
  assert.ok(await byTestId(m, 'settings-email-password').isDisabled(), 'the manager cannot type a password');
  await shot(m, J, '07-manager-read-only');
}

/** The live unread badge: a notification sent to manager1 appears on their open console without a reload. */
/**
 * Waits until the header's unread badge shows `count`. A selector, not a waitForFunction string:
 * polling a string predicate evaluates it in the page, which the UI's CSP (no 'unsafe-eval') refuses.
 */
async function badgeShows(page: Page, count: string, timeout?: number): Promise<void> {
  await page.locator(`[data-testid="notification-badge"][data-count="${count}"]`).waitFor({ state: 'attached', ...(timeout ? { timeout } : {}) });
}

async function liveUnreadBadge(shared: Shared): Promise<void> {
  const J = 'j-notifications';
  assert.ok(shared.adminTotp, 'journey 1 must run first (it enrols the administrator)');
  const manager = await newPage(shared);
  const m = manager.page;
  await m.goto('/sign-in');
  await signIn(m, DEMO.manager.username, DEMO.manager.password);
  await byTestId(m, 'home-welcome').waitFor();
  const badge = byTestId(m, 'notification-badge');
  await byTestId(m, 'notification-bell').waitFor();
  const before = Number(await badge.getAttribute('data-count'));
  // A marker that a reload would wipe out.
  await m.evaluate('window.__noReload = true');
  await shot(m, J, '01-manager-before');

  // The administrator sends manager1 a test notification from the templates page.
  const admin = await newPage(shared);
  const a = admin.page;
  await a.goto('/sign-in');
  await signIn(a, 'admin', ADMIN_PASSWORD, shared.adminTotp);
  await byTestId(a, 'home-welcome').waitFor();
  await byTestId(a, 'menu-notification-templates').click();
  await byTestId(a, 'template-group-system.test').waitFor();
  await shot(a, J, '02-templates');
  await byTestId(a, 'test-send').click();
  await byTestId(a, 'test-send-user').click();
  await a.keyboard.type(DEMO.manager.username);
  await a.locator('.ant-select-item-option', { hasText: `(${DEMO.manager.username})` }).click();
  await a.locator('.ant-checkbox-wrapper', { hasText: '电子邮件' }).click(); // in-app only
  await shot(a, J, '03-test-send', true);
  const [sent] = await Promise.all([
    a.waitForResponse((r) => r.url().endsWith('/api/notifications/test') && r.request().method() === 'POST'),
    a.locator('[data-testid="test-send-modal"] .ant-btn-primary').click(),
  ]);
  assert.equal(sent.status(), 200, 'the test notification is accepted');

  // manager1's badge moves without a reload.
  await badgeShows(m, `${before + 1}`, 10_000);
  assert.equal(await m.evaluate('window.__noReload === true'), true, 'the page was not reloaded');
  assert.equal((await badge.locator('.ant-badge-count').innerText()).trim(), String(before + 1), 'the badge shows the new count');
  await shot(m, J, '04-manager-badge');
  await byTestId(m, 'notification-bell').click();
  await byTestId(m, 'notification-drawer').waitFor();
  const item = m.locator('[data-testid^="notification-"][data-unread="true"]').first();
  await item.waitFor();
  assert.match(await item.innerText(), /测试通知/);
  await shot(m, J, '05-centre', true);
  await Promise.all([m.waitForResponse((r) => /\/api\/notifications\/[^/]+\/read$/.test(r.url()) && r.ok()), item.click()]);
  await badgeShows(m, `${before}`);
  await m.keyboard.press('Escape');

  await m.setViewportSize(PHONE);
  await Promise.all([
    a.waitForResponse((r) => r.url().endsWith('/api/notifications/test') && r.ok()),
    (async () => {
      await byTestId(a, 'test-send').click();
      await byTestId(a, 'test-send-user').click();
      await a.keyboard.type(DEMO.manager.username);
      await a.locator('.ant-select-item-option', { hasText: `(${DEMO.manager.username})` }).click();
      await a.locator('.ant-checkbox-wrapper', { hasText: '电子邮件' }).click();
      await a.locator('.ant-checkbox-wrapper', { hasText: '短信' }).click(); // the demo SMS provider keeps it in the SMS log
      await a.locator('[data-testid="test-send-modal"] .ant-btn-primary').click();
    })(),
  ]);
  await badgeShows(m, `${before + 1}`, 10_000);
  assert.equal(await m.evaluate('window.__noReload === true'), true, 'still the same page');
  await shot(m, J, '06-manager-badge-375');
  await byTestId(m, 'notification-bell').click();
  await byTestId(m, 'notification-drawer').waitFor();
  await shot(m, J, '07-centre-375', true);
  await Promise.all([m.waitForResponse((r) => r.url().endsWith('/api/notifications/read-all') && r.ok()), byTestId(m, 'notifications-read-all').click()]);
  await badgeShows(m, '0');
  await byTestId(m, 'notification-preferences-tab').click();
  await byTestId(m, 'preference-sms').waitFor();
  await shot(m, J, '08-preferences-375', true);

  // The administrator's delivery records.
  await byTestId(a, 'menu-notification-deliveries').click();
  await a.locator('[data-testid^="message-"]').first().waitFor();
  await shot(a, J, '09-deliveries');
  await byTestId(a, 'deliveries-tab-sms-log').click();
  await a.locator('[data-testid^="sms-"]').first().waitFor();
  assert.match(await a.locator('[data-testid^="sms-"]').first().innerText(), /138\*\*\*\*0011/, 'the SMS log shows the masked phone number');
  await shot(a, J, '10-sms-log');
  await a.setViewportSize(PHONE);
  await byTestId(a, 'deliveries-tab-messages').click();
  await a.locator('[data-testid^="message-"]').first().waitFor();
  await shot(a, J, '11-deliveries-375');
  const width = await a.evaluate('document.documentElement.scrollWidth');
  assert.ok(typeof width === 'number' && width <= PHONE.width, `no horizontal scrolling on a phone (page is ${String(width)} px wide)`);
  await a.goto('/admin/notifications/templates');
  await byTestId(a, 'template-group-system.test').waitFor();
  await shot(a, J, '12-templates-375');
  await a.setViewportSize(DESKTOP);
  await byTestId(a, 'edit-system.test-email-zh-CN').click();
  await byTestId(a, 'template-body').waitFor();
  await shot(a, J, '13-edit-template', true);
}

const JOURNEYS: { name: string; run: (shared: Shared) => Promise<void> }[] = [
  { name: 'admin-enrols-two-factor', run: adminEnrolsTwoFactor },
  { name: 'lockout-and-unlock', run: lockoutAndUnlock },
  { name: 'language-switch', run: languageSwitch },
  { name: 'cashier-has-no-user-admin', run: cashierHasNoUserAdmin },
  { name: 'owner-portal', run: ownerPortal },
  { name: 'admin-console-tour', run: adminConsoleTour },
  { name: 'new-user-changes-password', run: newUserChangesPassword },
  { name: 'admin-saves-smtp-password', run: adminSavesSmtpPassword },
  { name: 'live-unread-badge', run: liveUnreadBadge },
];

/** Journeys of later modules live in e2e/journeys/*.ts (see kit.ts), run after the ones above. */
async function moduleJourneys(): Promise<Journey[]> {
  const dir = path.join(ROOT, 'e2e', 'journeys');
  const files = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort() : [];
  const out: Journey[] = [];
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as { journeys?: Journey[] };
    out.push(...(mod.journeys ?? []));
  }
  return out;
}

async function pick(page: Page, select: Locator, text: string, search = false): Promise<void> {
  await select.click();
  if (search) await page.keyboard.type(text);
  const dropdown = page.locator('.ant-select-dropdown:visible');
  const option = dropdown.locator('.ant-select-item-option', { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    await option.click();
    try {
      await dropdown.waitFor({ state: 'hidden', timeout: 2_000 });
      return;
    } catch (err) {
      if (attempt === 3) throw err;
    }
  }
}

function kitFor(shared: Shared): Kit {
  return {
    baseUrl: shared.baseUrl,
    browser: shared.browser,
    newPage: (viewport) => newPage(shared, viewport),
    shot,
    byTestId,
    signIn: (page, username, password) => signIn(page, username, password),
    signOut,
    switchLocale,
    fetchStatus,
    pick,
    demo: DEMO,
    desktop: DESKTOP,
    phone: PHONE,
    artifacts: ARTIFACTS,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const only = process.argv.slice(2);
  if (!existsSync(path.join(ROOT, 'web', 'dist', 'index.html'))) {
    console.error('web/dist is missing: run `npm run build` first (npm run e2e does).');
    return 1;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH).`);
    return 1;
  }
  await mkdir(ARTIFACTS, { recursive: true });
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const stop = () => {
    void stopServer(server).finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failures = 0;
  try {
    server = await startServer();
    console.log(`server ready at ${server.baseUrl}`);
    // playwright's launch() starts Chromium with a fresh temporary profile (user-data dir).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const shared: Shared = { baseUrl: server.baseUrl, browser };
    const kit = kitFor(shared);
    const all = [...JOURNEYS, ...(await moduleJourneys()).map((j) => ({ name: j.name, run: () => j.run(kit) }))];
    for (const journey of all) {
      if (only.length && !only.includes(journey.name)) continue;
      const started = Date.now();
      const errorsBefore = pageErrors.length;
      networkLog.length = 0;
      try {
        await journey.run(shared);
        const newErrors = pageErrors.slice(errorsBefore);
        assert.deepEqual(newErrors, [], 'no uncaught errors in the page');
        console.log(`PASS ${journey.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failures++;
        console.log(`FAIL ${journey.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        console.log(`  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.replace(/\n/g, '\n  '));
        console.log(`  ${await diagnose(server)}`.replace(/\n/g, '\n  '));
        let index = 0;
        for (const context of openContexts) {
          for (const page of context.pages()) {
            index++;
            await page
              .screenshot({ path: path.join(ARTIFACTS, `${journey.name}-failure-${index}.png`), fullPage: true })
              .catch(() => undefined);
            // CI keeps no artefacts: what the page showed goes to the log too.
            const text = await Promise.race([page.evaluate('document.body ? document.body.innerText : ""'), sleep(3000).then(() => '(no answer)')]).catch(
              (e: unknown) => `(unreadable: ${String(e)})`,
            );
            console.log(`  page ${index} ${page.url()}: ${String(text).replace(/\s+/g, ' ').slice(0, 400)}`);
          }
        }
      } finally {
        for (const context of openContexts.splice(0)) await context.close().catch(() => undefined);
      }
    }
  } catch (error) {
    failures++;
    console.log(`FAIL setup: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
  }
  console.log(failures ? `${failures} journey(s) failed` : 'all journeys passed');
  return failures ? 1 : 0;
}

process.exitCode = await main();
