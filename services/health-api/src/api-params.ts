import { ALERT_KIND_SYMBOLS, ALERT_SEVERITY_SYMBOLS, SEGMENT_SYMBOLS } from '@valuepulse/contracts';
import { HEALTH_TIERS } from '@valuepulse/scoring';
import { BREACHABLE_SIGNALS, type AccountSummary } from './account-view.js';
import type { AlertFilter, Day } from './history-queries.js';
import type { AccountQuery } from './portfolio.js';

/**
 * Account ids the API takes: letters, digits and `_ . : @ ~ + = -`, at most
 * 256 characters. Nothing that could end a SQL string literal or a Redis
 * hash tag gets this far (and what reaches SQL is escaped as well).
 */
export const ACCOUNT_ID = /^[A-Za-z0-9_.:@~+=-]{1,256}$/;
const SIGNAL = /^[a-z_]{1,64}$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The longest history one request may ask for. */
export const MAX_HISTORY_DAYS = 400;

/** A request the API refuses, with what was wrong in words (→ 400). */
export class BadRequest extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

type Query = Record<string, unknown>;

function only(q: Query, allowed: readonly string[]): void {
  for (const key of Object.keys(q)) {
    if (!allowed.includes(key)) throw new BadRequest(key, `unknown query parameter (allowed: ${allowed.join(', ')})`);
  }
}

function text(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequest(name, 'given more than once');
  return v;
}

function list<T extends string>(q: Query, name: string, allowed: readonly T[], normalize: (s: string) => string = (s) => s): T[] | undefined {
  const raw = text(q, name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => normalize(s.trim()));
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new BadRequest(name, `expected a comma-separated list of ${allowed.join(', ')}; got ${JSON.stringify(item.slice(0, 64))}`);
  }
  return items as T[];
}

function int(q: Query, name: string, min: number, max: number, fallback?: number): number | undefined {
  const raw = text(q, name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new BadRequest(name, `expected an integer from ${min} to ${max}`);
  return Number(raw);
}

/** A valid calendar day `YYYY-MM-DD` (UTC). */
export function parseDay(name: string, raw: string): Day {
  const m = DAY.exec(raw);
  const t = m ? Date.parse(`${raw}T00:00:00Z`) : Number.NaN;
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== raw) throw new BadRequest(name, 'expected a day as YYYY-MM-DD');
  return raw;
}

/** Checks an account id from the path. */
export function parseAccountId(raw: unknown): string {
  if (typeof raw !== 'string' || !ACCOUNT_ID.test(raw)) {
    throw new BadRequest('id', 'expected an account id of 1–256 letters, digits and _ . : @ ~ + = -');
  }
  return raw;
}

const upper = (s: string) => s.toUpperCase();
const SEGMENTS = SEGMENT_SYMBOLS.filter((s) => s !== 'UNKNOWN');
const SORTS = ['health_score', 'arr', 'days_to_renewal'] as const;

/** `GET /v1/accounts`: tier, segment, renewal_within_days, breached, sort, order, limit, offset. */
export function parseAccountQuery(q: Query, maxPage: number): AccountQuery {
  only(q, ['tier', 'segment', 'renewal_within_days', 'breached', 'sort', 'order', 'limit', 'offset']);
  const tier = list<AccountSummary['tier']>(q, 'tier', HEALTH_TIERS, upper);
  const segment = list(q, 'segment', SEGMENTS, upper);
  const renewalWithinDays = int(q, 'renewal_within_days', 0, 3650);
  const breached = list(q, 'breached', BREACHABLE_SIGNALS);
  const [sort = 'health_score'] = list(q, 'sort', SORTS) ?? [];
  const [order = sort === 'arr' ? 'desc' : 'asc'] = list(q, 'order', ['asc', 'desc'] as const) ?? [];
  const sortList = text(q, 'sort');
  if (sortList !== undefined && sortList.includes(',')) throw new BadRequest('sort', `expected one of ${SORTS.join(', ')}`);
  return {
    ...(tier ? { tier } : {}),
    ...(segment ? { segment } : {}),
    ...(renewalWithinDays !== undefined ? { renewalWithinDays } : {}),
    ...(breached ? { breached } : {}),
    sort,
    order,
    limit: int(q, 'limit', 1, maxPage, 50) as number,
    offset: int(q, 'offset', 0, 10_000_000, 0) as number,
  };
}

/** `GET /v1/accounts/{id}/history`: from and to (days, inclusive; default the 90 days up to `today`). */
export function parseHistoryQuery(q: Query, today: Day): { from: Day; to: Day } {
  only(q, ['from', 'to']);
  const rawTo = text(q, 'to');
  const rawFrom = text(q, 'from');
  const to = rawTo === undefined ? today : parseDay('to', rawTo);
  const from = rawFrom === undefined ? new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10) : parseDay('from', rawFrom);
  if (from > to) throw new BadRequest('from', `must not be after to (${to})`);
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > MAX_HISTORY_DAYS) throw new BadRequest('from', `at most ${MAX_HISTORY_DAYS} days in one request (asked for ${days})`);
  return { from, to };
}

/** `GET /v1/alerts`: account_id, severity, signal, kind, since, until, limit. */
export function parseAlertQuery(q: Query): AlertFilter {
  only(q, ['account_id', 'severity', 'signal', 'kind', 'since', 'until', 'limit']);
  const accountId = text(q, 'account_id');
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) throw new BadRequest('account_id', 'expected an account id of 1–256 letters, digits and _ . : @ ~ + = -');
  const severity = list(q, 'severity', ALERT_SEVERITY_SYMBOLS.filter((s) => s !== 'UNKNOWN'), upper);
  const kind = list(q, 'kind', ALERT_KIND_SYMBOLS.filter((s) => s !== 'UNKNOWN'), upper);
  const rawSignal = text(q, 'signal');
  let signal: string[] | undefined;
  if (rawSignal !== undefined) {
    signal = rawSignal.split(',').map((s) => s.trim());
    if (!signal.every((s) => SIGNAL.test(s))) throw new BadRequest('signal', 'expected a comma-separated list of signal names (lower-case letters and _)');
  }
  const rawSince = text(q, 'since');
  const rawUntil = text(q, 'until');
  return {
    ...(accountId !== undefined ? { accountId } : {}),
    ...(severity ? { severity } : {}),
    ...(kind ? { kind } : {}),
    ...(signal ? { signal } : {}),
    ...(rawSince !== undefined ? { since: parseDay('since', rawSince) } : {}),
    ...(rawUntil !== undefined ? { until: parseDay('until', rawUntil) } : {}),
    limit: int(q, 'limit', 1, 1000, 100) as number,
  };
}
