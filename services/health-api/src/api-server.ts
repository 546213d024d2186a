import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from '@valuepulse/log';
import type { AccountReader } from './account-reader.js';
import { BadRequest, parseAccountId, parseAccountQuery, parseAlertQuery, parseHistoryQuery } from './api-params.js';
import type { HistoryReader } from './history.js';
import type { ApiMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { queryAccounts, summarizePortfolio } from './portfolio.js';

/** What the API needs. */
export interface ApiDeps {
  accounts: AccountReader;
  history: HistoryReader;
  metrics: ApiMetrics;
  logger: Logger;
  tokens: readonly string[];
  maxPage: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    startedAt: number;
  }
}

/** The dashboard's files (plain HTML, CSS and JS modules: no build step), and uPlot from its npm package. */
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const UPLOT_DIR = dirname(createRequire(import.meta.url).resolve('uplot/package.json'));
const STATIC: Record<string, { file: string; type: string }> = {
  '/dashboard/': { file: join(PUBLIC_DIR, 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard/account.html': { file: join(PUBLIC_DIR, 'account.html'), type: 'text/html; charset=utf-8' },
  '/dashboard/dashboard.css': { file: join(PUBLIC_DIR, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/dashboard/api.js': { file: join(PUBLIC_DIR, 'api.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/portfolio.js': { file: join(PUBLIC_DIR, 'portfolio.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard/account.js': { file: join(PUBLIC_DIR, 'account.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/uPlot.esm.js': { file: join(UPLOT_DIR, 'dist', 'uPlot.esm.js'), type: 'text/javascript; charset=utf-8' },
  '/vendor/uPlot.min.css': { file: join(UPLOT_DIR, 'dist', 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

function problem(reply: FastifyReply, status: number, error: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).send({ error, message, ...extra });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Builds the API server (not yet listening): `/v1/portfolio`,
 * `/v1/accounts` (filters, sorts, paging over the in-memory index),
 * `/v1/accounts/{id}` (read fresh from Redis), `/v1/accounts/{id}/history`
 * and `/v1/alerts` (ClickHouse), all behind bearer tokens (401); the
 * OpenAPI document at `/openapi.json` and the dashboard under `/dashboard/`
 * are open (they hold no data: the dashboard asks for a token). 400 names
 * the parameter that is wrong; 404 for an unknown account; 503 while Redis
 * or ClickHouse cannot answer, or before the first index is built.
 */
export function createApiServer(deps: ApiDeps): FastifyInstance {
  const { accounts, history, metrics } = deps;
  const tokens = deps.tokens.map(digest);
  const app = Fastify({ logger: false, return503OnClosing: true, forceCloseConnections: 'idle', maxParamLength: 300 });
  app.decorateRequest('startedAt', 0);

  app.addHook('onRequest', async (req, reply) => {
    req.startedAt = performance.now();
    if (!req.url.startsWith('/v1/')) return undefined;
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const given = match ? digest(match[1] as string) : undefined;
    if (!given || !tokens.some((t) => timingSafeEqual(t, given))) {
      reply.header('www-authenticate', 'Bearer realm="valuepulse"');
      return problem(reply, 401, 'unauthorized', match ? 'the bearer token is not one of HEALTH_API_TOKENS' : 'an Authorization: Bearer <token> header is required');
    }
    return undefined;
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ route }, (performance.now() - req.startedAt) / 1000);
  });

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof BadRequest) return problem(reply, 400, 'bad_request', err.message, { parameter: err.parameter });
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return problem(reply, err.statusCode, 'bad_request', err.message);
    deps.logger.warn({ err }, 'request failed');
    return problem(reply, 503, 'unavailable', 'Redis or ClickHouse did not answer (logged); retry', {});
  });
  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));

  app.get('/', async (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', async (_req, reply) => reply.redirect('/dashboard/'));
  for (const [path, { file, type }] of Object.entries(STATIC)) {
    app.get(path, async (_req, reply) => reply.type(type).header('cache-control', 'no-cache').send(await readFile(file)));
  }
  app.get('/openapi.json', async () => openApiDocument(deps.maxPage));

  const notReady = (reply: FastifyReply) => problem(reply, 503, 'not_ready', 'the account index is being built; retry in a few seconds', {});

  app.get('/v1/portfolio', async (_req, reply) => {
    if (!accounts.loaded()) return notReady(reply);
    const all = accounts.index();
    const atRisk = queryAccounts(all, { tier: ['RED', 'ORANGE'], sort: 'health_score', order: 'asc', limit: 25, offset: 0 });
    const renewing = queryAccounts(all, { renewalWithinDays: 90, sort: 'days_to_renewal', order: 'asc', limit: 25, offset: 0 });
    return { ...summarizePortfolio(all), at_risk: atRisk, renewing_90d: renewing };
  });

  app.get('/v1/accounts', async (req, reply) => {
    const query = parseAccountQuery(req.query as Record<string, unknown>, deps.maxPage);
    if (!accounts.loaded()) return notReady(reply);
    return queryAccounts(accounts.index(), query);
  });

  app.get('/v1/accounts/:id', async (req, reply) => {
    const id = parseAccountId((req.params as { id?: unknown }).id);
    const reading = await accounts.read(id);
    if (!reading) return problem(reply, 404, 'unknown_account', `no state for account ${id}`);
    const { evaluation: e, state } = reading;
    return {
      ...reading.summary,
      snapshot: e.snapshot,
      score_components: e.signals.health.components,
      stakeholders: {
        last_seen: Object.fromEntries(Object.entries(state.roleLastActiveAt).map(([role, at]) => [role, new Date(at as number).toISOString()])),
        silent_days: {
          EXECUTIVE_SPONSOR: e.snapshot.exec_sponsor_silent_days,
          ECONOMIC_BUYER: e.snapshot.economic_buyer_silent_days,
          TECHNICAL_OWNER: e.snapshot.technical_owner_silent_days,
          DAILY_USER: e.snapshot.daily_users_silent_days,
        },
      },
      milestones: Object.entries(state.milestones).map(([id, m]) => ({
        milestone_id: id,
        name: m.name,
        due: m.dueAt === null ? null : new Date(m.dueAt).toISOString().slice(0, 10),
        achieved: m.achievedAt === null ? null : new Date(m.achievedAt).toISOString().slice(0, 10),
        missed: m.missedAt === null ? null : new Date(m.missedAt).toISOString().slice(0, 10),
      })),
      contract: {
        segment: state.contract.segment,
        contracted_seats: state.contract.contractedSeats,
        arr: state.contract.arr,
        renewal_date: reading.summary.renewal_date,
      },
    };
  });

  app.get('/v1/accounts/:id/history', async (req, reply) => {
    const id = parseAccountId((req.params as { id?: unknown }).id);
    const now = await accounts.now();
    const query = parseHistoryQuery(req.query as Record<string, unknown>, new Date(now ?? Date.now()).toISOString().slice(0, 10));
    // an EXISTS, not a read and evaluation of the account: the series come from ClickHouse
    const [known, series] = await Promise.all([accounts.exists(id), history.history(id, query.from, query.to)]);
    if (!known) return problem(reply, 404, 'unknown_account', `no state for account ${id}`);
    return series;
  });

  app.get('/v1/alerts', async (req) => {
    const filter = parseAlertQuery(req.query as Record<string, unknown>);
    return { items: await history.alerts(filter) };
  });

  return app;
}
