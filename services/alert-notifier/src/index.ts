export { createNotifierApp } from './notifier-app.js';
export { loadRouting, notifierConfigSchema, type NotifierConfig } from './config.js';
export { signWebhook, verifyWebhook, WEBHOOK_HEADERS } from './signature.js';
export { parseRouting, readRoutingFile, type Endpoint, type Route, type Routing } from './routes-file.js';
