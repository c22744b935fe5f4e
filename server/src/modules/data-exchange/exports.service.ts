import { PassThrough, type Readable } from 'node:stream';
import type { ExportList, ExportQuery, Locale, Permission } from '@courtyard/contracts';
import type { FieldCipher } from '../../core/crypto/field.js';
import { maskIdNumber, maskPhone } from '../../core/crypto/field.js';
import type { Db } from '../../core/db/schema.js';
import { assertCan, scopeOf, type RequestContext } from '../../core/http/context.js';
import { AppError } from '../../core/http/errors.js';
import type { AuditService } from '../audit/index.js';
import { chinaToday } from '../billing/index.js';
import { propertiesImport } from '../properties/index.js';
import * as repo from './exchange.repository.js';
import { ENUMS, enumLabel, type EnumValue } from './formats.js';
import { csvLine, UTF8_BOM, XLSX_TYPE, xlsxExport } from './workbook.js';

/**
 * List exports (.xlsx and .csv): the list endpoints' filters, the caller's data scope, personal
 * data always masked (an export is a copy that leaves the system: the clear value is only ever
 * shown through the audited reveal), streamed in keyset pages of {@link PAGE} rows, and audited
 * with the row count once the last row is written.
 */
export const PAGE = 1_000;

export interface ExportsDeps {
  db: Db;
  audit: AuditService;
  cipher: FieldCipher;
  /** The server's clock (bills' "overdue"); the system clock when absent. */
  now?: () => Date;
}

export interface ExportedFile {
  stream: Readable;
  contentType: string;
  fileName: string;
}

export interface ExportsService {
  open(ctx: RequestContext, list: ExportList, format: 'xlsx' | 'csv', query: ExportQuery): Promise<ExportedFile>;
}

type Cell = string | number | null;
type Header = readonly [zh: string, en: string];

const RENOVATION_STATES = [
  { value: 'submitted', zh: '待审批', en: 'Submitted' },
  { value: 'approved', zh: '已批准', en: 'Approved' },
  { value: 'rejected', zh: '已驳回', en: 'Rejected' },
  { value: 'in_progress', zh: '施工中', en: 'In progress' },
  { value: 'completed', zh: '已完工', en: 'Completed' },
  { value: 'failed_inspection', zh: '验收不合格', en: 'Failed inspection' },
  { value: 'cancelled', zh: '已取消', en: 'Cancelled' },
];
const BILL_STATES = [
  { value: 'open', zh: '未缴', en: 'Open' },
  { value: 'paid', zh: '已缴', en: 'Paid' },
  { value: 'cancelled', zh: '已作废', en: 'Cancelled' },
];
const DEPOSIT_STATES = [
  { value: 'none', zh: '无', en: 'None' },
  { value: 'due', zh: '待缴', en: 'Due' },
  { value: 'collected', zh: '已收', en: 'Collected' },
  { value: 'released', zh: '已退', en: 'Released' },
  { value: 'forfeited', zh: '已扣', en: 'Forfeited' },
];

interface ListDef {
  /** The list's own read permission, needed besides data.export.run. */
  read: Permission;
  sheet: Header;
  headers: Header[];
  /** One keyset page: rows after `after` (by id), mapped to cells. */
  page(db: Db, scope: string[] | null, query: ExportQuery, after: string | null, locale: Locale, now: Date): Promise<{ lastId: string | null; rows: Cell[][] }>;
}

const area = (dm2: number | null) => (dm2 === null ? null : propertiesImport.areaText(Number(dm2)));
const label = (values: EnumValue[] | typeof RENOVATION_STATES, value: string, locale: Locale) => enumLabel(values as EnumValue[], value, locale);
const yuan = (cents: number) => `${Math.trunc(Number(cents) / 100)}.${String(Math.abs(Number(cents)) % 100).padStart(2, '0')}`;

