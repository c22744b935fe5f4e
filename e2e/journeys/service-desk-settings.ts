import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import type { Journey, Kit } from '../kit.js';

/**
 * Service desk settings (服务台设置) — the property manager (manager1) changes a time limit and
 * adds a holiday on a desktop, then does the same on a 375 px phone (and removes the holiday
 * added there). Values are checked after a reload, i.e. as the server stored them.
 */
const J = 'service-desk-settings';

async function fitsPhone(page: Page, what: string) {
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 375, `${what} fits a 375 px screen (scroll width ${width})`);
}

/** The <input> of an antd InputNumber whose test id sits on the input or on its wrapper. */
async function inputOf(el: Locator): Promise<Locator> {
  return (await el.locator('input').count()) > 0 ? el.locator('input').first() : el;
}

async function setLimit(kit: Kit, page: Page, id: string, unit: '分钟' | '小时', value: string) {
  await kit.pick(page, kit.byTestId(page, `${id}-unit`), unit);
  const input = await inputOf(kit.byTestId(page, id));
  await input.fill(value);
  await input.blur();
}

async function addHoliday(kit: Kit, page: Page, on: string, name: string) {
  const date = await inputOf(kit.byTestId(page, 'holiday-date'));
  await date.click();
  // Typed, not confirmed with Enter (Enter submits the form at once, before the name).
  await date.fill(on);
  await kit.byTestId(page, 'holiday-name').fill(name);
  await kit.byTestId(page, 'holiday-add').click();
  await kit.byTestId(page, `holiday-${on}`).waitFor();
}

async function openSettings(kit: Kit, viewport: { width: number; height: number }) {
  const { page } = await kit.newPage(viewport);
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.goto('/service-desk/settings');
  await kit.byTestId(page, 'settings-tab-categories').waitFor();
  return page;
}

