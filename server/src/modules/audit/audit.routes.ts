import { AuditListQuery, AuditRecord, AuditVerifyResult, Page, SignInActivity, SignInActivityQuery } from '@courtyard/contracts';
import type { Db } from '../../core/db/schema.js';
import { problemResponses, type App } from '../../core/http/server.js';
import { assertCan, scopeOf } from '../../core/http/context.js';
import type { AuditService } from './audit.service.js';

export function auditRoutes(app: App, deps: { db: Db; audit: AuditService }) {
  const tags = ['audit'];
  app.get(
    '/api/audit',
    { schema: { tags, summary: 'Search the audit trail, newest first', querystring: AuditListQuery, response: { 200: Page(AuditRecord), ...problemResponses } }, config: { access: 'audit.log.read' } },
    (request) => deps.audit.list(deps.db, request.query, scopeOf(request.ctx, 'audit.log.read')),
  );
  app.get(
    '/api/audit/sign-in-activity',
    { schema: { tags, summary: 'Sign-ins per day: accepted, refused, locked', querystring: SignInActivityQuery, response: { 200: SignInActivity, ...problemResponses } }, config: { access: 'audit.log.read' } },
    (request) => {
      // Sign-ins belong to no community: only organisation-wide audit readers see them.
      assertCan(request.ctx, 'audit.log.read');
      return deps.audit.signInActivity(deps.db, request.query.days ?? 14);
    },
  );
  app.post(
    '/api/audit/verify',
    { schema: { tags, summary: 'Check the HMAC chain of the whole audit trail', response: { 200: AuditVerifyResult, ...problemResponses } }, config: { access: 'audit.log.verify' } },
    async (request) => {
      const result = await deps.audit.verify(deps.db);
      await deps.audit.recordAlone(deps.db, request.ctx, { action: 'audit.verify', result: result.ok ? 'success' : 'failure', after: result });
      return result;
    },
  );
}
