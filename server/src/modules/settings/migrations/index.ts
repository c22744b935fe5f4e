import { settingsInit } from './202611250100_settings_init.js';
export const settingsMigrations = [settingsInit];
