export { createAuditService, MIN_RETENTION_DAYS, type AuditService, type AuditEntry } from './audit.service.js';
export { auditMigrations } from './migrations/index.js';
export { auditRoutes } from './audit.routes.js';
