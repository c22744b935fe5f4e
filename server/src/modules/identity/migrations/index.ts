import { identityInit } from './202611240110_identity_init.js';
export const identityMigrations = [identityInit];
