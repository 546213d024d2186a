import type { AddressInfo } from 'node:net';
import { clickhouseConnection } from '@valuepulse/config';
import { createClickHouse } from '@valuepulse/clickhouse';
import type { App, ServiceContext } from '@valuepulse/runtime';
import { checkRedis, createRedis } from '@valuepulse/state';
import { createAccountReader, type AccountReader } from './account-reader.js';
import { createApiServer } from './api-server.js';
import type { ApiConfig } from './config.js';
import { createHistoryReader } from './history.js';
import { createApiMetrics } from './metrics.js';

/** The health-api as runService drives it, plus the port its API bound and its account reader. */
export type HealthApiApp = App & {
  /** The API port (after `start`; HEALTH_API_PORT=0 picks a free one). */
  apiPort(): number;
  accounts: AccountReader;
};

/**
 * Builds the health-api from its config: Redis (state, read-only use),
 * ClickHouse (history, `readonly=2` on every query), the account index and
 * the API server. `start` builds the index once, listens, then rebuilds it
 * every HEALTH_API_REFRESH; `stop` stops the rebuilds, answers what is in
 * flight and closes the clients. Ready while the index is built and Redis
 * and ClickHouse answer.
 */
export async function createHealthApiApp(config: ApiConfig, ctx: ServiceContext): Promise<HealthApiApp> {
  const { logger } = ctx;
  const redis = createRedis({ endpoint: config.redis, connectionName: 'health-api', logger: logger.child({ component: 'redis' }) });
  const clickhouse = createClickHouse({ ...clickhouseConnection(config), database: config.clickhouseDatabase, quiet: true });
  const metrics = createApiMetrics(ctx.metrics);
  const indexLog = logger.child({ component: 'index' });
  const accounts = createAccountReader({ redis, prefix: config.redisKeyPrefix, clock: config.clock, logger: indexLog, scoring: config.scoring });
  const history = createHistoryReader(clickhouse, config.clickhouseDatabase);
  const server = createApiServer({ accounts, history, metrics, logger: logger.child({ component: 'api' }), tokens: config.tokens, maxPage: config.maxPage });
  let port = 0;
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> = Promise.resolve();

  async function refresh(): Promise<void> {
    const end = metrics.refreshSeconds.startTimer();
    try {
      const n = await accounts.refresh();
      metrics.accounts.set(n);
      indexLog.debug({ accounts: n, seconds: end() }, 'account index rebuilt');
    } catch (err) {
      end();
      metrics.refreshFailures.inc();
      indexLog.warn({ err }, 'rebuilding the account index failed; the previous one is kept');
    }
  }

  return {
    async start() {
      await checkRedis(redis, config.redis);
      await refresh();
      await server.listen({ port: config.apiPort, host: config.apiHost });
      port = (server.server.address() as AddressInfo).port;
      const schedule = () => {
        timer = setTimeout(() => {
          refreshing = refresh().finally(() => {
            if (!ctx.signal.aborted) schedule();
          });
        }, config.refreshMs);
        timer.unref();
      };
      schedule();
      logger.info({ host: config.apiHost, port, accounts: accounts.index().length, clock: config.clock }, 'API and dashboard listening');
    },
    async stop() {
      if (timer) clearTimeout(timer);
      await server.close();
      await refreshing;
      await Promise.allSettled([redis.quit(), clickhouse.close()]);
    },
    async ready() {
      if (!accounts.loaded()) return false;
      const [r, c] = await Promise.allSettled([redis.ping(), history.ping()]);
      return r.status === 'fulfilled' && c.status === 'fulfilled' && c.value;
    },
    apiPort: () => port,
    accounts,
  };
}
