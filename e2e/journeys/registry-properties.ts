import assert from 'node:assert/strict';
import type { APIRequestContext, Page } from 'playwright-core';
import type { Journey, Kit } from '../kit.js';

/**
 * Registry, property side: 房屋资料 tree → 楼盘表 grid coloured by state → room card with its
 * occupants, on a desktop and on a 375 px phone.
 *
 * Uses the demo seed's 翠湖花园 (room 1-1-1502 of owner1); without a seeded registry the journey
 * registers what it needs through the API with manager1's session (see ensureRegistryData).
 */

const COMMUNITY = 'CHHY';
const BUILDING = { code: '9', name: '9号楼' };
const UNIT = { code: '1', name: '1单元' };
const ROOM = '9-1-301';

interface TreeShape {
  buildings: { id: string; code: string; units: { id: string; code: string; rooms: { id: string; code: string; state: string }[] }[] }[];
}

/** JSON calls with the signed-in page's cookies and CSRF token. */
async function apiOf(page: Page): Promise<{ get<T>(url: string): Promise<T>; post<T>(url: string, body: unknown): Promise<T> }> {
  const request: APIRequestContext = page.request;
  const me = (await (await request.get('/api/auth/me')).json()) as { csrfToken: string };
  const check = async (res: Awaited<ReturnType<APIRequestContext['get']>>, what: string) => {
    if (!res.ok()) throw new Error(`${what} → ${res.status()} ${await res.text()}`);
    const body: unknown = await res.json();
    return body;
  };
  return {
    get: async <T>(url: string) => (await check(await request.get(url), `GET ${url}`)) as T,
    post: async <T>(url: string, body: unknown) =>
      (await check(await request.post(url, { data: body, headers: { 'x-csrf-token': me.csrfToken } }), `POST ${url}`)) as T,
  };
}

/** Starts (approve + start) a renovation of the room: the grid shows it purple. */
async function startRenovation(api: Awaited<ReturnType<typeof apiOf>>, roomId: string): Promise<void> {
  const renovation = await api.post<{ id: string }>('/api/renovations', {
    roomId,
    contractor: '杭州安居装饰',
    contractorPhone: '13700001111',
    description: '厨房、卫生间翻新',
    startsOn: '2026-01-05',
    endsOn: '2026-03-31',
    depositCents: 200000,
  });
  await api.post(`/api/renovations/${renovation.id}/approve`, {});
  await api.post(`/api/renovations/${renovation.id}/start`, {});
}

interface Target {
  building: string;
  unit: string;
  room: string;
  /** A current occupant of the room, shown on its card. */
  occupant: string;
}

/**
 * The demo seed's room 1-1-1502 (owner1 吴志明) when the seed has the registry; otherwise rooms in
 * every state and a household in 9-1-301 registered here. Either way one room of the unit is put
 * under renovation so that the grid shows every colour.
 */
async function ensureRegistryData(page: Page): Promise<Target> {
  const api = await apiOf(page);
  const communities = await api.get<{ items: { id: string; code: string }[] }>('/api/communities');
  const community = communities.items.find((c) => c.code === COMMUNITY);
  assert.ok(community, 'manager1 sees 翠湖花园');
  const tree = await api.get<TreeShape>(`/api/communities/${community.id}/tree`);
  const seeded = tree.buildings.find((b) => b.code === '1')?.units.find((u) => u.code === '1');
  const seededRoom = seeded?.rooms.find((r) => r.code === '1-1-1502');
  if (seeded && seededRoom) {
    if (!seeded.rooms.some((r) => r.state === 'renovating')) {
      const other = seeded.rooms.find((r) => r.state === 'vacant') ?? seeded.rooms.find((r) => r.id !== seededRoom.id);
      if (other) await startRenovation(api, other.id);
    }
    return { building: '1', unit: '1', room: seededRoom.code, occupant: '吴志明' };
  }

  const building = await api.post<{ id: string }>('/api/buildings', { communityId: community.id, ...BUILDING, floors: 6 });
  const unit = await api.post<{ id: string }>('/api/units', { buildingId: building.id, ...UNIT });
  const states = ['vacant', 'occupied', 'rented', 'unsold'] as const;
  const rooms = new Map<string, string>();
  for (let floor = 1; floor <= 6; floor++) {
    for (let n = 1; n <= 4; n++) {
      const number = `${floor}0${n}`;
      const state = floor === 3 && n === 1 ? 'vacant' : floor === 1 ? 'unsold' : states[(floor + n) % states.length];
      const room = await api.post<{ id: string }>('/api/rooms', {
        unitId: unit.id,
        number,
        floor,
        buildingArea: n % 2 ? '89.50' : '126.34',
        innerArea: n % 2 ? '72.10' : '101.80',
        use: 'residence',
        state,
        deliveredOn: '2019-06-30',
      });
      rooms.set(number, room.id);
    }
  }
  const roomId = rooms.get('301')!;
  const owner = await api.post<{ id: string }>('/api/persons', { communityId: community.id, kind: 'individual', name: '林国栋', gender: 'male', phone: '13912345678' });
  const spouse = await api.post<{ id: string }>('/api/persons', { communityId: community.id, kind: 'individual', name: '陈美玲', gender: 'female', phone: '13987654321' });
  const former = await api.post<{ id: string }>('/api/persons', { communityId: community.id, kind: 'individual', name: '黄先生', gender: 'male' });
  const moved = await api.post<{ id: string }>('/api/occupancies', { personId: former.id, roomId, relation: 'tenant', movedInOn: '2020-03-01' });
  await api.post(`/api/occupancies/${moved.id}/move-out`, { movedOutOn: '2023-02-28' });
  await api.post('/api/occupancies', { personId: owner.id, roomId, relation: 'owner', movedInOn: '2023-05-01', primaryContact: true });
  await api.post('/api/occupancies', { personId: spouse.id, roomId, relation: 'family_member', movedInOn: '2023-05-01' });
  await api.post('/api/vehicles', { communityId: community.id, plate: '浙A9D301', personId: owner.id, brand: '比亚迪 汉', color: '白色' });
  await startRenovation(api, rooms.get('402')!);
  return { building: BUILDING.code, unit: UNIT.code, room: ROOM, occupant: '林国栋' };
}

