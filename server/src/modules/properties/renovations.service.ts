import type {
  CreateRenovationBody,
  EventType,
  Renovation,
  RenovationDepositBody,
  RenovationInspectBody,
  RenovationListQuery,
} from '@courtyard/contracts';
import type { Tx } from '../../core/db/schema.js';
import { maskPhone } from '../../core/crypto/field.js';
import { assertCan, can, scopeOf, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import * as repo from './properties.repository.js';
import { cursorId, type PropertiesDeps } from './properties.deps.js';
import type { DepositState, RenovationState } from './properties.tables.js';
import type { TagsService } from './tags.service.js';

export type RenovationAction = 'approve' | 'reject' | 'start' | 'inspect' | 'cancel';

export interface RenovationsService {
  listRenovations(ctx: RequestContext, query: RenovationListQuery): Promise<{ items: Renovation[]; nextCursor: string | null }>;
  getRenovation(ctx: RequestContext, id: string): Promise<Renovation>;
  createRenovation(ctx: RequestContext, body: CreateRenovationBody): Promise<Renovation>;
  /** One step of the state machine (see README); anything else is 409 `properties.renovation.illegal_transition`. */
  transitionRenovation(ctx: RequestContext, id: string, action: RenovationAction, input?: { note?: string | undefined } & Partial<RenovationInspectBody>): Promise<Renovation>;
  setRenovationDeposit(ctx: RequestContext, id: string, body: RenovationDepositBody): Promise<Renovation>;
}

/** From which states each action may be taken (装修申请 workflow). */
const FROM: Record<RenovationAction, readonly RenovationState[]> = {
  approve: ['submitted'],
  reject: ['submitted'],
  start: ['approved'],
  // A failed inspection is followed by re-inspection after the works are redone (again and again if need be).
  inspect: ['in_progress', 'failed_inspection'],
  cancel: ['submitted', 'approved'],
};
/** Deposit record: due → collected → released (only after the renovation passed inspection) | forfeited. */
const DEPOSIT_FROM: Record<RenovationDepositBody['state'], DepositState> = { collected: 'due', released: 'collected', forfeited: 'collected' };

const EVENT_OF: Record<RenovationState, EventType | null> = {
  submitted: 'properties.renovation.submitted',
  approved: 'properties.renovation.approved',
  rejected: 'properties.renovation.rejected',
  in_progress: 'properties.renovation.started',
  completed: 'properties.renovation.completed',
  failed_inspection: 'properties.renovation.failed_inspection',
  cancelled: 'properties.renovation.cancelled',
};

export function createRenovationsService(deps: PropertiesDeps, tags: TagsService): RenovationsService {
  const now = () => deps.clock.now().toISOString();

  function view(ctx: RequestContext, r: repo.RenovationWithRoom): Renovation {
    let phone: string | null = null;
    if (r.contractor_phone_enc) {
      const clear = deps.cipher.decrypt(r.contractor_phone_enc);
      // Contractor phones are personal data: clear only for callers who may reveal it in this community.
      phone = can(ctx, 'people.person.reveal', r.community_id) ? clear : maskPhone(clear);
    }
    return {
      id: r.id,
      communityId: r.community_id,
      roomId: r.room_id,
      roomCode: r.room_code,
      applicantPersonId: r.applicant_person_id,
      contractor: r.contractor,
      contractorPhone: phone,
      description: r.description,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      depositCents: r.deposit_cents,
      depositState: r.deposit_state,
      state: r.state,
      decisionNote: r.decision_note,
      inspectionNote: r.inspection_note,
      decidedAt: r.decided_at,
      inspectedAt: r.inspected_at,
      createdAt: r.created_at,
    };
  }
  /** What the audit trail and events keep: never the contractor's phone. */
  const brief = (r: repo.RenovationWithRoom) => ({ renovationId: r.id, roomId: r.room_id, roomCode: r.room_code, state: r.state, depositState: r.deposit_state });

  async function load(tx: Tx, ctx: RequestContext, id: string) {
    const row = await repo.renovations.byId(tx, id);
    if (!row) throw notFound();
    assertCan(ctx, 'properties.renovation.manage', row.community_id);
    return row;
  }

  async function setRoomStateFor(tx: Tx, ctx: RequestContext, roomId: string, communityId: string, from: string, to: string, renovationId: string) {
    await repo.rooms.update(tx, roomId, { state: to as repo.RoomRow['state'], updated_at: now() });
    await deps.audit.record(tx, ctx, { action: 'properties.room.state', entityType: 'room', entityId: roomId, communityId, before: { state: from }, after: { state: to, renovationId } });
  }

  return {
    async listRenovations(ctx, query) {
      let scope = scopeOf(ctx, 'properties.room.read');
      if (query.communityId) {
        assertCan(ctx, 'properties.room.read', query.communityId);
        scope = null;
      }
      if (scope !== null && scope.length === 0) return { items: [], nextCursor: null };
      const limit = query.limit ?? 50;
      const after = decodeCursor(query.cursor, 1);
      const rows = await repo.renovations.list(deps.db, scope, query, after ? cursorId(after[0]) : undefined, limit);
      const page = pageOf(rows, limit, (r) => [r.id]);
      return { items: page.items.map((r) => view(ctx, r)), nextCursor: page.nextCursor };
    },
    async getRenovation(ctx, id) {
      const row = await repo.renovations.byId(deps.db, id);
      if (!row) throw notFound();
      assertCan(ctx, 'properties.room.read', row.community_id);
      return view(ctx, row);
    },
    async createRenovation(ctx, body) {
      if (body.endsOn < body.startsOn) throw invalid('/body/endsOn', 'must not be before startsOn', '不能早于开始日期');
      return deps.db.transaction().execute(async (tx) => {
        const room = await repo.rooms.byId(tx, body.roomId);
        if (!room) throw invalid('/body/roomId', 'unknown room', '房屋不存在');
        assertCan(ctx, 'properties.renovation.manage', room.community_id);
        if (body.applicantPersonId && tags.hasTaggable('person')) {
          // The applicant is a person of the room's community (looked up through the people module's registration).
          const owners = await tags.communitiesOf(tx, 'person', [body.applicantPersonId]);
          if (owners.get(body.applicantPersonId) !== room.community_id) throw invalid('/body/applicantPersonId', 'no such person in the room’s community', '房屋所在小区没有这个人员');
        }
        const at = now();
        const row = {
          id: deps.ids(),
          community_id: room.community_id,
          room_id: room.id,
          applicant_person_id: body.applicantPersonId ?? null,
          contractor: body.contractor.trim(),
          contractor_phone_enc: body.contractorPhone ? deps.cipher.encrypt(body.contractorPhone.replace(/[\s-]/g, '')) : null,
          description: body.description,
          starts_on: body.startsOn,
          ends_on: body.endsOn,
          deposit_cents: body.depositCents,
          deposit_state: (body.depositCents > 0 ? 'due' : 'none') as DepositState,
          state: 'submitted' as const,
          decided_by: null,
          decided_at: null,
          decision_note: null,
          inspected_by: null,
          inspected_at: null,
          inspection_note: null,
          room_state_before: null,
          created_by: ctx.actor.userId,
          created_at: at,
          updated_at: at,
        };
        await repo.renovations.insert(tx, row);
        const full = { ...row, room_code: room.code };
        await deps.audit.record(tx, ctx, {
          action: 'properties.renovation.create',
          entityType: 'renovation',
          entityId: row.id,
          communityId: row.community_id,
          after: { ...brief(full), contractor: row.contractor, startsOn: row.starts_on, endsOn: row.ends_on, depositCents: row.deposit_cents },
        });
        await deps.events.emit(tx, { type: 'properties.renovation.submitted', payload: brief(full), communityId: row.community_id });
        return view(ctx, full);
      });
    },
    async transitionRenovation(ctx, id, action, input = {}) {
      return deps.db.transaction().execute(async (tx) => {
        const r = await load(tx, ctx, id);
        if (!FROM[action].includes(r.state)) throw new AppError('properties.renovation.illegal_transition', [fieldError('/params/id', `cannot ${action} a renovation that is ${r.state}`, `装修申请当前状态（${r.state}）不允许此操作（${action}）`)]);
        const at = now();
        const actor = ctx.actor.userId;
        let patch: Partial<repo.RenovationRow>;
        switch (action) {
          case 'approve':
            patch = { state: 'approved', decided_by: actor, decided_at: at, decision_note: input.note ?? null };
            break;
          case 'reject':
          case 'cancel':
            // A deposit never collected is no longer owed once the application is off.
            patch = { state: action === 'reject' ? 'rejected' : 'cancelled', decided_by: actor, decided_at: at, decision_note: input.note ?? null, ...(r.deposit_state === 'due' ? { deposit_state: 'none' as const } : {}) };
            break;
          case 'start': {
            const room = await repo.rooms.byId(tx, r.room_id);
            if (!room) throw notFound();
            if (room.state === 'renovating' || (await repo.renovations.activeOfRoom(tx, r.room_id))) throw new AppError('properties.renovation.room_busy');
            // While the works are under way the room is `renovating` and tagged 装修中; its state is kept to return to.
            patch = { state: 'in_progress', room_state_before: room.state };
            await setRoomStateFor(tx, ctx, room.id, room.community_id, room.state, 'renovating', r.id);
            await tags.setManagedTag(tx, ctx, 'renovating', 'room', room.id, room.community_id, true);
            break;
          }
          case 'inspect': {
            if (input.passed === undefined) throw invalid('/body/passed', 'required', '必须填写');
            if (!input.passed && !input.note?.trim()) throw invalid('/body/note', 'say what failed the inspection', '请说明验收未通过的原因');
            patch = { state: input.passed ? 'completed' : 'failed_inspection', inspected_by: actor, inspected_at: at, inspection_note: input.note ?? null };
            if (input.passed) {
              const room = await repo.rooms.byId(tx, r.room_id);
              if (room && room.state === 'renovating') await setRoomStateFor(tx, ctx, room.id, room.community_id, room.state, r.room_state_before ?? 'vacant', r.id);
              await tags.setManagedTag(tx, ctx, 'renovating', 'room', r.room_id, r.community_id, false);
            }
            break;
          }
        }
        if (!(await repo.renovations.updateFrom(tx, r.id, r, { ...patch, updated_at: at }))) throw new AppError('properties.renovation.illegal_transition', [fieldError('/params/id', 'changed meanwhile', '已被他人修改，请刷新后重试')]);
        const after = { ...r, ...patch, updated_at: at };
        await deps.audit.record(tx, ctx, {
          action: `properties.renovation.${action}`,
          entityType: 'renovation',
          entityId: r.id,
          communityId: r.community_id,
          before: { state: r.state, depositState: r.deposit_state },
          after: { state: after.state, depositState: after.deposit_state, note: input.note ?? null },
        });
        const event = EVENT_OF[after.state];
        if (event) await deps.events.emit(tx, { type: event, payload: brief(after), communityId: r.community_id });
        return view(ctx, after);
      });
    },
    async setRenovationDeposit(ctx, id, body) {
      return deps.db.transaction().execute(async (tx) => {
        const r = await load(tx, ctx, id);
        if (r.deposit_state !== DEPOSIT_FROM[body.state] || (body.state === 'released' && r.state !== 'completed')) {
          throw new AppError('properties.renovation.deposit_illegal_transition', [fieldError('/body/state', `cannot go from ${r.deposit_state} to ${body.state} while the renovation is ${r.state}`, `装修申请为 ${r.state} 状态时，押金不能从 ${r.deposit_state} 改为 ${body.state}`)]);
        }
        const at = now();
        if (!(await repo.renovations.updateFrom(tx, r.id, r, { deposit_state: body.state, updated_at: at }))) {
          throw new AppError('properties.renovation.deposit_illegal_transition', [fieldError('/body/state', 'changed meanwhile', '已被他人修改，请刷新后重试')]);
        }
        const after = { ...r, deposit_state: body.state, updated_at: at };
        // Only the state is recorded here; the money itself moves through billing (later issue).
        await deps.audit.record(tx, ctx, {
          action: 'properties.renovation.deposit',
          entityType: 'renovation',
          entityId: r.id,
          communityId: r.community_id,
          before: { depositState: r.deposit_state },
          after: { depositState: body.state, depositCents: r.deposit_cents },
        });
        await deps.events.emit(tx, { type: 'properties.renovation.deposit_changed', payload: { ...brief(after), depositCents: r.deposit_cents }, communityId: r.community_id });
        return view(ctx, after);
      });
    },
  };
}
