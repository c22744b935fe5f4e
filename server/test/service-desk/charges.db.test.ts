import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillDetail, PortalBillList, ServiceRequest } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { signedIn } from '../people/fixtures.js';
import { categoryId, deskCommunity, makeResident, makeRoom } from './fixtures.js';

/**
 * Paid repairs become one-off bills (issue 6 §5): resolving a chargeable request writes a charge
 * and the event `service_desk.charge.created`; billing's subscriber issues the room's bill and
 * marks the charge billed in one transaction, once, however often the event is delivered.
 */
let c: TestCourtyard;
let A: string;
let room: string;
let techId: string;
const clients: Record<string, Client> = {};

beforeAll(async () => {
  c = await startCourtyard();
  A = await deskCommunity(c, 'PR');
  room = await makeRoom(c, A, '2-1-301');
  const plumbing = await categoryId(c, A, 'repair_room', 'plumbing');
  await makeUser(c, { username: 'mgr', role: 'property_manager', communityId: A });
  await makeUser(c, { username: 'cs', role: 'customer_service', communityId: A });
  const techUser = await makeUser(c, { username: 'tech', role: 'technician', communityId: A });
  await makeResident(c, 'owner', A, room);
  techId = (await c.services.deskConfig.createTechnician(systemContext('test'), { communityId: A, userId: techUser, name: '张师傅', skills: [plumbing] })).id;
  for (const u of ['mgr', 'cs', 'tech', 'owner']) clients[u] = await signedIn(c, u);
});
afterAll(() => c.dispose());

