import type { RoleCode } from '@courtyard/contracts';
import type { Db } from '../core/db/schema.js';
import { systemContext } from '../core/http/context.js';
import type { Courtyard, Services } from '../app.js';
import { seedCommunityRegistry, type CommunityPlan, type LinkedPerson } from './registry.js';
import { seedServiceDesk } from './service-desk.js';
import { seedDemoBilling } from './billing.js';

/**
 * A realistic demo company, built through the services so that it obeys every rule (audit,
 * encryption, grants). Deterministic: the same people, communities and logins on every install.
 * The logins are listed in README.md.
 */
export const DEMO_COMMUNITIES = [
  { code: 'CHHY', name: '翠湖花园', address: '杭州市西湖区翠湖路 88 号', type: 'residential' as const, phone: '057188886666', totalArea: '186500.00', greenArea: '65275.00' },
  { code: 'XHSW', name: '星河商务中心', address: '杭州市滨江区星河大道 1 号', type: 'office' as const, phone: '057187776666', totalArea: '98200.00', greenArea: '12500.00' },
  { code: 'LJY', name: '丽景苑', address: '杭州市拱墅区丽景路 16 号', type: 'residential' as const, phone: '057186665555', totalArea: '52300.00', greenArea: '18300.50' },
];

const residentialName = (code: string) => `${code}号楼`;

/** The demo registry: 2,572 rooms in three communities, about 5,000 people, vehicles and parking. */
export const DEMO_REGISTRY: Record<string, CommunityPlan> = {
  CHHY: {
    code: 'CHHY',
    layout: { buildings: 12, unitsPerBuilding: 2, floors: 18, roomsPerFloor: 4, areasDm2: [8950, 12030, 14360, 9870], use: 'residence' },
    buildingName: residentialName,
    deliveredOn: '2019-06-30',
    parkingSpaces: 600,
    ownedShare: 0.93,
    tenantShare: 0.12,
    companyOwners: 0,
  },
  XHSW: {
    code: 'XHSW',
    layout: { buildings: 2, unitsPerBuilding: 1, floors: 28, roomsPerFloor: 8, areasDm2: [15620, 23840, 9860, 31200], use: 'office' },
    buildingName: (code) => `${code === '1' ? 'A' : 'B'}座`,
    deliveredOn: '2021-09-15',
    parkingSpaces: 300,
    ownedShare: 0.85,
    tenantShare: 0,
    companyOwners: 0.7,
  },
  LJY: {
    code: 'LJY',
    layout: { buildings: 6, unitsPerBuilding: 3, floors: 11, roomsPerFloor: 2, areasDm2: [10250, 11680], use: 'residence' },
    buildingName: residentialName,
    deliveredOn: '2016-12-20',
    parkingSpaces: 200,
    ownedShare: 0.95,
    tenantShare: 0.15,
    companyOwners: 0,
  },
};

/** Demo portal users and the rooms they live in (their person records are linked to the accounts). */
export const DEMO_RESIDENTS: LinkedPerson[] = [
  { username: 'owner1', communityCode: 'CHHY', roomCode: '1-1-1502', relation: 'owner', name: '吴志明', gender: 'male', phone: '13900000011' },
  { username: 'owner2', communityCode: 'CHHY', roomCode: '2-1-801', relation: 'tenant', name: '郑晓燕', gender: 'female', phone: '13900000012' },
  { username: 'rep1', communityCode: 'CHHY', roomCode: '3-2-1201', relation: 'owner', name: '孙丽华', gender: 'female', phone: '13900000001' },
  { username: 'owner3', communityCode: 'XHSW', roomCode: '1-1-1808', relation: 'owner', name: 'Michael Chen', gender: 'male', phone: '13900000013' },
];

