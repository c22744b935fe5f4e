import type { FeeItem } from '@courtyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCommunity, makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { ok, problem, signedIn } from '../properties/fixtures.js';

let c: TestCourtyard;
let a: string;
let b: string;
let managerA: Client;
let managerB: Client;
let cashierA: Client;
beforeAll(async () => {
  c = await startCourtyard();
  a = await makeCommunity(c, 'FEEA');
  b = await makeCommunity(c, 'FEEB');
  await makeUser(c, { username: 'mgr-a', role: 'property_manager', communityId: a });
  await makeUser(c, { username: 'mgr-b', role: 'property_manager', communityId: b });
  await makeUser(c, { username: 'cash-a', role: 'cashier', communityId: a });
  managerA = await signedIn(c, 'mgr-a');
  managerB = await signedIn(c, 'mgr-b');
  cashierA = await signedIn(c, 'cash-a');
});
afterAll(() => c.dispose());

const property = (communityId: string) => ({ communityId, code: 'WYF', name: '物业费', category: 'property', lateFee: { dailyPpm: 500, graceDays: 15, cap: 'principal' } });

describe('fee items', () => {
  let item: FeeItem;

  it('a manager creates a fee item with rounding defaults and a late fee of 万分之五 a day after 15 days', async () => {
    item = await ok<FeeItem>(managerA.post('/api/fee-items', property(a)));
    expect(item).toMatchObject({ communityId: a, code: 'WYF', roundingUnit: 'cent', roundingMode: 'half_up', dueDays: 30, active: true, lateFee: { dailyPpm: 500, graceDays: 15, cap: 'principal', capCents: null } });
    expect((await problem(managerA.post('/api/fee-items', property(a)))).code).toBe('billing.fee_item_code_taken');
    // Codes are per community.
    await ok(managerB.post('/api/fee-items', property(b)));
  });

  it('refuses a fixed late-fee cap without its amount, an amount with another cap, a zero rate and an unknown rounding unit', async () => {
    const late = (lateFee: unknown) => managerA.post('/api/fee-items', { ...property(a), code: 'X1', lateFee });
    expect(await problem(late({ dailyPpm: 500, graceDays: 0, cap: 'amount' }))).toMatchObject({ status: 400, fields: ['/body/lateFee/capCents'] });
    expect(await problem(late({ dailyPpm: 500, graceDays: 0, cap: 'principal', capCents: 100 }))).toMatchObject({ status: 400, fields: ['/body/lateFee/capCents'] });
    expect((await problem(late({ dailyPpm: 0, graceDays: 0, cap: 'none' }))).status).toBe(400);
    expect((await problem(managerA.post('/api/fee-items', { ...property(a), code: 'X2', roundingUnit: 'fen' }))).status).toBe(400);
    const list = await ok<{ items: FeeItem[] }>(managerA.get(`/api/fee-items?communityId=${a}`));
    expect(list.items.map((i) => i.code)).toEqual(['WYF']);
  });

  it('edits rounding, removes the late fee and deactivates, audited with before and after', async () => {
    const edited = await ok<FeeItem>(managerA.patch(`/api/fee-items/${item.id}`, { roundingUnit: 'jiao', roundingMode: 'half_even', lateFee: null, active: false }));
    expect(edited).toMatchObject({ roundingUnit: 'jiao', roundingMode: 'half_even', lateFee: null, active: false, code: 'WYF' });
    const capped = await ok<FeeItem>(managerA.patch(`/api/fee-items/${item.id}`, { lateFee: { dailyPpm: 300, graceDays: 0, cap: 'amount', capCents: 5_000 } }));
    expect(capped.lateFee).toEqual({ dailyPpm: 300, graceDays: 0, cap: 'amount', capCents: 5_000 });
    const audit = await c.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', item.id).execute();
    expect(audit.map((r) => r.action)).toEqual(['billing.fee_item.create', 'billing.fee_item.update', 'billing.fee_item.update']);
    expect((await ok<{ items: FeeItem[] }>(managerA.get(`/api/fee-items?communityId=${a}&active=true`))).items).toEqual([]);
  });

  it('cashiers read fee items but cannot manage them; another community sees none of them', async () => {
    expect((await ok<FeeItem>(cashierA.get(`/api/fee-items/${item.id}`))).id).toBe(item.id);
    expect((await problem(cashierA.post('/api/fee-items', { ...property(a), code: 'C1' }))).code).toBe('auth.forbidden');
    expect((await problem(managerB.get(`/api/fee-items/${item.id}`))).code).toBe('auth.out_of_scope');
    expect((await problem(managerB.get(`/api/fee-items?communityId=${a}`))).code).toBe('auth.out_of_scope');
    expect((await problem(managerB.patch(`/api/fee-items/${item.id}`, { name: '改名' }))).code).toBe('auth.out_of_scope');
  });
});
