import { dataExchangeInit } from './migrations/202611250500_dataexchange_init.js';
export { createImportsService, MAX_ROWS, MAX_STORED_ERRORS, type ImportsService, type ImportsDeps } from './imports.service.js';
export { createExportsService, type ExportsService, type ExportsDeps } from './exports.service.js';
export { exchangeRoutes } from './exchange.routes.js';
export { COLUMNS, ENUMS, matchHeaders } from './formats.js';
export const dataExchangeMigrations = [dataExchangeInit];