/** Nothing wider than the screen: the page must not scroll sideways on a phone. */
async function assertNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate<[number, number]>('[document.documentElement.scrollWidth, window.innerWidth]');
  assert.ok(widths[0] <= widths[1], `${what}: the page is ${widths[0]} px wide on a ${widths[1]} px screen`);
}

async function roomTreeToRoomCard(kit: Kit): Promise<void> {
  const J = 'registry-properties';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.waitForURL((url) => url.pathname === '/');
  const data = await ensureRegistryData(page);

  // 房屋资料 from the menu; pick 翠湖花园 (manager1's only community, still picked explicitly).
  await kit.byTestId(page, 'menu-registry-tree').click();
  await page.waitForURL((url) => url.pathname === '/registry');
  await kit.byTestId(page, 'community-select').click();
  await page.locator(`.ant-select-dropdown [data-testid="community-option-${COMMUNITY}"]`).click();
  await kit.byTestId(page, `tree-building-${data.building}`).click();
  await kit.byTestId(page, `tree-unit-${data.building}-${data.unit}`).click();
  await kit.byTestId(page, 'room-grid').waitFor();
  const cell = kit.byTestId(page, `room-cell-${data.room}`);
  await cell.waitFor();
  assert.equal(await cell.getAttribute('data-state'), 'occupied', 'the room with a household is shown occupied');
  const legend = await kit.byTestId(page, 'state-legend').innerText();
  assert.match(legend, /已入住/, 'the legend names the states');
  assert.ok((await page.locator('[data-testid^="room-cell-"][data-state="renovating"]').count()) >= 1, 'a room under renovation is coloured as such');
  await kit.shot(page, J, '01-grid');

  await cell.click();
  await page.waitForURL((url) => /^\/registry\/rooms\/[^/]+$/.test(url.pathname));
  await kit.byTestId(page, 'room-facts').waitFor();
  assert.equal(await kit.byTestId(page, 'page-title').innerText(), `房屋 ${data.room}`);
  await kit.byTestId(page, 'room-occupancy-panel').waitFor();
  await page.getByText(data.occupant).first().waitFor();
  assert.ok(await kit.byTestId(page, 'room-bills').isVisible(), 'the billing placeholder says bills come later');
  await kit.shot(page, J, '02-room-card');

  await page.setViewportSize(kit.phone);
  await page.reload();
  await kit.byTestId(page, 'room-facts').waitFor();
  await page.getByText(data.occupant).first().waitFor();
  await assertNoSidewaysScroll(page, 'room card');
  await kit.shot(page, J, '03-room-card-375');

  // On a phone the tree collapses to two selects above the grid.
  await page.goto(`/registry`);
  await kit.byTestId(page, 'building-select').click();
  await page.locator(`.ant-select-dropdown [data-testid="building-option-${data.building}"]`).click();
  await kit.byTestId(page, 'unit-select').click();
  await page.locator(`.ant-select-dropdown [data-testid="unit-option-${data.unit}"]`).click();
  await kit.byTestId(page, `room-cell-${data.room}`).waitFor();
  await assertNoSidewaysScroll(page, 'property tree');
  await kit.shot(page, J, '04-grid-375');
}

