import { ALERT_KIND_SYMBOLS, ALERT_SEVERITY_SYMBOLS, SEGMENT_SYMBOLS } from '@valuepulse/contracts';
import { HEALTH_TIERS } from '@valuepulse/scoring';
import { BREACHABLE_SIGNALS } from './account-view.js';
import { ACCOUNT_ID, MAX_HISTORY_DAYS } from './api-params.js';

const csv = (description: string, values: readonly string[]) => ({
  description: `${description}; comma-separated, any of: ${values.join(', ')}`,
  schema: { type: 'string', pattern: `^(${values.join('|')})(,(${values.join('|')}))*$` },
});
const q = (name: string, schema: Record<string, unknown>, description: string) => ({ name, in: 'query', required: false, description, schema });
const day = { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const nullable = (type: string) => ({ type: [type, 'null'] });
const errors = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '503': { $ref: '#/components/responses/Unavailable' },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: ACCOUNT_ID.source } };

const accountSummary = {
  type: 'object',
  required: ['account_id', 'tier', 'health_score', 'breached', 'top_reason', 'as_of'],
  properties: {
    account_id: { type: 'string' },
    segment: nullable('string'),
    tier: { type: 'string', enum: [...HEALTH_TIERS] },
    health_score: { type: 'number', minimum: 0, maximum: 100 },
    value_lock_in: nullable('number'),
    arr: nullable('number'),
    renewal_date: { type: ['string', 'null'], format: 'date' },
    days_to_renewal: nullable('integer'),
    breached: { type: 'array', items: { type: 'string', enum: [...BREACHABLE_SIGNALS] } },
    top_reason: { type: 'string', description: 'the worst breached signal in words, else the score component that costs the most points' },
    as_of: { type: 'string', format: 'date-time' },
  },
};

const alert = {
  type: 'object',
  properties: {
    alert_id: { type: 'string' },
    account_id: { type: 'string' },
    signal: { type: 'string' },
    kind: { type: 'string', enum: ALERT_KIND_SYMBOLS.filter((s) => s !== 'UNKNOWN') },
    severity: { type: 'string', enum: ALERT_SEVERITY_SYMBOLS.filter((s) => s !== 'UNKNOWN') },
    from_state: nullable('string'),
    to_state: { type: 'string' },
    value: nullable('number'),
    threshold: nullable('number'),
    days_to_renewal: nullable('integer'),
    model_version: { type: 'string' },
    evaluated_at: { type: 'string', format: 'date-time' },
    evidence: {
      type: 'array',
      items: { type: 'object', properties: { factor: { type: 'string' }, value: nullable('number'), contribution: nullable('number'), detail: nullable('string') } },
    },
    summary: { type: 'string', description: 'the change in words' },
    evidence_text: { type: 'array', items: { type: 'string' }, description: 'each evidence entry in words' },
  },
};

/** The OpenAPI 3.1 document served at /openapi.json. */
export function openApiDocument(maxPage: number): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'valuepulse health API',
      version: '1',
      description:
        "Every account's current health (read from the scorer's state in Redis, as `valuepulse health` shows it) and its history (ClickHouse). " +
        'All /v1 routes take `Authorization: Bearer <token>` (HEALTH_API_TOKENS). Errors are `{ error, message, parameter? }`.',
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/portfolio': {
        get: {
          summary: 'Accounts and ARR by tier, renewals in 30/60/90 days, the at-risk list (RED and ORANGE, worst first) and renewals in 90 days',
          responses: { '200': { description: 'the portfolio', content: { 'application/json': { schema: { type: 'object' } } } }, ...errors },
        },
      },
      '/v1/accounts': {
        get: {
          summary: 'Accounts, filtered, sorted and paged',
          parameters: [
            { name: 'tier', in: 'query', ...csv('health tiers', HEALTH_TIERS) },
            { name: 'segment', in: 'query', ...csv('segments', SEGMENT_SYMBOLS.filter((s) => s !== 'UNKNOWN')) },
            q('renewal_within_days', { type: 'integer', minimum: 0, maximum: 3650 }, 'renewal date within this many days (overdue renewals included)'),
            { name: 'breached', in: 'query', ...csv('accounts with any of these signals breached', BREACHABLE_SIGNALS) },
            q('sort', { type: 'string', enum: ['health_score', 'arr', 'days_to_renewal'], default: 'health_score' }, 'sort key (nulls last, then account id)'),
            q('order', { type: 'string', enum: ['asc', 'desc'] }, 'default asc, desc for arr'),
            q('limit', { type: 'integer', minimum: 1, maximum: maxPage, default: 50 }, 'page size'),
            q('offset', { type: 'integer', minimum: 0, default: 0 }, 'rows to skip'),
          ],
          responses: {
            '200': {
              description: 'a page',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { total: { type: 'integer' }, offset: { type: 'integer' }, limit: { type: 'integer' }, items: { type: 'array', items: { $ref: '#/components/schemas/AccountSummary' } } },
                  },
                },
              },
            },
            ...errors,
          },
        },
      },
      '/v1/accounts/{id}': {
        get: {
          summary: 'One account now: signals (snapshot), score, tier, value lock-in, score components (evidence), stakeholders, milestones, contract',
          parameters: [idParam],
          responses: {
            '200': { description: 'the account', content: { 'application/json': { schema: { $ref: '#/components/schemas/AccountSummary' } } } },
            '404': { $ref: '#/components/responses/NotFound' },
            ...errors,
          },
        },
      },
      '/v1/accounts/{id}/history': {
        get: {
          summary: `Daily series (last snapshot of each UTC day; logins, active users and tickets from the daily rollups) and the alerts of [from, to], at most ${MAX_HISTORY_DAYS} days`,
          parameters: [idParam, q('from', day, 'first day (default: 89 days before to)'), q('to', day, "last day, inclusive (default: today on the API's clock)")],
          responses: {
            '200': {
              description: 'series aligned on `days`; null where a day has no data',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      days: { type: 'array', items: day },
                      series: { type: 'object', additionalProperties: { type: 'array', items: { type: ['number', 'string', 'null'] } } },
                      alerts: { type: 'array', items: { $ref: '#/components/schemas/Alert' } },
                    },
                  },
                },
              },
            },
            '404': { $ref: '#/components/responses/NotFound' },
            ...errors,
          },
        },
      },
      '/v1/alerts': {
        get: {
          summary: 'Recent alerts, newest first, with their evidence in words',
          parameters: [
            q('account_id', { type: 'string', pattern: ACCOUNT_ID.source }, 'one account'),
            { name: 'severity', in: 'query', ...csv('severities', ALERT_SEVERITY_SYMBOLS.filter((s) => s !== 'UNKNOWN')) },
            { name: 'kind', in: 'query', ...csv('kinds', ALERT_KIND_SYMBOLS.filter((s) => s !== 'UNKNOWN')) },
            q('signal', { type: 'string', pattern: '^[a-z_]+(,[a-z_]+)*$' }, 'signal names, comma-separated'),
            q('since', day, 'evaluated on or after this day'),
            q('until', day, 'evaluated before this day'),
            q('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'at most this many'),
          ],
          responses: {
            '200': { description: 'alerts', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Alert' } } } } } } },
            ...errors,
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        AccountSummary: accountSummary,
        Alert: alert,
        Error: { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' }, parameter: { type: 'string' } } },
      },
      responses: {
        BadRequest: { description: 'a parameter is invalid (named in `parameter`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Unauthorized: { description: 'no or an unknown bearer token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        NotFound: { description: 'no state for the account', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        Unavailable: { description: 'Redis or ClickHouse did not answer, or the index is not built yet', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    },
  };
}
