import { gunzipSync, inflateSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Codec } from '@valuepulse/codec';
import { DependencyUnavailableError, ValuepulseError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import type { AckedProducer } from './acked-producer.js';
import type { WriteKey } from './config.js';
import { mapTicket } from './helpdesk-mapper.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyHelpdeskSignature } from './helpdesk-signature.js';
import { ingest, type IngestReport } from './ingest.js';
import type { Mapping } from './mapping-file.js';
import type { GatewayMetrics } from './metrics.js';
import { nativeItem, splitBody } from './native-events.js';
import type { ItemOutcome } from './outcome.js';
import type { RateLimiter } from './rate-limiter.js';
import { mapSegmentCall } from './segment-mapper.js';

/** What the API needs. */
export interface ApiDeps {
  codec: Codec;
  producer: AckedProducer;
  metrics: GatewayMetrics;
  limiter: RateLimiter;
  logger: Logger;
  mapping: Mapping | undefined;
  writeKeys: readonly WriteKey[];
  helpdeskSecret: string;
  bodyLimit: number;
  maxRecords: number;
  topicPrefix: string;
}

/** The Segment Tracking API calls with a route of their own; `batch` carries any of them. */
const SEGMENT_ROUTES = ['track', 'identify', 'group', 'page', 'screen'] as const;
/** Every Segment route, for the write key in the body. */
const SEGMENT_PATHS: ReadonlySet<string> = new Set([...SEGMENT_ROUTES, 'batch', 'import'].map((t) => `/v1/${t}`));
const HELPDESK_ROUTE = '/v1/webhooks/helpdesk';

declare module 'fastify' {
  interface FastifyRequest {
    /** The source the write key maps to (`default` without write keys). */
    source: string;
    /** A Segment call without basic auth: its write key is looked for in the body (`writeKey`), as Segment's API allows. */
    writeKeyInBody: boolean;
    /** `performance.now()` when the request arrived. */
    startedAt: number;
  }
}

type Problem = { error: string; message: string };

function problem(reply: FastifyReply, status: number, error: string, message: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(status).headers(headers).send({ error, message } satisfies Problem);
}

/**
 * Builds the API server (not yet listening): `POST /v1/events` (native),
 * the Segment Tracking API (`/v1/track|identify|group|page|screen|batch`,
 * when the mapping file has a `segment` section) and the help-desk webhook
 * (`POST /v1/webhooks/helpdesk`, with a `helpdesk` section). Write-key
 * basic auth (401) and the per-source rate (429 + Retry-After) are checked
 * before the body is read; 413 above the body limit or record count; 400
 * for a body that cannot be read at all; 422 when any item is rejected
 * (the others are stored: the items say which); 503 + Retry-After while
 * Kafka or the registry cannot take the records; 200 once Kafka has
 * acknowledged every accepted record.
 */
export function createApiServer(deps: ApiDeps): FastifyInstance {
  const { metrics, limiter, mapping } = deps;
  const keys = new Map(deps.writeKeys.map((w) => [w.key, w.source]));
  const app = Fastify({ bodyLimit: deps.bodyLimit, logger: false, return503OnClosing: true, forceCloseConnections: 'idle' });

  app.removeAllContentTypeParsers();
  // gzip and deflate bodies, as Segment's libraries may send them: the limit holds for both sizes
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    const encoding = req.headers['content-encoding'];
    if (encoding === undefined || encoding === 'identity') return done(null, body);
    try {
      done(null, (encoding === 'gzip' ? gunzipSync : inflateSync)(body as Buffer, { maxOutputLength: deps.bodyLimit }));
    } catch (err) {
      const tooLarge = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      const error = new Error(tooLarge ? `the body is larger than ${deps.bodyLimit} bytes once decompressed (GATEWAY_BODY_LIMIT); send smaller batches` : `the ${encoding} body does not decompress: ${(err as Error).message}`);
      done(Object.assign(error, { statusCode: tooLarge ? 413 : 400, code: tooLarge ? 'FST_ERR_CTP_BODY_TOO_LARGE' : 'BAD_ENCODING' }), undefined);
    }
  });
  app.decorateRequest('source', 'default');
  app.decorateRequest('writeKeyInBody', false);
  app.decorateRequest('startedAt', 0);

  app.addHook('onRequest', async (req, reply) => {
    req.startedAt = performance.now();
    const route = req.routeOptions.url;
    if (!route) return;
    if (route === HELPDESK_ROUTE) {
      req.source = 'helpdesk';
    } else if (keys.size > 0) {
      const source = sourceOf(req.headers.authorization, keys);
      if (source === undefined && req.headers.authorization === undefined && SEGMENT_PATHS.has(route)) {
        // Segment's API also takes the write key in the body: the handler checks it once parsed
        req.writeKeyInBody = true;
      } else if (source === undefined) {
        return problem(reply, 401, 'unauthorized', 'HTTP basic auth with a write key as the user name is required', { 'www-authenticate': 'Basic realm="valuepulse"' });
      } else {
        req.source = source;
      }
    }
    const wait = limiter.take((keys.size > 0 && !req.writeKeyInBody) || route === HELPDESK_ROUTE ? `source:${req.source}` : `ip:${req.ip}`);
    if (wait > 0) return problem(reply, 429, 'rate_limited', `more than the allowed requests per second for ${req.source}; retry after ${wait} s`, { 'retry-after': String(wait) });
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && !['identity', 'gzip', 'deflate'].includes(encoding)) {
      return problem(reply, 415, 'unsupported_encoding', `content-encoding ${encoding} is not supported; send the body uncompressed, gzip or deflate`);
    }
    return undefined;
  });

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.requestSeconds.observe({ route }, (performance.now() - req.startedAt) / 1000);
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return problem(reply, 413, 'body_too_large', err.message.includes('decompressed') ? err.message : `the body is larger than ${deps.bodyLimit} bytes (GATEWAY_BODY_LIMIT); send smaller batches`);
    }
    if (err instanceof DependencyUnavailableError || (err instanceof ValuepulseError && err.code === 'SCHEMA_NOT_REGISTERED')) {
      return problem(reply, 503, 'unavailable', `${err.message}; nothing of this request is acknowledged: retry it`, { 'retry-after': '1' });
    }
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return problem(reply, err.statusCode, 'bad_request', err.message);
    deps.logger.error({ err }, 'request failed');
    return problem(reply, 500, 'internal_error', 'the request failed inside the gateway (logged)');
  });

  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}`));

  const answer = (reply: FastifyReply, report: IngestReport, extra: Record<string, unknown> = {}) =>
    reply.code(report.rejected > 0 ? 422 : 200).send({ ...extra, accepted: report.accepted, rejected: report.rejected, skipped: report.skipped, items: report.items });

  const tooMany = (reply: FastifyReply, n: number) => problem(reply, 413, 'too_many_records', `${n} records in one request, more than ${deps.maxRecords} (GATEWAY_MAX_RECORDS); send smaller batches`);

  app.post('/v1/events', async (req, reply) => {
    const split = splitBody(bodyText(req.body));
    if ('reason' in split) return problem(reply, 400, split.reason, split.message);
    if (!Array.isArray(split.items)) return problem(reply, 400, 'invalid_body', 'the body must be a JSON array or NDJSON of records');
    if (split.items.length > deps.maxRecords) return tooMany(reply, split.items.length);
    const report = await ingest(deps, '/v1/events', split.items.map((item, index) => ({ index, outcome: nativeItem(item) })));
    return answer(reply, report);
  });

  const segment = mapping?.segment;
  const segmentHandler = (type: string | 'batch') => async (req: FastifyRequest, reply: FastifyReply) => {
    if (!segment) return problem(reply, 404, 'not_configured', 'the Segment API needs a segment section in the mapping file (GATEWAY_MAPPING_FILE)');
    const body = parseJson(req.body);
    if (!body.ok) return problem(reply, 400, 'invalid_json', body.message);
    if (req.writeKeyInBody) {
      const key = (body.value as { writeKey?: unknown } | null)?.writeKey;
      const source = typeof key === 'string' ? keys.get(key) : undefined;
      if (source === undefined) {
        return problem(reply, 401, 'unauthorized', 'a write key is required: HTTP basic auth with the key as the user name, or "writeKey" in the body', { 'www-authenticate': 'Basic realm="valuepulse"' });
      }
      req.source = source;
    }
    const ctx = { source: req.source, receivedAt: Date.now() };
    let calls: { message: unknown; type: string }[];
    if (type === 'batch') {
      const batch = (body.value as { batch?: unknown } | null)?.batch;
      if (!Array.isArray(batch)) return problem(reply, 400, 'invalid_body', 'a batch body is { "batch": [ calls ] }');
      const shared = (body.value as { context?: unknown }).context;
      calls = batch.map((message: unknown) => ({ message: withContext(message, shared), type: String((message as { type?: unknown } | null)?.type ?? '') }));
    } else {
      calls = [{ message: body.value, type }];
    }
    if (calls.length > deps.maxRecords) return tooMany(reply, calls.length);
    const outcomes: { index: number; outcome: ItemOutcome }[] = [];
    calls.forEach(({ message, type: t }, index) => {
      for (const outcome of mapSegmentCall(message, t, segment, ctx)) outcomes.push({ index, outcome });
    });
    return answer(reply, await ingest(deps, req.routeOptions.url ?? type, outcomes), { success: true });
  };
  for (const type of SEGMENT_ROUTES) app.post(`/v1/${type}`, segmentHandler(type));
  app.post('/v1/batch', segmentHandler('batch'));
  // analytics-node sends to the path it is configured with; /v1/import is Segment's alias of batch
  app.post('/v1/import', segmentHandler('batch'));

  app.post(HELPDESK_ROUTE, async (req, reply) => {
    const helpdesk = mapping?.helpdesk;
    if (!helpdesk) return problem(reply, 404, 'not_configured', 'help-desk webhooks need a helpdesk section in the mapping file (GATEWAY_MAPPING_FILE)');
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const timestamp = header(req, TIMESTAMP_HEADER);
    if (!verifyHelpdeskSignature(deps.helpdeskSecret, timestamp, header(req, SIGNATURE_HEADER), raw)) {
      metrics.records.inc({ route: HELPDESK_ROUTE, outcome: 'rejected', reason: 'bad_signature' });
      return problem(reply, 401, 'bad_signature', `${SIGNATURE_HEADER} is not the HMAC-SHA256 of ${TIMESTAMP_HEADER} + body under the shared secret`);
    }
    const body = parseJson(raw);
    if (!body.ok) return problem(reply, 400, 'invalid_json', body.message);
    return answer(reply, await ingest(deps, HELPDESK_ROUTE, [{ index: 0, outcome: mapTicket(body.value, helpdesk, Date.now()) }]));
  });

  return app;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function bodyText(body: unknown): string {
  return Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

function parseJson(body: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = bodyText(body);
  if (text.trim() === '') return { ok: false, message: 'the body is empty' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `not JSON: ${(err as Error).message}` };
  }
}

/** The write key is the basic-auth user name (Segment's convention; the password is empty). */
function sourceOf(authorization: string | undefined, keys: ReadonlyMap<string, string>): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return keys.get(colon < 0 ? decoded : decoded.slice(0, colon));
}

/** A batch's top-level context under each call's own (the call's fields win). */
function withContext(message: unknown, shared: unknown): unknown {
  if (typeof shared !== 'object' || shared === null || typeof message !== 'object' || message === null) return message;
  const own = (message as { context?: unknown }).context;
  return { ...message, context: { ...(shared as object), ...(typeof own === 'object' && own !== null ? own : {}) } };
}
