import { Type, type Static } from '@sinclair/typebox';
import { Id, Instant, LocaleSchema, Nullable } from './common.js';

/**
 * Data exchange (数据导入导出): Excel imports of rooms, people and parking in batches that are
 * validated first (a job) and committed all-or-nothing (another job); list exports as .xlsx / .csv.
 */
export const ImportKind = Type.Union([Type.Literal('rooms'), Type.Literal('people'), Type.Literal('parking')]);
export type ImportKind = Static<typeof ImportKind>;
export const IMPORT_KINDS = ['rooms', 'people', 'parking'] as const;

export const ImportState = Type.Union([
  Type.Literal('validating'),
  /** Validation found errors: fix the file and upload it again. */
  Type.Literal('invalid'),
  Type.Literal('valid'),
  Type.Literal('committing'),
  Type.Literal('committed'),
  /** The file could not be read, or the job gave up; `failure` says why. */
  Type.Literal('failed'),
]);
export type ImportState = Static<typeof ImportState>;

/** One problem of one cell: the row number as Excel shows it and the column header as in the file. */
export const ImportError = Type.Object({
  row: Type.Integer(),
  column: Type.String(),
  code: Type.String(),
  message: Type.String(),
});
export type ImportError = Static<typeof ImportError>;

export const ImportBatch = Type.Object({
  id: Id,
  kind: ImportKind,
  communityId: Id,
  fileName: Type.String(),
  state: ImportState,
  totalRows: Type.Integer(),
  errorCount: Type.Integer(),
  /** The first 500 errors, in row order. */
  errors: Type.Array(ImportError),
  counts: Type.Object({ created: Type.Integer(), unchanged: Type.Integer() }),
  failure: Nullable(Type.String()),
  jobId: Nullable(Id),
  progress: Type.Object({ done: Type.Integer(), total: Nullable(Type.Integer()), note: Nullable(Type.String()) }),
  createdAt: Instant,
  committedAt: Nullable(Instant),
});
export type ImportBatch = Static<typeof ImportBatch>;
export const ImportBatchList = Type.Object({ items: Type.Array(ImportBatch) });

export const ImportListQuery = Type.Object({ communityId: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) }, { additionalProperties: false });
export type ImportListQuery = Static<typeof ImportListQuery>;

/** The multipart fields before the `file` part of POST /api/imports. */
export const ImportUploadFields = Type.Object({ kind: ImportKind, communityId: Id }, { additionalProperties: false });
export type ImportUploadFields = Static<typeof ImportUploadFields>;

export const ImportTemplateParams = Type.Object({ file: Type.String({ pattern: '^(rooms|people|parking)\\.xlsx$', description: 'rooms.xlsx, people.xlsx or parking.xlsx' }) }, { additionalProperties: false });
export const ImportTemplateQuery = Type.Object({ lang: Type.Optional(LocaleSchema) }, { additionalProperties: false });

export const EXPORT_LISTS = ['rooms', 'persons', 'parking-spaces', 'vehicles', 'renovations', 'bills'] as const;
export type ExportList = (typeof EXPORT_LISTS)[number];
export const ExportParams = Type.Object(
  { file: Type.String({ pattern: '^(rooms|persons|parking-spaces|vehicles|renovations|bills)\\.(xlsx|csv)$', description: '<list>.xlsx or <list>.csv' }) },
  { additionalProperties: false },
);

const DateText = Type.String({ format: 'date' });
/**
 * The filters of the list endpoints (each list uses those it knows, see the module README):
 * rooms — communityId, buildingId, unitId, use, state, tagId, q (code prefix);
 * persons — communityId, buildingId, roomId, relation, tagId, movedInFrom, movedInTo, current, q (name prefix);
 * parking-spaces — communityId, parkingLotId, tenure, state, q (number prefix);
 * vehicles — communityId, personId, roomId, q (plate prefix); renovations — communityId, state, roomId;
 * bills — communityId, buildingId, roomId, feeItemId, periodLabel, status, overdue (as GET /api/bills).
 */
