export { createScorerApp } from './scorer-app.js';
export { scorerConfigSchema, type ScorerConfig } from './config.js';