export interface DemoUser {
  username: string;
  displayName: string;
  kind: 'staff' | 'owner';
  password: string;
  role: RoleCode;
  /** Community code, or null for every community. */
  community: string | null;
  phone: string;
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'security1', displayName: '周安 (安全管理员)', kind: 'staff', password: 'Demo#2026sec', role: 'security_admin', community: null, phone: '13800000002' },
  { username: 'auditor1', displayName: '钱审 (审计管理员)', kind: 'staff', password: 'Demo#2026aud', role: 'audit_admin', community: null, phone: '13800000003' },
  { username: 'manager1', displayName: '王建国', kind: 'staff', password: 'Demo#2026mgr', role: 'property_manager', community: 'CHHY', phone: '13800000011' },
  { username: 'manager2', displayName: '李秀英', kind: 'staff', password: 'Demo#2026mgr', role: 'property_manager', community: 'XHSW', phone: '13800000012' },
  { username: 'service1', displayName: '张敏', kind: 'staff', password: 'Demo#2026svc', role: 'customer_service', community: 'CHHY', phone: '13800000021' },
  { username: 'cashier1', displayName: '刘芳', kind: 'staff', password: 'Demo#2026cash', role: 'cashier', community: 'CHHY', phone: '13800000031' },
  { username: 'tech1', displayName: '陈师傅', kind: 'staff', password: 'Demo#2026tech', role: 'technician', community: 'CHHY', phone: '13800000041' },
  { username: 'guard1', displayName: '赵强', kind: 'staff', password: 'Demo#2026guard', role: 'guard', community: 'CHHY', phone: '13800000051' },
  { username: 'rep1', displayName: '孙丽华 (业主代表)', kind: 'owner', password: 'Demo#2026rep', role: 'owner_representative', community: 'CHHY', phone: '13900000001' },
  { username: 'owner1', displayName: '吴志明', kind: 'owner', password: 'Demo#2026own', role: 'resident', community: 'CHHY', phone: '13900000011' },
  { username: 'owner2', displayName: '郑晓燕', kind: 'owner', password: 'Demo#2026own', role: 'resident', community: 'CHHY', phone: '13900000012' },
  { username: 'owner3', displayName: 'Michael Chen', kind: 'owner', password: 'Demo#2026own', role: 'resident', community: 'XHSW', phone: '13900000013' },
];

/** Creates the first administrator if there is none. Returns the password when it was generated. */
export async function ensureAdmin(services: Services, db: Db, password: string | undefined): Promise<{ created: boolean; password: string | null }> {
  const existing = await services.users.idByUsername('admin');
  if (existing) return { created: false, password: null };
  const ctx = systemContext('bootstrap');
  const { generatePassword } = await import('../core/crypto/password.js');
  const chosen = password ?? generatePassword();
  await db.transaction().execute(async (tx) => {
    const id = await services.users.createIn(tx, ctx, {
      username: 'admin',
      displayName: '系统管理员',
      kind: 'staff',
      password: chosen,
      // A generated password was printed to a terminal: the administrator must replace it.
      mustChangePassword: password === undefined,
    });
    await services.access.grantDirect(tx, ctx, id, 'system_admin', null);
  });
  return { created: true, password: password === undefined ? chosen : null };
}

/** Seeds the demo company once; returns false when it was already there. */
export async function seedDemo(courtyard: Pick<Courtyard, 'services' | 'database' | 'cipher' | 'ids' | 'clock'>): Promise<boolean> {
  const { services } = courtyard;
  const db = courtyard.database.db;
  if (await services.users.idByUsername('manager1')) return false;
  const ctx = systemContext('seed');
  const existing = new Map<string, string | undefined>();
  for (const c of DEMO_COMMUNITIES) existing.set(c.code, await services.properties.communityIdByCode(c.code));
  await db.transaction().execute(async (tx) => {
    const communityIds = new Map<string, string>();
    for (const c of DEMO_COMMUNITIES) {
      communityIds.set(c.code, existing.get(c.code) ?? (await services.properties.createCommunity(tx, ctx, c)));
    }
    for (const u of DEMO_USERS) {
      const id = await services.users.createIn(tx, ctx, { username: u.username, displayName: u.displayName, kind: u.kind, password: u.password, phone: u.phone });
      await services.access.grantDirect(tx, ctx, id, u.role, u.community ? communityIds.get(u.community)! : null);
    }
  });
  // Phone numbers, ID numbers and plates are unique across the demo: each community draws its
  // serials from its own range.
  let serialBase = 1_000_000;
  for (const community of DEMO_COMMUNITIES) {
    const id = await services.properties.communityIdByCode(community.code);
    if (!id) continue;
    const plan = DEMO_REGISTRY[community.code]!;
    await seedCommunityRegistry({ services, db, cipher: courtyard.cipher, ids: courtyard.ids, clock: courtyard.clock }, id, plan, serialBase, DEMO_RESIDENTS.filter((r) => r.communityCode === community.code));
    serialBase += 100_000;
  }
  // Service desk: teams, technicians and requests in every state for 翠湖花园.
  const chhy = await services.properties.communityIdByCode('CHHY');
  if (chhy) await seedServiceDesk(courtyard, chhy);
  // Billing (issue 5): fee items, one issued month for 翠湖花园, a few rooms paid.
  await seedDemoBilling(services, db);
  return true;
}

