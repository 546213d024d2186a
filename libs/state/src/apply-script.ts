import { APPLY_JOINS_LUA } from './apply-joins.lua.js';
import { luaAccountKeys } from './keys.js';
import { APPLY_WINDOW_LUA } from './apply-window.lua.js';
import { EVENT_WIDTH } from './store-event.js';

// What both apply scripts start with: the arguments, the account's keys and
// meta, and the windowed and order-free helpers.
const APPLY_PROLOGUE = `
local DAY = 86400000
local R, WTTL, DTTL = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local TD, UW = tonumber(ARGV[4]), tonumber(ARGV[5])
local SRC = ARGV[6]
-- the packed argument: the events' values back to back, EVENT_WIDTH per
-- kind (APPLY_LUA), or a call's usage events summed up (APPLY_USAGE_LUA)
local EV = cjson.decode(ARGV[7])
local M = KEYS[1]
${luaAccountKeys('meta', { D: 'days', UD: 'userDays', F: 'features', W: 'workflows', T: 'teams', I: 'integrations', RL: 'roles', S: 'stakeholders', TF: 'ticketsByFeature', MS: 'milestones', U: 'subAccounts' })}
-- same hash tag as the meta key, so the dedup sets share the account's slot
local KBASE = string.sub(M, 1, -2) .. 'k:'

local function n2s(n) return string.format('%.0f', n) end
local function opt(n) if n == nil then return '' end return n2s(n) end

-- unpack() is limited by the Lua stack: send long argument lists in chunks
-- (of an even length, so field/value and score/member pairs stay whole)
local function callChunked(command, key, args, option)
  for i = 1, #args, 500 do
    if option then
      redis.call(command, key, option, unpack(args, i, math.min(i + 499, #args)))
    else
      redis.call(command, key, unpack(args, i, math.min(i + 499, #args)))
    end
  end
end
local function hdelAll(key, fields) callChunked('HDEL', key, fields) end

local meta = redis.call('HMGET', M, 'maxDay', 'first', 'last')
local maxDay, first, last = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
local metaDirty = false
-- windowed keys written in this call, and whether the newest day moved
local written, advanced = {}, false
${APPLY_WINDOW_LUA}
${APPLY_JOINS_LUA}
local function width(kind)
  if kind == 'U' then return ${EVENT_WIDTH.U} elseif kind == 'S' then return ${EVENT_WIDTH.S} end
  return ${EVENT_WIDTH.A}
end

`;

// What both end with: the windowed state flushed, TTLs, the new dedup ids
// (newIds), the applied count and the partition check; then the reply.
const APPLY_EPILOGUE = `-- maxDay is nil only when there were no events: nothing to write
if maxDay ~= nil then
  flushDays()
  flushUsersAndSeen()
  flushUnits()
  if flushRoles() > 0 then changed = 1 end
  if metaDirty then
    local fields = { 'maxDay', n2s(maxDay) }
    if first ~= nil then fields[#fields + 1] = 'first'; fields[#fields + 1] = n2s(first) end
    if last ~= nil then fields[#fields + 1] = 'last'; fields[#fields + 1] = n2s(last) end
    redis.call('HSET', M, unpack(fields))
  end
  -- TTLs: refreshed once a day (when the newest day moves), set on keys this
  -- call created; NX is a no-op otherwise, so it is not replicated or logged
  for _, key in ipairs({ D, UD, F, W, T, TF, U }) do
    if advanced then
      redis.call('EXPIRE', key, WTTL)
    elseif written[key] then
      redis.call('EXPIRE', key, WTTL, 'NX')
    end
  end
  for day, ids in pairs(newIds) do
    if day >= maxDay - R + 1 then
      local key = KBASE .. n2s(day)
      callChunked('SADD', key, ids)
      redis.call('EXPIRE', key, DTTL, 'NX')
    end
  end
  -- the count of applied events only grows: it orders the account's evaluations (snapshots' events_applied)
  if applied > 0 then redis.call('HINCRBY', M, 'n', applied) end
end
-- one topic per kind: the partition each kind last came from ('p' .. kind in
-- the meta hash); another one means the producers do not agree on where the
-- account's key goes. 'pm' marks that it happened once, for a single warning.
local previous, firstMove = -1, 0
if SRC ~= '' then
  for k, _ in pairs(kinds) do
    local before = redis.call('HGET', M, 'p' .. k)
    if before ~= SRC then
      redis.call('HSET', M, 'p' .. k, SRC)
      if before then
        previous = tonumber(before)
        if redis.call('HSETNX', M, 'pm', '1') == 1 then firstMove = 1 end
      end
    end
  end
end
table.insert(result, 1, firstMove)
table.insert(result, 1, previous)
table.insert(result, 1, outside)
table.insert(result, 1, changed)
table.insert(result, 1, applied)
return result
`;

