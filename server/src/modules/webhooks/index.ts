import type { EncryptedColumns } from '../../core/crypto/rotation.js';
export { createWebhooksService, DELIVER_JOB, MAX_ATTEMPTS, PING_EVENT, type WebhooksService, type WebhooksDeps } from './webhooks.service.js';
export { webhooksRoutes } from './webhooks.routes.js';
export { webhooksMigrations } from './migrations/index.js';
export { sign as signWebhook, SECRET_PREFIX as WEBHOOK_SECRET_PREFIX } from './signature.js';
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const webhooksEncryptedColumns: EncryptedColumns[] = [{ table: 'webhook_endpoints', key: 'id', columns: ['secret_enc'] }];
