import { loadConfigOrExit } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { runService } from '@valuepulse/runtime';
import { sinkConfigSchema } from './config.js';
import { createSinkApp } from './sink-app.js';

const config = loadConfigOrExit(sinkConfigSchema);
const logger = createLogger({ name: 'history-sink', level: config.logLevel });

await runService({
  name: 'history-sink',
  logger,
  httpPort: config.httpPort,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (ctx) => createSinkApp(config, ctx),
});