export const ExportQuery = Type.Object(
  {
    communityId: Type.Optional(Id),
    buildingId: Type.Optional(Id),
    unitId: Type.Optional(Id),
    roomId: Type.Optional(Id),
    personId: Type.Optional(Id),
    parkingLotId: Type.Optional(Id),
    tagId: Type.Optional(Id),
    use: Type.Optional(Type.String({ maxLength: 40 })),
    state: Type.Optional(Type.String({ maxLength: 40 })),
    tenure: Type.Optional(Type.String({ maxLength: 40 })),
    relation: Type.Optional(Type.String({ maxLength: 40 })),
    movedInFrom: Type.Optional(DateText),
    movedInTo: Type.Optional(DateText),
    current: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    feeItemId: Type.Optional(Id),
    periodLabel: Type.Optional(Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$' })),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('paid'), Type.Literal('cancelled')])),
    overdue: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

/**
 * Row-level validation codes of an import, with their messages. `{detail}` is replaced by the
 * specifics (the allowed values, the conflicting row …).
 */
export const IMPORT_ERROR_CODES = {
  'import.required': { zh: '必填', en: 'Required' },
  'import.invalid_integer': { zh: '应为整数', en: 'Must be a whole number' },
  'import.invalid_enum': { zh: '取值无效，可选：{detail}', en: 'Not an allowed value; use one of: {detail}' },
  'import.invalid_area': { zh: '面积格式不正确（平方米，最多两位小数）', en: 'Not an area (square metres, at most two decimals)' },
  'import.invalid_date': { zh: '日期格式不正确（如 2024-03-01 或 2024/3/1）', en: 'Not a date (e.g. 2024-03-01 or 2024/3/1)' },
  'import.invalid_phone': { zh: '手机号格式不正确', en: 'Not a mobile phone number' },
  'import.invalid_id_number': { zh: '身份证号不正确（校验位或出生日期错误）', en: 'Not a valid resident ID number (checksum or birth date)' },
  'import.invalid_email': { zh: '邮箱格式不正确', en: 'Not an e-mail address' },
  'import.invalid_plate': { zh: '车牌号格式不正确', en: 'Not a licence plate' },
  'import.invalid_text': { zh: '内容过长或包含非法字符', en: 'Too long or contains invalid characters' },
  'import.identity_required': { zh: '证件号码和手机号至少填写一项', en: 'Give an ID number or a phone number' },
  'import.duplicate_in_file': { zh: '与第 {detail} 行重复', en: 'Duplicates row {detail}' },
  'import.conflict_in_file': { zh: '与第 {detail} 行的值不一致', en: 'Disagrees with row {detail}' },
  'import.room_not_found': { zh: '本小区没有该房号', en: 'No such room in this community' },
  'import.person_not_found': { zh: '本小区没有证件号码或手机号与之相符的人员', en: 'No person of this community has this ID number or phone' },
  'import.person_ambiguous': { zh: '本小区有多位人员使用该手机号，请填写证件号码', en: 'Several persons of this community have this phone; give the ID number' },
  'import.plate_taken': { zh: '该车牌已在其他小区登记', en: 'This plate is registered in another community' },
  'import.exists_different': { zh: '已存在且取值不同（{detail}）；请在系统中修改后再导入', en: 'Already exists with different values ({detail}); change it in the system first' },
  'import.missing_column': { zh: '缺少列：{detail}', en: 'Missing column: {detail}' },
  'import.no_rows': { zh: '文件中没有数据行', en: 'The file has no data rows' },
  'import.too_many_rows': { zh: '超过单次导入行数上限 {detail}', en: 'More rows than one import allows ({detail})' },
  'import.unreadable': { zh: '无法读取文件，请上传 .xlsx 格式的 Excel 工作簿', en: 'The file cannot be read; upload an .xlsx workbook' },
} as const satisfies Record<string, { zh: string; en: string }>;
export type ImportErrorCode = keyof typeof IMPORT_ERROR_CODES;
