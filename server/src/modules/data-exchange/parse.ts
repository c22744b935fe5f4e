import type { ImportErrorCode, ImportKind, Locale } from '@courtyard/contracts';
import { peopleImport } from '../people/index.js';
import { COLUMNS, parseCell, type CellValue, type Column, type HeaderMatch } from './formats.js';

/**
 * The per-row half of validation, pure: every cell against its column (required, type, enum,
 * format), the rules across columns of a row (ID number by ID type, a room needs a relation and a
 * date …) and duplicates inside the file. What needs the database (references, conflicts with
 * stored records) is resolved afterwards in the service, set-based.
 */

export interface RowError {
  row: number;
  /** 1-based sheet column, 0 for a problem of the file (missing column, no rows). */
  col: number;
  header: string;
  code: ImportErrorCode;
  detail?: string | undefined;
}

export interface RoomRecord {
  row: number;
  buildingCode: string;
  buildingName: string | null;
  unitCode: string;
  unitName: string | null;
  number: string;
  code: string;
  floor: number;
  buildingAreaDm2: number;
  innerAreaDm2: number | null;
  use: string;
  state: string;
  deliveredOn: string | null;
}

export interface PersonRecord {
  row: number;
  name: string;
  kind: string;
  gender: string;
  phone: string | null;
  idType: string | null;
  idNumber: string | null;
  email: string | null;
  roomCode: string | null;
  relation: string | null;
  movedInOn: string | null;
  primaryContact: boolean;
  emergencyContact: string | null;
  emergencyPhone: string | null;
  notes: string | null;
}

export interface ParkingRecord {
  row: number;
  lotCode: string;
  lotName: string | null;
  lotKind: string | null;
  number: string;
  tenure: string | null;
  areaDm2: number | null;
  state: string | null;
  plate: string | null;
  owner: { phone: string } | { idNumber: string } | null;
  brand: string | null;
  color: string | null;
}

export type AnyRecord = RoomRecord | PersonRecord | ParkingRecord;

type Values = Record<string, string | number | null>;

/** Collects records and errors of one file, row by row, in file order. */
export class FileParser {
  readonly errors: RowError[] = [];
  readonly records: AnyRecord[] = [];
  totalRows = 0;
  private match: HeaderMatch | undefined;
  /** This kind's columns with their place in the sheet (0: not in the file), fixed by the header. */
  private cells: { col: Column; index: number }[] = [];
  private readonly seen = new Map<string, number>();
  private readonly agreed = new Map<string, { value: string; row: number }>();
  /** Columns of the current row that already have an error (one error per cell is enough). */
  private readonly rowErrors = new Set<string>();

  constructor(
    readonly kind: ImportKind,
    readonly locale: Locale,
    readonly today: string,
  ) {}

  header(match: HeaderMatch, row: number): void {
    this.match = match;
    this.cells = COLUMNS[this.kind].map((col) => ({ col, index: match.columns.get(col.key)?.index ?? 0 }));
    for (const col of match.missing) this.errors.push({ row, col: 0, header: this.label(col), code: 'import.missing_column', detail: this.label(col) });
  }

  get usable(): boolean {
    return this.match !== undefined && this.match.missing.length === 0;
  }

  private label(col: Column): string {
    return this.match?.columns.get(col.key)?.header ?? (this.locale === 'zh-CN' ? col.zh : col.en);
  }

  private colOf(key: string): number {
    return this.match?.columns.get(key)?.index ?? 0;
  }

  private fail(row: number, key: string, code: ImportErrorCode, detail?: string): void {
    const col = COLUMNS[this.kind].find((c) => c.key === key)!;
    this.rowErrors.add(key);
    this.errors.push({ row, col: this.colOf(key), header: this.label(col), code, detail });
  }

