import { loadConfigOrExit } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { runService } from '@valuepulse/runtime';
import { ConfigError } from '@valuepulse/errors';
import { loadRouting, notifierConfigSchema } from './config.js';
import { createNotifierApp } from './notifier-app.js';

const config = loadConfigOrExit(notifierConfigSchema);
const logger = createLogger({ name: 'alert-notifier', level: config.logLevel });
let routing;
try {
  routing = loadRouting(config.routesFile);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

await runService({
  name: 'alert-notifier',
  logger,
  httpPort: config.httpPort,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (ctx) => createNotifierApp({ ...config, routing }, ctx),
});
