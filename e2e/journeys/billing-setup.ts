import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Journey, Kit } from '../kit.js';

/**
 * Billing set-up on a 375 px phone (manager1, 翠湖花园): a water fee item with a metered rule
 * tiered per year, applied to the community; a water meter on 1-1-1501; a reading round that
 * enters two readings a month apart (the second one shows the previous reading and the usage),
 * after the server refused a reading lower than the previous one with its reason.
 */

async function noHorizontalScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(typeof scrollWidth === 'number' && scrollWidth <= width, `no horizontal scrolling (page is ${String(scrollWidth)} px wide)`);
}

/** A China calendar day `days` before today (the round's date field takes yyyy-mm-dd). */
function chinaDay(daysBack: number): string {
  return new Date(Date.now() + 8 * 3600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);
}

async function managerSetsUpWaterBilling(kit: Kit): Promise<void> {
  const J = 'billing-setup';
  const { page } = await kit.newPage(kit.phone);
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.waitForURL((url) => url.pathname === '/');

  // 1. A fee item: 阶梯水费, category water, rounded to the jiao.
  await page.goto('/billing/fees');
  await kit.byTestId(page, 'fee-item').first().waitFor();
  await kit.shot(page, J, '01-fee-items-375');
  await noHorizontalScroll(page, kit.phone.width);
  await kit.byTestId(page, 'fee-item-new').click();
  const itemDrawer = kit.byTestId(page, 'fee-item-drawer');
  // A code the community already uses: the server's refusal lands on the code field.
  await kit.byTestId(page, 'fee-item-code').fill('WYF');
  await kit.byTestId(page, 'fee-item-name').fill('阶梯水费');
  await kit.byTestId(page, 'fee-item-drawer-save').click();
  const codeError = itemDrawer.locator('.ant-form-item', { has: kit.byTestId(page, 'fee-item-code') }).locator('.ant-form-item-explain-error');
  await codeError.waitFor();
  assert.match(await codeError.innerText(), /已有相同编号/, 'the code field says it is taken');
  await kit.shot(page, J, '02a-code-taken-375', true);
  await kit.byTestId(page, 'fee-item-code').fill('WATER-T');
  await kit.pick(page, kit.byTestId(page, 'fee-item-category'), '水费');
  await kit.pick(page, itemDrawer.locator('.ant-select', { hasText: '到分' }), '到角');
  await kit.shot(page, J, '02-new-fee-item-375', true);
  await kit.byTestId(page, 'fee-item-drawer-save').click();
  const card = kit.byTestId(page, 'fee-item').filter({ hasText: '阶梯水费' });
  await card.waitFor();
  assert.match(await card.innerText(), /水费[\s\S]*到角/, 'the new item shows its category and rounding');

  // 2. Its rule: metered water, tiers per calendar year (0–10 m³ at 3.50, above at 5.00).
  await card.locator('[data-testid="fee-rule-new"]').click();
  await kit.byTestId(page, 'fee-rule-drawer').waitFor();
  assert.match(await kit.byTestId(page, 'rule-kind').innerText(), /按表计量/, 'a water item starts as a metered rule');
  await kit.byTestId(page, 'rule-tier-scope').getByText('阶梯按年累计').click();
  await kit.byTestId(page, 'tier-upto-0').fill('10');
  await kit.byTestId(page, 'tier-price-0').fill('3.50');
  await kit.byTestId(page, 'tier-add').click();
  await kit.byTestId(page, 'tier-price-1').fill('5');
  await kit.shot(page, J, '03-tiered-rule-375', true);
  await kit.byTestId(page, 'fee-rule-drawer-save').click();
  // Saved: the drawer turns into the rule's page with its prices and where it applies.
  await kit.byTestId(page, 'rule-prices').waitFor();
  const prices = await kit.byTestId(page, 'rule-prices').innerText();
  assert.match(prices, /0–10：¥3\.50/, `first tier shown: ${prices}`);
  assert.match(prices, /10 以上：¥5\.00/, `open-ended tier shown: ${prices}`);
  await kit.byTestId(page, 'assign-add').click();
  await kit.byTestId(page, 'rule-assignments').locator('.ant-list-item', { hasText: '全小区' }).waitFor();
  await kit.shot(page, J, '04-rule-prices-assignment-375', true);
  await page.keyboard.press('Escape');
  await card.locator('[data-testid="fee-rule"]').waitFor();
  await kit.shot(page, J, '05-fee-item-with-rule-375');

  // 3. A water meter on 1-1-1501.
  await page.goto('/billing/meters');
  await kit.byTestId(page, 'meter-new').click();
  await kit.byTestId(page, 'meter-drawer').waitFor();
  await kit.pick(page, kit.byTestId(page, 'meter-room'), '1-1-1501', true);
  await kit.byTestId(page, 'meter-serial').fill('W-1-1-1501');
  await kit.byTestId(page, 'meter-drawer-save').click();
  await kit.byTestId(page, 'meter').filter({ hasText: 'W-1-1-1501' }).waitFor();
  await kit.shot(page, J, '06-meters-375');
  await noHorizontalScroll(page, kit.phone.width);

  // 4. The round of a month ago: the first reading of the meter.
  await kit.byTestId(page, 'meters-tab-round').click();
  await kit.byTestId(page, 'round-date').fill(chinaDay(30));
  await kit.byTestId(page, 'round-card').waitFor();
  assert.equal((await kit.byTestId(page, 'round-room').innerText()).trim(), '1-1-1501');
  await kit.byTestId(page, 'round-value').fill('100');
  await kit.shot(page, J, '07-round-first-reading-375');
  await kit.byTestId(page, 'round-save').click();
  await kit.byTestId(page, 'round-saved').waitFor();

  // 5. Today's round: the previous reading is shown; a lower value is refused with the server's reason.
  await kit.byTestId(page, 'round-date').fill(chinaDay(0));
  await page.locator('[data-testid="round-previous"]', { hasText: '100' }).waitFor();
  await kit.byTestId(page, 'round-value').fill('90');
  await kit.byTestId(page, 'round-save').click();
  const refused = kit.byTestId(page, 'round-refused');
  await refused.waitFor();
  assert.match(await refused.innerText(), /低于上次读数/, 'the refusal says why');
  await kit.shot(page, J, '08-round-refused-375');
  await kit.byTestId(page, 'round-value').fill('112.5');
  await refused.waitFor({ state: 'detached' });
  assert.match(await kit.byTestId(page, 'round-usage').innerText(), /12\.5/, 'usage previewed before saving');
  await kit.shot(page, J, '09-round-usage-preview-375');
  await kit.byTestId(page, 'round-save').click();
  const saved = kit.byTestId(page, 'round-saved');
  await saved.waitFor();
  assert.match(await saved.innerText(), /112\.5[\s\S]*12\.5/, `the second reading is saved with its usage: ${await saved.innerText()}`);
  assert.match(await kit.byTestId(page, 'round-previous').innerText(), /100/, 'the previous reading stays shown');
  await kit.shot(page, J, '10-round-saved-375');
  await noHorizontalScroll(page, kit.phone.width);

  // 6. The meter list shows the last reading; the import tab offers the template.
  await kit.byTestId(page, 'meters-tab-meters').click();
  await page.locator('[data-testid="meter"]', { hasText: '112.5' }).waitFor();
  await kit.byTestId(page, 'meters-tab-import').click();
  await kit.byTestId(page, 'import-template').waitFor();
  await kit.shot(page, J, '11-import-375');

  // 7. At the desk: the bills list exports its filter; both new pages read in English too.
  const desk = await kit.newPage();
  await desk.page.goto('/sign-in');
  await kit.signIn(desk.page, kit.demo.manager.username, kit.demo.manager.password);
  await desk.page.waitForURL((url) => url.pathname === '/');
  await kit.byTestId(desk.page, 'menu-billing-bills').click();
  await kit.byTestId(desk.page, 'bills-table').locator('tbody tr.ant-table-row').first().waitFor();
  const href = await kit.byTestId(desk.page, 'bills-export-xlsx').getAttribute('href');
  assert.ok(href?.startsWith('/api/exports/bills.xlsx?communityId='), `the export carries the filter: ${String(href)}`);
  assert.equal(await kit.fetchStatus(desk.page, href ?? ''), 200, 'the export downloads');
  await kit.shot(desk.page, J, '12-bills-export');
  // A discount request on another building's bill: the approvals queue names who asked.
  await kit.byTestId(desk.page, 'bills-table').locator('tbody tr.ant-table-row').first().click();
  await kit.byTestId(desk.page, 'relief-amount').fill('10');
  await kit.byTestId(desk.page, 'relief-reason').fill('困难家庭优惠');
  await kit.byTestId(desk.page, 'relief-submit').click();
  await desk.page.locator('.ant-alert-success').waitFor();
  await desk.page.keyboard.press('Escape');
  await kit.byTestId(desk.page, 'menu-billing-approvals').click();
  const mine = kit.byTestId(desk.page, 'approval').filter({ hasText: '困难家庭优惠' });
  await mine.waitFor();
  assert.match(await mine.locator('[data-testid="approval-requester"]').innerText(), /申请人：王建国/, 'the requester by name, not by id');
  await kit.shot(desk.page, J, '13-approvals');
  await kit.switchLocale(desk.page, 'en-US');
  try {
    await kit.byTestId(desk.page, 'menu-billing-fees').click();
    await kit.byTestId(desk.page, 'fee-item').filter({ hasText: '阶梯水费' }).locator('[data-testid="fee-rule"]').click();
    await kit.byTestId(desk.page, 'rule-prices').waitFor();
    assert.match(await kit.byTestId(desk.page, 'fee-rule-drawer').innerText(), /Metered[\s\S]*Tiers per year[\s\S]*above 10: ¥5\.00/);
    await kit.shot(desk.page, J, '14-rule-en', true);
    await desk.page.keyboard.press('Escape');
    await kit.byTestId(desk.page, 'menu-billing-meters').click();
    await kit.byTestId(desk.page, 'meter').first().waitFor();
    assert.match(await kit.byTestId(desk.page, 'meter').first().innerText(), /Water[\s\S]*Last reading 112\.5/);
    await kit.shot(desk.page, J, '15-meters-en');
  } finally {
    // Later journeys expect manager1 in Chinese.
    await kit.switchLocale(desk.page, 'zh-CN');
  }
}

export const journeys: Journey[] = [{ name: 'billing-setup', run: managerSetsUpWaterBilling }];
