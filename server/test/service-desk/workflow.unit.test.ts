import { describe, expect, it } from 'vitest';
import { REQUEST_STATES, type RequestAction, type RequestState } from '@courtyard/contracts';
import { AppError } from '../../src/core/http/errors.js';
import { ACTIONS, availableActions, nextState, refusal, TRANSITIONS, type GuardInput, type Party } from '../../src/modules/service-desk/workflow.js';

const legal: [RequestState, RequestAction, RequestState][] = [
  ['submitted', 'accept', 'accepted'],
  ['submitted', 'reject', 'rejected'],
  ['submitted', 'cancel', 'cancelled'],
  ['accepted', 'cancel', 'cancelled'],
  ['accepted', 'dispatch', 'dispatched'],
  ['dispatched', 'dispatch', 'dispatched'],
  ['dispatched', 'take', 'dispatched'],
  ['dispatched', 'start', 'in_progress'],
  ['in_progress', 'pause', 'paused'],
  ['in_progress', 'wait_parts', 'waiting_parts'],
  ['paused', 'resume', 'in_progress'],
  ['waiting_parts', 'resume', 'in_progress'],
  ['accepted', 'resolve', 'resolved'],
  ['in_progress', 'resolve', 'resolved'],
  ['resolved', 'confirm', 'confirmed'],
  ['resolved', 'reopen', 'dispatched'],
  ['resolved', 'close', 'closed'],
  ['confirmed', 'close', 'closed'],
];

describe('request workflow: the transition table', () => {
  it.each(legal)('%s --%s--> %s', (from, action, to) => {
    expect(nextState(from, action)).toBe(to);
  });

  it('holds exactly the legal transitions listed above', () => {
    const fromTable = ACTIONS.flatMap((a) => TRANSITIONS[a].from.map((f) => `${f} ${a} ${TRANSITIONS[a].to}`)).sort();
    expect(fromTable).toEqual(legal.map((l) => l.join(' ')).sort());
  });

  // Every (state, action) pair not in the table is refused, naming from and to.
  const illegal = REQUEST_STATES.flatMap((s) => ACTIONS.filter((a) => !TRANSITIONS[a].from.includes(s)).map((a) => [s, a] as const));
  it(`refuses all ${illegal.length} illegal pairs with service_desk.transition_refused`, () => {
    expect(illegal.length).toBe(REQUEST_STATES.length * ACTIONS.length - legal.length);
    for (const [from, action] of illegal) {
      let error: unknown;
      try {
        nextState(from, action);
      } catch (e) {
        error = e;
      }
      expect(error, `${from} ${action}`).toBeInstanceOf(AppError);
      const e = error as AppError;
      expect(e.code).toBe('service_desk.transition_refused');
      expect(e.fields).toEqual([
        { field: '/from', message: { en: from, zh: from } },
        { field: '/to', message: { en: TRANSITIONS[action].to, zh: TRANSITIONS[action].to } },
        { field: '/body/action', message: { en: action, zh: action } },
      ]);
    }
  });

  it('finished requests allow nothing', () => {
    for (const s of ['rejected', 'closed', 'cancelled'] as const) expect(availableActions(s, new Set<Party>(['staff', 'technician', 'requester', 'system']))).toEqual([]);
  });

  it('offers each party only its own actions', () => {
    expect(availableActions('resolved', new Set<Party>(['requester']))).toEqual(['confirm', 'reopen']);
    expect(availableActions('dispatched', new Set<Party>(['technician']))).toEqual(['take', 'start']);
    expect(availableActions('submitted', new Set<Party>(['requester']))).toEqual(['cancel']);
  });
});

describe('request workflow: guards', () => {
  const base = (over: Partial<GuardInput>): GuardInput => ({
    action: 'accept',
    parties: new Set<Party>(['staff']),
    request: { teamId: null, technicianId: null },
    me: { technicianId: null, teamIds: [] },
    body: {},
    ...over,
  });

  it('needs a reason to reject, pause, wait for parts and reopen', () => {
    for (const action of ['reject', 'pause', 'wait_parts', 'reopen'] as const) {
      expect(refusal(base({ action, body: { reason: '  ' } }))).toMatchObject({ code: 'request.invalid', field: '/body/reason' });
      expect(refusal(base({ action, body: { reason: '业主不在家' }, request: { teamId: null, technicianId: 't1' } }))).toBeNull();
    }
  });

  it('needs a result to resolve and a rating to confirm', () => {
    expect(refusal(base({ action: 'resolve' }))).toMatchObject({ field: '/body/result' });
    expect(refusal(base({ action: 'confirm', parties: new Set<Party>(['requester']) }))).toMatchObject({ field: '/body/rating' });
    expect(refusal(base({ action: 'confirm', parties: new Set<Party>(['requester']), body: { rating: 5 } }))).toBeNull();
  });

  it('dispatch needs a target; start needs a technician', () => {
    expect(refusal(base({ action: 'dispatch' }))).toMatchObject({ field: '/body/technicianId' });
    expect(refusal(base({ action: 'dispatch', body: { teamId: 'team' } }))).toBeNull();
    expect(refusal(base({ action: 'start', request: { teamId: 'team', technicianId: null } }))).toMatchObject({ code: 'request.invalid' });
  });

  it('take: only a member of the team, only while nobody has taken it', () => {
    const me = { technicianId: 't1', teamIds: ['team'] };
    const tech = new Set<Party>(['technician']);
    expect(refusal(base({ action: 'take', parties: tech, me, request: { teamId: 'team', technicianId: null } }))).toBeNull();
    expect(refusal(base({ action: 'take', parties: tech, me, request: { teamId: 'team', technicianId: 't2' } }))).toEqual({ code: 'service_desk.stale' });
    expect(refusal(base({ action: 'take', parties: tech, me, request: { teamId: 'other', technicianId: null } }))).toEqual({ code: 'service_desk.not_assignee' });
  });

  it('site work by the assigned technician only; staff may record it for them', () => {
    const tech = new Set<Party>(['technician']);
    expect(refusal(base({ action: 'start', parties: tech, me: { technicianId: 't1', teamIds: [] }, request: { teamId: null, technicianId: 't1' } }))).toBeNull();
    expect(refusal(base({ action: 'start', parties: tech, me: { technicianId: 't2', teamIds: [] }, request: { teamId: null, technicianId: 't1' } }))).toEqual({ code: 'service_desk.not_assignee' });
    expect(refusal(base({ action: 'start', request: { teamId: null, technicianId: 't1' } }))).toBeNull();
  });

  it('refuses parties the action is not for', () => {
    expect(refusal(base({ action: 'accept', parties: new Set<Party>(['requester']) }))).toEqual({ code: 'auth.forbidden' });
    expect(refusal(base({ action: 'dispatch', parties: new Set<Party>(['technician']), body: { teamId: 'x' } }))).toEqual({ code: 'auth.forbidden' });
    expect(refusal(base({ action: 'close', parties: new Set<Party>(['requester']) }))).toEqual({ code: 'auth.forbidden' });
  });
});
