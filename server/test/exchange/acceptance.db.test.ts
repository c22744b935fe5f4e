import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportBatch } from '@courtyard/contracts';
import { Client, makeCommunity, makeUser, startCourtyard, type TestCourtyard } from '../harness.js';
import { importCommand } from '../../src/cli/import.js';
import { importFile, phoneN, residentIdN, ROOM_HEADERS_ZH, settle, streamedWorkbook, uploadImport } from './helpers.js';

const N = 10_000;
const PEOPLE_HEADERS_ZH = ['姓名', '人员类型', '性别', '手机号', '证件类型', '证件号码', '邮箱', '房屋编码', '关系', '入住日期', '主要联系人', '紧急联系人', '紧急联系电话', '备注'];
const roomCode = (i: number) => `${1 + Math.floor(i / 1000)}-${1 + Math.floor((i % 1000) / 100)}-${101 + (i % 100)}`;

type Row = (string | number | null)[];
function person(i: number): Row {
  return [`住户${i}`, '个人', i % 2 ? '男' : '女', phoneN(i), '居民身份证', residentIdN(i), null, roomCode(i), '业主', '2024-01-01', '是', null, null, null];
}
const col = (header: string) => PEOPLE_HEADERS_ZH.indexOf(header);

/** 20 seeded errors of different kinds: [row index, change, expected column, expected code]. */
const SEEDED: [number, (r: Row) => void, string, string][] = [
  [10, (r) => (r[col('姓名')] = ''), '姓名', 'import.required'],
  [50, (r) => (r[col('人员类型')] = 'robot'), '人员类型', 'import.invalid_enum'],
  [100, (r) => (r[col('性别')] = 'X'), '性别', 'import.invalid_enum'],
  [500, (r) => (r[col('手机号')] = '1234'), '手机号', 'import.invalid_phone'],
  [900, (r) => (r[col('证件号码')] = `${String(r[col('证件号码')]).slice(0, 17)}${String(r[col('证件号码')]).endsWith('0') ? '1' : '0'}`), '证件号码', 'import.invalid_id_number'],
  [1200, (r) => ((r[col('手机号')] = null), (r[col('证件号码')] = null)), '证件号码', 'import.identity_required'],
  [1500, (r) => (r[col('邮箱')] = 'not-an-email'), '邮箱', 'import.invalid_email'],
  [2000, (r) => (r[col('房屋编码')] = '99-9-999'), '房屋编码', 'import.room_not_found'],
  [2500, (r) => (r[col('关系')] = null), '关系', 'import.required'],
  [3000, (r) => (r[col('入住日期')] = '2024-02-30'), '入住日期', 'import.invalid_date'],
  [3500, (r) => (r[col('证件号码')] = residentIdN(3400)), '证件号码', 'import.duplicate_in_file'],
  [4000, (r) => (r[col('证件类型')] = '驾照'), '证件类型', 'import.invalid_enum'],
  [4500, (r) => (r[col('关系')] = '邻居'), '关系', 'import.invalid_enum'],
  [5000, (r) => (r[col('主要联系人')] = 'maybe'), '主要联系人', 'import.invalid_enum'],
  [5500, (r) => (r[col('紧急联系电话')] = '000'), '紧急联系电话', 'import.invalid_phone'],
  [6000, (r) => (r[col('备注')] = 'x'.repeat(600)), '备注', 'import.invalid_text'],
  [6500, (r) => (r[col('入住日期')] = null), '入住日期', 'import.required'],
  [7000, (r) => (r[col('姓名')] = '名'.repeat(150)), '姓名', 'import.invalid_text'],
  [7500, (r) => (r[col('房屋编码')] = roomCode(7499)), '主要联系人', 'import.conflict_in_file'],
  [8000, (r) => ((r[col('证件类型')] = '护照'), (r[col('证件号码')] = '??')), '证件号码', 'import.invalid_text'],
];

let c: TestCourtyard;
let community: string;
let manager: Client;
let correct: Buffer;

beforeAll(async () => {
  c = await startCourtyard();
  community = await makeCommunity(c, 'AC');
  await makeUser(c, { username: 'mgr', role: 'property_manager', communityId: community });
  manager = new Client(c.app);
  await manager.signIn('mgr');
  const rooms: Row[] = Array.from({ length: N }, (_, i) => {
    const [b, u, n] = roomCode(i).split('-');
    return [b!, `${b}号楼`, u!, `${u}单元`, n!, Math.floor(Number(n) / 100), '89.50', null, '住宅', '空置', '2023-06-30'];
  });
  const roomBatch = await importFile(c, manager, 'rooms', community, await streamedWorkbook(ROOM_HEADERS_ZH, rooms));
  expect([roomBatch.errors.slice(0, 3), roomBatch.state, roomBatch.counts]).toEqual([[], 'committed', { created: N, unchanged: 0 }]);
  correct = await streamedWorkbook(PEOPLE_HEADERS_ZH, Array.from({ length: N }, (_, i) => person(i)));
}, 120_000);
afterAll(() => c.dispose());

