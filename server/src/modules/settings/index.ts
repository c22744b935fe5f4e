import type { EncryptedColumns } from '../../core/crypto/rotation.js';
export { createSettingsService, type SettingsService } from './settings.service.js';
export { settingsRoutes } from './settings.routes.js';
export { settingsMigrations } from './migrations/index.js';
/** Field-encrypted columns of this module, for `courtyard keys rotate-field`. */
export const settingsEncryptedColumns: EncryptedColumns[] = [{ table: 'settings', key: 'key', columns: ['secrets_enc'] }];