const ok = async (who: string, id: string, body: Record<string, unknown>) => {
  const res = await clients[who]!.post(`/api/service-requests/${id}/transitions`, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<ServiceRequest>();
};
const LINES = [
  { kind: 'material', name: '阀芯', quantity: 2, unitPriceCents: 1990 },
  { kind: 'material', name: '软管', quantity: 1, unitPriceCents: 1250 },
  { kind: 'labour', name: '上门维修', quantity: 1, unitPriceCents: 5000 },
];
const TOTAL = 2 * 1990 + 1250 + 5000;

/** A request taken from entry to a paid resolution by the technician. */
async function resolvedPaid(body: Record<string, unknown>): Promise<ServiceRequest> {
  const res = await clients.cs!.post('/api/service-requests', { communityId: A, channel: 'phone', description: '维修', ...body });
  expect(res.statusCode, res.body).toBe(201);
  const r = res.json<ServiceRequest>();
  await ok('cs', r.id, { action: 'accept' });
  await ok('cs', r.id, { action: 'dispatch', technicianId: techId });
  await ok('tech', r.id, { action: 'start' });
  return ok('tech', r.id, { action: 'resolve', result: '已修复', chargeable: true, lines: LINES });
}
const runJobs = async () => {
  while ((await c.services.jobs.runDue()) > 0) {
    /* until the outbox deliveries are done */
  }
};
const chargeBills = (chargeId: string) => c.database.db.selectFrom('bills').selectAll().where('unique_key', '=', `service:${chargeId}`).execute();

describe('a paid repair becomes a one-off bill of its room', () => {
  let request: ServiceRequest;
  let billId: string;

  it('bills exactly the charge total to the room, with the materials and labour as its lines, and marks the charge billed', async () => {
    request = await resolvedPaid({ type: 'repair_room', roomId: room, categoryId: await categoryId(c, A, 'repair_room', 'plumbing') });
    expect(request.charge).toMatchObject({ status: 'pending', billId: null, totalCents: TOTAL });
    await runJobs();

    const detail = (await clients.cs!.get(`/api/service-requests/${request.id}`)).json<ServiceRequest>();
    expect(detail.charge).toMatchObject({ status: 'billed', totalCents: TOTAL });
    billId = detail.charge!.billId!;
    expect(billId).toBeTruthy();

    const bill = await clients.mgr!.get(`/api/bills/${billId}`);
    expect(bill.statusCode, bill.body).toBe(200);
    const b = bill.json<BillDetail>();
    // 2026-03-02 in China; due after the repair fee item's 30 days.
    expect(b).toMatchObject({ roomId: room, source: 'service', amountCents: TOTAL, status: 'open', periodLabel: '2026-03', periodStartOn: '2026-03-02', dueOn: '2026-04-01' });
    expect(b.explanationLines).toEqual([`有偿维修服务费 ${request.number}`, '材料 阀芯 2 × 19.90 元 = 39.80 元', '材料 软管 1 × 12.50 元 = 12.50 元', '人工 上门维修 1 × 50.00 元 = 50.00 元', '合计 102.30 元 → 102.30 元']);
    expect(b.ledger.map((t) => t.kind)).toEqual(['bill_issue']);

    const fee = await c.database.db.selectFrom('fee_items').selectAll().where('id', '=', b.feeItemId).executeTakeFirstOrThrow();
    expect(fee).toMatchObject({ community_id: A, code: 'REPAIR', name: '有偿维修服务费', category: 'one_off', due_days: 30 });
  });

  it('keeps the ledger check clean', async () => {
    expect(await c.services.billing.check.run()).toEqual([]);
  });

  it('audits both sides: the bill issued by billing and the charge marked billed by the service desk', async () => {
    const rows = await c.database.db.selectFrom('audit_log').select(['action', 'entity_id']).where('action', 'in', ['billing.bill.issue', 'service_desk.charge.bill', 'billing.fee_item.create']).execute();
    expect(rows).toEqual(expect.arrayContaining([{ action: 'billing.bill.issue', entity_id: billId }, { action: 'service_desk.charge.bill', entity_id: request.charge!.id }, expect.objectContaining({ action: 'billing.fee_item.create' })]));
  });

  it('delivering the event a second time creates no second bill and changes nothing', async () => {
    const event = await c.database.db.selectFrom('outbox_events').select('id').where('type', '=', 'service_desk.charge.created').executeTakeFirstOrThrow();
    const audits = async () => (await c.database.db.selectFrom('audit_log').select('id').execute()).length;
    const before = await audits();
    // A crash after the handler committed but before its job was marked done delivers it again.
    await c.services.jobs.enqueue(c.database.db, { type: 'event:billing.service_charge', payload: { eventId: event.id } });
    await runJobs();
    const failed = await c.database.db.selectFrom('jobs').select(['type', 'last_error']).where('status', '=', 'failed').execute();
    expect(failed).toEqual([]);
    expect((await chargeBills(request.charge!.id)).map((b) => b.id)).toEqual([billId]);
    expect(await audits()).toBe(before);
    expect(await c.services.billing.check.run()).toEqual([]);
  });

  it('the owner sees the bill among their portal bills, explained line by line', async () => {
    const res = await clients.owner!.get('/api/portal/bills');
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json<PortalBillList>().items.find((b) => b.id === billId);
    expect(mine?.subjectLabel).toContain('2-1-301');
    expect(mine).toMatchObject({ subjectId: room, feeItemName: '有偿维修服务费', amountCents: TOTAL, outstandingCents: TOTAL, status: 'open' });
    expect(mine!.explanationLines).toContain('人工 上门维修 1 × 50.00 元 = 50.00 元');
  });

  it('a second paid repair reuses the community’s repair fee item', async () => {
    const r = await resolvedPaid({ type: 'repair_room', roomId: room, categoryId: await categoryId(c, A, 'repair_room', 'plumbing') });
    await runJobs();
    const [bill] = await chargeBills(r.charge!.id);
    expect(bill).toMatchObject({ amount_cents: TOTAL, source: 'service' });
    expect((await c.database.db.selectFrom('fee_items').select('id').where('community_id', '=', A).where('code', '=', 'REPAIR').execute()).length).toBe(1);
  });
});

describe('a paid repair of a public area', () => {
  it('is not billed to anyone: the charge becomes not_billable and the delivery succeeds', async () => {
    const r = await resolvedPaid({ type: 'repair_public', location: '3 号楼电梯厅', categoryId: await categoryId(c, A, 'repair_public', 'lighting') });
    expect(r.charge).toMatchObject({ roomId: null, status: 'pending' });
    await runJobs();
    const detail = (await clients.cs!.get(`/api/service-requests/${r.id}`)).json<ServiceRequest>();
    expect(detail.charge).toMatchObject({ status: 'not_billable', billId: null });
    expect(await chargeBills(r.charge!.id)).toEqual([]);
    expect(await c.database.db.selectFrom('jobs').select('id').where('status', '=', 'failed').execute()).toEqual([]);
    const audit = await c.database.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'service_desk.charge.not_billable').where('entity_id', '=', r.charge!.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json ?? 'null')).toMatchObject({ status: 'not_billable', reason: 'no_room' });
    const listed = await clients.cs!.get(`/api/service-desk/charges?communityId=${A}&status=not_billable`);
    expect(listed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([r.charge!.id]);
  });
});