/**
 * The apply script: all events of one account in one atomic call.
 *
 * KEYS: the account's meta key only; the script names the others from it
 * (luaAccountKeys: days, userDays, features, workflows, teams, integrations,
 * roles, stakeholders, ticketsByFeature, milestones, subAccounts, and the
 * dedup sets).
 * ARGV: retentionDays, windowTtlSeconds, dedupTtlSeconds, ticketDays,
 * userDays, the Kafka partition the events came from ('' when unknown), then
 * the events in one argument (packStoreEvents: a JSON array of their
 * encodeStoreEvent values, back to back).
 *
 * Returns `{applied, changed (0|1), outsideWindow, previousPartition,
 * firstMove (0|1), dupIndex…}` with 1-based indices of the events recognised
 * as duplicates. `previousPartition` is -1 unless the account's events of
 * this kind came from another partition before (see "Partitions" in
 * LAYOUT.md); `firstMove` is 1 the first time that happens to the account.
 *
 * First the dedup: which events fall inside the retention window at their
 * turn is known up front (the newest day only moves forward), so their
 * fingerprints are looked up with one `SMISMEMBER` per day; an event is a
 * duplicate when its day's set has its fingerprint or an earlier event of the
 * call had it. The new fingerprints are added once per day after the loop,
 * to the sets of the days still in the window — what a `SADD` per event
 * followed by the trimming would leave.
 *
 * Then per event, in order: advance the account's newest day (trimming what falls
 * out of the windows); unless it is a duplicate, update the windowed state
 * if its day is inside the retention window
 * (counters, users, last-seen, tickets by feature, events per team and
 * product line); then, whatever its age,
 * the order-free facts (activity span, roles, integrations, contract,
 * stakeholders, milestones, NPS, survey answers by respondent and ticket). Only windowed updates can count twice, so
 * only in-window events need the dedup check. Windows count back from the
 * account's own newest day, never from a shared clock, so the result does not
 * depend on how partitions interleave — a replay gives the same state.
 * Finally the meta field `n` grows by the number of events applied (not
 * duplicates): read with the state, it tells which of two evaluations saw more.
 */
export const APPLY_LUA = `${APPLY_PROLOGUE}
-- Dedup, one SMISMEMBER per day instead of a SADD per event. The newest day
-- only moves forward, so which events are inside the window at their turn
-- (the ones the sets decide) is known before applying any: follow it here.
-- A fingerprint is a duplicate when its day's set has it or an earlier event
-- of this call had it; the new ones are added once, after the loop, to the
-- sets of the days still inside the window (advance() deletes the others,
-- as it would have deleted them with these ids in)
local dupAt, newIds = {}, {}
do
  local top, byDay = maxDay, {}
  local i, idx = 1, 0
  while i <= #EV do
    local day = math.floor(tonumber(EV[i + 2]) / DAY)
    idx = idx + 1
    if top == nil or day > top then top = day end
    if day >= top - R + 1 then
      local g = byDay[day]
      if g == nil then g = { {}, {} }; byDay[day] = g end
      g[1][#g[1] + 1] = EV[i + 1]
      g[2][#g[2] + 1] = idx
    end
    i = i + width(EV[i])
  end
  for day, g in pairs(byDay) do
    local fps, seen, fresh = g[1], {}, {}
    for c = 1, #fps, 500 do
      local known = redis.call('SMISMEMBER', KBASE .. n2s(day), unpack(fps, c, math.min(c + 499, #fps)))
      for j = 1, #known do
        local fp = fps[c + j - 1]
        if known[j] == 1 or seen[fp] then
          dupAt[g[2][c + j - 1]] = true
        else
          seen[fp] = true
          fresh[#fresh + 1] = fp
        end
      end
    end
    if #fresh > 0 then newIds[day] = fresh end
  end
end

local applied, changed, outside = 0, 0, 0
local result = {}
local idx = 0
local kinds = {}
local i = 1
while i <= #EV do
  local kind, at, typ = EV[i], tonumber(EV[i + 2]), EV[i + 3]
  local day = math.floor(at / DAY)
  idx = idx + 1
  kinds[kind] = true
  if maxDay == nil or day > maxDay then
    advance(day)
  end
  local inWindow = day >= maxDay - R + 1
  if dupAt[idx] then
    result[#result + 1] = idx
  else
    applied = applied + 1
    if not inWindow then outside = outside + 1 end
    local ch
    if kind == 'U' then
      ch = usage(i + 4, at, day, typ, inWindow)
    elseif kind == 'S' then
      ch = support(i + 4, day, typ, inWindow) + supportJoins(i + 4, at, typ)
    else
      ch = account(i + 4, at, typ)
    end
    if ch > 0 then changed = 1 end
  end
  i = i + width(kind)
end

${APPLY_EPILOGUE}`;

