import crypto from 'node:crypto';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
const N = 100_000;
function setup(file: string) {
  fs.rmSync(file, { force: true }); fs.rmSync(file + '-wal', { force: true }); fs.rmSync(file + '-shm', { force: true });
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); db.pragma('foreign_keys = ON');
  db.exec(`create table communities (id text primary key);
  insert into communities values ('c1');
  create table persons (id text primary key, community_id text not null references communities(id), kind text not null, name text not null, gender text not null, phone_enc text, phone_idx text, id_type text, id_number_enc text, id_number_idx text, email text, emergency_contact text, emergency_phone_enc text, notes text, user_id text, created_at text not null, updated_at text not null, constraint u unique (community_id, id_number_idx));
  create index p1 on persons(name, id); create index p2 on persons(community_id, id); create index p3 on persons(phone_idx); create index p4 on persons(id_number_idx); create index p5 on persons(user_id); create index p6 on persons(community_id, name, id);`);
  return db;
}
const rows: unknown[][] = [];
for (let i = 0; i < N; i++) {
  const h = () => crypto.randomBytes(32).toString('base64url');
  const e = () => 'aes256gcm.k1.' + crypto.randomBytes(12).toString('base64url') + '.' + crypto.randomBytes(34).toString('base64url');
  rows.push([`0193${String(i).padStart(28, '0')}`, 'c1', 'individual', `住户${i}`, 'male', e(), h(), 'resident_id', e(), h(), null, null, null, null, null, '2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);
}
const cols = 17;
for (const mode of (process.env.MODES ?? 'single,multi').split(',')) {
  const db = setup('/tmp/cy-micro.db');
  if (process.env.CACHE) db.pragma(`cache_size = ${process.env.CACHE}`);
  if (process.env.DROP) for (const ix of process.env.DROP.split(',')) db.exec(`drop index ${ix}`);
  const t = performance.now();
  db.exec('begin');
  if (mode === 'single' || mode === 'multi1') {
    const st = db.prepare(`insert into persons values (${Array(cols).fill('?').join(',')})`);
    for (const r of rows) st.run(r);
  } else {
    const size = Number(mode.slice(5)) || Math.floor(30000 / cols);
    const one = `(${Array(cols).fill('?').join(',')})`;
    let st: SQLite.Statement | undefined; let stSize = 0;
    for (let i = 0; i < N; i += size) {
      const chunk = rows.slice(i, i + size);
      if (chunk.length !== stSize) { st = db.prepare(`insert into persons values ${Array(chunk.length).fill(one).join(',')}`); stSize = chunk.length; }
      st!.run(chunk.flat());
    }
  }
  const t1 = performance.now();
  db.exec('commit');
  const t2 = performance.now();
  console.log(mode, (t1 - t).toFixed(0), 'ms insert', (t2 - t1).toFixed(0), 'ms commit');
  db.close();
}
