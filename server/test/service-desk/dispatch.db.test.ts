import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceRequest } from '@courtyard/contracts';
import { systemContext } from '../../src/core/http/context.js';
import { makeUser, startCourtyard, type Client, type TestCourtyard } from '../harness.js';
import { signedIn } from '../people/fixtures.js';
import { categoryId, deskCommunity, makeResident, makeRoom } from './fixtures.js';

/**
 * Automatic dispatch (PRODUCT §3, 派工规则): a request dispatched without a team or technician
 * goes by the community's rule for its category — to the team (grab), round robin, or to the
 * member with the least open work — among members on duty who hold the category as a skill.
 */
let c: TestCourtyard;
let A: string;
let room: string;
let plumbing: string;
let electrical: string;
let team: string;
const tech: Record<'zhang' | 'li' | 'wang', string> = { zhang: '', li: '', wang: '' };
let cs: Client;
let owner: Client;
const sys = systemContext('test');

beforeAll(async () => {
  c = await startCourtyard();
  A = await deskCommunity(c, 'DSP');
  room = await makeRoom(c, A, '1-1-101');
  plumbing = await categoryId(c, A, 'repair_room', 'plumbing');
  electrical = await categoryId(c, A, 'repair_room', 'electrical');
  await makeUser(c, { username: 'cs_dsp', role: 'customer_service', communityId: A });
  await makeResident(c, 'owner_dsp', A, room);
  const cfg = c.services.deskConfig;
  const member = async (username: string, name: string, skills: string[]) => {
    const userId = await makeUser(c, { username, role: 'technician', communityId: A });
    return (await cfg.createTechnician(sys, { communityId: A, userId, name, skills })).id;
  };
  tech.zhang = await member('t_zhang', '张师傅', [plumbing]);
  tech.li = await member('t_li', '李师傅', [plumbing]);
  // 王师傅 is in the team but has no plumbing skill: never a candidate for a plumbing request.
  tech.wang = await member('t_wang', '王师傅', [electrical]);
  team = (await cfg.createTeam(sys, { communityId: A, name: '水电班', supervisorUserId: null, memberIds: [tech.zhang, tech.li, tech.wang] })).id;
  cs = await signedIn(c, 'cs_dsp');
  owner = await signedIn(c, 'owner_dsp');
});
afterAll(async () => {
  await c.dispose();
});

/** A plumbing request from the portal, accepted and dispatched without naming anyone. */
async function autoDispatched(): Promise<ServiceRequest> {
  const submitted = await owner.post('/api/portal/service-requests', { type: 'repair_room', roomId: room, categoryId: plumbing, description: '卫生间下水道堵塞', contactPhone: '13812345678' });
  expect(submitted.statusCode, submitted.body).toBe(201);
  const id = submitted.json<ServiceRequest>().id;
  for (const body of [{ action: 'accept' }, { action: 'dispatch' }]) {
    const res = await cs.post(`/api/service-requests/${id}/transitions`, body);
    expect(res.statusCode, res.body).toBe(200);
  }
  return (await cs.get(`/api/service-requests/${id}`)).json<ServiceRequest>();
}
const rule = (strategy: 'team' | 'round_robin' | 'least_open') => c.services.deskConfig.createRule(sys, { communityId: A, categoryId: plumbing, teamId: team, strategy });
const duty = (id: string, onDuty: boolean) => c.services.deskConfig.updateTechnician(sys, id, { onDuty });

describe('automatic dispatch by the category rule', () => {
  it('with no rule for the category and no fallback, a dispatch without a target is refused and the request stays accepted', async () => {
    const submitted = await owner.post('/api/portal/service-requests', { type: 'repair_room', roomId: room, categoryId: plumbing, description: '热水器不出热水', contactPhone: '13812345678' });
    const id = submitted.json<ServiceRequest>().id;
    expect((await cs.post(`/api/service-requests/${id}/transitions`, { action: 'accept' })).statusCode).toBe(200);
    const res = await cs.post(`/api/service-requests/${id}/transitions`, { action: 'dispatch' });
    expect({ status: res.statusCode, code: res.json<{ code: string }>().code }).toEqual({ status: 409, code: 'service_desk.no_technician' });
    expect((await cs.get(`/api/service-requests/${id}`)).json<ServiceRequest>().state).toBe('accepted');
  });

  it('"team": dispatched to the team with no technician, for its members to grab', async () => {
    await rule('team');
    expect(await autoDispatched()).toMatchObject({ state: 'dispatched', teamId: team, technicianId: null });
  });

  it('round robin takes turns among the skilled members on duty, skipping those without the skill', async () => {
    await rule('round_robin');
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await autoDispatched()).technicianId);
    expect(new Set(got)).toEqual(new Set([tech.zhang, tech.li]));
    expect(got[0]).not.toBe(got[1]);
    expect(got[2]).toBe(got[0]);
    expect(got[3]).toBe(got[1]);
  });

  it('least open work picks the skilled member on duty with the fewest open requests (a tie goes to the earlier record)', async () => {
    await rule('least_open');
    const open = async (id: string) => (await c.services.deskConfig.listTechnicians(sys, A)).find((t) => t.id === id)!.openCount;
    const least = async () => {
      const [z, l] = [await open(tech.zhang), await open(tech.li)];
      return z < l ? tech.zhang : l < z ? tech.li : [tech.zhang, tech.li].sort()[0];
    };
    // Level after round robin (two each): the two next requests go one to each.
    expect(await open(tech.zhang)).toBe(await open(tech.li));
    const expected = [await least()];
    const first = await autoDispatched();
    expected.push(await least());
    const second = await autoDispatched();
    expect([first.technicianId, second.technicianId]).toEqual(expected);
    expect(first.technicianId).not.toBe(second.technicianId);
  });

  it('a member off duty gets nothing; with every skilled member off duty the dispatch is refused', async () => {
    await rule('least_open');
    await duty(tech.zhang, false);
    for (let i = 0; i < 3; i++) expect((await autoDispatched()).technicianId).toBe(tech.li);
    await duty(tech.li, false);
    const submitted = await owner.post('/api/portal/service-requests', { type: 'repair_room', roomId: room, categoryId: plumbing, description: '阳台地漏返水', contactPhone: '13812345678' });
    const id = submitted.json<ServiceRequest>().id;
    await cs.post(`/api/service-requests/${id}/transitions`, { action: 'accept' });
    const res = await cs.post(`/api/service-requests/${id}/transitions`, { action: 'dispatch' });
    expect(res.json<{ code: string }>().code).toBe('service_desk.no_technician');
    await duty(tech.zhang, true);
    await duty(tech.li, true);
  });
});
