import { settingsInit } from './202611240105_settings_init.js';
export const settingsMigrations = [settingsInit];
