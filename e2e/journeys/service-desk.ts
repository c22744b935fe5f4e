import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { Journey, Kit } from '../kit.js';

/**
 * Service desk — a repair from report to closing (PRODUCT.md §3): owner1 reports a leak with a
 * photo on a 375 px phone, customer service (service1) accepts it and dispatches it to tech1 (陈师傅),
 * tech1 arrives and resolves it on a phone with a material line, owner1 confirms with five stars,
 * customer service closes it and the dashboard shows the figures; the paid repair became a bill the
 * manager sees on the request.
 */
const TECH = { username: 'tech1', password: 'Demo#2026tech' };
const LEAK = '卫生间天花板漏水，楼上渗下来的，地面有积水';

async function fitsPhone(page: Page, what: string) {
  const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
  assert.ok(width <= 375, `${what} fits a 375 px screen (scroll width ${width})`);
}

/** Opens the action's dialog, lets `fill` complete it, submits and waits for the new state. */
async function act(kit: Kit, page: Page, action: string, state: string, fill?: () => Promise<void>, shot?: string) {
  await kit.byTestId(page, `action-${action}`).click();
  await kit.byTestId(page, `action-form-${action}`).waitFor();
  if (fill) await fill();
  if (shot) await kit.shot(page, 'service-desk', shot, true);
  await kit.byTestId(page, 'action-submit').click();
  await kit.byTestId(page, 'action-submit').waitFor({ state: 'detached' });
  await kit.byTestId(page, 'request-state').filter({ hasText: state }).first().waitFor();
}

