import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, enrolMfa, makeUser, startCourtyard, totpCode, type TestCourtyard } from '../harness.js';

let c: TestCourtyard;
beforeAll(async () => {
  c = await startCourtyard();
});
afterAll(() => c.dispose());

async function passwordStep(username: string) {
  const client = new Client(c.app);
  const res = await client.signIn(username);
  expect(res.json()).toMatchObject({ status: 'mfa_required' });
  return { client, challengeId: res.json<{ challengeId: string }>().challengeId };
}

describe('two-factor authentication', () => {
  it('is required for administrator roles: nothing but enrolment works until it is on', async () => {
    await makeUser(c, { username: 'root', role: 'system_admin' });
    const client = new Client(c.app);
    const res = await client.signIn('root');
    expect(res.json()).toMatchObject({ status: 'signed_in', me: { mfaEnrollmentRequired: true } });
    expect((await client.get('/api/users')).json()).toMatchObject({ code: 'auth.mfa_required' });
    await enrolMfa(client, c.clock);
    expect((await client.get('/api/users')).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).json()).toMatchObject({ mfaEnrollmentRequired: false, user: { mfaEnabled: true } });
    // and it cannot be switched off while the role is held
    expect((await client.post('/api/auth/mfa/disable', { password: 'Correct#Horse9' })).json()).toMatchObject({ code: 'auth.mfa_not_removable' });
  });

  it('asks for a code after the password, and a used code cannot be replayed', async () => {
    await makeUser(c, { username: 'tess', role: 'cashier' });
    const enrol = new Client(c.app);
    await enrol.signIn('tess');
    const { secret } = await enrolMfa(enrol, c.clock);
    c.clock.advance(60_000);
    const code = totpCode(secret, c.clock.now());
    const first = await passwordStep('tess');
    const ok = await first.client.post('/api/auth/mfa', { challengeId: first.challengeId, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'signed_in' });
    expect((await first.client.get('/api/auth/me')).statusCode).toBe(200);
    const second = await passwordStep('tess');
    const replay = await second.client.post('/api/auth/mfa', { challengeId: second.challengeId, code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ code: 'auth.mfa_invalid' });
    c.clock.advance(30_000);
    const next = await second.client.post('/api/auth/mfa', { challengeId: second.challengeId, code: totpCode(secret, c.clock.now()) });
    expect(next.statusCode).toBe(200);
  });

  it('accepts each recovery code once', async () => {
    await makeUser(c, { username: 'rita', role: 'cashier' });
    const enrol = new Client(c.app);
    await enrol.signIn('rita');
    const { recoveryCodes } = await enrolMfa(enrol, c.clock);
    expect(recoveryCodes).toHaveLength(10);
    const a = await passwordStep('rita');
    expect((await a.client.post('/api/auth/mfa', { challengeId: a.challengeId, code: recoveryCodes[0] })).statusCode).toBe(200);
    const b = await passwordStep('rita');
    expect((await b.client.post('/api/auth/mfa', { challengeId: b.challengeId, code: recoveryCodes[0] })).statusCode).toBe(401);
  });

  it('a challenge is not a session, expires after 5 minutes and cannot be completed twice', async () => {
    await makeUser(c, { username: 'otto', role: 'cashier' });
    const enrol = new Client(c.app);
    await enrol.signIn('otto');
    const { secret } = await enrolMfa(enrol, c.clock);
    c.clock.advance(60_000);
    const step = await passwordStep('otto');
    expect((await step.client.get('/api/auth/me')).statusCode).toBe(401);
    // the challenge id used as a cookie is worthless
    const forged = new Client(c.app);
    forged.cookie = step.challengeId;
    expect((await forged.get('/api/auth/me')).statusCode).toBe(401);
    c.clock.advance(5 * 60_000 + 1);
    const late = await step.client.post('/api/auth/mfa', { challengeId: step.challengeId, code: totpCode(secret, c.clock.now()) });
    expect(late.json()).toMatchObject({ code: 'auth.mfa_challenge_expired' });
  });

  it('gives up a challenge after 5 wrong codes', async () => {
    await makeUser(c, { username: 'gus', role: 'cashier' });
    const enrol = new Client(c.app);
    await enrol.signIn('gus');
    const { secret } = await enrolMfa(enrol, c.clock);
    c.clock.advance(60_000);
    const step = await passwordStep('gus');
    for (let i = 0; i < 5; i++) await step.client.post('/api/auth/mfa', { challengeId: step.challengeId, code: '000000' });
    const res = await step.client.post('/api/auth/mfa', { challengeId: step.challengeId, code: totpCode(secret, c.clock.now()) });
    expect(res.json()).toMatchObject({ code: 'auth.mfa_challenge_expired' });
  });
});
