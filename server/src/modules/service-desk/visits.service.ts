import type { DueVisitList, DueVisitQuery, RecordVisitBody, ReturnVisit, ReturnVisitListQuery } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { Db, Tx } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { AppError, invalid, notFound } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import * as repo from './visits.repository.js';
import type { ReturnVisitTable } from './visits.tables.js';

export interface VisitsService {
  /** Closed requests of a range not yet visited, sampled to `percent` (a stable sample). */
  due(ctx: RequestContext, query: DueVisitQuery): Promise<DueVisitList>;
  record(ctx: RequestContext, body: RecordVisitBody): Promise<ReturnVisit>;
  recent(ctx: RequestContext, query: ReturnVisitListQuery): Promise<ReturnVisit[]>;
}

export interface ComplaintInput {
  communityId: string;
  roomId: string | null;
  location: string;
  description: string;
}

export interface VisitsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  /**
   * Opens a complaint (a new service request of type `complaint`) through the request service,
   * in the visit's transaction; returns its id. A closed request cannot be reopened (the workflow
   * reopens only resolved ones), so a dissatisfied caller's case starts again as a complaint that
   * names the original request.
   */
  openComplaint(tx: Tx, ctx: RequestContext, input: ComplaintInput): Promise<string>;
}

const VISIT = 'service_desk.visit.manage';

/**
 * Whether a request is in a `percent` sample: its id's last 32 bits (random in a UUIDv7) modulo
 * 100. The same request is in or out of every listing of the same percentage, so two agents see
 * the same list and a reload does not reshuffle it.
 */
export function inSample(requestId: string, percent: number): boolean {
  if (percent >= 100) return true;
  return parseInt(requestId.replace(/-/g, '').slice(-8), 16) % 100 < percent;
}

function view(r: ReturnVisitTable, number: string): ReturnVisit {
  return {
    id: r.id,
    communityId: r.community_id,
    requestId: r.request_id,
    requestNumber: number,
    outcome: r.outcome,
    notes: r.notes,
    complaintRequestId: r.complaint_request_id,
    visitedBy: r.visited_by,
    visitedAt: r.visited_at,
  };
}

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function createVisitsService(deps: VisitsDeps): VisitsService {
  return {
    async due(ctx, query) {
      assertCan(ctx, VISIT, query.communityId);
      const from = new Date(query.closedFrom).toISOString();
      const to = new Date(query.closedTo).toISOString();
      if (to <= from) throw invalid('/querystring/closedTo', 'must be after closedFrom', '必须晚于开始时间');
      const rows = await repo.requests.dueForVisit(deps.db, query.communityId, from, to);
      const sampled = rows.filter((r) => inSample(r.id, query.percent ?? 100));
      return {
        total: rows.length,
        items: sampled.map((r) => ({
          requestId: r.id,
          communityId: r.community_id,
          number: r.number,
          type: r.type,
          description: r.description,
          contactName: r.contact_name,
          rating: r.rating,
          closedAt: r.closed_at ?? '',
          unreachableAttempts: Number(r.unreachable ?? 0),
        })),
      };
    },

    async record(ctx, body) {
      const request = await repo.requests.byId(deps.db, body.requestId);
      if (!request) throw notFound();
      assertCan(ctx, VISIT, request.community_id);
      const notes = body.notes?.trim() || null;
      try {
        return await deps.db.transaction().execute(async (tx) => {
          if (request.state !== 'closed' || (await repo.visits.reached(tx, request.id))) throw new AppError('service_desk.visit_not_due');
          // Dissatisfied (PRODUCT §3): the case goes on as a complaint linked to the request,
          // opened through the request service (numbering, SLA, timeline) in this transaction:
          // a visit that fails to record leaves no orphan complaint, and no visit without one.
          const complaintId =
            body.outcome === 'dissatisfied'
              ? await deps.openComplaint(tx, ctx, {
                  communityId: request.community_id,
                  roomId: request.room_id,
                  location: request.location || request.number,
                  description: `回访不满意（原工单 ${request.number}）${notes ? `：${notes}` : ''}`,
                })
              : null;
          const row: ReturnVisitTable = {
            id: deps.ids(),
            community_id: request.community_id,
            request_id: request.id,
            outcome: body.outcome,
            notes,
            complaint_request_id: complaintId,
            visited_by: ctx.actor.userId,
            visited_at: deps.clock.now().toISOString(),
          };
          await repo.visits.insert(tx, row);
          await deps.audit.record(tx, ctx, { action: 'service_desk.visit.record', entityType: 'service_request', entityId: request.id, communityId: request.community_id, after: { outcome: row.outcome, complaintRequestId: complaintId } });
          return view(row, request.number);
        });
      } catch (err) {
        // Two agents recorded the same call at once: the partial unique index keeps one.
        if (isUniqueViolation(err)) throw new AppError('service_desk.visit_not_due');
        throw err;
      }
    },

    async recent(ctx, query) {
      assertCan(ctx, VISIT, query.communityId);
      const rows = await repo.visits.recent(deps.db, query.communityId, query.limit ?? 50);
      return rows.map((r) => view(r, r.request_number));
    },
  };
}
