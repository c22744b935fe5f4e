import type { CashReportQuery, CollectionReportQuery, ReportTable } from '@courtyard/contracts';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../core/db/schema.js';
import { assertCan, type RequestContext } from '../../core/http/context.js';
import type { UsersService } from '../identity/index.js';
import type { SettingsService } from '../settings/index.js';
import { chinaToday } from './bills.service.js';
import { bucketOf } from './dunning.js';
import { yuanFigures } from './documents/amount-in-words.js';
import { locateFont } from './documents/font.js';
import { newDocument, toBuffer, MM } from './documents/pdf.js';
import { addDays } from './engine/index.js';
import { METHOD_LABELS } from './documents/receipt-layout.js';

export type ReportName = 'cash' | 'collection' | 'ageing' | 'prepaid';

export interface ReportsDeps {
  db: Db;
  clock: Clock;
  users: UsersService;
  settings: SettingsService;
  fontPath?: string;
}

export interface Reports {
  /** 收款日报: money received on a China calendar day, by cashier and method (reversals shown apart). */
  cash(ctx: RequestContext, q: CashReportQuery): Promise<ReportTable>;
  /** 收缴率: due vs collected for one period by fee item or by building, or per period of a year. */
  collection(ctx: RequestContext, q: CollectionReportQuery): Promise<ReportTable>;
  /** 欠费账龄: overdue outstanding per room in the five age buckets. */
  ageing(ctx: RequestContext, communityId: string): Promise<ReportTable>;
  /** 预存款余额: every room / space with a prepaid balance. */
  prepaid(ctx: RequestContext, communityId: string): Promise<ReportTable>;
  xlsx(table: ReportTable): Promise<Buffer>;
  pdf(table: ReportTable): Promise<Buffer>;
}

const PERMISSION = 'billing.report.read' as const;
const OUTSTANDING = sql<number>`(b.amount_cents - b.discount_cents - b.waived_cents + b.late_fee_cents - b.paid_cents)`;
const DUE = sql<number>`(b.amount_cents - b.discount_cents - b.waived_cents + b.late_fee_cents)`;

/** Collected / due in basis points, half-up, in integers (no floats near money). */
export function rateBp(collected: number, due: number): number | null {
  if (due <= 0) return null;
  return Math.floor((collected * 10_000 * 2 + due) / (2 * due));
}

function cell(kind: ReportTable['columns'][number]['kind'], v: string | number | null): string {
  if (v === null) return '—';
  if (kind === 'cents') return yuanFigures(Number(v)).replace('¥', '');
  if (kind === 'rate') return `${(Number(v) / 100).toFixed(2)}%`;
  return String(v);
}

/**
 * Billing reports. Each is one or two grouped queries over bills, payments or ledger balances,
 * scoped to `billing.report.read` in the community, returned as a table that the `.xlsx` (ExcelJS)
 * and `.pdf` (pdfkit, decision 0021) variants export unchanged.
 */
