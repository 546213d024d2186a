import { SUB_ACCOUNT_KEYS_KEPT } from '@valuepulse/scoring';

/**
 * Windowed part of the apply script (spliced into APPLY_LUA, sharing its
 * locals): the day counters, the per-user active-day masks, tickets by
 * feature, usage events per team and product line, and `advance`, which trims everything that falls out of the
 * windows when the account's newest day moves forward — at most once per
 * account per day, so trimming costs next to nothing.
 */
export const APPLY_WINDOW_LUA = `
local FULL_MASK = 2 ^ UW - 1
local dayCache, dayDirty = {}, {}

-- counters(day) loads the packed day once per call; flushDays writes back
local function counters(day)
  local c = dayCache[day]
  if c == nil then
    c = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
    local raw = redis.call('HGET', D, n2s(day))
    if raw then
      local n = 1
      for part in string.gmatch(raw, '[^,]+') do c[n] = tonumber(part); n = n + 1 end
    end
    dayCache[day] = c
  end
  dayDirty[day] = true
  written[D] = true
  return c
end

local function flushDays()
  local fields = {}
  for day, _ in pairs(dayDirty) do
    if day >= maxDay - R + 1 then
      local c = dayCache[day]
      local top = #c
      while top > 1 and c[top] == 0 do top = top - 1 end
      local parts = {}
      for n = 1, top do parts[n] = n2s(c[n]) end
      fields[#fields + 1] = n2s(day)
      fields[#fields + 1] = table.concat(parts, ',')
    end
  end
  callChunked('HSET', D, fields)
end

-- usage events per team / product line: field -> '<firstDay>:<n>,<n>,...' (empty for 0; see
-- sub-account-days.ts), parsed once per call into day -> n, written back by flushUnits
local UK = ${SUB_ACCOUNT_KEYS_KEPT}
local unitCache, unitHeld = {}, nil

local function parseUnit(raw)
  local t = {}
  local colon = string.find(raw, ':', 1, true)
  local day = tonumber(string.sub(raw, 1, colon - 1))
  local pos = colon + 1
  while true do
    local comma = string.find(raw, ',', pos, true)
    local part
    if comma then part = string.sub(raw, pos, comma - 1) else part = string.sub(raw, pos) end
    if part ~= '' then t[day] = tonumber(part) end
    if not comma then break end
    pos = comma + 1
    day = day + 1
  end
  return t
end

-- nil when no day from 'floor' on has events
local function packUnit(t, floor)
  local lo, hi = nil, nil
  for d, n in pairs(t) do
    if d >= floor and n > 0 then
      if lo == nil or d < lo then lo = d end
      if hi == nil or d > hi then hi = d end
    end
  end
  if lo == nil then return nil end
  local parts = {}
  for d = lo, hi do
    local n = t[d]
    if n ~= nil and n > 0 then parts[#parts + 1] = n2s(n) else parts[#parts + 1] = '' end
  end
  return n2s(lo) .. ':' .. table.concat(parts, ',')
end

-- the first day of a packed value, nil unless its first and last entries
-- hold a count, as packUnit writes them (every stored value comes from it;
-- this guards the fast paths below against anything else)
local function unitFirst(raw)
  local first = string.match(raw, '^(%-?%d+):[1-9]')
  local tail = string.byte(raw, -1)
  if first == nil or tail < 48 or tail > 57 then return nil end
  return tonumber(first)
end

-- its first and last day (commas counted in C, not day by day in Lua)
local function unitSpan(raw)
  local first = unitFirst(raw)
  if first == nil then return nil end
  local _, commas = string.gsub(raw, ',', ',')
  return first, first + commas
end

-- packUnit(parseUnit(raw) + adds, floor), without parsing every day in the
-- common case: nothing below the floor and every added day on or after the
-- last stored one (then only the last count changes and days are appended)
local function addToUnit(raw, adds, floor)
  if raw then
    local lo, hi = unitSpan(raw)
    if lo ~= nil and lo >= floor then
      local top, tail = hi, true
      for d, _ in pairs(adds) do
        if d < hi then tail = false; break end
        if d > top then top = d end
      end
      if tail then
        local last = string.match(raw, '(%d+)$')
        local parts = { string.sub(raw, 1, #raw - #last), n2s(tonumber(last) + (adds[hi] or 0)) }
        for d = hi + 1, top do
          parts[#parts + 1] = ','
          if adds[d] then parts[#parts + 1] = n2s(adds[d]) end
        end
        return table.concat(parts)
      end
    end
  end
  local t = {}
  if raw then t = parseUnit(raw) end
  for d, n in pairs(adds) do t[d] = (t[d] or 0) + n end
  return packUnit(t, floor)
end

-- counts are gathered per call ({raw value or false, day -> added}) and
-- merged into the stored value once, by flushUnits: n events (1 when not
-- given) of 'field' on 'day'. A key not held while UK keys are is not
-- counted (until one leaves the retention window)
local function countUnit(field, day, n)
  local u = unitCache[field]
  if u == nil then
    local raw = redis.call('HGET', U, field)
    if not raw then
      if unitHeld == nil then unitHeld = redis.call('HLEN', U) end
      if unitHeld >= UK then return end
      unitHeld = unitHeld + 1
    end
    u = { raw, {} }
    unitCache[field] = u
  end
  u[2][day] = (u[2][day] or 0) + (n or 1)
  written[U] = true
end

local function flushUnits()
  local floor = maxDay - R + 1
  local set, gone = {}, {}
  for field, u in pairs(unitCache) do
    if next(u[2]) ~= nil then
      local packed = addToUnit(u[1], u[2], floor)
      if packed then
        set[#set + 1] = field
        set[#set + 1] = packed
      else
        gone[#gone + 1] = field
      end
      u[1], u[2] = packed or false, {}
    end
  end
  callChunked('HSET', U, set)
  hdelAll(U, gone)
end

-- days before the new floor go; a key left without any frees its place. A
-- value whose first day is on or after the floor keeps every day: left as is
local function trimUnits(floor)
  local all = redis.call('HGETALL', U)
  for n = 1, #all, 2 do
    local lo = unitFirst(all[n + 1])
    if lo == nil or lo < floor then
      local packed = packUnit(parseUnit(all[n + 1]), floor)
      if packed == nil then
        redis.call('HDEL', U, all[n])
      elseif packed ~= all[n + 1] then
        redis.call('HSET', U, all[n], packed)
      end
    end
  end
  unitCache, unitHeld = {}, nil
end

local function advance(newMax)
  local rf = newMax - R + 1
  -- what this call counted so far is written first, then everything is trimmed to the new window
  if maxDay ~= nil then flushUnits() end
  trimUnits(rf)
  local dead = {}
  for _, f in ipairs(redis.call('HKEYS', D)) do
    if tonumber(f) < rf then dead[#dead + 1] = f end
  end
  hdelAll(D, dead)
  local uf = newMax - UW + 1
  local users = redis.call('HGETALL', UD)
  dead = {}
  for n = 1, #users, 2 do
    if tonumber(string.match(users[n + 1], '^(-?%d+):')) < uf then dead[#dead + 1] = users[n] end
  end
  hdelAll(UD, dead)
  local cutoff = '(' .. n2s(rf * DAY)
  for _, key in ipairs({ F, W, T }) do redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff) end
  local tf = newMax - TD + 1
  dead = {}
  for _, f in ipairs(redis.call('HKEYS', TF)) do
    if tonumber(string.match(f, '^(-?%d+)|')) < tf then dead[#dead + 1] = f end
  end
  hdelAll(TF, dead)
  -- dedup sets exist only for days in [maxDay - R + 1, maxDay]: drop those below the new floor
  if maxDay ~= nil then
    for d = maxDay - R + 1, math.min(maxDay, newMax - R) do redis.call('DEL', KBASE .. n2s(d)) end
  end
  maxDay = newMax
  metaDirty = true
  advanced = true
end

-- users and last-seen entries are cached for the call and written once:
-- a batch usually holds several events of the same user and feature
local userCache = {}
local function markUser(user, day, team)
  local u = userCache[user]
  if u == nil then
    u = { nil, 0, false, '', nil }
    local raw = redis.call('HGET', UD, user)
    if raw then
      local ld, m, rest = string.match(raw, '^(-?%d+):(%d+)(.*)$')
      u[1], u[2] = tonumber(ld), tonumber(m)
      local td, t = string.match(rest, '^:(-?%d+):(.+)$')
      if td then u[5], u[4] = tonumber(td), t end
    end
    userCache[user] = u
  end
  local lastDay, mask = u[1], u[2]
  -- the team of the latest day an event named one (that day's smallest name: order-free)
  if team ~= '' and (u[5] == nil or day > u[5] or (day == u[5] and team < u[4])) then
    u[4], u[5] = team, day
    u[3] = true
    written[UD] = true
  end
  if lastDay == nil then
    lastDay, mask = day, 1
  elseif day > lastDay then
    local shift = day - lastDay
    if shift >= UW then mask = 1 else mask = bit.bor(bit.band(bit.lshift(mask, shift), FULL_MASK), 1) end
    lastDay = day
  else
    local age = lastDay - day
    if age >= UW then return end
    local merged = bit.bor(mask, bit.lshift(1, age))
    if merged == mask then return end
    mask = merged
  end
  u[1], u[2], u[3] = lastDay, mask, true
  written[UD] = true
end

local seen = { [F] = {}, [W] = {}, [T] = {} }
local function touch(key, member, at)
  local cur = seen[key][member]
  if cur == nil or at > cur then seen[key][member] = at end
  written[key] = true
end

-- what advance() trimmed mid-call must not come back from the caches
local function flushUsersAndSeen()
  local uf = maxDay - UW + 1
  local fields = {}
  for user, u in pairs(userCache) do
    if u[3] and u[1] >= uf then
      fields[#fields + 1] = user
      if u[5] == nil then fields[#fields + 1] = n2s(u[1]) .. ':' .. n2s(u[2]) else fields[#fields + 1] = n2s(u[1]) .. ':' .. n2s(u[2]) .. ':' .. n2s(u[5]) .. ':' .. u[4] end
    end
  end
  callChunked('HSET', UD, fields)
  local floor = (maxDay - R + 1) * DAY
  for key, members in pairs(seen) do
    local args = {}
    for member, at in pairs(members) do
      if at >= floor then
        args[#args + 1] = n2s(at)
        args[#args + 1] = member
      end
    end
    callChunked('ZADD', key, args, 'GT')
  end
end

local function support(a, day, typ, inWindow)
  if not inWindow then return 0 end
  local feature, csat = EV[a], tonumber(EV[a + 1])
  if typ == 'TICKET_OPENED' then
    local c = counters(day); c[4] = c[4] + 1
    if day >= maxDay - TD + 1 then
      if feature == '' then feature = '(none)' end
      redis.call('HINCRBY', TF, n2s(day) .. '|' .. feature, 1)
      written[TF] = true
    end
  elseif typ == 'TICKET_ESCALATED' then
    local c = counters(day); c[5] = c[5] + 1
  elseif typ == 'TICKET_REOPENED' then
    local c = counters(day); c[6] = c[6] + 1
  elseif typ == 'CSAT_SUBMITTED' and csat ~= nil then
    local c = counters(day); c[7] = c[7] + 1; c[8] = c[8] + csat
    if csat <= 2 then c[9] = c[9] + 1 end
  else
    return 0
  end
  return 1
end
`;