const count = async (table: 'persons' | 'occupancies') => Number((await c.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('acceptance: 10,000 people', () => {
  it('reports exactly the 20 seeded errors (row, column, reason) and commits nothing', async () => {
    const rows = Array.from({ length: N }, (_, i) => person(i));
    for (const [i, change] of SEEDED) change(rows[i]!);
    const res = await uploadImport(manager, { kind: 'people', communityId: community }, await streamedWorkbook(PEOPLE_HEADERS_ZH, rows));
    const batch = await settle(c, manager, res.json<ImportBatch>().id);
    expect(batch).toMatchObject({ state: 'invalid', totalRows: N, errorCount: 20 });
    expect(batch.errors.map((e) => [e.row, e.column, e.code])).toEqual(SEEDED.map(([i, , column, code]) => [i + 2, column, code]));
    expect(batch.errors.every((e) => /[\u4e00-\u9fff]/.test(e.message))).toBe(true);
    expect((await manager.post(`/api/imports/${batch.id}/commit`)).statusCode).toBe(409);
    expect(await count('persons')).toBe(0);
  }, 60_000);

  it('commits the corrected file completely, and uploading it again adds nothing', async () => {
    const batch = await importFile(c, manager, 'people', community, correct);
    expect(batch).toMatchObject({ state: 'committed', totalRows: N, counts: { created: N, unchanged: 0 } });
    expect(await count('persons')).toBe(N);
    expect(await count('occupancies')).toBe(N);
    // Ciphertexts are made in one batch for the whole file: each decrypts to its own person's values.
    const sample = await c.database.db.selectFrom('persons').select(['name', 'phone_enc', 'id_number_enc']).where('community_id', '=', community).where('name', 'in', ['住户0', '住户1234', '住户9999']).orderBy('name').execute();
    expect(sample.map((p) => [p.name, c.cipher.decrypt(p.phone_enc!), c.cipher.decrypt(p.id_number_enc!)])).toEqual([0, 1234, 9999].map((i) => [`住户${i}`, phoneN(i), residentIdN(i)]));
    const job = await c.services.jobs.get(c.database.db, batch.jobId!);
    expect(job).toMatchObject({ status: 'succeeded', progressDone: 2 * N, progressTotal: 2 * N });
    const occupied = await c.database.db.selectFrom('rooms').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'occupied').executeTakeFirstOrThrow();
    expect(Number(occupied.n)).toBe(N);
    const audit = await c.database.db.selectFrom('audit_log').select(['after_json']).where('action', '=', 'data.import.commit').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toMatchObject({ kind: 'people', rows: N, created: N, persons: N, occupancies: N });

    const again = await importFile(c, manager, 'people', community, correct);
    expect(again).toMatchObject({ state: 'committed', counts: { created: 0, unchanged: N } });
    expect(await count('persons')).toBe(N);
    expect(await count('occupancies')).toBe(N);
  }, 60_000);

  it('the CLI validates, prints the errors with row and column, and exits 1; --dry-run of a good file commits nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cy-import-'));
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`ERR ${l}`) } as unknown as Console;
    const bad = path.join(dir, 'bad.xlsx');
    fs.writeFileSync(bad, await streamedWorkbook(PEOPLE_HEADERS_ZH, [['新人', null, null, '12', null, null, null, null, null, null, null, null, null, null]]));
    expect(await importCommand(c, 'people', bad, { community: 'AC' }, out)).toBe(1);
    expect(lines).toContainEqual(expect.stringMatching(/^ERR row 2, 手机号: .*\(import\.invalid_phone\)$/));
    const good = path.join(dir, 'good.xlsx');
    fs.writeFileSync(good, await streamedWorkbook(PEOPLE_HEADERS_ZH, [['新人', null, null, '13600000001', null, null, null, null, null, null, null, null, null, null]]));
    expect(await importCommand(c, 'people', good, { community: 'AC', dryRun: true }, out)).toBe(0);
    expect(await count('persons')).toBe(N);
    expect(await importCommand(c, 'people', good, { community: 'AC' }, out)).toBe(0);
    expect(lines.at(-1)).toMatch(/^committed: 1 row\(s\), created 1/);
    expect(await count('persons')).toBe(N + 1);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
