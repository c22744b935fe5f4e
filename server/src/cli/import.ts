import fs from 'node:fs';
import path from 'node:path';
import type { ImportKind, Locale } from '@courtyard/contracts';
import { IMPORT_KINDS } from '@courtyard/contracts';
import { systemContext } from '../core/http/context.js';
import type { Courtyard } from '../app.js';

/**
 * `courtyard import <rooms|people|parking> <file.xlsx> --community <code> [--dry-run]`: the same
 * upload → validation → commit as the web console, run in this process (no job queue), with
 * progress lines and the errors printed. Resolves to the exit code: 0 done, 1 errors or failure.
 */
export async function importCommand(c: Courtyard, kind: string, file: string, opts: { community: string; dryRun?: boolean; lang?: string }, out = console): Promise<number> {
  if (!(IMPORT_KINDS as readonly string[]).includes(kind)) throw new Error(`kind must be one of ${IMPORT_KINDS.join(', ')}`);
  const communityId = await c.services.properties.communityIdByCode(opts.community);
  if (!communityId) throw new Error(`no community with code "${opts.community}"`);
  if (!fs.existsSync(file)) throw new Error(`no file ${file}`);
  const locale: Locale = opts.lang === 'en-US' ? 'en-US' : 'zh-CN';
  const ctx = { ...systemContext('cli'), locale };
  const { imports } = c.services;
  const progress = (done: number, total: number | null = null, note: string | null = null) => {
    out.log(`${note ?? 'progress'}: ${done}${total ? `/${total}` : ''} rows`);
    return Promise.resolve();
  };
  const uploaded = await imports.upload(ctx, { kind: kind as ImportKind, communityId, fileName: path.basename(file) }, fs.createReadStream(file), undefined, { queue: false });
  out.log(`batch ${uploaded.id}: validating ${path.basename(file)}`);
  await imports.validate(uploaded.id, progress, locale);
  const checked = await imports.get(ctx, uploaded.id);
  if (checked.state !== 'valid') {
    for (const e of checked.errors) out.error(`row ${e.row}, ${e.column || '-'}: ${e.message} (${e.code})`);
    if (checked.errorCount > checked.errors.length) out.error(`… and ${checked.errorCount - checked.errors.length} more (download the report in the console)`);
    out.error(`${checked.state}: ${checked.errorCount} error(s) in ${checked.totalRows} row(s); nothing imported${checked.failure ? ` — ${checked.failure}` : ''}`);
    return 1;
  }
  if (opts.dryRun) {
    out.log(`valid: ${checked.totalRows} row(s) — would create ${checked.counts.created}, unchanged ${checked.counts.unchanged} (dry run, nothing imported)`);
    return 0;
  }
  await imports.commit(ctx, uploaded.id, { queue: false });
  await imports.runCommit(uploaded.id, progress, { actor: ctx.actor, locale });
  const done = await imports.get(ctx, uploaded.id);
  if (done.state !== 'committed') {
    for (const e of done.errors) out.error(`row ${e.row}, ${e.column || '-'}: ${e.message} (${e.code})`);
    out.error(`${done.state}: nothing imported${done.failure ? ` — ${done.failure}` : ''}`);
    return 1;
  }
  out.log(`committed: ${done.totalRows} row(s), created ${done.counts.created}, unchanged ${done.counts.unchanged}`);
  return 0;
}
