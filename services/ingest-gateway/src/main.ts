import { loadConfigOrExit } from '@valuepulse/config';
import { createLogger } from '@valuepulse/log';
import { runService } from '@valuepulse/runtime';
import { gatewayConfigSchema } from './config.js';
import { createGatewayApp } from './gateway-app.js';

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ name: 'ingest-gateway', level: config.logLevel });

await runService({
  name: 'ingest-gateway',
  logger,
  httpPort: config.httpPort,
  shutdownTimeoutMs: config.shutdownTimeoutMs,
  create: (ctx) => createGatewayApp(config, ctx),
});
