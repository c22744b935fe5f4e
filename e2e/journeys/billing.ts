import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Journey, Kit } from '../kit.js';

/**
 * Billing (issue 5): the cashier's counter and the owner paying online. The demo seed issues
 * 2026-11 for 翠湖花园 (物业服务费 + 生活垃圾处理费 per room, server/src/seed/billing.ts), so
 * 1-1-1501 and owner1's 1-1-1502 each have two open bills.
 */

async function noHorizontalScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(typeof scrollWidth === 'number' && scrollWidth <= width, `no horizontal scrolling (page is ${String(scrollWidth)} px wide)`);
}

/** (a) cashier1 finds 1-1-1501, takes cash for both open bills and prints the receipt. */
async function cashierCashPayment(kit: Kit): Promise<void> {
  const J = 'cashier-cash-payment';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.cashier.username, kit.demo.cashier.password);
  await page.waitForURL((url) => url.pathname === '/');
  await kit.byTestId(page, 'menu-billing-cashier').click();
  await page.waitForURL((url) => url.pathname === '/billing/cashier');
  await kit.byTestId(page, 'cashier-search').fill('1-1-1501');
  const hit = kit.byTestId(page, 'cashier-hit').first();
  await hit.waitFor();
  await kit.shot(page, J, '01-search');
  await hit.click();
  const rows = kit.byTestId(page, 'cashier-bills').locator('tbody tr.ant-table-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 2, 'two open bills');
  const total = (await kit.byTestId(page, 'cashier-selected-total').innerText()).trim();
  assert.match(total, /^¥\d/, `selected total shown: ${total}`);
  await kit.shot(page, J, '02-owed');
  // The cashier is handed a round sum: the change goes to prepaid.
  const amount = kit.byTestId(page, 'cashier-amount');
  const due = (await amount.inputValue()).trim();
  const handed = String(Math.ceil(Number(due) / 100) * 100);
  await amount.fill(handed);
  await kit.byTestId(page, 'cashier-over').waitFor();
  await kit.shot(page, J, '03-over-payment');
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/payments') && r.request().method() === 'POST'), kit.byTestId(page, 'cashier-submit').click()]);
  assert.equal(response.status(), 201, 'payment taken');
  assert.ok(response.request().headers()['idempotency-key'], 'the payment carries an Idempotency-Key');
  await kit.byTestId(page, 'receipt').waitFor();
  const number = (await kit.byTestId(page, 'receipt-number').innerText()).trim();
  assert.ok(number.length > 0, 'the receipt has a number');
  assert.equal(await kit.byTestId(page, 'receipt').locator('tbody tr.ant-table-row').count(), 2, 'the receipt lists both bills');
  await kit.shot(page, J, '04-receipt');
  // Print: the print stylesheet shows the receipt alone.
  await page.evaluate('window.print = () => { window.__printed = true; }');
  await kit.byTestId(page, 'receipt-print').click();
  assert.equal(await page.evaluate('window.__printed === true'), true, 'print was asked for');
  await page.emulateMedia({ media: 'print' });
  await kit.shot(page, J, '05-print-view');
  await page.emulateMedia({ media: 'screen' });

  // The bills list shows the room's bills paid; a row opens the explanation and ledger trail.
  await kit.byTestId(page, 'menu-billing-bills').click();
  await page.waitForURL((url) => url.pathname === '/billing/bills');
  await kit.byTestId(page, 'bills-table').locator('tbody tr.ant-table-row').first().waitFor();
  await kit.shot(page, J, '06-bills-list');
  await kit.byTestId(page, 'bills-table').locator('tbody tr.ant-table-row').first().click();
  await kit.byTestId(page, 'bill-detail').waitFor();
  await kit.shot(page, J, '07-bill-detail', true);

  // The counter on a phone: the next room, no sideways scrolling.
  const phone = await kit.newPage(kit.phone);
  await phone.page.goto('/sign-in');
  await kit.signIn(phone.page, kit.demo.cashier.username, kit.demo.cashier.password);
  await phone.page.waitForURL((url) => url.pathname === '/');
  await phone.page.goto('/billing/cashier');
  await kit.byTestId(phone.page, 'cashier-search').fill('1-1-1503');
  await kit.byTestId(phone.page, 'cashier-hit').first().click();
  await kit.byTestId(phone.page, 'cashier-bills').locator('tbody tr.ant-table-row').first().waitFor();
  await noHorizontalScroll(phone.page, kit.phone.width);
  await kit.shot(phone.page, J, '08-counter-375');

  // Back on the desk: the paid room's prepaid statement shows the change kept as prepaid.
  await page.keyboard.press('Escape');
  await kit.byTestId(page, 'menu-billing-cashier').click();
  await kit.byTestId(page, 'cashier-search').fill('1-1-1501');
  await kit.byTestId(page, 'cashier-hit').first().click();
  await kit.byTestId(page, 'cashier-prepaid-statement').click();
  await kit.byTestId(page, 'prepaid-statement').locator('.ant-list-item').first().waitFor();
  await kit.shot(page, J, '09-prepaid-statement', true);
}

