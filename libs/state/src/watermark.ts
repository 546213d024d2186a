import type { RedisClient } from './create-redis.js';
import { defineLuaCommand } from './lua-command.js';

// Recomputes the event-time clock from every source (topic-partition) in one
// atomic step. A source is "time|lagging": the highest event time it has
// delivered ('?' before its first batch) and 1 while it still has a backlog.
// The clock is the minimum over lagging sources — a partition still behind
// holds time back, so its accounts are never judged in their own future —
// or, when none lags, the maximum over all. It never moves backwards, and
// does not move at all while a lagging source has not reported a time yet.
const RECOMPUTE = `
local clock = tonumber(redis.call('GET', KEYS[1]) or '-1')
local all = redis.call('HGETALL', KEYS[2])
local minLagging, maxAll, unknown = nil, nil, false
for i = 1, #all, 2 do
  local sep = string.find(all[i + 1], '|', 1, true)
  local t = tonumber(string.sub(all[i + 1], 1, sep - 1))
  local lagging = string.sub(all[i + 1], sep + 1) == '1'
  if t == nil then
    if lagging then unknown = true end
  else
    if maxAll == nil or t > maxAll then maxAll = t end
    if lagging and (minLagging == nil or t < minLagging) then minLagging = t end
  end
end
if unknown then return clock end
local candidate = minLagging or maxAll
if candidate ~= nil and candidate > clock then
  redis.call('SET', KEYS[1], candidate)
  clock = candidate
end
return clock`;

// ARGV: source id ('' for none), its event time ('' for none), then pairs of
// (source id, lagging 0/1): the lag flags as the caller last saw them. A new
// lagging source starts as '?' (time unknown), which holds the clock.
const REPORT = `
if ARGV[1] ~= '' and ARGV[2] ~= '' then
  local old = redis.call('HGET', KEYS[2], ARGV[1])
  local t = tonumber(ARGV[2])
  local flag = '0'
  if old then
    local sep = string.find(old, '|', 1, true)
    local prev = tonumber(string.sub(old, 1, sep - 1))
    if prev ~= nil and prev > t then t = prev end
    flag = string.sub(old, sep + 1)
  end
  redis.call('HSET', KEYS[2], ARGV[1], tostring(t) .. '|' .. flag)
end
for i = 3, #ARGV, 2 do
  local old = redis.call('HGET', KEYS[2], ARGV[i])
  if old then
    redis.call('HSET', KEYS[2], ARGV[i], string.sub(old, 1, string.find(old, '|', 1, true)) .. ARGV[i + 1])
  elseif ARGV[i + 1] == '1' then
    redis.call('HSET', KEYS[2], ARGV[i], '?|1')
  end
end
${RECOMPUTE}`;

/** Where event time comes from: one consumed topic-partition, and whether it still has a backlog. */
export interface WatermarkSource {
  id: string;
  lagging: boolean;
}

/** The event-time clock shared by all scorer instances (`SCORER_CLOCK=event`). */
export interface Watermark {
  /**
   * Records that `source` has delivered events up to `eventTime` (pass
   * `null` when a batch had no valid record, to update only `lagging`).
   * Without a source the time counts as caught up. Resolves to the clock.
   */
  advance(eventTime: number | null, source?: WatermarkSource): Promise<number | null>;
  /**
   * Records `eventTime` for source `id` (either may be null) and the lag
   * flags of any sources (`true` = still has a backlog). A lagging source
   * not seen before has no time yet and holds the clock until it reports.
   * Resolves to the clock.
   */
  report(id: string | null, eventTime: number | null, lagging: Readonly<Record<string, boolean>>): Promise<number | null>;
  /** Declares sources with a backlog (e.g. at a rebalance): `report` with all of them lagging. */
  register(sourceIds: readonly string[]): Promise<number | null>;
  /** The clock, or null before any event. */
  get(): Promise<number | null>;
}

/**
 * Creates the event-time clock at `<prefix>{watermark}` (sources in
 * `<prefix>{watermark}:sources`; the hash tag keeps both in one Redis Cluster
 * slot for the script that updates them together).
 */
export function createWatermark(options: { redis: RedisClient; prefix: string }): Watermark {
  const { redis } = options;
  const keys = [`${options.prefix}{watermark}`, `${options.prefix}{watermark}:sources`] as const;
  const toClock = (value: unknown) => (Number(value) < 0 ? null : Number(value));
  // EVALSHA: the script is sent once per connection, not with every report
  const reportScript = defineLuaCommand(redis, 'vpStateWatermarkReport', 2, REPORT);
  return {
    async report(id, eventTime, lagging) {
      const time = eventTime === null || !Number.isFinite(eventTime) ? '' : String(Math.trunc(eventTime));
      const flags = Object.entries(lagging).flatMap(([source, lags]) => [source, lags ? '1' : '0']);
      return toClock(await reportScript.run(keys, [id ?? '', time, ...flags]));
    },
    async advance(eventTime, source = { id: '_', lagging: false }) {
      return this.report(source.id, eventTime, { [source.id]: source.lagging });
    },
    async register(sourceIds) {
      return this.report(null, null, Object.fromEntries(sourceIds.map((id) => [id, true])));
    },
    async get() {
      const raw = await redis.get(keys[0]);
      return raw === null ? null : Number(raw);
    },
  };
}
