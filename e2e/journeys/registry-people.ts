import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { Journey, Kit } from '../kit.js';

/**
 * Registry — people side: the import wizard's error report, the header search that shows a
 * masked phone, and the owner's "my home" on a phone. Data the demo seed may not hold yet is
 * created through the API (as the signed-in user of the page).
 */

interface ApiResult<T> {
  status: number;
  body: T;
}

/** A JSON call with the page's session (and its CSRF token). */
async function call<T>(page: Page, method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = (await (await fetch('/api/auth/me', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      const response = await fetch(url, {
        method,
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown };
    },
    { method, url, body },
  ) as Promise<ApiResult<T>>;
}

async function ok<T>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  const result = await call<T>(page, method, url, body);
  assert.ok(result.status >= 200 && result.status < 300, `${method} ${url} → ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

async function communityId(page: Page, code: string): Promise<string> {
  const list = await ok<{ items: { id: string; code: string }[] }>(page, 'GET', '/api/communities');
  const found = list.items.find((c) => c.code === code);
  assert.ok(found, `community ${code} is in the seed`);
  return found.id;
}

/** A room of the community: the first one listed, or a new building J9 / unit 1 / room 101. */
async function someRoom(page: Page, community: string): Promise<{ id: string; code: string }> {
  const rooms = await ok<{ items: { id: string; code: string }[] }>(page, 'GET', `/api/rooms?communityId=${community}&limit=1`);
  if (rooms.items[0]) return rooms.items[0];
  const building = await ok<{ id: string }>(page, 'POST', '/api/buildings', { communityId: community, code: 'J9', name: 'J9 幢', floors: 6 });
  const unit = await ok<{ id: string }>(page, 'POST', '/api/units', { buildingId: building.id, code: '1', name: '1 单元' });
  return ok(page, 'POST', '/api/rooms', { unitId: unit.id, number: '101', floor: 1, buildingArea: '89.50', innerArea: '76.20', use: 'residence', deliveredOn: '2024-03-01' });
}

/** A resident ID number with a valid GB 11643 check character (17 digits given). */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Damages the check character: a well-formed number that fails the checksum. */
function wrongChecksum(id: string): string {
  const last = id.slice(-1);
  return id.slice(0, -1) + (last === '1' ? '2' : '1');
}

async function peopleWorkbook(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员');
  ws.addRow(['姓名', '人员类型', '性别', '手机号', '证件类型', '证件号码', '邮箱', '房屋编码', '关系', '入住日期', '主要联系人', '紧急联系人', '紧急联系电话', '备注']);
  for (const row of rows) ws.addRow(row);
  // Phone and ID numbers are text, as the template formats them.
  ws.getColumn(4).numFmt = '@';
  ws.getColumn(6).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function noHorizontalScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
  assert.ok(typeof scrollWidth === 'number' && scrollWidth <= width, `no horizontal scrolling (page is ${String(scrollWidth)} px wide)`);
}

/** (a) manager1 uploads a people sheet with a bad phone and a bad ID number; the report lists exactly those. */
async function importWizardErrorReport(kit: Kit): Promise<void> {
  const J = 'import-wizard-error-report';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.waitForURL((url) => url.pathname === '/');
  await kit.byTestId(page, 'menu-registry-import').click();
  await page.waitForURL((url) => url.pathname === '/registry/import');
  await kit.byTestId(page, 'import-kind-people').click();
  await kit.shot(page, J, '01-choose');
  await kit.byTestId(page, 'import-next').click();
  await kit.byTestId(page, 'import-step-upload').waitFor();

  const file = await peopleWorkbook([
    ['陈立新', '个人', '男', '13911112222', '居民身份证', residentId('33010619850315123'), null, null, null, null, null, null, null, null],
    ['李红梅', '个人', '女', '1391111', '居民身份证', residentId('33010619900101234'), null, null, null, null, null, null, null, null],
    ['王海涛', '个人', '男', '13911113333', '居民身份证', wrongChecksum(residentId('33010619780808345')), null, null, null, null, null, null, null, null],
  ]);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST'),
    page.locator('input[type=file]').setInputFiles({ name: '业主导入.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: file }),
  ]);
  await kit.byTestId(page, 'import-errors').waitFor({ timeout: 30_000 });
  const rows = page.locator('[data-testid^="import-error-"]');
  assert.equal(await rows.count(), 2, 'two errors: the bad phone and the bad ID number');
  const phoneRow = await kit.byTestId(page, 'import-error-3').innerText();
  const idRow = await kit.byTestId(page, 'import-error-4').innerText();
  assert.match(phoneRow, /手机号/, `row 3 names the phone column: ${phoneRow}`);
  assert.match(idRow, /证件号码/, `row 4 names the ID number column: ${idRow}`);
  assert.ok(await kit.byTestId(page, 'import-report').isVisible(), 'the annotated report can be downloaded');
  const report = await kit.byTestId(page, 'import-report').getAttribute('href');
  assert.ok(report && (await kit.fetchStatus(page, report)) === 200, 'the annotated report downloads');
  await kit.shot(page, J, '02-error-report');

  // The corrected sheet passes, is committed, and the wizard reports what was created.
  await kit.byTestId(page, 'import-retry').click();
  await kit.byTestId(page, 'import-step-upload').waitFor();
  const fixed = await peopleWorkbook([
    ['陈立新', '个人', '男', '13911112222', '居民身份证', residentId('33010619850315123'), null, null, null, null, null, null, null, null],
    ['李红梅', '个人', '女', '13911114444', '居民身份证', residentId('33010619900101234'), null, null, null, null, null, null, null, null],
    ['王海涛', '个人', '男', '13911113333', '居民身份证', residentId('33010619780808345'), null, null, null, null, null, null, null, null],
  ]);
  await page.locator('input[type=file]').setInputFiles({ name: '业主导入-修正.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: fixed });
  await kit.byTestId(page, 'import-commit').waitFor({ timeout: 30_000 });
  await kit.shot(page, J, '03-valid');
  await kit.byTestId(page, 'import-commit').click();
  await kit.byTestId(page, 'import-done').waitFor({ timeout: 30_000 });
  assert.match(await kit.byTestId(page, 'import-done').innerText(), /新增 3 条/);
  await kit.shot(page, J, '04-done');
}

/** (b) service1 types a phone number into the header search: the hit shows it masked; the person card opens. */
async function personSearchByMaskedPhone(kit: Kit): Promise<void> {
  const J = 'person-search-by-masked-phone';
  const phone = '13712345678';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.service.username, kit.demo.service.password);
  await page.waitForURL((url) => url.pathname === '/');

  // The person (as the manager, who may also add a room when the seed has none).
  {
    const { page: admin } = await kit.newPage();
    await admin.goto('/sign-in');
    await kit.signIn(admin, kit.demo.manager.username, kit.demo.manager.password);
    await admin.waitForURL((url) => url.pathname === '/');
    const community = await communityId(admin, 'CHHY');
    const found = await ok<{ items: unknown[] }>(admin, 'GET', `/api/persons?communityId=${community}&q=${encodeURIComponent('周晓峰')}`);
    if (!found.items.length) {
      const person = await ok<{ id: string }>(admin, 'POST', '/api/persons', { communityId: community, kind: 'individual', name: '周晓峰', gender: 'male', phone, idType: 'resident_id', idNumber: residentId('33010619820412567') });
      const room = await someRoom(admin, community);
      await ok(admin, 'POST', '/api/occupancies', { personId: person.id, roomId: room.id, relation: 'tenant', movedInOn: '2025-06-01' });
    }
  }

  await kit.byTestId(page, 'header-search').click();
  await kit.byTestId(page, 'header-search').pressSequentially(phone, { delay: 20 });
  const hit = page.locator('[data-testid="search-hit-person"]').first();
  await hit.waitFor();
  const subtitle = await hit.locator('[data-testid="search-hit-subtitle"]').innerText();
  assert.match(subtitle, /137\*{4}5678/, `the hit shows the masked phone: ${subtitle}`);
  assert.ok(!subtitle.includes(phone), 'the clear phone is not shown');
  await kit.shot(page, J, '01-search-hit', true);
  await hit.click();
  await page.waitForURL((url) => url.pathname.startsWith('/registry/persons/'));
  await kit.byTestId(page, 'person-details').waitFor();
  assert.equal(await kit.byTestId(page, 'page-title').innerText(), '周晓峰');
  const details = await kit.byTestId(page, 'person-details').innerText();
  assert.ok(!details.includes(phone), 'the card shows the phone masked until revealed');
  await kit.shot(page, J, '02-person-card');

  // The persons list on a phone: cards, masked numbers, no sideways scrolling.
  await page.setViewportSize(kit.phone);
  await page.goto('/registry/persons');
  await page.locator('[data-testid^="person-row-"]').first().waitFor();
  await noHorizontalScroll(page, kit.phone.width);
  await kit.shot(page, J, '03-persons-375', true);
  await kit.byTestId(page, 'search-open').click();
  await kit.byTestId(page, 'header-search').fill('周晓');
  await page.locator('[data-testid="search-hit-person"]').first().waitFor();
  await kit.shot(page, J, '04-search-375', true);
}

/** (c) owner1 on a 375 px phone opens 我的房屋 from the portal home. */
async function portalMyHome(kit: Kit): Promise<void> {
  const J = 'portal-my-home';
  // The owner's user id, then (as the manager) their person record in 翠湖花园 owning a room.
  const owner = await kit.newPage(kit.phone);
  await owner.page.goto('/portal/sign-in');
  await kit.signIn(owner.page, kit.demo.owner.username, kit.demo.owner.password);
  await owner.page.waitForURL((url) => url.pathname === '/portal');
  const me = await ok<{ user: { id: string } }>(owner.page, 'GET', '/api/auth/me');
  const home = await ok<{ rooms: unknown[] }>(owner.page, 'GET', '/api/portal/home');
  if (home.rooms.length === 0) {
    const { page } = await kit.newPage();
    await page.goto('/sign-in');
    await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
    await page.waitForURL((url) => url.pathname === '/');
    const community = await communityId(page, 'CHHY');
    const room = await someRoom(page, community);
    const self = await ok<{ id: string }>(page, 'POST', '/api/persons', {
      communityId: community,
      kind: 'individual',
      name: '吴志明',
      gender: 'male',
      phone: '13900000011',
      idType: 'resident_id',
      idNumber: residentId('33010619750101111'),
      userId: me.user.id,
    });
    await ok(page, 'POST', '/api/occupancies', { personId: self.id, roomId: room.id, relation: 'owner', movedInOn: '2024-05-01', primaryContact: true });
    const wife = await ok<{ id: string }>(page, 'POST', '/api/persons', { communityId: community, kind: 'individual', name: '林婉清', gender: 'female', phone: '13900000099' });
    await ok(page, 'POST', '/api/occupancies', { personId: wife.id, roomId: room.id, relation: 'family_member', movedInOn: '2024-05-01' });
    await ok(page, 'POST', '/api/vehicles', { communityId: community, plate: '浙A9E2E1', personId: self.id, brand: '比亚迪', color: '白色' });
  }

  const { page } = owner;
  await page.goto('/portal');
  await kit.byTestId(page, 'portal-my-home').click();
  await page.waitForURL((url) => url.pathname === '/portal/home');
  await kit.byTestId(page, 'my-home').waitFor();
  assert.ok((await page.locator('[data-testid^="my-room-"]').count()) >= 1, 'at least one room is listed');
  const text = await kit.byTestId(page, 'my-home').innerText();
  assert.ok(!/1390000009\d/.test(text), 'household phones are masked');
  await noHorizontalScroll(page, kit.phone.width);
  await kit.shot(page, J, '01-my-home-375');
}

export const journeys: Journey[] = [
  { name: 'import-wizard-error-report', run: importWizardErrorReport },
  { name: 'person-search-by-masked-phone', run: personSearchByMaskedPhone },
  { name: 'portal-my-home', run: portalMyHome },
];