/** (b) owner1 on a 375 px phone reads why a bill is what it is, pays online (sandbox) and sees it paid. */
async function ownerPaysOnline(kit: Kit): Promise<void> {
  const J = 'owner-pays-online';
  const { page } = await kit.newPage(kit.phone);
  await page.goto('/portal/sign-in');
  await kit.signIn(page, kit.demo.owner.username, kit.demo.owner.password);
  await page.waitForURL((url) => url.pathname === '/portal');
  await kit.byTestId(page, 'portal-card-bills').click();
  await page.waitForURL((url) => url.pathname === '/portal/bills');
  const bill = kit.byTestId(page, 'portal-bill').first();
  await bill.waitFor();
  await kit.shot(page, J, '01-bills-375');
  await noHorizontalScroll(page, kit.phone.width);
  await bill.locator('[data-testid="portal-bill-why"]').click();
  const why = bill.locator('[data-testid="portal-bill-explanation"]');
  await why.waitFor();
  const text = await why.innerText();
  assert.match(text, /2026-11-01|元/, `the explanation shows how the amount was computed: ${text}`);
  await kit.shot(page, J, '02-why-375');
  await bill.locator('[data-testid="portal-bill-pay"]').click();
  await kit.byTestId(page, 'portal-pay-create').click();
  await kit.byTestId(page, 'portal-sandbox').waitFor();
  await kit.shot(page, J, '03-gateway-375', true);
  await kit.byTestId(page, 'portal-sandbox-pay').click();
  await kit.byTestId(page, 'portal-pay-done').waitFor({ timeout: 30_000 });
  await kit.shot(page, J, '04-paid-375', true);
  await kit.byTestId(page, 'portal-pay-done').click();
  await page.locator('[data-testid="portal-bill-status"]', { hasText: '已缴' }).first().waitFor();
  await kit.shot(page, J, '05-bills-after-375');
  await page.getByRole('tab', { name: '电子收据' }).click();
  await kit.byTestId(page, 'portal-receipt').first().waitFor();
  await kit.byTestId(page, 'portal-receipt').first().click();
  await kit.byTestId(page, 'receipt').waitFor();
  await kit.shot(page, J, '06-receipt-375', true);

  // The same page in English.
  await page.keyboard.press('Escape');
  await kit.switchLocale(page, 'en-US');
  await page.getByRole('tab', { name: 'My bills' }).click();
  const english = kit.byTestId(page, 'portal-bill').first();
  await english.locator('[data-testid="portal-bill-why"]').click();
  // Rendered by the engine in English once the language changes (no 元 left in the explanation).
  await english.locator('[data-testid="portal-bill-explanation"]').filter({ hasNotText: '元' }).waitFor();
  await kit.shot(page, J, '07-bills-en-375');
  // The language is owner1's saved preference: later journeys expect the default, Chinese.
  await kit.switchLocale(page, 'zh-CN');
}

