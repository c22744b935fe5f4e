import { AGEING_BUCKETS, type AgeingBucket, type AgeingQuery, type AgeingReport, type CreateDunningRuleBody, type DunningRule, type DunningRunResult, type UpdateDunningRuleBody } from '@courtyard/contracts';
import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db, Exec, Tx } from '../../core/db/schema.js';
import { AppError, notFound } from '../../core/http/errors.js';
import { assertCan, systemContext, type RequestContext } from '../../core/http/context.js';
import type { IdGenerator } from '../../core/ids.js';
import type { AuditService } from '../audit/index.js';
import type { NotificationsService } from '../notifications/index.js';
import type { PropertiesService } from '../properties/index.js';
import type { SettingsService } from '../settings/index.js';
import { locateFont } from './documents/font.js';
import { renderLetter } from './documents/letter-layout.js';
import { chinaToday } from './bills.service.js';
import type { DunningRuleTable } from './dunning.tables.js';
import { addDays } from './engine/index.js';
import { yuanFigures } from './documents/amount-in-words.js';

/** Daily at 09:00 China (01:00 UTC): reminders go out in office hours, after the late-fee job. */
export const DUNNING_JOB = 'billing.dunning';
export const DUNNING_CRON = '0 1 * * *';
export const DUNNING_TEMPLATE = 'billing.dunning_reminder';
const ARREARS = 'arrears';

export interface DunningDeps {
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  audit: AuditService;
  notifications: NotificationsService;
  properties: PropertiesService;
  settings: SettingsService;
  /** The PDF font setting (decision 0021). */
  fontPath?: string;
}

export interface Dunning {
  listRules(ctx: RequestContext, communityId: string): Promise<{ items: DunningRule[] }>;
  createRule(ctx: RequestContext, body: CreateDunningRuleBody): Promise<DunningRule>;
  updateRule(ctx: RequestContext, id: string, body: UpdateDunningRuleBody): Promise<DunningRule>;
  ageing(ctx: RequestContext, query: AgeingQuery): Promise<AgeingReport>;
  /** One community now (`billing.dunning.manage`). */
  runFor(ctx: RequestContext, communityId: string): Promise<DunningRunResult>;
  /** The daily job: every community with a rule or an arrears tag. */
  runAll(): Promise<DunningRunResult>;
  /** The reminder letter (催缴通知书) of a room or parking space as PDF (`billing.dunning.manage`). */
  letter(ctx: RequestContext, subjectId: string): Promise<{ label: string; pdf: Buffer }>;
  log(ctx: RequestContext, communityId: string, subjectId?: string): Promise<{ items: { id: string; ruleId: string; billId: string; subjectId: string; personId: string | null; outstandingCents: number; messages: number; sentOn: string; sentAt: string }[] }>;
}

/** What is still owed on a bill (the bills part's definition). */
const OUTSTANDING = sql<number>`(b.amount_cents - b.discount_cents - b.waived_cents + b.late_fee_cents - b.paid_cents)`;

function ruleView(r: DunningRuleTable): DunningRule {
  return {
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    daysOverdue: Number(r.days_overdue),
    channels: JSON.parse(r.channels_json) as DunningRule['channels'],
    active: Number(r.active) === 1,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
  };
}

/** The bucket of a bill due on `dueOn`, seen on `today` (overdue from the day after the due date). */
export function bucketOf(today: string, dueOn: string): AgeingBucket {
  if (dueOn >= addDays(today, -30)) return '0-30';
  if (dueOn >= addDays(today, -90)) return '31-90';
  if (dueOn >= addDays(today, -180)) return '91-180';
  if (dueOn >= addDays(today, -365)) return '181-365';
  return '365+';
}

const dateText = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

/**
 * Dunning (催缴). Overdue = an open bill with something outstanding whose due date (China calendar)
 * is before today. Reminder rules remind a room's contacts once per rule and bill (the log's
 * UNIQUE(rule, bill) — a rerun the same day or the next sends nothing new for the same bills), in
 * one message per room and rule listing its overdue total, through `notifications.send` with the
 * template `billing.dunning_reminder`. The 欠费 (`arrears`) derived tag on rooms and on the bills'
 * payers is set where something is overdue and removed where nothing is any more.
 */
