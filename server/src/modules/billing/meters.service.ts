import type { CreateMeterBody, Meter, MeterListQuery, UpdateMeterBody } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, fieldError, invalid, notFound } from '../../core/http/errors.js';
import type { IdGenerator } from '../../core/ids.js';
import type { AuditService } from '../audit/index.js';
import { formatMultiplierE4, formatQtyE3, parseMultiplierE4, parseQtyE3 } from './engine/decimal.js';
import { parseField as parse } from './engine-fields.js';
import { meters as repo } from './meters.repository.js';
import type { MeterReadingTable, MeterTable } from './runs.tables.js';

export interface MetersDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
}
export type MetersService = ReturnType<typeof createMetersService>;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === '23505' || /UNIQUE constraint failed/.test(e.message ?? '');
}

export function meterView(m: MeterTable, last: MeterReadingTable | undefined): Meter {
  return {
    id: m.id,
    communityId: m.community_id,
    kind: m.kind,
    roomId: m.room_id,
    buildingId: m.building_id,
    shared: m.room_id === null,
    serialNumber: m.serial_number,
    multiplier: formatMultiplierE4(m.multiplier_e4),
    maxValue: m.max_value_e3 === null ? null : formatQtyE3(Number(m.max_value_e3)),
    active: m.active === 1,
    lastReading: last ? { readOn: last.read_on, reading: formatQtyE3(Number(last.reading_e3)) } : null,
    createdAt: m.created_at,
  };
}

/** Meters (仪表): a room's own meter, or a shared one of a building / the community (公摊表). */
export function createMetersService(deps: MetersDeps) {
  const now = () => deps.clock.now().toISOString();

  async function view(m: MeterTable): Promise<Meter> {
    return meterView(m, (await repo.latest(deps.db, [m.id])).get(m.id));
  }

  return {
    async list(ctx: RequestContext, q: MeterListQuery) {
      assertCan(ctx, 'billing.meter.read', q.communityId);
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const rows = await repo.page(deps.db, { communityId: q.communityId, kind: q.kind, roomId: q.roomId, buildingId: q.buildingId, shared: q.shared, after, limit });
      const page = pageOf(rows, limit, (r) => [r.serial_number, r.id]);
      const latest = await repo.latest(deps.db, page.items.map((m) => m.id));
      return { items: page.items.map((m) => meterView(m, latest.get(m.id))), nextCursor: page.nextCursor };
    },

    async get(ctx: RequestContext, id: string): Promise<Meter> {
      const m = await repo.byId(deps.db, id);
      if (!m) throw notFound();
      assertCan(ctx, 'billing.meter.read', m.community_id);
      return view(m);
    },

    async create(ctx: RequestContext, body: CreateMeterBody): Promise<Meter> {
      assertCan(ctx, 'billing.meter.manage', body.communityId);
      const at = now();
      const row: MeterTable = {
        id: deps.ids(),
        community_id: body.communityId,
        kind: body.kind,
        room_id: body.roomId ?? null,
        building_id: body.buildingId ?? null,
        serial_number: body.serialNumber,
        multiplier_e4: body.multiplier ? parse('/body/multiplier', () => parseMultiplierE4(body.multiplier)) : 10_000,
        max_value_e3: body.maxValue ? parse('/body/maxValue', () => parseQtyE3(body.maxValue)) : null,
        active: 1,
        created_at: at,
        updated_at: at,
      };
      if (row.multiplier_e4 <= 0) throw invalid('/body/multiplier', 'must be positive', '必须大于 0');
      try {
        await deps.db.transaction().execute(async (tx) => {
          if (row.room_id) {
            const room = await repo.roomCommunity(tx, row.room_id);
            if (room?.community_id !== row.community_id) throw invalid('/body/roomId', 'no such room in the community', '该小区没有这个房屋');
            // A room meter's building is the room's: shared building meters are those without a room.
            row.building_id = room.building_id;
          } else if (row.building_id) {
            const b = await repo.buildingCommunity(tx, row.building_id);
            if (b?.community_id !== row.community_id) throw invalid('/body/buildingId', 'no such building in the community', '该小区没有这个楼栋');
          }
          if (await repo.bySerial(tx, row.community_id, row.serial_number)) throw new AppError('billing.meter_serial_taken', [fieldError('/body/serialNumber', 'taken', '已被使用')]);
          await repo.insert(tx, row);
          await deps.audit.record(tx, ctx, { action: 'billing.meter.create', entityType: 'meter', entityId: row.id, communityId: row.community_id, after: row });
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError('billing.meter_serial_taken', [fieldError('/body/serialNumber', 'taken', '已被使用')]);
        throw err;
      }
      return meterView(row, undefined);
    },

    async update(ctx: RequestContext, id: string, body: UpdateMeterBody): Promise<Meter> {
      const after = await deps.db.transaction().execute(async (tx) => {
        const before = await repo.byId(tx, id);
        if (!before) throw notFound();
        assertCan(ctx, 'billing.meter.manage', before.community_id);
        const next: MeterTable = {
          ...before,
          ...(body.serialNumber !== undefined ? { serial_number: body.serialNumber } : {}),
          ...(body.multiplier !== undefined ? { multiplier_e4: parse('/body/multiplier', () => parseMultiplierE4(body.multiplier)) } : {}),
          ...(body.maxValue !== undefined ? { max_value_e3: body.maxValue === null ? null : parse('/body/maxValue', () => parseQtyE3(body.maxValue)) } : {}),
          ...(body.active !== undefined ? { active: body.active ? 1 : 0 } : {}),
          updated_at: now(),
        };
        if (next.multiplier_e4 <= 0) throw invalid('/body/multiplier', 'must be positive', '必须大于 0');
        if (next.serial_number !== before.serial_number && (await repo.bySerial(tx, before.community_id, next.serial_number))) {
          throw new AppError('billing.meter_serial_taken', [fieldError('/body/serialNumber', 'taken', '已被使用')]);
        }
        await repo.update(tx, id, next);
        await deps.audit.record(tx, ctx, { action: 'billing.meter.update', entityType: 'meter', entityId: id, communityId: before.community_id, before, after: next });
        return next;
      });
      return view(after);
    },
  };
}
