import { loadConfigOrExit } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { runService } from '@valuepulse/runtime';
import { createHealthApiApp } from './api-app.js';
import { apiConfigSchema } from './config.js';

const config = loadConfigOrExit(apiConfigSchema);
const logger = createLogger({ name: 'health-api', level: config.logLevel });

await runService({
  name: 'health-api',
  logger,
  httpPort: config.httpPort,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (ctx) => createHealthApiApp(config, ctx),
});
