import { webhooksInit } from './202611240400_webhooks_init.js';

export const webhooksMigrations = [webhooksInit];
