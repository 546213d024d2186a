import { loadConfigOrExit } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { runService } from '@valuepulse/runtime';
import { notifierConfigSchema } from './config.js';
import { createNotifierApp } from './notifier-app.js';

const config = loadConfigOrExit(notifierConfigSchema);
const logger = createLogger({ name: 'alert-notifier', level: config.logLevel });

await runService({
  name: 'alert-notifier',
  logger,
  httpPort: config.httpPort,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (ctx) => createNotifierApp(config, ctx),
});
