import { IdParams, Job } from '@courtyard/contracts';
import type { Db } from '../../core/db/schema.js';
import type { Jobs } from '../../core/jobs/jobs.js';
import { notFound } from '../../core/http/errors.js';
import { assertCan } from '../../core/http/context.js';
import { problemResponses, type App } from '../../core/http/server.js';

/** Progress of long work (imports, bill runs, exports, backups) for the UI and the CLI. */
export function operationsRoutes(app: App, deps: { db: Db; jobs: Jobs }) {
  app.get(
    '/api/jobs/:id',
    { schema: { tags: ['operations'], summary: 'A background job and its progress', params: IdParams, response: { 200: Job, ...problemResponses } }, config: { access: 'operations.job.read' } },
    async (request) => {
      const job = await deps.jobs.get(deps.db, request.params.id);
      if (!job) throw notFound();
      assertCan(request.ctx, 'operations.job.read', job.communityId ?? undefined);
      return job;
    },
  );
}
