import { filesInit } from './202611250300_files_init.js';

export const filesMigrations = [filesInit];