/**
 * The other property pages of manager1: rooms list (filter by state, bulk-tag), parking,
 * renovations (the detail drawer offers only the legal actions), tags; at 375 px and in English.
 */
async function registryPagesTour(kit: Kit): Promise<void> {
  const J = 'registry-properties-tour';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.waitForURL((url) => url.pathname === '/');
  await ensureRegistryData(page);

  // Rooms list: filter by the renovating state, then tag the first rooms of the list.
  await kit.byTestId(page, 'menu-registry-rooms').click();
  await page.waitForURL((url) => url.pathname === '/registry/rooms');
  await page.locator('[data-testid^="room-row-"]').first().waitFor();
  await kit.pick(page, kit.byTestId(page, 'rooms-state'), '装修中');
  await page.locator('[data-testid^="room-row-"]').first().waitFor();
  await kit.pick(page, kit.byTestId(page, 'rooms-state'), '全部');
  await page.locator('.ant-table-tbody .ant-table-selection-column .ant-checkbox').nth(0).click();
  await page.locator('.ant-table-tbody .ant-table-selection-column .ant-checkbox').nth(1).click();
  await kit.byTestId(page, 'rooms-bulk-tag').click();
  await kit.byTestId(page, 'bulk-tag-select').click();
  await page.keyboard.type('独居老人');
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '独居老人' }).waitFor();
  await page.keyboard.press('Enter');
  await kit.byTestId(page, 'bulk-tag-select').getByText('独居老人').waitFor();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/apply') && r.request().method() === 'POST' && r.ok()),
    page.locator('.ant-modal-footer .ant-btn-primary').click(),
  ]);
  await kit.shot(page, J, '01-rooms');

  // Renovations: the one started by ensureRegistryData is in progress: only inspection is offered.
  await kit.byTestId(page, 'menu-registry-renovations').click();
  await page.waitForURL((url) => url.pathname === '/registry/renovations');
  const row = page.locator('[data-testid^="renovation-open-"]').first();
  await row.click();
  await kit.byTestId(page, 'renovation-drawer').waitFor();
  await kit.byTestId(page, 'renovation-inspectPass').waitFor();
  assert.equal(await kit.byTestId(page, 'renovation-approve').count(), 0, 'an application in progress cannot be approved again');
  await kit.shot(page, J, '02-renovation-drawer', true);
  await page.keyboard.press('Escape');

  await kit.byTestId(page, 'menu-registry-parking').click();
  await page.waitForURL((url) => url.pathname === '/registry/parking');
  await page.waitForTimeout(800);
  await kit.shot(page, J, '03-parking');

  await kit.byTestId(page, 'menu-registry-tags').click();
  await page.waitForURL((url) => url.pathname === '/registry/tags');
  await page.getByText('独居老人').first().waitFor();
  await kit.shot(page, J, '04-tags');

  await page.setViewportSize(kit.phone);
  for (const [path, step, row] of [
    ['/registry/rooms', '05-rooms-375', 'room-row-'],
    ['/registry/renovations', '06-renovations-375', 'renovation-row-'],
    ['/registry/parking', '07-parking-375', 'space-row-'],
  ] as const) {
    await page.goto(path);
    await page.locator(`[data-testid^="${row}"]`).first().waitFor();
    await page.waitForTimeout(600);
    await assertNoSidewaysScroll(page, path);
    await kit.shot(page, J, step, true);
  }

  await page.setViewportSize(kit.desktop);
  await page.goto('/registry');
  await kit.switchLocale(page, 'en-US');
  await kit.byTestId(page, 'state-legend').waitFor();
  assert.match(await kit.byTestId(page, 'page-title').innerText(), /Property tree/);
  await kit.shot(page, J, '08-tree-en');
  await kit.switchLocale(page, 'zh-CN');
}

/**
 * 小区/项目 with manager1 (scoped to 翠湖花园, may manage it, may not read users): the menu in the
 * registry's order, only the own community listed, no "new" button (creating needs every
 * community), the edit drawer's checks (area format, green ≤ total, a taken code reported by the
 * server under the code input) and a read-only manager; the list as cards at 375 px.
 */
