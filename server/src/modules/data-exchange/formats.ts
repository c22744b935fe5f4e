import type { ImportErrorCode, ImportKind, Locale } from '@courtyard/contracts';
import { IMPORT_ERROR_CODES } from '@courtyard/contracts';
import { propertiesImport } from '../properties/index.js';
import { peopleImport } from '../people/index.js';

/**
 * The import file formats: columns of each kind with their Chinese and English headers, the enum
 * values accepted in either language, and the cell parsers. Pure: no database, no ExcelJS.
 */

export interface EnumValue {
  value: string;
  zh: string;
  en: string;
  /** Other spellings people type (行业习惯), compared after normalisation. */
  aliases?: string[];
}

export type ColumnType = 'text' | 'int' | 'area' | 'date' | 'enum' | 'phone' | 'id_number' | 'email' | 'plate';

export interface Column {
  key: string;
  zh: string;
  en: string;
  type: ColumnType;
  required?: boolean;
  enum?: EnumValue[];
  maxLength?: number;
  /** Shown in the instructions sheet. */
  noteZh?: string;
  noteEn?: string;
}

const e = (value: string, zh: string, en: string, ...aliases: string[]): EnumValue => ({ value, zh, en, aliases });

export const ENUMS = {
  roomUse: [e('residence', '住宅', 'Residence', '住房'), e('shop', '商铺', 'Shop', '商业', '门面'), e('office', '办公', 'Office', '写字楼'), e('garage', '车库', 'Garage'), e('storage', '储藏室', 'Storage', '储物间', '杂物间')],
  roomState: [
    e('unsold', '未售', 'Unsold'),
    e('vacant', '空置', 'Vacant', '空房'),
    e('occupied', '已入住', 'Occupied', '自住', '入住'),
    e('renovating', '装修中', 'Renovating', '装修'),
    e('rented', '出租', 'Rented', '已出租'),
  ],
  personKind: [e('individual', '个人', 'Individual'), e('company', '单位', 'Company', '企业', '公司')],
  gender: [e('male', '男', 'Male', 'm'), e('female', '女', 'Female', 'f'), e('unknown', '未知', 'Unknown')],
  idType: [
    e('resident_id', '居民身份证', 'Resident ID', '身份证'),
    e('passport', '护照', 'Passport'),
    e('hk_macau_permit', '港澳居民来往内地通行证', 'HK/Macau permit', '港澳通行证', '回乡证'),
    e('taiwan_permit', '台湾居民来往大陆通行证', 'Taiwan permit', '台胞证'),
    e('foreign_permanent', '外国人永久居留身份证', 'Foreign permanent residence ID', '永居证'),
    e('business_licence', '营业执照', 'Business licence', '统一社会信用代码', 'business license'),
    e('other', '其他', 'Other'),
  ],
  relation: [e('owner', '业主', 'Owner', '产权人'), e('co_owner', '共有人', 'Co-owner', 'coowner'), e('family_member', '家庭成员', 'Family member', '家属', 'family'), e('tenant', '租户', 'Tenant', '租客')],
  yesNo: [e('1', '是', 'Yes', 'y', 'true', '1'), e('0', '否', 'No', 'n', 'false', '0')],
  lotKind: [e('underground', '地下', 'Underground', '地下车库'), e('surface', '地面', 'Surface', '地上'), e('building', '楼内', 'In building', '立体', '楼宇')],
  tenure: [e('owned', '产权', 'Owned', '自有', '已售'), e('rented', '租赁', 'Rented', '出租', '月租'), e('temporary', '临时', 'Temporary')],
  spaceState: [e('vacant', '空置', 'Vacant', '空闲'), e('occupied', '已占用', 'Occupied', '使用中'), e('unavailable', '不可用', 'Unavailable', '停用')],
} satisfies Record<string, EnumValue[]>;

const AREA_NOTE = { noteZh: '平方米，最多两位小数', noteEn: 'square metres, at most two decimals' };
const DATE_NOTE = { noteZh: '如 2024-03-01 或 2024/3/1', noteEn: 'e.g. 2024-03-01 or 2024/3/1' };