export function createDunning(deps: DunningDeps): Dunning {
  const { db, clock, ids, audit, notifications, properties, settings } = deps;
  const sys = systemContext(DUNNING_JOB);

  async function ruleById(exec: Exec, id: string) {
    const row = await exec.selectFrom('dunning_rules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  /** Overdue open bills of a community, with the room label and the payer's user. */
  function overdueBills(exec: Exec, communityId: string, dueBefore: string) {
    return exec
      .selectFrom('bills as b')
      .leftJoin('rooms as r', 'r.id', 'b.room_id')
      .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
      .leftJoin('persons as p', 'p.id', 'b.person_id')
      .select(['b.id', 'b.subject_id', 'b.room_id', 'b.person_id', 'b.due_on', 'r.code as room_code', 's.number as space_number', 'p.user_id'])
      .select(OUTSTANDING.as('outstanding'))
      .where('b.community_id', '=', communityId)
      .where('b.status', '=', 'open')
      .where('b.due_on', '<', dueBefore)
      .where(OUTSTANDING, '>', 0);
  }

  async function syncArrears(tx: Tx, communityId: string, today: string): Promise<{ tagged: number; untagged: number }> {
    const owing = await tx
      .selectFrom('bills as b')
      .select(['b.room_id', 'b.person_id'])
      .where('b.community_id', '=', communityId)
      .where('b.status', '=', 'open')
      .where('b.due_on', '<', today)
      .where(OUTSTANDING, '>', 0)
      .distinct()
      .execute();
    const want = { room: new Set(owing.map((o) => o.room_id).filter((x): x is string => x !== null)), person: new Set(owing.map((o) => o.person_id).filter((x): x is string => x !== null)) };
    // Who carries the tag now (the registry's taggings of the organisation-wide derived tag).
    const have = await tx
      .selectFrom('taggings as tg')
      .innerJoin('tags as t', 't.id', 'tg.tag_id')
      .select(['tg.entity_type', 'tg.entity_id'])
      .where('t.code', '=', ARREARS)
      .where('tg.community_id', '=', communityId)
      .execute();
    let tagged = 0;
    let untagged = 0;
    for (const type of ['room', 'person'] as const) {
      const current = new Set(have.filter((h) => h.entity_type === type).map((h) => h.entity_id));
      for (const id of want[type]) {
        if (current.has(id)) continue;
        await properties.setDerivedTag(tx, sys, ARREARS, type, id, true);
        tagged++;
      }
      for (const id of current) {
        if (want[type].has(id)) continue;
        await properties.setDerivedTag(tx, sys, ARREARS, type, id, false);
        untagged++;
      }
    }
    return { tagged, untagged };
  }

  async function runCommunity(ctx: RequestContext, communityId: string): Promise<DunningRunResult> {
    const at = clock.now();
    const today = chinaToday(at);
    return db.transaction().execute(async (tx) => {
      const rules = await tx.selectFrom('dunning_rules').selectAll().where('community_id', '=', communityId).where('active', '=', 1).orderBy('days_overdue').execute();
      let reminders = 0;
      let bills = 0;
      let messages = 0;
      for (const rule of rules) {
        const days = Number(rule.days_overdue);
        // Due on or before today − days: at least `days` days overdue.
        const rows = await overdueBills(tx, communityId, addDays(today, -days + 1))
          .where((eb) => eb.not(eb.exists(eb.selectFrom('dunning_log as l').select('l.id').where('l.rule_id', '=', rule.id).whereRef('l.bill_id', '=', 'b.id'))))
          .orderBy('b.subject_id')
          .orderBy('b.due_on')
          .execute();
        if (rows.length === 0) continue;
        const bySubject = new Map<string, typeof rows>();
        for (const r of rows) bySubject.set(r.subject_id, [...(bySubject.get(r.subject_id) ?? []), r]);
        const channels = JSON.parse(rule.channels_json) as ('in_app' | 'sms' | 'email')[];
        const log: { id: string; community_id: string; rule_id: string; bill_id: string; subject_id: string; person_id: string | null; outstanding_cents: number; messages: number; sent_on: string; sent_at: string }[] = [];
        for (const [subjectId, list] of bySubject) {
          const total = list.reduce((s, r) => s + Number(r.outstanding), 0);
          const recipients = [...new Set(list.map((r) => r.user_id).filter((u): u is string => u !== null))];
          const sent = await notifications.send(tx, ctx, {
            recipients,
            template: DUNNING_TEMPLATE,
            channels,
            communityId,
            data: { room: list[0]!.room_code ?? list[0]!.space_number ?? '', amount: yuanFigures(total), count: String(list.length), days: String(days), oldestDueOn: dateText(list[0]!.due_on) },
          });
          reminders++;
          messages += sent.length;
          for (const r of list) log.push({ id: ids(), community_id: communityId, rule_id: rule.id, bill_id: r.id, subject_id: subjectId, person_id: r.person_id, outstanding_cents: Number(r.outstanding), messages: sent.length, sent_on: today, sent_at: at.toISOString() });
        }
        for (let i = 0; i < log.length; i += 500) await tx.insertInto('dunning_log').values(log.slice(i, i + 500)).execute();
        bills += log.length;
      }
      const tags = await syncArrears(tx, communityId, today);
      if (reminders > 0 || tags.tagged > 0 || tags.untagged > 0) {
        await audit.record(tx, ctx, { action: 'billing.dunning.run', entityType: 'community', entityId: communityId, communityId, after: { asOn: today, reminders, bills, messages, ...tags } });
      }
      return { asOn: today, reminders, bills, messages, ...tags };
    });
  }

  return {
    async listRules(ctx, communityId) {
      assertCan(ctx, 'billing.dunning.manage', communityId);
      const rows = await db.selectFrom('dunning_rules').selectAll().where('community_id', '=', communityId).orderBy('days_overdue').execute();
      return { items: rows.map(ruleView) };
    },
    async createRule(ctx, body) {
      assertCan(ctx, 'billing.dunning.manage', body.communityId);
      const at = clock.now().toISOString();
      return db.transaction().execute(async (tx) => {
        const taken = await tx.selectFrom('dunning_rules').select('id').where('community_id', '=', body.communityId).where('days_overdue', '=', body.daysOverdue).executeTakeFirst();
        if (taken) throw new AppError('billing.dunning_rule_taken');
        const row: DunningRuleTable = { id: ids(), community_id: body.communityId, name: body.name, days_overdue: body.daysOverdue, channels_json: JSON.stringify(body.channels), active: 1, created_at: at, updated_at: at };
        await tx.insertInto('dunning_rules').values(row).execute();
        await audit.record(tx, ctx, { action: 'billing.dunning.rule_create', entityType: 'dunning_rule', entityId: row.id, communityId: body.communityId, after: ruleView(row) });
        return ruleView(row);
      });
    },
    async updateRule(ctx, id, body) {
      return db.transaction().execute(async (tx) => {
        const before = await ruleById(tx, id);
        assertCan(ctx, 'billing.dunning.manage', before.community_id);
        const patch: Partial<DunningRuleTable> = { updated_at: clock.now().toISOString() };
        if (body.name !== undefined) patch.name = body.name;
        if (body.channels !== undefined) patch.channels_json = JSON.stringify(body.channels);
        if (body.active !== undefined) patch.active = body.active ? 1 : 0;
        await tx.updateTable('dunning_rules').set(patch).where('id', '=', id).execute();
        const after = ruleView({ ...before, ...patch });
        await audit.record(tx, ctx, { action: 'billing.dunning.rule_update', entityType: 'dunning_rule', entityId: id, communityId: before.community_id, before: ruleView(before), after });
        return after;
      });
    },
    async ageing(ctx, query) {
      assertCan(ctx, 'billing.bill.read', query.communityId);
      const today = chinaToday(clock.now());
      const bounds = [30, 90, 180, 365].map((d) => addDays(today, -d));
      const bucket = sql<AgeingBucket>`case when b.due_on >= ${bounds[0]} then '0-30' when b.due_on >= ${bounds[1]} then '31-90' when b.due_on >= ${bounds[2]} then '91-180' when b.due_on >= ${bounds[3]} then '181-365' else '365+' end`;
      const sums = await db
        .selectFrom('bills as b')
        .select([bucket.as('bucket'), sql<number>`count(*)`.as('bills'), sql<number>`count(distinct b.subject_id)`.as('subjects'), sql<number>`sum(${OUTSTANDING})`.as('outstanding')])
        .where('b.community_id', '=', query.communityId)
        .where('b.status', '=', 'open')
        .where('b.due_on', '<', today)
        .where(OUTSTANDING, '>', 0)
        // By position: PostgreSQL would see the bound dates of a repeated CASE as a different expression.
        .groupBy(sql`1`)
        .execute();
      const buckets = AGEING_BUCKETS.map((b) => {
        const s = sums.find((x) => x.bucket === b);
        return { bucket: b, bills: Number(s?.bills ?? 0), subjects: Number(s?.subjects ?? 0), outstandingCents: Number(s?.outstanding ?? 0) };
      });
      const perSubject = await db
        .selectFrom('bills as b')
        .leftJoin('rooms as r', 'r.id', 'b.room_id')
        .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
        .select(['b.subject_id', sql<string | null>`max(r.code)`.as('room_code'), sql<string | null>`max(s.number)`.as('space_number'), sql<number>`count(*)`.as('bills'), sql<number>`sum(${OUTSTANDING})`.as('outstanding'), sql<string>`min(b.due_on)`.as('oldest')])
        .where('b.community_id', '=', query.communityId)
        .where('b.status', '=', 'open')
        .where('b.due_on', '<', today)
        .where(OUTSTANDING, '>', 0)
        .groupBy('b.subject_id')
        .orderBy(sql`sum(${OUTSTANDING})`, 'desc')
        .orderBy('b.subject_id')
        .execute();
      const subjects = perSubject
        .map((s) => ({ subjectId: s.subject_id, label: s.room_code ?? s.space_number ?? '', bills: Number(s.bills), outstandingCents: Number(s.outstanding), oldestDueOn: dateText(s.oldest), bucket: bucketOf(today, dateText(s.oldest)) }))
        .filter((s) => query.bucket === undefined || s.bucket === query.bucket)
        .slice(0, 500);
      return { communityId: query.communityId, asOn: today, buckets, totalCents: buckets.reduce((t, b) => t + b.outstandingCents, 0), subjects };
    },
    async runFor(ctx, communityId) {
      assertCan(ctx, 'billing.dunning.manage', communityId);
      return runCommunity(ctx, communityId);
    },
    async runAll() {
      const communities = await db
        .selectFrom('dunning_rules')
        .select('community_id')
        .where('active', '=', 1)
        .union(db.selectFrom('taggings as tg').innerJoin('tags as t', 't.id', 'tg.tag_id').select('tg.community_id').where('t.code', '=', ARREARS))
        .execute();
      const total: DunningRunResult = { asOn: chinaToday(clock.now()), reminders: 0, bills: 0, messages: 0, tagged: 0, untagged: 0 };
      for (const { community_id } of communities) {
        if (!community_id) continue;
        const r = await runCommunity(sys, community_id);
        total.reminders += r.reminders;
        total.bills += r.bills;
        total.messages += r.messages;
        total.tagged += r.tagged;
        total.untagged += r.untagged;
      }
      return total;
    },
    async letter(ctx, subjectId) {
      const font = locateFont(deps.fontPath);
      const today = chinaToday(clock.now());
      const rows = await db
        .selectFrom('bills as b')
        .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
        .innerJoin('communities as cm', 'cm.id', 'b.community_id')
        .leftJoin('rooms as r', 'r.id', 'b.room_id')
        .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
        .leftJoin('persons as p', 'p.id', 'b.person_id')
        .select(['b.community_id', 'cm.name as community_name', 'f.name as fee_item_name', 'b.period_label', 'b.due_on', 'r.code as room_code', 's.number as space_number', 'p.name as payer_name'])
        .select(OUTSTANDING.as('outstanding'))
        .where('b.subject_id', '=', subjectId)
        .where('b.status', '=', 'open')
        .where('b.due_on', '<', today)
        .where(OUTSTANDING, '>', 0)
        .orderBy('b.due_on')
        .orderBy('b.id')
        .execute();
      // Nothing overdue (or no such room): nothing to print, and nothing said about other communities.
      if (rows.length === 0) throw notFound();
      assertCan(ctx, 'billing.dunning.manage', rows[0]!.community_id);
      const profile = await settings.get('organisation.profile');
      const label = rows[0]!.room_code ?? rows[0]!.space_number ?? '';
      const payer = [...rows].reverse().find((r) => r.payer_name !== null)?.payer_name ?? null;
      const lines = rows.map((r) => ({ feeItemName: r.fee_item_name, periodLabel: r.period_label, dueOn: dateText(r.due_on), outstandingCents: Number(r.outstanding) }));
      const pdf = await renderLetter(font, {
        companyName: profile.name,
        companyAddress: profile.address,
        companyPhone: profile.phone,
        communityName: rows[0]!.community_name,
        subjectLabel: label,
        payerName: payer,
        asOn: today,
        lines,
        totalCents: lines.reduce((t, l) => t + l.outstandingCents, 0),
      });
      return { label, pdf };
    },
    async log(ctx, communityId, subjectId) {
      assertCan(ctx, 'billing.dunning.manage', communityId);
      let q = db.selectFrom('dunning_log').selectAll().where('community_id', '=', communityId);
      if (subjectId) q = q.where('subject_id', '=', subjectId);
      const rows = await q.orderBy('sent_at', 'desc').orderBy('id', 'desc').limit(500).execute();
      return {
        items: rows.map((r) => ({ id: r.id, ruleId: r.rule_id, billId: r.bill_id, subjectId: r.subject_id, personId: r.person_id, outstandingCents: Number(r.outstanding_cents), messages: Number(r.messages), sentOn: dateText(r.sent_on), sentAt: String(r.sent_at) })),
      };
    },
  };
}
