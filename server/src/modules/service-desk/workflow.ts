import type { RequestAction, RequestState } from '@courtyard/contracts';
import { AppError, fieldValue, type Bilingual } from '../../core/http/errors.js';

/**
 * The request workflow as data (PRODUCT.md §3): which action leads from which states to which
 * state, and who may take it. The service asks `nextState` (refuses illegal transitions) and
 * `refusal` (the guards on the input and the actor), then writes with a compare-and-set on the
 * request's version, so two concurrent transitions cannot both win.
 */

/** How the caller stands to the request (computed by the service from grants and assignment). */
export type Party =
  /** Customer service / manager with `service_desk.request.manage` in the community. */
  | 'staff'
  /** A technician the request is dispatched to (or a member of its team). */
  | 'technician'
  /** The owner who submitted it, or an occupant of its room (portal). */
  | 'requester'
  /** Jobs: auto-close. */
  | 'system';

export interface TransitionDef {
  from: readonly RequestState[];
  to: RequestState;
  by: readonly Party[];
}

export const TRANSITIONS: Readonly<Record<RequestAction, TransitionDef>> = {
  accept: { from: ['submitted'], to: 'accepted', by: ['staff'] },
  reject: { from: ['submitted'], to: 'rejected', by: ['staff'] },
  // Cancelling is possible only before dispatch: after that a technician may already be on the way.
  cancel: { from: ['submitted', 'accepted'], to: 'cancelled', by: ['requester', 'staff'] },
  // Re-dispatch (another technician or team) stays in `dispatched` until someone arrives.
  dispatch: { from: ['accepted', 'dispatched'], to: 'dispatched', by: ['staff'] },
  // 抢单: a member of the team the request was dispatched to takes it for themselves.
  take: { from: ['dispatched'], to: 'dispatched', by: ['technician'] },
  start: { from: ['dispatched'], to: 'in_progress', by: ['technician', 'staff'] },
  pause: { from: ['in_progress'], to: 'paused', by: ['technician', 'staff'] },
  wait_parts: { from: ['in_progress'], to: 'waiting_parts', by: ['technician', 'staff'] },
  resume: { from: ['paused', 'waiting_parts'], to: 'in_progress', by: ['technician', 'staff'] },
  // Staff answer a consultation, acknowledge praise or settle a complaint without dispatching anyone.
  resolve: { from: ['accepted', 'in_progress'], to: 'resolved', by: ['technician', 'staff'] },
  // Staff may record a rating the requester gave by phone.
  confirm: { from: ['resolved'], to: 'confirmed', by: ['requester', 'staff'] },
  // Not satisfied: back to the same assignee, who must come again.
  reopen: { from: ['resolved'], to: 'dispatched', by: ['requester', 'staff'] },
  close: { from: ['resolved', 'confirmed'], to: 'closed', by: ['staff', 'system'] },
};

export const ACTIONS = Object.keys(TRANSITIONS) as RequestAction[];

/** The state `action` leads to from `from`; throws `service_desk.transition_refused` naming both. */
export function nextState(from: RequestState, action: RequestAction): RequestState {
  const def = TRANSITIONS[action];
  if (!def.from.includes(from)) throw refused(from, def.to, action);
  return def.to;
}

export function refused(from: RequestState, to: RequestState, action: RequestAction): AppError {
  return new AppError('service_desk.transition_refused', [
    fieldValue('/from', from),
    fieldValue('/to', to),
    fieldValue('/body/action', action),
  ]);
}

/** What a transition needs to know about the request, the input and the caller. */
export interface GuardInput {
  action: RequestAction;
  parties: ReadonlySet<Party>;
  request: { teamId: string | null; technicianId: string | null };
  /** The caller's technician id in the request's community, and the teams it belongs to. */
  me: { technicianId: string | null; teamIds: readonly string[] };
  body: { reason?: string | undefined; result?: string | undefined; rating?: number | undefined; teamId?: string | null | undefined; technicianId?: string | null | undefined };
}

export type Refusal = { code: 'auth.forbidden' | 'service_desk.not_assignee' | 'service_desk.stale' } | { code: 'request.invalid'; field: string; message: Bilingual };

const filled = (s: string | undefined) => s !== undefined && s.trim().length > 0;

/**
 * The guards: returns why the transition may not happen, or null. Pure: the caller supplies the
 * parties (who the caller is to this request) and the caller's technician record.
 */
export function refusal(g: GuardInput): Refusal | null {
  const def = TRANSITIONS[g.action];
  if (!def.by.some((p) => g.parties.has(p))) {
    // A technician of the community acting on someone else's work gets the precise reason.
    return g.me.technicianId !== null && def.by.includes('technician') ? { code: 'service_desk.not_assignee' } : { code: 'auth.forbidden' };
  }
  const staff = g.parties.has('staff') || g.parties.has('system');
  switch (g.action) {
    case 'reject':
    case 'pause':
    case 'wait_parts':
    case 'reopen':
      if (!filled(g.body.reason)) return { code: 'request.invalid', field: '/body/reason', message: { en: 'a reason is required', zh: '须填写原因' } };
      break;
    case 'dispatch':
      if (!g.body.teamId && !g.body.technicianId) return { code: 'request.invalid', field: '/body/technicianId', message: { en: 'a technician or a team is required', zh: '须选择技术员或班组' } };
      break;
    case 'take':
      // Only a request sent to a team, only by a member of that team, and only once: whoever
      // comes second finds it taken (the same answer the compare-and-set gives a concurrent loser).
      if (g.request.teamId === null || !g.me.teamIds.includes(g.request.teamId)) return { code: 'service_desk.not_assignee' };
      if (g.request.technicianId !== null) return { code: 'service_desk.stale' };
      break;
    case 'start':
      if (g.request.technicianId === null) return { code: 'request.invalid', field: '/body/action', message: { en: 'take the request or dispatch it to a technician first', zh: '请先接单，或派工给技术员' } };
      break;
    case 'resolve':
      if (!filled(g.body.result)) return { code: 'request.invalid', field: '/body/result', message: { en: 'the result is required', zh: '须填写处理结果' } };
      break;
    case 'confirm':
      if (g.body.rating === undefined) return { code: 'request.invalid', field: '/body/rating', message: { en: 'a rating from 1 to 5 is required', zh: '须评分（1–5 分）' } };
      break;
    default:
      break;
  }
  // Work on site is done by the assigned technician; staff may record it on their behalf.
  if (!staff && ['start', 'pause', 'wait_parts', 'resume', 'resolve'].includes(g.action) && g.request.technicianId !== g.me.technicianId) return { code: 'service_desk.not_assignee' };
  return null;
}

/** The actions the parties may attempt in `state` (drives the UI's buttons; guards still apply). */
export function availableActions(state: RequestState, parties: ReadonlySet<Party>): RequestAction[] {
  return ACTIONS.filter((a) => TRANSITIONS[a].from.includes(state) && TRANSITIONS[a].by.some((p) => parties.has(p)));
}

/** Open = not finished; the board shows only these. */
export const isOpen = (state: RequestState) => state !== 'rejected' && state !== 'closed' && state !== 'cancelled';
