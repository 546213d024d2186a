export { createSinkApp } from './sink-app.js';
export { sinkConfigSchema, type SinkConfig } from './config.js';