function lists(cipher: FieldCipher): Record<ExportList, ListDef> {
  const masked = (stored: string | null, mask: (v: string) => string) => {
    if (stored === null) return null;
    try {
      return mask(cipher.decrypt(stored));
    } catch {
      return '***';
    }
  };
  const last = <T extends { id: string }>(rows: T[]) => rows[rows.length - 1]?.id ?? null;
  return {
    rooms: {
      read: 'properties.room.read',
      sheet: ['房屋', 'Rooms'],
      headers: [
        ['小区', 'Community'],
        ['房屋编码', 'Room code'],
        ['楼栋', 'Building'],
        ['单元', 'Unit'],
        ['房号', 'Number'],
        ['楼层', 'Floor'],
        ['建筑面积', 'Building area'],
        ['套内面积', 'Inner area'],
        ['用途', 'Use'],
        ['状态', 'State'],
        ['交付日期', 'Delivery date'],
      ],
      async page(db, scope, q, after, locale) {
        const rows = await repo.exportsRead.rooms(db, scope, q, after, PAGE);
        return {
          lastId: last(rows),
          rows: rows.map((r) => [r.community, r.code, r.building, r.unit, r.number, r.floor, area(r.building_area_dm2), area(r.inner_area_dm2), label(ENUMS.roomUse, r.use, locale), label(ENUMS.roomState, r.state, locale), r.delivered_on]),
        };
      },
    },
    persons: {
      read: 'people.person.read',
      sheet: ['人员', 'Persons'],
      headers: [
        ['小区', 'Community'],
        ['姓名', 'Name'],
        ['人员类型', 'Kind'],
        ['性别', 'Gender'],
        ['手机号', 'Phone'],
        ['证件类型', 'ID type'],
        ['证件号码', 'ID number'],
        ['邮箱', 'Email'],
        ['紧急联系人', 'Emergency contact'],
        ['紧急联系电话', 'Emergency phone'],
        ['当前房屋', 'Current rooms'],
        ['登记时间', 'Registered at'],
      ],
      async page(db, scope, q, after, locale) {
        const rows = await repo.exportsRead.persons(db, scope, q, after, PAGE);
        const homes = new Map<string, string[]>();
        for (const o of await repo.exportsRead.currentRooms(
          db,
          rows.map((r) => r.id),
        )) {
          homes.set(o.person_id, [...(homes.get(o.person_id) ?? []), `${o.code} ${label(ENUMS.relation, o.relation, locale)}`]);
        }
        return {
          lastId: last(rows),
          rows: rows.map((r) => [
            r.community,
            r.name,
            label(ENUMS.personKind, r.kind, locale),
            label(ENUMS.gender, r.gender, locale),
            masked(r.phone_enc, maskPhone),
            r.id_type === null ? null : label(ENUMS.idType, r.id_type, locale),
            masked(r.id_number_enc, maskIdNumber),
            r.email,
            r.emergency_contact,
            masked(r.emergency_phone_enc, maskPhone),
            (homes.get(r.id) ?? []).join('; ') || null,
            r.created_at,
          ]),
        };
      },
    },
    'parking-spaces': {
      read: 'properties.room.read',
      sheet: ['车位', 'Parking spaces'],
      headers: [
        ['小区', 'Community'],
        ['车场编号', 'Lot code'],
        ['车场名称', 'Lot name'],
        ['车位号', 'Space number'],
        ['产权性质', 'Tenure'],
        ['车位面积', 'Area'],
        ['车位状态', 'State'],
      ],
      async page(db, scope, q, after, locale) {
        const rows = await repo.exportsRead.parkingSpaces(db, scope, q, after, PAGE);
        return {
          lastId: last(rows),
          rows: rows.map((r) => [r.community, r.lot_code, r.lot_name, r.number, label(ENUMS.tenure, r.tenure, locale), area(r.area_dm2), label(ENUMS.spaceState, r.state, locale)]),
        };
      },
    },
    vehicles: {
      read: 'people.person.read',
      sheet: ['车辆', 'Vehicles'],
      headers: [
        ['小区', 'Community'],
        ['车牌号', 'Plate'],
        ['车主', 'Owner'],
        ['车位号', 'Space number'],
        ['品牌', 'Brand'],
        ['颜色', 'Color'],
      ],
      async page(db, scope, q, after) {
        const rows = await repo.exportsRead.vehicles(db, scope, q, after, PAGE);
        return { lastId: last(rows), rows: rows.map((r) => [r.community, r.plate, r.person, r.space, r.brand, r.color]) };
      },
    },
    renovations: {
      read: 'properties.room.read',
      sheet: ['装修', 'Renovations'],
      headers: [
        ['小区', 'Community'],
        ['房屋编码', 'Room code'],
        ['施工单位', 'Contractor'],
        ['施工单位电话', 'Contractor phone'],
        ['装修内容', 'Description'],
        ['开始日期', 'Starts on'],
        ['结束日期', 'Ends on'],
        ['押金（元）', 'Deposit (CNY)'],
        ['押金状态', 'Deposit state'],
        ['状态', 'State'],
        ['申请时间', 'Submitted at'],
      ],
      async page(db, scope, q, after, locale) {
        const rows = await repo.exportsRead.renovations(db, scope, q, after, PAGE);
        return {
          lastId: last(rows),
          rows: rows.map((r) => [
            r.community,
            r.room,
            r.contractor,
            masked(r.contractor_phone_enc, maskPhone),
            r.description,
            r.starts_on,
            r.ends_on,
            yuan(r.deposit_cents),
            label(DEPOSIT_STATES, r.deposit_state, locale),
            label(RENOVATION_STATES, r.state, locale),
            r.created_at,
          ]),
        };
      },
    },
    bills: {
      read: 'billing.bill.read',
      sheet: ['账单', 'Bills'],
      headers: [
        ['小区', 'Community'],
        ['房屋/车位', 'Room / space'],
        ['收费项目', 'Fee item'],
        ['账期', 'Period'],
        ['账期开始', 'Period start'],
        ['账期结束', 'Period end'],
        ['到期日', 'Due on'],
        ['应收（元）', 'Amount (CNY)'],
        ['优惠减免（元）', 'Discounts (CNY)'],
        ['滞纳金（元）', 'Late fee (CNY)'],
        ['已缴（元）', 'Paid (CNY)'],
        ['欠费（元）', 'Outstanding (CNY)'],
        ['状态', 'Status'],
        ['逾期', 'Overdue'],
        ['出账时间', 'Issued at'],
      ],
      async page(db, scope, q, after, locale, now) {
        // "Overdue" is decided on the China calendar day, as the bills list decides it.
        const today = chinaToday(now);
        const rows = await repo.exportsRead.bills(db, scope, q, after, PAGE, today);
        const zh = locale === 'zh-CN';
        return {
          lastId: last(rows),
          rows: rows.map((r) => {
            const relief = Number(r.discount_cents) + Number(r.waived_cents);
            const outstanding = Number(r.amount_cents) - relief + Number(r.late_fee_cents) - Number(r.paid_cents);
            const overdue = r.status === 'open' && r.due_on < today;
            return [
              r.community,
              r.room ?? r.space,
              r.fee_item,
              r.period_label,
              r.period_start_on,
              r.period_end_on,
              r.due_on,
              yuan(r.amount_cents),
              yuan(relief),
              yuan(r.late_fee_cents),
              yuan(r.paid_cents),
              yuan(outstanding),
              label(BILL_STATES, r.status, locale),
              overdue ? (zh ? '是' : 'Yes') : zh ? '否' : 'No',
              r.issued_at,
            ];
          }),
        };
      },
    },
  };
}