export function createReports(deps: ReportsDeps): Reports {
  const { db, clock, users, settings } = deps;

  return {
    async cash(ctx, q) {
      assertCan(ctx, PERMISSION, q.communityId);
      // The China day [00:00, 24:00) +08:00 in UTC instants.
      const from = `${addDays(q.on, -1)}T16:00:00.000Z`;
      const to = `${q.on}T16:00:00.000Z`;
      const rows = await db
        .selectFrom('payments')
        .select(['received_by', 'method', sql<number>`count(*)`.as('n'), sql<number>`sum(amount_cents)`.as('total'), sql<number>`sum(case when status = 'reversed' then amount_cents else 0 end)`.as('reversed')])
        .where('community_id', '=', q.communityId)
        .where('method', '<>', 'prepaid')
        .where('received_at', '>=', from)
        .where('received_at', '<', to)
        .groupBy(['received_by', 'method'])
        .orderBy('received_by')
        .orderBy('method')
        .execute();
      const names = new Map((await users.contactsOf(db, [...new Set(rows.map((r) => r.received_by))].filter((id) => /^[0-9a-f-]{36}$/i.test(id)))).map((u) => [u.id, u.displayName]));
      const out: ReportTable['rows'] = rows.map((r) => ({ cashier: names.get(r.received_by) ?? r.received_by, method: METHOD_LABELS[r.method] ?? r.method, count: Number(r.n), amount: Number(r.total), reversed: Number(r.reversed), net: Number(r.total) - Number(r.reversed) }));
      out.push({ cashier: '合计', method: '', count: out.reduce((t, r) => t + Number(r.count), 0), amount: out.reduce((t, r) => t + Number(r.amount), 0), reversed: out.reduce((t, r) => t + Number(r.reversed), 0), net: out.reduce((t, r) => t + Number(r.net), 0) });
      return {
        title: '收款日报',
        communityId: q.communityId,
        subtitle: q.on,
        columns: [
          { key: 'cashier', label: '收款人', kind: 'text' },
          { key: 'method', label: '收款方式', kind: 'text' },
          { key: 'count', label: '笔数', kind: 'int' },
          { key: 'amount', label: '收款金额', kind: 'cents' },
          { key: 'reversed', label: '其中已冲正', kind: 'cents' },
          { key: 'net', label: '实收', kind: 'cents' },
        ],
        rows: out,
      };
    },
    async collection(ctx, q) {
      assertCan(ctx, PERMISSION, q.communityId);
      const by = q.by ?? 'fee_item';
      const base = db
        .selectFrom('bills as b')
        .where('b.community_id', '=', q.communityId)
        .where('b.period_label', by === 'period' ? 'like' : '=', by === 'period' ? `${q.periodLabel.replace(/[%_]/g, '')}%` : q.periodLabel)
        .where('b.status', '<>', 'cancelled');
      const rows =
        by === 'period'
          ? await base
              .select(['b.period_label as key', 'b.period_label as label', sql<number>`count(*)`.as('n'), sql<number>`sum(${DUE})`.as('due'), sql<number>`sum(b.paid_cents)`.as('paid')])
              .groupBy('b.period_label')
              .orderBy('b.period_label')
              .execute()
          : by === 'fee_item'
          ? await base
              .innerJoin('fee_items as f', 'f.id', 'b.fee_item_id')
              .select(['f.code as key', 'f.name as label', sql<number>`count(*)`.as('n'), sql<number>`sum(${DUE})`.as('due'), sql<number>`sum(b.paid_cents)`.as('paid')])
              .groupBy(['f.code', 'f.name'])
              .orderBy('f.code')
              .execute()
          : await base
              .leftJoin('rooms as r', 'r.id', 'b.room_id')
              .leftJoin('buildings as bd', 'bd.id', 'r.building_id')
              .select([sql<string>`coalesce(bd.code, '')`.as('key'), sql<string>`coalesce(bd.name, '车位')`.as('label'), sql<number>`count(*)`.as('n'), sql<number>`sum(${DUE})`.as('due'), sql<number>`sum(b.paid_cents)`.as('paid')])
              .groupBy([sql`coalesce(bd.code, '')`, sql`coalesce(bd.name, '车位')`])
              .orderBy(sql`coalesce(bd.code, '')`)
              .execute();
      const out: ReportTable['rows'] = rows.map((r) => ({ label: r.label, bills: Number(r.n), due: Number(r.due), paid: Number(r.paid), owed: Number(r.due) - Number(r.paid), rate: rateBp(Number(r.paid), Number(r.due)) }));
      const due = out.reduce((t, r) => t + Number(r.due), 0);
      const paid = out.reduce((t, r) => t + Number(r.paid), 0);
      out.push({ label: '合计', bills: out.reduce((t, r) => t + Number(r.bills), 0), due, paid, owed: due - paid, rate: rateBp(paid, due) });
      return {
        title: '收缴率',
        communityId: q.communityId,
        subtitle: `${q.periodLabel} · ${by === 'fee_item' ? '按收费项目' : by === 'building' ? '按楼栋' : '按账期'}`,
        columns: [
          { key: 'label', label: by === 'fee_item' ? '收费项目' : by === 'building' ? '楼栋' : '账期', kind: 'text' },
          { key: 'bills', label: '账单数', kind: 'int' },
          { key: 'due', label: '应收', kind: 'cents' },
          { key: 'paid', label: '实收', kind: 'cents' },
          { key: 'owed', label: '未收', kind: 'cents' },
          { key: 'rate', label: '收缴率', kind: 'rate' },
        ],
        rows: out,
      };
    },
    async ageing(ctx, communityId) {
      assertCan(ctx, PERMISSION, communityId);
      const today = chinaToday(clock.now());
      const rows = await db
        .selectFrom('bills as b')
        .leftJoin('rooms as r', 'r.id', 'b.room_id')
        .leftJoin('parking_spaces as s', 's.id', 'b.parking_space_id')
        .select(['b.subject_id', 'b.due_on', 'r.code as room_code', 's.number as space_number', OUTSTANDING.as('outstanding')])
        .where('b.community_id', '=', communityId)
        .where('b.status', '=', 'open')
        .where('b.due_on', '<', today)
        .where(OUTSTANDING, '>', 0)
        .orderBy('b.subject_id')
        .execute();
      const per = new Map<string, Record<string, string | number>>();
      for (const r of rows) {
        const row = per.get(r.subject_id) ?? { label: r.room_code ?? r.space_number ?? '', '0-30': 0, '31-90': 0, '91-180': 0, '181-365': 0, '365+': 0, total: 0 };
        const due = r.due_on as unknown;
        const bucket = bucketOf(today, due instanceof Date ? due.toISOString().slice(0, 10) : String(due).slice(0, 10));
        row[bucket] = Number(row[bucket]) + Number(r.outstanding);
        row.total = Number(row.total) + Number(r.outstanding);
        per.set(r.subject_id, row);
      }
      const out = [...per.values()].sort((a, b) => Number(b.total) - Number(a.total) || String(a.label).localeCompare(String(b.label)));
      const keys = ['0-30', '31-90', '91-180', '181-365', '365+', 'total'];
      out.push({ label: '合计', ...Object.fromEntries(keys.map((k) => [k, out.reduce((t, r) => t + Number(r[k]), 0)])) });
      return {
        title: '欠费账龄',
        communityId,
        subtitle: today,
        columns: [
          { key: 'label', label: '房号/车位', kind: 'text' },
          { key: '0-30', label: '0–30天', kind: 'cents' },
          { key: '31-90', label: '31–90天', kind: 'cents' },
          { key: '91-180', label: '91–180天', kind: 'cents' },
          { key: '181-365', label: '181–365天', kind: 'cents' },
          { key: '365+', label: '365天以上', kind: 'cents' },
          { key: 'total', label: '合计', kind: 'cents' },
        ],
        rows: out,
      };
    },
    async prepaid(ctx, communityId) {
      assertCan(ctx, PERMISSION, communityId);
      const rows = await db
        .selectFrom('ledger_balances as lb')
        // The ledger's subject is untyped text (rooms, spaces, fee items): compare as text on both databases.
        .leftJoin('rooms as r', (j) => j.on(sql<boolean>`cast(r.id as text) = cast(lb.subject_id as text)`))
        .leftJoin('parking_spaces as s', (j) => j.on(sql<boolean>`cast(s.id as text) = cast(lb.subject_id as text)`))
        .select(['r.code as room_code', 's.number as space_number', 'lb.balance_cents'])
        .where('lb.community_id', '=', communityId)
        .where('lb.account', '=', 'prepaid')
        .where('lb.balance_cents', '<', 0)
        .orderBy('lb.balance_cents')
        .orderBy('lb.subject_id')
        .execute();
      // Prepaid is a credit (≤ 0) in the ledger; the report shows what the owner has in hand.
      const out: ReportTable['rows'] = rows.map((r) => ({ label: r.room_code ?? r.space_number ?? '', balance: -Number(r.balance_cents) }));
      out.push({ label: '合计', balance: out.reduce((t, r) => t + Number(r.balance), 0) });
      return { title: '预存款余额', communityId, subtitle: chinaToday(clock.now()), columns: [{ key: 'label', label: '房号/车位', kind: 'text' }, { key: 'balance', label: '预存余额', kind: 'cents' }], rows: out };
    },
    async xlsx(table) {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet(table.title);
      ws.addRow([`${table.title}  ${table.subtitle}`]).font = { bold: true, size: 14 };
      ws.addRow(table.columns.map((c) => c.label)).font = { bold: true };
      for (const r of table.rows) {
        // Cents become yuan with two decimals and rates percentages, as numbers Excel can sum.
        ws.addRow(table.columns.map((c) => { const v = r[c.key] ?? null; return v === null ? null : c.kind === 'cents' ? Number(v) / 100 : c.kind === 'rate' ? Number(v) / 10_000 : v; }));
      }
      table.columns.forEach((c, i) => {
        const col = ws.getColumn(i + 1);
        col.width = c.kind === 'text' ? 18 : 14;
        if (c.kind === 'cents') col.numFmt = '#,##0.00';
        if (c.kind === 'rate') col.numFmt = '0.00%';
      });
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
    async pdf(table) {
      const font = locateFont(deps.fontPath);
      const profile = await settings.get('organisation.profile');
      const landscape = table.columns.length > 5;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(table.subtitle.slice(0, 10)) ? table.subtitle.slice(0, 10) : chinaToday(clock.now());
      const doc = newDocument(font, 'a4', { title: table.title, createdAt: new Date(`${day}T00:00:00+08:00`) }, 15 * MM, landscape ? 'landscape' : 'portrait');
      const margin = 15 * MM;
      const width = doc.page.width - 2 * margin;
      const size = 9.5;
      const rowH = size * 2;
      const colW = width / table.columns.length;
      const header = (y0: number) => {
        let y = y0;
        doc.fontSize(14).text(`${profile.name} · ${table.title}`, margin, y, { width, align: 'center' });
        y += 22;
        doc.fontSize(size).text(table.subtitle, margin, y, { width, align: 'center' });
        y += rowH;
        table.columns.forEach((c, i) => doc.text(c.label, margin + i * colW + 3, y + 5, { width: colW - 6, align: c.kind === 'text' ? 'left' : 'right', lineBreak: false }));
        doc.moveTo(margin, y + rowH).lineTo(margin + width, y + rowH).lineWidth(0.6).stroke();
        return y + rowH;
      };
      let y = header(margin);
      for (const r of table.rows) {
        if (y + rowH > doc.page.height - margin) {
          doc.addPage({ size: 'A4', layout: landscape ? 'landscape' : 'portrait', margin });
          y = header(margin);
        }
        table.columns.forEach((c, i) => doc.text(cell(c.kind, r[c.key] ?? null), margin + i * colW + 3, y + 5, { width: colW - 6, align: c.kind === 'text' ? 'left' : 'right', lineBreak: false, ellipsis: true }));
        y += rowH;
        doc.moveTo(margin, y).lineTo(margin + width, y).lineWidth(0.3).stroke();
      }
      return toBuffer(doc);
    },
  };
}
