import fs from 'node:fs';
import ExcelJS from 'exceljs';
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const HEADERS = ['姓名', '人员类型', '性别', '手机号', '证件类型', '证件号码', '邮箱', '房屋编码', '关系', '入住日期', '主要联系人', '紧急联系人', '紧急联系电话', '备注'];
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function residentId(n: number): string {
  const day = new Date(Date.UTC(1950, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first = `110105${day}${String(n % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first[i]) * W[i]!;
  return first + '10X98765432'[sum % 11]!;
}
const roomCode = (i: number) => `${1 + Math.floor(i / 1000)}-${1 + Math.floor((i % 1000) / 100)}-${101 + (i % 100)}`;
async function write(headers: string[], rows: (i: number) => (string | number | null)[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('data');
  ws.addRow(headers);
  for (let i = 0; i < ROWS; i++) ws.addRow(rows(i));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
fs.writeFileSync(`/tmp/cyprof-rooms-${ROWS}.xlsx`, await write(['楼栋编号', '单元编号', '房号', '楼层', '建筑面积', '用途'], (i) => { const [b, u, n] = roomCode(i).split('-'); return [b!, u!, n!, Math.floor(Number(n) / 100), '89.50', '住宅']; }));
fs.writeFileSync(`/tmp/cyprof-people-${ROWS}.xlsx`, await write(HEADERS, (i) => [`住户${i}`, '个人', i % 2 ? '男' : '女', `139${String(i).padStart(8, '0')}`, '居民身份证', residentId(i), null, roomCode(i), '业主', '2024-01-01', '是', null, null, null]));