/**
 * The usage apply script: one account's usage events, summed up in the
 * client ({@link packUsageCall}), in one atomic call — what {@link APPLY_LUA}
 * stores for the same events, with the per-event work done once per day,
 * user, feature or team instead of once per event in Lua (Redis spent ~10 µs
 * an event interpreting APPLY_LUA's loop; `bench/results/reference-scorer.md`).
 *
 * KEYS and ARGV as APPLY_LUA, the last argument being the sum (a JSON array):
 * `[newestDay, events, outsideByCall, days, users, features, workflows, teams,
 * units, first, last, roles, roleDays, integrations]` where
 * - `newestDay` is the call's newest day; `outsideByCall` counts the events
 *   already outside the retention window when they came (their day before
 *   the newest one of the events before them, less the window);
 * - `days`: `[[day, [events, logins, workflowRuns, apiCalls], [fingerprint…]]…]`
 *   of the other events, which are inside the window at their turn unless
 *   the stored newest day says otherwise — a condition on the day alone;
 * - `users`: `[[user, day, team, day, team…]…]`, the distinct days of the
 *   events that are also inside the users' window at their turn, each with
 *   the smallest team named that day ('' for none);
 * - `features`, `workflows`, `teams`, `roles`: `[member, latestTime…]` over
 *   all the events (what is older than the window is dropped when written);
 *   `units`: `[[field, day, n, day, n…]…]` of the events inside the window;
 *   `roleDays`: `[[role, day…]…]`; `integrations`: `[[id, time, '1'|'0']…]`,
 *   the winning change per integration.
 *
 * Every update of APPLY_LUA is a sum, a set union or a join, and the newest
 * day only grows, so applying the sums after moving the newest day once
 * stores what the events one by one store — given two conditions it checks
 * before writing anything, replying `{-1}` when one fails, so the client
 * applies the call with APPLY_LUA instead: no fingerprint of the call is
 * stored already (the client sends no call holding one twice), and the
 * team / product-line keys cannot reach SUB_ACCOUNT_KEYS_KEPT in this call
 * (which key gets a freed place would depend on the order).
 *
 * Returns APPLY_LUA's `{applied, changed, outsideWindow, previousPartition,
 * firstMove}` (never a duplicate), or `{-1}`.
 */
export const APPLY_USAGE_LUA = `${APPLY_PROLOGUE}
local newestDay, outside = EV[1], EV[3]
local days, users, units = EV[4], EV[5], EV[9]
-- an event was inside a window at its turn when the call says so and its day
-- is inside the window of the newest day stored before the call
local lo, ulo = -math.huge, -math.huge
if maxDay ~= nil then lo, ulo = maxDay - R + 1, maxDay - UW + 1 end

for g = 1, #days do
  local day, fps = days[g][1], days[g][3]
  if day >= lo then
    for c = 1, #fps, 500 do
      local known = redis.call('SMISMEMBER', KBASE .. n2s(day), unpack(fps, c, math.min(c + 499, #fps)))
      for j = 1, #known do
        if known[j] == 1 then return { -1 } end
      end
    end
  end
end
if #units > 0 and redis.call('HLEN', U) + #units > UK then return { -1 } end

if maxDay == nil or newestDay > maxDay then advance(newestDay) end
local applied, changed = EV[2], 0
local kinds, result, newIds = { U = true }, {}, {}
for g = 1, #days do
  local day, n = days[g][1], days[g][2]
  if day >= lo then
    local c = counters(day)
    c[1] = c[1] + n[1]; c[2] = c[2] + n[2]; c[3] = c[3] + n[3]; c[10] = c[10] + n[4]
    newIds[day] = days[g][3]
    changed = 1
  else
    outside = outside + n[1]
  end
end
for n = 1, #users do
  local u = users[n]
  for i = 2, #u, 2 do
    if u[i] >= lo and u[i] >= ulo then markUser(u[1], u[i], u[i + 1]) end
  end
end
for key, latest in pairs({ [F] = EV[6], [W] = EV[7], [T] = EV[8] }) do
  for i = 1, #latest, 2 do touch(key, latest[i], latest[i + 1]) end
end
for n = 1, #units do
  local u = units[n]
  for i = 2, #u, 2 do
    if u[i] >= lo then countUnit(u[1], u[i], u[i + 1]) end
  end
end
if first == nil or EV[10] < first then first = EV[10]; metaDirty = true; changed = 1 end
if last == nil or EV[11] > last then last = EV[11]; metaDirty = true; changed = 1 end
for i = 1, #EV[12], 2 do touchRole(EV[12][i], EV[12][i + 1]) end
for _, r in ipairs(EV[13]) do
  for i = 2, #r do touchRoleDay(r[1], r[i]) end
end
for _, g in ipairs(EV[14]) do
  if integration(g[1], g[2], g[3]) > 0 then changed = 1 end
end
${APPLY_EPILOGUE}`;