async function settingsJourney(kit: Kit) {
  // 1. Desktop: the menu entry, the categories tab, then the urgent indoor repair's accept limit 15 → 20 min.
  const d = await openSettings(kit, kit.desktop);
  await d.goto('/');
  await kit.byTestId(d, 'menu-service-settings').click();
  await d.waitForURL((url) => url.pathname === '/service-desk/settings');
  await kit.byTestId(d, 'category-list').waitFor();
  await kit.shot(d, J, '01-categories');
  // A category whose code is taken: the server's refusal lands on the code field; another code is accepted.
  await kit.byTestId(d, 'category-add').click();
  await kit.byTestId(d, 'category-name').fill('热水器');
  await kit.byTestId(d, 'category-code').fill('plumbing');
  await kit.byTestId(d, 'category-save').click();
  await d.locator('.ant-modal .ant-form-item-has-error').filter({ has: kit.byTestId(d, 'category-code') }).waitFor();
  await kit.shot(d, J, '01a-category-code-taken', true);
  await kit.byTestId(d, 'category-code').fill('water_heater');
  await kit.byTestId(d, 'category-save').click();
  await kit.byTestId(d, 'category-water_heater').waitFor();
  // The seeded teams, technicians and rules (looked at, not changed).
  for (const [tab, what, shot] of [['teams', 'team-card', '01b-teams'], ['technicians', 'technician-card', '01c-technicians'], ['rules', 'rule-form', '01d-rules']] as const) {
    await kit.byTestId(d, `settings-tab-${tab}`).click();
    await kit.byTestId(d, what).first().waitFor();
    await kit.shot(d, J, shot);
  }
  // A team's form: the supervisor is picked among the community's staff (GET /api/service-desk/staff).
  await kit.byTestId(d, 'settings-tab-teams').click();
  await kit.byTestId(d, 'team-edit').first().click();
  await kit.byTestId(d, 'team-supervisor').click();
  await d.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '王建国' }).first().waitFor();
  await kit.shot(d, J, '01e-team-form', true);
  await d.keyboard.press('Escape');
  await d.locator('.ant-modal .ant-modal-footer .ant-btn').first().click();
  await d.locator('.ant-modal').waitFor({ state: 'hidden' });
  await kit.byTestId(d, 'settings-tab-sla').click();
  const urgentAccept = 'sla-repair_room-urgent-acceptMinutes';
  await kit.byTestId(d, urgentAccept).waitFor();
  await setLimit(kit, d, urgentAccept, '分钟', '20');
  await kit.byTestId(d, 'sla-save').click();
  await d.locator('.ant-message').filter({ hasText: '已保存' }).waitFor();
  await kit.shot(d, J, '02-sla-saved');
  await d.reload();
  await kit.byTestId(d, urgentAccept).waitFor();
  assert.equal(await (await inputOf(kit.byTestId(d, urgentAccept))).inputValue(), '20', 'the new accept limit is stored');

  // 2. Desktop: a holiday (元旦) is added and listed.
  await kit.byTestId(d, 'settings-tab-hours').click();
  await kit.byTestId(d, 'hours-form').waitFor();
  await addHoliday(kit, d, '2027-01-01', '元旦');
  await kit.shot(d, J, '03-hours-holiday-added');

  // 3. Phone: the normal indoor repair's resolve limit becomes 20 hours; a holiday is added and removed.
  const p = await openSettings(kit, kit.phone);
  await fitsPhone(p, 'the settings page');
  await kit.shot(p, J, '04-categories-phone');
  await kit.byTestId(p, 'settings-tab-technicians').click();
  await kit.byTestId(p, 'technician-card').first().waitFor();
  await fitsPhone(p, 'the technicians');
  await kit.shot(p, J, '04b-technicians-phone');
  await kit.byTestId(p, 'technician-add').click();
  await kit.byTestId(p, 'technician-user').click();
  await p.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor();
  await kit.shot(p, J, '04c-technician-form-phone', true);
  await p.keyboard.press('Escape');
  await p.locator('.ant-modal .ant-modal-footer .ant-btn').first().click();
  await p.locator('.ant-modal').waitFor({ state: 'hidden' });
  await kit.byTestId(p, 'settings-tab-sla').click();
  const normalResolve = 'sla-repair_room-normal-resolveMinutes';
  await kit.byTestId(p, normalResolve).waitFor();
  await setLimit(kit, p, normalResolve, '小时', '20');
  await fitsPhone(p, 'the time limits');
  await kit.shot(p, J, '05-sla-phone');
  await kit.byTestId(p, 'sla-save').click();
  await p.locator('.ant-message').filter({ hasText: '已保存' }).waitFor();
  await p.reload();
  await kit.byTestId(p, normalResolve).waitFor();
  assert.equal(await (await inputOf(kit.byTestId(p, normalResolve))).inputValue(), '20', 'the resolve limit is stored as 20 hours');
  assert.match(await kit.byTestId(p, `${normalResolve}-unit`).innerText(), /小时/, 'whole hours are shown in hours');
  await kit.byTestId(p, 'settings-tab-hours').click();
  await kit.byTestId(p, 'hours-form').waitFor();
  await kit.byTestId(p, 'holiday-2027-01-01').waitFor();
  await addHoliday(kit, p, '2027-02-17', '春节');
  await fitsPhone(p, 'the hours and holidays');
  await kit.shot(p, J, '06-hours-phone');
  await kit.byTestId(p, 'holiday-remove-2027-02-17').click();
  await p.locator('.ant-popconfirm .ant-btn-primary').click();
  await kit.byTestId(p, 'holiday-2027-02-17').waitFor({ state: 'detached' });
  await kit.byTestId(p, 'holiday-2027-01-01').waitFor();

  // 4. The same page in English (manager1's language is set back afterwards).
  await kit.switchLocale(p, 'en-US');
  await kit.byTestId(p, 'settings-tab-sla').filter({ hasText: 'Time limits' }).click();
  await kit.byTestId(p, normalResolve).waitFor();
  await fitsPhone(p, 'the time limits in English');
  await kit.shot(p, J, '07-sla-phone-en');
  await kit.switchLocale(p, 'zh-CN');
}

export const journeys: Journey[] = [{ name: 'service-desk-settings', run: settingsJourney }];
