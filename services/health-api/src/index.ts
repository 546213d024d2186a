export { createHealthApiApp, type HealthApiApp } from './api-app.js';
export { apiConfigSchema, type ApiConfig } from './config.js';
export { createApiServer, type ApiDeps } from './api-server.js';
export { createAccountReader, type AccountReader, type AccountReading } from './account-reader.js';
export { createHistoryReader, type AccountHistory, type AlertView, type HistoryReader } from './history.js';
export { openApiDocument } from './openapi.js';