/** (c) manager1 previews a bill run (totals per fee item, skipped rooms and why), runs it and watches the progress. */
async function managerBillRunPreview(kit: Kit): Promise<void> {
  const J = 'manager-bill-run-preview';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.waitForURL((url) => url.pathname === '/');
  await kit.byTestId(page, 'menu-billing-runs').click();
  await page.waitForURL((url) => url.pathname === '/billing/runs');
  await kit.byTestId(page, 'runs-period').fill('2026-12');
  await kit.byTestId(page, 'runs-preview').click();
  await kit.byTestId(page, 'runs-preview-result').waitFor();
  const start = kit.byTestId(page, 'runs-start');
  assert.ok(await start.isEnabled(), 'the seeded fee rules give 2026-12 bills to issue');
  await kit.shot(page, J, '01-preview');
  await start.click();
  await kit.byTestId(page, 'runs-progress').waitFor();
  await kit.shot(page, J, '02-progress');
  await kit.byTestId(page, 'runs-progress').locator('.ant-progress-status-success').waitFor({ timeout: 120_000 });
  await kit.shot(page, J, '03-done');
}

/** (d) cashier1 prepays a year of 1-1-1503's property fee: the quote shows the 5 % prepayment discount, then the receipt. */
async function cashierPrepay(kit: Kit): Promise<void> {
  const J = 'cashier-prepay';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.cashier.username, kit.demo.cashier.password);
  await page.waitForURL((url) => url.pathname === '/');
  await page.goto('/billing/cashier');
  await kit.byTestId(page, 'cashier-search').fill('1-1-1503');
  await kit.byTestId(page, 'cashier-hit').first().click();
  const card = kit.byTestId(page, 'prepay-card');
  await card.waitFor();
  await kit.pick(page, kit.byTestId(page, 'prepay-fee-item'), '物业服务费');
  await kit.byTestId(page, 'prepay-quote').click();
  const summary = kit.byTestId(page, 'prepay-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /5\.00%/, 'a year earns the seeded 5 % prepayment discount');
  assert.equal(await kit.byTestId(page, 'prepay-periods').locator('tbody tr.ant-table-row').count(), 12, 'twelve monthly bills quoted');
  await card.scrollIntoViewIfNeeded();
  await kit.shot(page, J, '01-quote');
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/prepay') && r.request().method() === 'POST'), kit.byTestId(page, 'prepay-submit').click()]);
  assert.equal(response.status(), 201, 'prepayment taken');
  assert.ok(response.request().headers()['idempotency-key'], 'the prepayment carries an Idempotency-Key');
  await kit.byTestId(page, 'receipt').waitFor();
  assert.equal(await kit.byTestId(page, 'receipt').locator('tbody tr.ant-table-row').count(), 12, 'the receipt lists the twelve prepaid months');
  await kit.shot(page, J, '02-receipt', true);

  // The card on a phone: no sideways scrolling.
  const phone = await kit.newPage(kit.phone);
  await phone.page.goto('/sign-in');
  await kit.signIn(phone.page, kit.demo.cashier.username, kit.demo.cashier.password);
  await phone.page.waitForURL((url) => url.pathname === '/');
  await phone.page.goto('/billing/cashier');
  await kit.byTestId(phone.page, 'cashier-search').fill('1-1-1503');
  await kit.byTestId(phone.page, 'cashier-hit').first().click();
  await kit.byTestId(phone.page, 'prepay-card').scrollIntoViewIfNeeded();
  await noHorizontalScroll(phone.page, kit.phone.width);
  await kit.shot(phone.page, J, '03-card-375');
}

// The bill run issues 2026-12 for every room: it goes last, after the journeys that count 2026-11's bills.
export const journeys: Journey[] = [
  { name: 'cashier-cash-payment', run: cashierCashPayment },
  { name: 'owner-pays-online', run: ownerPaysOnline },
  { name: 'manager-bill-run-preview', run: managerBillRunPreview },
  // After the run: the prepaid months start after 2026-12.
  { name: 'cashier-prepay', run: cashierPrepay },
];
