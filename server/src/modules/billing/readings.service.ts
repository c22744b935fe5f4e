import type { DeviceReadingBody, MeterReading, ReadingBatchBody, ReadingBatchResult, ReadingEntry, ReadingListQuery, ReadingOutcome, ReviewListQuery } from '@courtyard/contracts';
import type { Clock } from '../../core/clock.js';
import type { Db, Tx } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import { decodeCursor, pageOf } from '../../core/http/cursor.js';
import { AppError, fieldValue, invalid, notFound } from '../../core/http/errors.js';
import type { IdGenerator } from '../../core/ids.js';
import type { AuditService } from '../audit/index.js';
import { formatQtyE3, parseQtyE3 } from './engine/decimal.js';
import { parseField } from './engine-fields.js';
import { meters as repo } from './meters.repository.js';
import { meterUsage, type ReadingRefusal } from './engine/meter.js';
import type { MeterReadingTable, ReadingSource } from './runs.tables.js';

export interface ReadingsDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
}
export type ReadingsService = ReturnType<typeof createReadingsService>;

/** A reading to enter: meter, day, register value in thousandths. */
export interface ReadingLine {
  meterId: string;
  readOn: string;
  readingE3: number;
  /** The reader saw the register pass its maximum (needed to accept a lower value). */
  rolledOver?: boolean;
}
export type LineRefusal = ReadingRefusal | 'unknown_meter' | 'duplicate_date' | 'inactive_meter';

/**
 * Longest accepted interval between two readings of a meter: a quarter plus slack (quarterly
 * rounds); a longer gap means readings are missing and must be entered first.
 */
export const MAX_GAP_DAYS = 100;
/** Recent usages the spike check compares with. */
const HISTORY = 6;

type RefusalCode = 'billing.reading_lower' | 'billing.reading_date_order' | 'billing.reading_date_gap' | 'billing.reading_duplicate_date' | 'billing.reading_rollover_invalid';
const refusalError: Record<ReadingRefusal | 'duplicate_date', RefusalCode> = {
  reading_lower: 'billing.reading_lower',
  rollover_without_max: 'billing.reading_rollover_invalid',
  rollover_not_lower: 'billing.reading_rollover_invalid',
  reading_above_max: 'billing.reading_rollover_invalid',
  date_not_after_previous: 'billing.reading_date_order',
  date_gap: 'billing.reading_date_gap',
  duplicate_date: 'billing.reading_duplicate_date',
};

export function readingView(r: MeterReadingTable): MeterReading {
  const flags = (JSON.parse(r.flags_json) as { reasons?: string[] }).reasons ?? [];
  return {
    id: r.id,
    communityId: r.community_id,
    meterId: r.meter_id,
    readOn: r.read_on,
    reading: formatQtyE3(Number(r.reading_e3)),
    usage: r.usage_e3 === null ? null : formatQtyE3(Number(r.usage_e3)),
    rolledOver: r.rolled_over === 1,
    source: r.source,
    flags,
    reviewStatus: r.review_status,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    createdAt: r.created_at,
  };
}

const qty = (field: string, text: string): number => parseField(field, () => parseQtyE3(text));