export const COLUMNS: Record<ImportKind, Column[]> = {
  rooms: [
    { key: 'buildingCode', zh: '楼栋编号', en: 'Building code', type: 'text', required: true, maxLength: 20 },
    { key: 'buildingName', zh: '楼栋名称', en: 'Building name', type: 'text', maxLength: 100, noteZh: '新楼栋留空时用编号作名称', noteEn: 'a new building without a name is named after its code' },
    { key: 'unitCode', zh: '单元编号', en: 'Unit code', type: 'text', required: true, maxLength: 20 },
    { key: 'unitName', zh: '单元名称', en: 'Unit name', type: 'text', maxLength: 100 },
    { key: 'number', zh: '房号', en: 'Room number', type: 'text', required: true, maxLength: 20, noteZh: '房屋编码 = 楼栋-单元-房号，如 3-2-1502', noteEn: 'room code = building-unit-number, e.g. 3-2-1502' },
    { key: 'floor', zh: '楼层', en: 'Floor', type: 'int', required: true },
    { key: 'buildingArea', zh: '建筑面积', en: 'Building area', type: 'area', required: true, ...AREA_NOTE },
    { key: 'innerArea', zh: '套内面积', en: 'Inner area', type: 'area', ...AREA_NOTE },
    { key: 'use', zh: '用途', en: 'Use', type: 'enum', required: true, enum: ENUMS.roomUse },
    { key: 'state', zh: '状态', en: 'State', type: 'enum', enum: ENUMS.roomState, noteZh: '留空为空置', noteEn: 'empty = vacant' },
    { key: 'deliveredOn', zh: '交付日期', en: 'Delivery date', type: 'date', ...DATE_NOTE },
  ],
  people: [
    { key: 'name', zh: '姓名', en: 'Name', type: 'text', required: true, maxLength: 100 },
    { key: 'kind', zh: '人员类型', en: 'Kind', type: 'enum', enum: ENUMS.personKind, noteZh: '留空为个人', noteEn: 'empty = individual' },
    { key: 'gender', zh: '性别', en: 'Gender', type: 'enum', enum: ENUMS.gender },
    { key: 'phone', zh: '手机号', en: 'Phone', type: 'phone', noteZh: '证件号码和手机号至少填一项', noteEn: 'an ID number or a phone is required' },
    { key: 'idType', zh: '证件类型', en: 'ID type', type: 'enum', enum: ENUMS.idType, noteZh: '留空为居民身份证', noteEn: 'empty = resident ID' },
    { key: 'idNumber', zh: '证件号码', en: 'ID number', type: 'id_number' },
    { key: 'email', zh: '邮箱', en: 'Email', type: 'email' },
    { key: 'roomCode', zh: '房屋编码', en: 'Room code', type: 'text', maxLength: 64, noteZh: '如 3-2-1502，须已存在于本小区', noteEn: 'e.g. 3-2-1502; must exist in the community' },
    { key: 'relation', zh: '关系', en: 'Relation', type: 'enum', enum: ENUMS.relation, noteZh: '填写房屋编码时必填', noteEn: 'required with a room code' },
    { key: 'movedInOn', zh: '入住日期', en: 'Moved-in date', type: 'date', noteZh: '填写房屋编码时必填', noteEn: 'required with a room code' },
    { key: 'primaryContact', zh: '主要联系人', en: 'Primary contact', type: 'enum', enum: ENUMS.yesNo },
    { key: 'emergencyContact', zh: '紧急联系人', en: 'Emergency contact', type: 'text', maxLength: 100 },
    { key: 'emergencyPhone', zh: '紧急联系电话', en: 'Emergency phone', type: 'phone' },
    { key: 'notes', zh: '备注', en: 'Notes', type: 'text', maxLength: 500 },
  ],
  parking: [
    { key: 'lotCode', zh: '车场编号', en: 'Lot code', type: 'text', required: true, maxLength: 20 },
    { key: 'lotName', zh: '车场名称', en: 'Lot name', type: 'text', maxLength: 100 },
    { key: 'lotKind', zh: '车场类型', en: 'Lot kind', type: 'enum', enum: ENUMS.lotKind, noteZh: '留空为地下', noteEn: 'empty = underground' },
    { key: 'number', zh: '车位号', en: 'Space number', type: 'text', required: true, maxLength: 20 },
    { key: 'tenure', zh: '产权性质', en: 'Tenure', type: 'enum', enum: ENUMS.tenure, noteZh: '留空为产权', noteEn: 'empty = owned' },
    { key: 'area', zh: '车位面积', en: 'Area', type: 'area', ...AREA_NOTE },
    { key: 'state', zh: '车位状态', en: 'Space state', type: 'enum', enum: ENUMS.spaceState, noteZh: '留空为空置', noteEn: 'empty = vacant' },
    { key: 'plate', zh: '车牌号', en: 'Plate', type: 'plate' },
    { key: 'owner', zh: '车主证件号码或手机号', en: 'Owner ID number or phone', type: 'text', maxLength: 40, noteZh: '须为本小区已登记人员', noteEn: 'a person registered in the community' },
    { key: 'brand', zh: '品牌', en: 'Brand', type: 'text', maxLength: 50 },
    { key: 'color', zh: '颜色', en: 'Color', type: 'text', maxLength: 20 },
  ],
};

