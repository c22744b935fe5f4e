import { auditInit } from './202611240100_audit_init.js';
export const auditMigrations = [auditInit];