export const LARGE_PERSONS = 1_000_000;

/**
 * `courtyard seed --size=large`: the demo, then 40-odd large residential communities (10,000 rooms
 * each) until 1,000,000 more people are registered — the benchmark data of issue #4 (search over a
 * million people). Writes `bench-samples.json` (phones and name prefixes to search for, and a
 * customer-service login over every community) next to the database for bench/search.ts.
 */
export async function seedLarge(courtyard: Pick<Courtyard, 'services' | 'database' | 'cipher' | 'ids' | 'clock'>, progress: (line: string) => void): Promise<{ persons: number; samples: { phones: string[]; names: string[] } }> {
  await seedDemo(courtyard);
  const { services } = courtyard;
  const db = courtyard.database.db;
  const ctx = systemContext('seed');
  const deps = { services, db, cipher: courtyard.cipher, ids: courtyard.ids, clock: courtyard.clock };
  let persons = 0;
  const samples = { phones: [] as string[], names: [] as string[] };
  for (let i = 1; persons < LARGE_PERSONS; i++) {
    const code = `L${String(i).padStart(3, '0')}`;
    if (await services.properties.communityIdByCode(code)) {
      persons += Number((await db.selectFrom('persons').innerJoin('communities', 'communities.id', 'persons.community_id').select((eb) => eb.fn.countAll().as('n')).where('communities.code', '=', code).executeTakeFirstOrThrow()).n);
      continue;
    }
    const id = await db.transaction().execute((tx) =>
      services.properties.createCommunity(tx, ctx, { code, name: `基准小区 ${i}`, address: `杭州市余杭区基准路 ${i} 号`, type: 'residential', totalArea: '320000.00', greenArea: '96000.00' }),
    );
    const seeded = await seedCommunityRegistry(
      deps,
      id,
      {
        code,
        layout: { buildings: 20, unitsPerBuilding: 2, floors: 25, roomsPerFloor: 10, areasDm2: [8950, 12030, 14360, 9870, 7650], use: 'residence' },
        buildingName: (b) => `${b}号楼`,
        deliveredOn: '2018-05-01',
        parkingSpaces: 3000,
        ownedShare: 0.93,
        tenantShare: 0.12,
        companyOwners: 0,
      },
      10_000_000 + i * 100_000,
      [],
      LARGE_PERSONS - persons,
    );
    persons += seeded.persons;
    progress(`${code}: ${seeded.rooms} rooms, ${seeded.persons} people (${persons.toLocaleString('en')} / ${LARGE_PERSONS.toLocaleString('en')})`);
  }
  // Search samples drawn from the whole table: exact phones need the clear value, so decrypt a few.
  const sampleRows = await db.selectFrom('persons').select(['name', 'phone_enc']).where('phone_enc', 'is not', null).orderBy('id').limit(400).execute();
  for (const r of sampleRows) {
    samples.phones.push(courtyard.cipher.decrypt(r.phone_enc!));
    samples.names.push(r.name.slice(0, 2));
  }
  if (!(await services.users.idByUsername('bench1'))) {
    await db.transaction().execute(async (tx) => {
      const userId = await services.users.createIn(tx, ctx, { username: 'bench1', displayName: '基准测试客服', kind: 'staff', password: BENCH_PASSWORD, phone: null });
      await services.access.grantDirect(tx, ctx, userId, 'customer_service', null);
    });
  }
  return { persons, samples };
}

/** Login of the customer-service user over every community that the large seed creates. */
export const BENCH_PASSWORD = 'Bench#Search-2026';