/** An example row per kind, in the template's instructions sheet. */
export const EXAMPLES: Record<ImportKind, Record<Locale, (string | number)[]>> = {
  rooms: {
    'zh-CN': ['3', '3号楼', '2', '2单元', '1502', 15, '89.50', '76.20', '住宅', '空置', '2024-03-01'],
    'en-US': ['3', 'Building 3', '2', 'Unit 2', '1502', 15, '89.50', '76.20', 'Residence', 'Vacant', '2024-03-01'],
  },
  people: {
    'zh-CN': ['张三', '个人', '男', '13812341234', '居民身份证', '11010519491231002X', 'zhangsan@example.com', '3-2-1502', '业主', '2024-03-01', '是', '李四', '13900001111', ''],
    'en-US': ['Zhang San', 'Individual', 'Male', '13812341234', 'Resident ID', '11010519491231002X', 'zhangsan@example.com', '3-2-1502', 'Owner', '2024-03-01', 'Yes', 'Li Si', '13900001111', ''],
  },
  parking: {
    'zh-CN': ['B1', '地下一层车场', '地下', 'B1-001', '产权', '12.50', '已占用', '京A12345', '13812341234', '大众', '白色'],
    'en-US': ['B1', 'Basement 1', 'Underground', 'B1-001', 'Owned', '12.50', 'Occupied', '京A12345', '13812341234', 'Volkswagen', 'White'],
  },
};

export const SHEET_NAMES: Record<ImportKind, Record<Locale, string>> = {
  rooms: { 'zh-CN': '房屋', 'en-US': 'Rooms' },
  people: { 'zh-CN': '人员', 'en-US': 'People' },
  parking: { 'zh-CN': '车位车辆', 'en-US': 'Parking' },
};

/** Headers compare without case, spaces, a required-marker `*` or a parenthesised unit: "建筑面积（㎡）*" = "建筑面积". */
export function normaliseHeader(text: string): string {
  return text
    .toLowerCase()
    .replace(/[(（][^)）]*[)）]/g, '')
    .replace(/[\s*＊_\-/]/g, '');
}

const headerIndex = new Map<ImportKind, Map<string, Column>>();
for (const [kind, columns] of Object.entries(COLUMNS) as [ImportKind, Column[]][]) {
  const map = new Map<string, Column>();
  for (const col of columns) for (const h of [col.zh, col.en, col.key]) map.set(normaliseHeader(h), col);
  headerIndex.set(kind, map);
}

export interface HeaderMatch {
  /** Column key → 1-based sheet column and the header as written in the file. */
  columns: Map<string, { index: number; header: string }>;
  missing: Column[];
}

/** Matches a header row in either language and any order; unknown columns are ignored. */
export function matchHeaders(kind: ImportKind, headers: (string | undefined)[]): HeaderMatch {
  const index = headerIndex.get(kind)!;
  const columns = new Map<string, { index: number; header: string }>();
  headers.forEach((h, i) => {
    if (!h) return;
    const col = index.get(normaliseHeader(h));
    if (col && !columns.has(col.key)) columns.set(col.key, { index: i, header: h.trim() });
  });
  return { columns, missing: COLUMNS[kind].filter((c) => c.required && !columns.has(c.key)) };
}

const enumIndex = new Map<EnumValue[], Map<string, string>>();
function enumLookup(values: EnumValue[]): Map<string, string> {
  let map = enumIndex.get(values);
  if (!map) {
    map = new Map();
    // Labels as written first: most cells hold one exactly, and need no normalising.
    for (const v of values) for (const t of [v.value, v.zh, v.en, ...(v.aliases ?? [])]) map.set(t, v.value).set(normaliseHeader(t), v.value);
    enumIndex.set(values, map);
  }
  return map;
}

