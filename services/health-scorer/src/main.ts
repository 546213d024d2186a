import { loadConfigOrExit } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { runService } from '@valuepulse/runtime';
import { scorerConfigSchema } from './config.js';
import { createScorerApp } from './scorer-app.js';

const config = loadConfigOrExit(scorerConfigSchema);
const logger = createLogger({ name: 'health-scorer', level: config.logLevel });

await runService({
  name: 'health-scorer',
  logger,
  httpPort: config.httpPort,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (ctx) => createScorerApp(config, ctx),
});