/** Meter readings (抄表): entry one by one, in rounds, from devices and from Excel; review of suspicious ones. */
export function createReadingsService(deps: ReadingsDeps) {
  const now = () => deps.clock.now().toISOString();
  const actor = (ctx: RequestContext) => ctx.actor.userId ?? ctx.actor.name;

  /**
   * Validates and inserts readings in the caller's transaction: each meter's lines in date order
   * against its latest stored reading and its recent usages (three queries for the whole batch),
   * one multi-row insert, one audit record. Refused lines are reported and not written; the
   * others are. Every meter must be in the caller's `billing.reading.enter` scope.
   */
  async function enterIn(tx: Tx, ctx: RequestContext, lines: readonly ReadingLine[], source: ReadingSource): Promise<{ outcomes: { line: number; meterId: string; reason: LineRefusal | null; row: MeterReadingTable | null }[] }> {
    const meterIds = [...new Set(lines.map((l) => l.meterId))];
    const meters = new Map((await repo.byIds(tx, meterIds)).map((m) => [m.id, m]));
    for (const m of meters.values()) assertCan(ctx, 'billing.reading.enter', m.community_id);
    const latest = await repo.latest(tx, meterIds);
    const recent = await repo.recentUsages(tx, meterIds, HISTORY);
    const at = now();
    const key = (i: number) => `${lines[i]!.meterId}|${lines[i]!.readOn}`;
    const order = lines.map((l, i) => i).sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : x - y));
    const outcomes: { line: number; meterId: string; reason: LineRefusal | null; row: MeterReadingTable | null }[] = [];
    const rows: MeterReadingTable[] = [];
    const prevOf = new Map<string, { readOn: string; readingE3: number }>();
    for (const [id, r] of latest) prevOf.set(id, { readOn: r.read_on, readingE3: Number(r.reading_e3) });
    const seen = new Set<string>();
    for (const i of order) {
      const l = lines[i]!;
      const m = meters.get(l.meterId);
      if (!m) {
        outcomes.push({ line: i, meterId: l.meterId, reason: 'unknown_meter', row: null });
        continue;
      }
      if (m.active !== 1) {
        outcomes.push({ line: i, meterId: l.meterId, reason: 'inactive_meter', row: null });
        continue;
      }
      const dayKey = `${l.meterId}|${l.readOn}`;
      if (seen.has(dayKey) || latest.get(l.meterId)?.read_on === l.readOn) {
        outcomes.push({ line: i, meterId: l.meterId, reason: 'duplicate_date', row: null });
        continue;
      }
      seen.add(dayKey);
      const history = recent.get(l.meterId) ?? [];
      const prev = prevOf.get(l.meterId);
      const spec = { multiplierE4: m.multiplier_e4, maxValueE3: m.max_value_e3 === null ? null : Number(m.max_value_e3) };
      // Devices do not say when their register rolled over: a lower value on a meter that can roll over is one.
      const rolledOver = l.rolledOver ?? (source === 'device' && prev !== undefined && spec.maxValueE3 !== null && l.readingE3 < prev.readingE3);
      const check = prev
        ? meterUsage(spec, { readOn: prev.readOn, valueE3: prev.readingE3 }, { readOn: l.readOn, valueE3: l.readingE3, rolledOver }, history, { maxGapDays: MAX_GAP_DAYS })
        : ({ ok: true, usageE3: null, rolledOver: false, flags: [] } as const);
      if (!check.ok) {
        outcomes.push({ line: i, meterId: l.meterId, reason: check.reason, row: null });
        continue;
      }
      // A rollover is recorded on the reading (rolled_over), not held for review.
      const flags = check.flags.filter((f) => f !== 'rolled_over');
      const row: MeterReadingTable = {
        id: deps.ids(),
        community_id: m.community_id,
        meter_id: m.id,
        read_on: l.readOn,
        reading_e3: l.readingE3,
        usage_e3: check.usageE3,
        rolled_over: check.rolledOver ? 1 : 0,
        source,
        flags_json: JSON.stringify({ reasons: flags }),
        // Suspicious readings are kept but held back from billing until a person looks at them.
        review_status: flags.length ? 'pending' : 'accepted',
        reviewed_by: null,
        reviewed_at: null,
        entered_by: actor(ctx),
        created_at: at,
      };
      rows.push(row);
      prevOf.set(l.meterId, { readOn: l.readOn, readingE3: l.readingE3 });
      if (check.usageE3 !== null) recent.set(l.meterId, [check.usageE3, ...history]);
      outcomes.push({ line: i, meterId: l.meterId, reason: null, row });
    }
    await repo.insertReadings(tx, rows);
    const communities = [...new Set(rows.map((r) => r.community_id))];
    for (const communityId of communities) {
      const mine = rows.filter((r) => r.community_id === communityId);
      await deps.audit.record(tx, ctx, {
        action: 'billing.reading.enter',
        entityType: 'meter_reading',
        entityId: mine.length === 1 ? mine[0]!.id : null,
        communityId,
        after: { source, readings: mine.length, flagged: mine.filter((r) => r.review_status === 'pending').length, refused: outcomes.filter((o) => o.reason !== null).length },
      });
    }
    outcomes.sort((a, b) => a.line - b.line);
    return { outcomes };
  }

  function batchResult(outcomes: Awaited<ReturnType<typeof enterIn>>['outcomes']): ReadingBatchResult {
    const items: ReadingOutcome[] = outcomes.map((o) => ({ index: o.line, meterId: o.meterId, accepted: o.reason === null, reason: o.reason, reading: o.row ? readingView(o.row) : null }));
    return {
      accepted: items.filter((i) => i.accepted).length,
      flagged: items.filter((i) => i.reading?.reviewStatus === 'pending').length,
      refused: items.filter((i) => !i.accepted).length,
      items,
    };
  }

  return {
    enterIn,

    /** One reading; a refusal is an error with its reason code. */
    async enter(ctx: RequestContext, body: ReadingEntry): Promise<MeterReading> {
      const line = { meterId: body.meterId, readOn: body.readOn, readingE3: qty('/body/reading', body.reading), ...(body.rolledOver !== undefined ? { rolledOver: body.rolledOver } : {}) };
      const { outcomes } = await deps.db.transaction().execute((tx) => enterIn(tx, ctx, [line], 'manual'));
      const o = outcomes[0]!;
      if (o.reason === 'unknown_meter') throw notFound();
      if (o.reason === 'inactive_meter') throw invalid('/body/meterId', 'the meter is inactive', '该仪表已停用');
      if (o.reason) throw new AppError(refusalError[o.reason], [fieldValue(o.reason.startsWith('date') ? '/body/readOn' : '/body/reading', o.reason)]);
      return readingView(o.row!);
    },

    /** A reading round from the phone page: valid lines are kept, refused ones reported. */
    async enterBatch(ctx: RequestContext, body: ReadingBatchBody): Promise<ReadingBatchResult> {
      const lines = body.readings.map((r, i) => ({ meterId: r.meterId, readOn: r.readOn, readingE3: qty(`/body/readings/${i}/reading`, r.reading), ...(r.rolledOver !== undefined ? { rolledOver: r.rolledOver } : {}) }));
      const { outcomes } = await deps.db.transaction().execute((tx) => enterIn(tx, ctx, lines, 'manual'));
      return batchResult(outcomes);
    },

    /** Readings pushed by a meter gateway: API tokens only, meters named by serial number. */
    async enterFromDevice(ctx: RequestContext, body: DeviceReadingBody): Promise<ReadingBatchResult> {
      if (ctx.actor.kind !== 'token') throw new AppError('billing.device_token_required');
      assertCan(ctx, 'billing.reading.enter', body.communityId);
      return deps.db.transaction().execute(async (tx) => {
        const bySerial = new Map((await repo.bySerials(tx, body.communityId, body.readings.map((r) => r.serialNumber))).map((m) => [m.serial_number, m.id]));
        const lines = body.readings.map((r, i) => ({ meterId: bySerial.get(r.serialNumber) ?? `unknown:${r.serialNumber}`, readOn: r.readOn, readingE3: qty(`/body/readings/${i}/reading`, r.reading) }));
        const known = lines.filter((l) => !l.meterId.startsWith('unknown:'));
        const { outcomes } = await enterIn(tx, ctx, known, 'device');
        // Unknown serial numbers are reported in place, not written.
        const all: typeof outcomes = [];
        let k = 0;
        lines.forEach((l, i) => {
          if (l.meterId.startsWith('unknown:')) all.push({ line: i, meterId: '00000000-0000-7000-8000-000000000000', reason: 'unknown_meter', row: null });
          else all.push({ ...outcomes[k++]!, line: i });
        });
        return batchResult(all);
      });
    },

    async list(ctx: RequestContext, q: ReadingListQuery) {
      const m = await repo.byId(deps.db, q.meterId);
      if (!m) throw notFound();
      assertCan(ctx, 'billing.meter.read', m.community_id);
      const limit = q.limit ?? 50;
      const rows = await repo.readingsPage(deps.db, q.meterId, decodeCursor(q.cursor, 2) as [string, string] | undefined, limit);
      const page = pageOf(rows, limit, (r) => [r.read_on, r.id]);
      return { items: page.items.map(readingView), nextCursor: page.nextCursor };
    },

    /** Suspicious readings waiting for a person, oldest first. */
    async reviewList(ctx: RequestContext, q: ReviewListQuery) {
      assertCan(ctx, 'billing.meter.read', q.communityId);
      const limit = q.limit ?? 50;
      const rows = await repo.pendingPage(deps.db, q.communityId, decodeCursor(q.cursor, 2) as [string, string] | undefined, limit);
      const page = pageOf(rows, limit, (r) => [r.read_on, r.id]);
      return { items: page.items.map(readingView), nextCursor: page.nextCursor };
    },

    /** Accepts (billable) or rejects (ignored by runs and by later readings' checks) a flagged reading. */
    async review(ctx: RequestContext, id: string, decision: 'accepted' | 'rejected'): Promise<MeterReading> {
      return deps.db.transaction().execute(async (tx) => {
        const r = await repo.readingById(tx, id);
        if (!r) throw notFound();
        assertCan(ctx, 'billing.meter.manage', r.community_id);
        if (r.review_status !== 'pending') throw new AppError('billing.reading_not_pending');
        const at = now();
        await repo.review(tx, id, decision, actor(ctx), at);
        await deps.audit.record(tx, ctx, { action: 'billing.reading.review', entityType: 'meter_reading', entityId: id, communityId: r.community_id, before: { reviewStatus: 'pending' }, after: { reviewStatus: decision } });
        return readingView({ ...r, review_status: decision, reviewed_by: actor(ctx), reviewed_at: at });
      });
    },
  };
}