export function enumLabels(values: EnumValue[], locale: Locale): string[] {
  return values.map((v) => (locale === 'zh-CN' ? v.zh : v.en));
}

export function enumLabel(values: EnumValue[], value: string, locale: Locale): string {
  const v = values.find((x) => x.value === value);
  return v ? (locale === 'zh-CN' ? v.zh : v.en) : value;
}

/** A cell as ExcelJS hands it over, reduced to what the parsers handle. */
export type CellValue = string | number | boolean | Date | null;

export function cellText(value: CellValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).trim();
}

/** Whole days from Excel's 1900 epoch (serial 1 = 1900-01-01, with Lotus' phantom 1900-02-29). */
export function excelSerialDate(serial: number): string | undefined {
  if (!Number.isInteger(serial) || serial < 1 || serial > 2_958_465) return undefined;
  return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
}

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** Date texts already parsed: a file repeats a few move-in and delivery dates over many rows. */
const datesSeen = new Map<string, string | undefined>();

export function parseDate(value: CellValue): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return excelSerialDate(value);
  const text = cellText(value);
  if (datesSeen.has(text)) return datesSeen.get(text);
  if (datesSeen.size >= 10_000) datesSeen.clear();
  const date = parseDateText(text);
  datesSeen.set(text, date);
  return date;
}

function parseDateText(text: string): string | undefined {
  if (/^\d{5}$/.test(text)) return excelSerialDate(Number(text));
  const m = DATE_TEXT.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export type Parsed = { ok: true; value: string | number | null } | { ok: false; code: ImportErrorCode; detail?: string };

/** Parses one cell by its column type; an empty cell is `null` (the caller decides if required). */
export function parseCell(col: Column, raw: CellValue, locale: Locale): Parsed {
  if (raw === null || (typeof raw === 'string' && raw.trim() === '')) return { ok: true, value: null };
  switch (col.type) {
    case 'text': {
      const text = cellText(raw);
      if (text.length > (col.maxLength ?? 200) || CONTROL.test(text)) return { ok: false, code: 'import.invalid_text' };
      return { ok: true, value: text };
    }
    case 'int': {
      const n = typeof raw === 'number' ? raw : /^-?\d{1,6}$/.test(cellText(raw)) ? Number(cellText(raw)) : NaN;
      return Number.isInteger(n) && Math.abs(n) < 1_000_000 ? { ok: true, value: n } : { ok: false, code: 'import.invalid_integer' };
    }
    case 'area': {
      const dm2 = propertiesImport.parseArea(typeof raw === 'number' ? String(raw) : cellText(raw));
      return dm2 === undefined ? { ok: false, code: 'import.invalid_area' } : { ok: true, value: dm2 };
    }
    case 'date': {
      const d = parseDate(raw);
      return d === undefined ? { ok: false, code: 'import.invalid_date' } : { ok: true, value: d };
    }
    case 'enum': {
      const lookup = enumLookup(col.enum!);
      const text = cellText(raw);
      const v = lookup.get(text) ?? lookup.get(normaliseHeader(text));
      return v === undefined ? { ok: false, code: 'import.invalid_enum', detail: enumLabels(col.enum!, locale).join(locale === 'zh-CN' ? '、' : ', ') } : { ok: true, value: v };
    }
    case 'phone': {
      const phone = peopleImport.normalisePhone(cellText(raw));
      return phone === undefined ? { ok: false, code: 'import.invalid_phone' } : { ok: true, value: phone };
    }
    case 'id_number': {
      const text = cellText(raw).toUpperCase();
      if (text.length > 40 || CONTROL.test(text)) return { ok: false, code: 'import.invalid_text' };
      return { ok: true, value: text };
    }
    case 'email': {
      const text = cellText(raw);
      return EMAIL.test(text) && text.length <= 200 ? { ok: true, value: text } : { ok: false, code: 'import.invalid_email' };
    }
    case 'plate': {
      // The people module's normalisation, so an imported plate matches one typed in the console.
      const plate = peopleImport.normalisePlate(cellText(raw));
      return plate === undefined ? { ok: false, code: 'import.invalid_plate' } : { ok: true, value: plate };
    }
  }
}

export function importMessage(code: string, detail: string | undefined, locale: Locale): string {
  const entry = (IMPORT_ERROR_CODES as Record<string, { zh: string; en: string }>)[code];
  if (!entry) return code;
  return (locale === 'zh-CN' ? entry.zh : entry.en).replace('{detail}', detail ?? '');
}