async function communitiesPage(kit: Kit): Promise<void> {
  const J = 'registry-communities';
  const { page } = await kit.newPage();
  await page.goto('/sign-in');
  await kit.signIn(page, kit.demo.manager.username, kit.demo.manager.password);
  await page.waitForURL((url) => url.pathname === '/');

  await kit.byTestId(page, 'menu-registry-import').waitFor();
  const menu: (string | null)[] = [];
  for (const item of await page.locator('[data-testid^="menu-registry-"]').all()) menu.push(await item.getAttribute('data-testid'));
  assert.deepEqual(
    menu,
    ['tree', 'communities', 'rooms', 'persons', 'parking', 'vehicles', 'renovations', 'tags', 'import'].map((k) => `menu-registry-${k}`),
    'the registry menu: tree, communities, rooms, residents, parking, vehicles, renovations, tags, import',
  );
  await kit.byTestId(page, 'menu-registry-communities').click();
  await page.waitForURL((url) => url.pathname === '/registry/communities');
  const row = kit.byTestId(page, `community-row-${COMMUNITY}`);
  await row.waitFor();
  assert.equal(await kit.byTestId(page, 'page-title').innerText(), '小区/项目');
  assert.equal(await page.locator('[data-testid^="community-row-"]').count(), 1, 'manager1 sees only 翠湖花园');
  assert.equal(await kit.byTestId(page, 'community-create').count(), 0, 'a manager of one community cannot register another');
  const rowText = await row.innerText();
  assert.match(rowText, /翠湖花园/);
  assert.match(rowText, /住宅小区/, 'the type is translated');
  assert.match(rowText, /186,500\.00 m²/, 'areas are exact, grouped for reading');
  await kit.shot(page, J, '01-list');

  // The header search: a room hit carries its state as a translated badge.
  await kit.byTestId(page, 'header-search').fill('1-1-1502');
  const hit = page.locator('.ant-select-dropdown [data-testid="search-hit-room"]').first();
  await hit.waitFor();
  assert.equal(await hit.locator('[data-testid="search-hit-state"]').innerText(), '已入住', 'owner1’s room is occupied');
  await kit.shot(page, J, '02-search-room-state', true);
  await kit.byTestId(page, 'header-search').fill('');
  await page.keyboard.press('Escape');

  await kit.byTestId(page, `community-edit-${COMMUNITY}`).click();
  const drawer = kit.byTestId(page, 'community-drawer');
  await drawer.waitFor();
  assert.equal(await kit.byTestId(page, 'community-code').inputValue(), COMMUNITY);
  assert.equal(await kit.byTestId(page, 'community-manager').count(), 0, 'without identity.user.read there is no user picker');
  await kit.byTestId(page, 'community-manager-readonly').waitFor();
  const total = kit.byTestId(page, 'community-total-area');
  const greenArea = kit.byTestId(page, 'community-green-area');
  const totalBefore = await total.inputValue();
  const greenBefore = await greenArea.inputValue();
  await total.fill('12.345');
  await kit.byTestId(page, 'community-drawer-save').click();
  await drawer.getByText('最多两位小数').first().waitFor();
  await total.fill(totalBefore);
  await greenArea.fill('999999999');
  await kit.byTestId(page, 'community-drawer-save').click();
  await drawer.getByText('绿化面积不能大于总面积').waitFor();
  await greenArea.fill(greenBefore);
  // Another community's code: the server refuses it and says so under the code input.
  await kit.byTestId(page, 'community-code').fill('XHSW');
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/communities/') && r.request().method() === 'PATCH' && r.status() === 409),
    kit.byTestId(page, 'community-drawer-save').click(),
  ]);
  await drawer.locator('.ant-form-item-explain-error').filter({ hasText: '编号已被使用' }).waitFor();
  await kit.shot(page, J, '03-edit-drawer', true);
  await kit.byTestId(page, 'community-code').fill(COMMUNITY);
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/communities/') && r.request().method() === 'PATCH' && r.ok()),
    kit.byTestId(page, 'community-drawer-save').click(),
  ]);
  await drawer.waitFor({ state: 'hidden' });

  await page.setViewportSize(kit.phone);
  await page.reload();
  await kit.byTestId(page, `community-row-${COMMUNITY}`).waitFor();
  await page.waitForTimeout(400);
  await assertNoSidewaysScroll(page, 'communities');
  await kit.shot(page, J, '04-list-375', true);
  await kit.byTestId(page, `community-edit-${COMMUNITY}`).click();
  await kit.byTestId(page, 'community-drawer').waitFor();
  assert.equal(await kit.byTestId(page, 'community-total-area').inputValue(), totalBefore, 'the drawer shows the saved community, not the last typed values');
  await page.waitForTimeout(400);
  await kit.shot(page, J, '05-edit-drawer-375', true);
}

export const journeys: Journey[] = [
  { name: 'room-tree-to-room-card', run: roomTreeToRoomCard },
  { name: 'registry-properties-tour', run: registryPagesTour },
  { name: 'registry-communities', run: communitiesPage },
];
