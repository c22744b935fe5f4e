export { createWebhooksService, DELIVER_JOB, MAX_ATTEMPTS, PING_EVENT, type WebhooksService, type WebhooksDeps } from './webhooks.service.js';
export { webhooksRoutes } from './webhooks.routes.js';
export { webhooksMigrations } from './migrations/index.js';
export { sign as signWebhook, SECRET_PREFIX as WEBHOOK_SECRET_PREFIX } from './signature.js';
