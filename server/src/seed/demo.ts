import type { RoleCode } from '@courtyard/contracts';
import type { Db } from '../core/db/schema.js';
import { systemContext } from '../core/http/context.js';
import type { Services } from '../app.js';

/**
 * A realistic demo company, built through the services so that it obeys every rule (audit,
 * encryption, grants). Deterministic: the same people, communities and logins on every install.
 * The logins are listed in README.md.
 */
export const DEMO_COMMUNITIES = [
  { code: 'CHHY', name: '翠湖花园', address: '杭州市西湖区翠湖路 88 号', type: 'residential' as const, phone: '057188886666' },
  { code: 'XHSW', name: '星河商务中心', address: '杭州市滨江区星河大道 1 号', type: 'office' as const, phone: '057187776666' },
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
export async function seedDemo(services: Services, db: Db): Promise<boolean> {
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
  return true;
}