  /** First row with `key` wins; later ones are reported as duplicates of it. */
  private unique(row: number, column: string, key: string): boolean {
    const first = this.seen.get(key);
    if (first !== undefined) {
      this.fail(row, column, 'import.duplicate_in_file', String(first));
      return false;
    }
    this.seen.set(key, row);
    return true;
  }

  /** Rows that mention the same building (lot …) must agree on its name. */
  private agree(row: number, column: string, key: string, value: string | null): void {
    if (value === null) return;
    const first = this.agreed.get(key);
    if (!first) this.agreed.set(key, { value, row });
    else if (first.value !== value) this.fail(row, column, 'import.conflict_in_file', String(first.row));
  }

  /** Parses one data row; blank rows are skipped and not counted. */
  add(sheetRow: { row: number; values: CellValue[] }): void {
    if (!this.match || !this.usable) return;
    const { row } = sheetRow;
    this.rowErrors.clear();
    const v: Values = {};
    const values = sheetRow.values;
    let blank = true;
    let ok = true;
    for (const { col, index } of this.cells) {
      const raw = index > 0 ? (values[index] ?? null) : null;
      if (raw !== null && !(typeof raw === 'string' && raw.trim() === '')) blank = false;
      const parsed = parseCell(col, raw, this.locale);
      if (!parsed.ok) {
        this.fail(row, col.key, parsed.code, parsed.detail);
        ok = false;
        v[col.key] = null;
        continue;
      }
      v[col.key] = parsed.value;
    }
    if (blank) return;
    this.totalRows += 1;
    for (const { col } of this.cells) {
      if (col.required && v[col.key] === null && !this.rowErrors.has(col.key)) {
        this.fail(row, col.key, 'import.required');
        ok = false;
      }
    }
    const record = this.kind === 'rooms' ? this.room(row, v, ok) : this.kind === 'people' ? this.person(row, v, ok) : this.parking(row, v, ok);
    if (record) this.records.push(record);
  }

  private room(row: number, v: Values, ok: boolean): RoomRecord | undefined {
    const s = (k: string) => v[k] as string | null;
    if (s('buildingCode') !== null) this.agree(row, 'buildingName', `b:${s('buildingCode')}`, s('buildingName'));
    if (s('buildingCode') !== null && s('unitCode') !== null) this.agree(row, 'unitName', `u:${s('buildingCode')}\u0000${s('unitCode')}`, s('unitName'));
    if (s('buildingCode') === null || s('unitCode') === null || s('number') === null) return undefined;
    const code = `${s('buildingCode')}-${s('unitCode')}-${s('number')}`;
    const fresh = this.unique(row, 'number', `room:${code}`);
    if (!ok || !fresh) return undefined;
    return {
      row,
      buildingCode: s('buildingCode')!,
      buildingName: s('buildingName'),
      unitCode: s('unitCode')!,
      unitName: s('unitName'),
      number: s('number')!,
      code,
      floor: v.floor as number,
      buildingAreaDm2: v.buildingArea as number,
      innerAreaDm2: v.innerArea as number | null,
      use: s('use')!,
      state: s('state') ?? 'vacant',
      deliveredOn: s('deliveredOn'),
    };
  }

