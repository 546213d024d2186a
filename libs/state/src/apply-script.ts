import { APPLY_JOINS_LUA } from './apply-joins.lua.js';
import { luaAccountKeys } from './keys.js';
import { APPLY_WINDOW_LUA } from './apply-window.lua.js';
import { EVENT_WIDTH } from './store-event.js';

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
export const APPLY_LUA = `
local DAY = 86400000
local R, WTTL, DTTL = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local TD, UW = tonumber(ARGV[4]), tonumber(ARGV[5])
local SRC = ARGV[6]
-- the events' values, back to back (EVENT_WIDTH per kind)
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

-- maxDay is nil only when there were no events: nothing to write
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