async function serviceDeskJourney(kit: Kit) {
  const J = 'service-desk';
  // 1. owner1 reports a leak on a phone: type → category, description + photo, submit.
  const owner = await kit.newPage(kit.phone);
  const o = owner.page;
  await o.goto('/portal/sign-in');
  await kit.signIn(o, kit.demo.owner.username, kit.demo.owner.password);
  await o.waitForURL((url) => url.pathname === '/portal');
  await kit.byTestId(o, 'portal-requests').click();
  await kit.byTestId(o, 'portal-report').click();
  await kit.byTestId(o, 'report-type-repair_room').click();
  await kit.byTestId(o, 'report-category-plumbing').waitFor();
  await kit.shot(o, J, '01-owner-report-type-phone');
  await kit.byTestId(o, 'report-category-plumbing').click();
  await kit.byTestId(o, 'report-description').fill(LEAK);
  // The photo: a screenshot of the phone's own screen is as good a PNG as any.
  const photo = await o.screenshot();
  await o.locator('input[type=file]').setInputFiles({ name: '漏水.png', mimeType: 'image/png', buffer: photo });
  await kit.byTestId(o, 'photo-chosen').waitFor();
  await fitsPhone(o, 'the report form');
  await kit.shot(o, J, '02-owner-report-describe-phone');
  await kit.byTestId(o, 'report-submit').click();
  await kit.byTestId(o, 'report-view').click();
  await o.waitForURL((url) => /^\/portal\/requests\/[0-9a-f-]{36}$/.test(url.pathname));
  const requestPath = new URL(o.url()).pathname;
  const requestId = requestPath.split('/').pop() ?? '';
  const number = (await kit.byTestId(o, 'request-number').innerText()).trim();
  assert.match(number, /^BX-\d{4}-\d{6}$/, 'a repair gets a BX number');
  await kit.byTestId(o, 'attachment').first().waitFor();
  await fitsPhone(o, 'the request detail');
  await kit.shot(o, J, '03-owner-submitted-phone');

  // 2. Customer service sees it on the board, accepts it and dispatches it to 陈师傅.
  const desk = await kit.newPage(kit.desktop);
  const s = desk.page;
  await s.goto('/sign-in');
  await kit.signIn(s, kit.demo.service.username, kit.demo.service.password);
  await kit.byTestId(s, 'menu-service-board').click();
  await s.waitForURL((url) => url.pathname === '/service-desk/board');
  await kit.byTestId(s, `request-card-${number}`).waitFor();
  await kit.shot(s, J, '04-board');
  await kit.byTestId(s, `request-card-${number}`).click();
  await kit.byTestId(s, 'request-detail').waitFor();
  await act(kit, s, 'accept', '已受理');
  await act(
    kit,
    s,
    'dispatch',
    '已派工',
    async () => {
      await kit.pick(s, kit.byTestId(s, 'dispatch-technician'), '陈师傅');
    },
    '05-dispatch-dialog',
  );
  await kit.shot(s, J, '06-dispatched');

  // 3. tech1 on a phone: my tasks → arrive → resolve with a material line.
  const tech = await kit.newPage(kit.phone);
  const t = tech.page;
  await t.goto('/sign-in');
  await kit.signIn(t, TECH.username, TECH.password);
  await t.goto('/service-desk/my-tasks');
  await kit.byTestId(t, `request-card-${number}`).waitFor();
  await fitsPhone(t, 'my tasks');
  await kit.shot(t, J, '07-tech-tasks-phone');
  await kit.byTestId(t, `request-card-${number}`).click();
  await kit.byTestId(t, 'request-detail').waitFor();
  await act(kit, t, 'start', '处理中');
  await act(
    kit,
    t,
    'resolve',
    '已处理',
    async () => {
      await kit.byTestId(t, 'action-result').fill('更换楼上卫生间地漏密封圈，天花板已不再渗水');
      await kit.byTestId(t, 'line-add').click();
      await kit.byTestId(t, 'line-0-name').fill('地漏密封圈');
      await kit.byTestId(t, 'line-0-price').fill('35');
      await kit.byTestId(t, 'lines-total').filter({ hasText: '¥35.00' }).waitFor();
      await kit.byTestId(t, 'action-chargeable').check();
    },
    '08-tech-resolve-phone',
  );
  await kit.byTestId(t, 'request-cost').filter({ hasText: '¥35.00' }).waitFor();
  // The owner's photo: the technician may look at it but not delete it (only their own uploads).
  assert.equal(await kit.byTestId(t, 'attachment').locator('.ant-btn-dangerous').count(), 0, 'no delete on a photo somebody else uploaded');
  await fitsPhone(t, 'the resolved request');
  await kit.shot(t, J, '09-tech-resolved-phone');

  // 4. owner1 sees the progress and confirms with five stars.
  await o.goto(requestPath);
  await kit.byTestId(o, 'request-state').filter({ hasText: '已处理' }).waitFor();
  await act(kit, o, 'confirm', '已确认', async () => {
    await kit.byTestId(o, 'action-comment').fill('师傅很快就修好了，谢谢！');
  }, '10-owner-confirm-phone');
  await fitsPhone(o, 'the confirmed request');
  await kit.shot(o, J, '11-owner-confirmed-phone');

  // 5. Customer service closes it; the timeline has every step; the dashboard shows the figures.
  await s.goto(`/service-desk/requests/${requestId}`);
  await act(kit, s, 'close', '已关闭');
  const timeline = await kit.byTestId(s, 'request-timeline').innerText();
  for (const step of ['提交', '受理', '派工', '到场', '完工', '确认评价', '关闭']) assert.ok(timeline.includes(step), `the timeline shows ${step}`);
  await kit.shot(s, J, '12-closed');
  await kit.byTestId(s, 'menu-service-dashboard').click();
  await kit.byTestId(s, 'dashboard-chart-stages').locator('svg').waitFor();
  const rated = Number((await kit.byTestId(s, 'dashboard-rated').locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''));
  assert.ok(rated >= 1, 'the rating counts on the dashboard');
  await kit.shot(s, J, '13-dashboard');

  // 6. The paid repair became a bill of owner1's room (billing's job picked the charge up): the
  // manager, who may read bills, sees it on the request.
  const mgr = await kit.newPage(kit.desktop);
  const m = mgr.page;
  await m.goto('/sign-in');
  await kit.signIn(m, kit.demo.manager.username, kit.demo.manager.password);
  await m.goto(`/service-desk/requests/${requestId}`);
  await kit.byTestId(m, 'charge-status').filter({ hasText: '已出账' }).waitFor({ timeout: 20_000 });
  await kit.byTestId(m, 'charge-bill').filter({ hasText: '35.00' }).waitFor();
  await kit.shot(m, J, '14-manager-charge-billed');
}

export const journeys: Journey[] = [{ name: 'service-desk', run: serviceDeskJourney }];