  private person(row: number, v: Values, ok: boolean): PersonRecord | undefined {
    const s = (k: string) => v[k] as string | null;
    let idNumber = s('idNumber');
    const idType = idNumber === null ? s('idType') : (s('idType') ?? 'resident_id');
    if (idNumber !== null) {
      if (idType === 'resident_id') {
        const checked = peopleImport.checkResidentId(idNumber, this.today);
        if ('problem' in checked) {
          this.fail(row, 'idNumber', 'import.invalid_id_number');
          ok = false;
        } else idNumber = checked.value;
      } else {
        const doc = peopleImport.normaliseDocumentNumber(idNumber);
        if (doc === undefined) {
          this.fail(row, 'idNumber', 'import.invalid_text');
          ok = false;
        } else idNumber = doc;
      }
    }
    if (idNumber === null && s('phone') === null && !this.rowErrors.has('phone') && !this.rowErrors.has('idNumber')) {
      this.fail(row, 'idNumber', 'import.identity_required');
      ok = false;
    }
    if (s('roomCode') !== null) {
      if (s('relation') === null && !this.hasError(row, 'relation')) {
        this.fail(row, 'relation', 'import.required');
        ok = false;
      }
      if (s('movedInOn') === null && !this.hasError(row, 'movedInOn')) {
        this.fail(row, 'movedInOn', 'import.required');
        ok = false;
      }
    }
    // One row per person: the same ID number (or, without one, the same phone and name) twice
    // would be the same person registered twice.
    const key = idNumber !== null ? `id:${idNumber}` : s('phone') !== null && s('name') !== null ? `pn:${s('phone')}\u0000${s('name')}` : undefined;
    const fresh = key === undefined || this.unique(row, idNumber !== null ? 'idNumber' : 'phone', key);
    if (v.primaryContact === '1' && s('roomCode') !== null) {
      const first = this.seen.get(`primary:${s('roomCode')}`);
      if (first !== undefined) {
        this.fail(row, 'primaryContact', 'import.conflict_in_file', String(first));
        ok = false;
      } else this.seen.set(`primary:${s('roomCode')}`, row);
    }
    if (!ok || !fresh || s('name') === null) return undefined;
    return {
      row,
      name: s('name')!,
      kind: s('kind') ?? 'individual',
      gender: s('gender') ?? 'unknown',
      phone: s('phone'),
      idType: idNumber === null ? null : idType,
      idNumber,
      email: s('email'),
      roomCode: s('roomCode'),
      relation: s('roomCode') === null ? null : s('relation'),
      movedInOn: s('roomCode') === null ? null : s('movedInOn'),
      primaryContact: v.primaryContact === '1' && s('roomCode') !== null,
      emergencyContact: s('emergencyContact'),
      emergencyPhone: s('emergencyPhone'),
      notes: s('notes'),
    };
  }

  private parking(row: number, v: Values, ok: boolean): ParkingRecord | undefined {
    const s = (k: string) => v[k] as string | null;
    if (s('lotCode') !== null) {
      this.agree(row, 'lotName', `ln:${s('lotCode')}`, s('lotName'));
      this.agree(row, 'lotKind', `lk:${s('lotCode')}`, s('lotKind'));
    }
    let owner: ParkingRecord['owner'] = null;
    const ownerText = s('owner');
    if (ownerText !== null) {
      const phone = peopleImport.normalisePhone(ownerText);
      if (phone !== undefined) owner = { phone };
      else {
        const id = peopleImport.normaliseDocumentNumber(ownerText);
        if (id === undefined) {
          this.fail(row, 'owner', 'import.person_not_found');
          ok = false;
        } else owner = { idNumber: id };
      }
    }
    const fresh = s('lotCode') === null || s('number') === null || this.unique(row, 'number', `space:${s('lotCode')}\u0000${s('number')}`);
    const plateFresh = s('plate') === null || this.unique(row, 'plate', `plate:${s('plate')}`);
    if (!ok || !fresh || !plateFresh) return undefined;
    return {
      row,
      lotCode: s('lotCode')!,
      lotName: s('lotName'),
      lotKind: s('lotKind'),
      number: s('number')!,
      tenure: s('tenure'),
      areaDm2: v.area as number | null,
      state: s('state'),
      plate: s('plate'),
      owner,
      brand: s('brand'),
      color: s('color'),
    };
  }

  private hasError(_row: number, key: string): boolean {
    return this.rowErrors.has(key);
  }

  /** The error for `key` of a record's row (used by the database checks). */
  errorAt(row: number, key: string, code: ImportErrorCode, detail?: string): RowError {
    const col = COLUMNS[this.kind].find((c) => c.key === key)!;
    return { row, col: this.colOf(key), header: this.label(col), code, detail };
  }
}
