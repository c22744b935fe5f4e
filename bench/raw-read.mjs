// The import benchmark's baseline (bench/import.ts), run in a process of its own: ExcelJS's raw
// streaming read of a workbook, nothing else in the heap. One warm-up read, then the median of
// `reads` timed reads. Prints one JSON line: { rows, rate, rates }.
import fs from 'node:fs';
import ExcelJS from 'exceljs';

const [file, readsArg] = process.argv.slice(2);
const reads = Number(readsArg ?? 3);

async function read() {
  const start = performance.now();
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(fs.createReadStream(file), { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit' });
  for await (const ws of reader) for await (const row of ws) if (row.number > 1) rows += 1;
  return { rows, seconds: (performance.now() - start) / 1000 };
}

const warm = await read();
const rates = [];
for (let i = 0; i < reads; i++) {
  const r = await read();
  if (r.rows !== warm.rows) throw new Error(`read ${i} saw ${r.rows} rows, the warm-up ${warm.rows}`);
  rates.push(r.rows / r.seconds);
}
rates.sort((a, b) => a - b);
console.log(JSON.stringify({ rows: warm.rows, rate: rates[Math.floor(rates.length / 2)], rates }));