/** The communities both permissions cover: null = all, [] = none. */
function intersect(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null) return b;
  if (b === null) return a;
  const other = new Set(b);
  return a.filter((id) => other.has(id));
}

export function createExportsService(deps: ExportsDeps): ExportsService {
  const defs = lists(deps.cipher);
  return {
    open(ctx, list, format, query) {
      const def = defs[list];
      for (const permission of ['data.export.run', def.read] as const) {
        if (query.communityId) assertCan(ctx, permission, query.communityId);
        else if (ctx.actor.kind !== 'system' && !ctx.scopes.has(permission)) throw new AppError('auth.forbidden');
      }
      const scope = intersect(scopeOf(ctx, 'data.export.run'), scopeOf(ctx, def.read));
      const zh = ctx.locale === 'zh-CN';
      const headers = def.headers.map((h) => (zh ? h[0] : h[1]));
      const out = new PassThrough();
      const now = deps.now?.() ?? new Date();
      const started = now.toISOString().slice(0, 10);
      const fileName = `${list}-${started}.${format}`;

      const run = async () => {
        let rowCount = 0;
        const writer = format === 'xlsx' ? xlsxExport(out, zh ? def.sheet[0] : def.sheet[1], headers) : undefined;
        const write = async (line: string) => {
          if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', resolve));
        };
        if (!writer) await write(UTF8_BOM + csvLine(headers));
        if (scope === null || scope.length > 0) {
          let after: string | null = null;
          for (;;) {
            const page = await def.page(deps.db, scope, query, after, ctx.locale, now);
            for (const row of page.rows) {
              if (writer) writer.add(row);
              else await write(csvLine(row));
            }
            rowCount += page.rows.length;
            if (page.rows.length < PAGE || page.lastId === null || out.destroyed) break;
            after = page.lastId;
          }
        }
        // The count is known only now. The audit row commits before the last bytes go out, so a
        // client that has the whole file can rely on the export being on record.
        await deps.audit.recordAlone(deps.db, ctx, {
          action: 'data.export',
          entityType: 'export',
          entityId: null,
          communityId: query.communityId ?? null,
          after: { list, format, filters: query, rowCount, complete: !out.destroyed },
        });
        if (writer) await writer.finish();
        else out.end();
      };
      run().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
      return Promise.resolve({ stream: out, contentType: format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8', fileName });
    },
  };
}
