import { CSAT_ANSWERS_KEPT, NPS_ANSWERS_KEPT, ROLE_DAYS_KEPT, ROLE_DAYS_ROLES } from '@valuepulse/scoring';
import { CSAT_ANSWER_PREFIX, NPS_ANSWER_PREFIX } from './survey-answers.js';

/**
 * Order-free part of the apply script (spliced into APPLY_LUA after the
 * windowed part, sharing its locals). Every update here is a join — keep the
 * later time, the earlier time, or the value with the later event time, ties
 * broken by the smaller value — so the same events in any order, any number
 * of times, give the same state. That is why these facts need no
 * de-duplication and why events older than the retention window may still
 * update them.
 */
export const APPLY_JOINS_LUA = `
local ROLE_DAYS_KEPT = ${ROLE_DAYS_KEPT}
local NPS_KEPT, CSAT_KEPT = ${NPS_ANSWERS_KEPT}, ${CSAT_ANSWERS_KEPT}
local NPS_PREFIX, CSAT_PREFIX = '${NPS_ANSWER_PREFIX}', '${CSAT_ANSWER_PREFIX}'
local ROLE_DAYS_ROLES = { ${ROLE_DAYS_ROLES.map((r) => `${r} = true`).join(', ')} }
local function hmax(key, field, at)
  local cur = tonumber(redis.call('HGET', key, field))
  if cur == nil or at > cur then
    redis.call('HSET', key, field, n2s(at))
    return 1
  end
  return 0
end

-- value plus its event time in "<field>@"
local function lww(key, field, value, at)
  local cur = redis.call('HMGET', key, field, field .. '@')
  local curAt = tonumber(cur[2])
  if curAt == nil or at > curAt or (at == curAt and value < cur[1]) then
    redis.call('HSET', key, field, value, field .. '@', n2s(at))
    return 1
  end
  return 0
end

-- role → latest activity seen in this call, written once by flushRoles
local roleCache = {}
local function touchRole(role, at)
  local cur = roleCache[role]
  if cur == nil or at > cur then roleCache[role] = at end
end
-- the most recent distinct active days of the rarely-seen roles ("<role>|d":
-- days newest first, comma-separated, at most ROLE_DAYS_KEPT): top-N of a
-- set, a join like the rest
local roleDayCache = {}
local function touchRoleDay(role, day)
  if not ROLE_DAYS_ROLES[role] then return end
  local set = roleDayCache[role]
  if set == nil then set = {}; roleDayCache[role] = set end
  set[day] = true
end
local function flushRoleDays(role, set)
  local field = role .. '|d'
  local raw = redis.call('HGET', RL, field)
  local seen, list = {}, {}
  if raw then
    for d in string.gmatch(raw, '%d+') do
      d = tonumber(d)
      if not seen[d] then seen[d] = true; list[#list + 1] = d end
    end
  end
  local before = #list
  for d in pairs(set) do
    if not seen[d] then seen[d] = true; list[#list + 1] = d end
  end
  if #list == before then return 0 end
  table.sort(list, function(x, y) return x > y end)
  local kept = {}
  for i = 1, math.min(#list, ROLE_DAYS_KEPT) do kept[i] = n2s(list[i]) end
  local out = table.concat(kept, ',')
  if out == raw then return 0 end
  redis.call('HSET', RL, field, out)
  return 1
end
local function flushRoles()
  local ch = 0
  for role, at in pairs(roleCache) do ch = ch + hmax(RL, role, at) end
  for role, set in pairs(roleDayCache) do ch = ch + flushRoleDays(role, set) end
  return ch
end

-- "<at>:<1|0>"; at equal times "disconnected" wins
local function integration(id, at, state)
  local raw = redis.call('HGET', I, id)
  if raw then
    local curAt, curState = string.match(raw, '^(%d+):(%d)$')
    curAt = tonumber(curAt)
    if at < curAt or (at == curAt and state >= curState) then return 0 end
  end
  redis.call('HSET', I, id, n2s(at) .. ':' .. state)
  return 1
end

-- "<role>:<assignedAt>:<leftAt>:<roleAt>": latest assignment, latest leave,
-- and the role of the latest event; the reader decides whether they left
local function stakeholder(user, role, at, left)
  local raw = redis.call('HGET', S, user)
  local r, a, l, ra = role, nil, nil, nil
  if raw then
    local p1, p2, p3, p4 = string.match(raw, '^([^:]*):([^:]*):([^:]*):([^:]*)$')
    r, a, l, ra = p1, tonumber(p2), tonumber(p3), tonumber(p4)
  end
  local nr, na, nl, nra = r, a, l, ra
  if ra == nil or at > ra or (at == ra and role < r) then nr, nra = role, at end
  if left then
    if l == nil or at > l then nl = at end
  elseif a == nil or at > a then
    na = at
  end
  if raw and nr == r and na == a and nl == l and nra == ra then return 0 end
  redis.call('HSET', S, user, nr .. ':' .. opt(na) .. ':' .. opt(nl) .. ':' .. n2s(nra))
  return 1
end

-- survey answers in the meta hash, "<prefix><key>" → "<score>:<at>:<role>":
-- NPS by respondent ("nps|<user>"), CSAT by ticket ("csat|<ticket>"). Each
-- key's latest answer (at equal times the smaller score, then the smaller
-- role), for the \`kept\` keys answered last (at equal times the smaller key
-- stays). Top-N of per-key joins: a join too, so order and copies do not
-- matter (survey-answers.ts keeps the same rule in memory)
local function keepAnswer(prefix, kept, key, score, role, at)
  local field = prefix .. key
  local raw = redis.call('HGET', M, field)
  local n = tonumber(score)
  if raw then
    local s, a, r = string.match(raw, '^([^:]*):([^:]*):(.*)$')
    s, a = tonumber(s), tonumber(a)
    if at < a or (at == a and (n > s or (n == s and role >= r))) then return 0 end
  end
  redis.call('HSET', M, field, score .. ':' .. n2s(at) .. ':' .. role)
  local all = redis.call('HGETALL', M)
  local list = {}
  for i = 1, #all, 2 do
    if string.sub(all[i], 1, #prefix) == prefix then
      list[#list + 1] = { string.sub(all[i], #prefix + 1), tonumber(string.match(all[i + 1], '^[^:]*:([^:]*):')) }
    end
  end
  if #list <= kept then return 1 end
  table.sort(list, function(x, y) if x[2] ~= y[2] then return x[2] > y[2] end return x[1] < y[1] end)
  local drop = {}
  for i = kept + 1, #list do drop[#drop + 1] = prefix .. list[i][1] end
  redis.call('HDEL', M, unpack(drop))
  return 1
end

-- the order-free part of a support event, whatever its age: a ticket's CSAT answer with the requester's role
local function supportJoins(a, at, typ)
  local csat, ticket, role = EV[a + 1], EV[a + 2], EV[a + 3]
  if typ ~= 'CSAT_SUBMITTED' or csat == '' or ticket == '' then return 0 end
  return keepAnswer(CSAT_PREFIX, CSAT_KEPT, ticket, csat, role, at)
end

-- JSON {n, nt, d, dt, a, x}: name and due date with their event times,
-- first achievement, first miss
local function milestone(id, typ, name, due, at)
  local raw = redis.call('HGET', MS, id)
  local m = {}
  if raw then m = cjson.decode(raw) end
  local ch = not raw
  if name ~= '' and (m.nt == nil or at > m.nt or (at == m.nt and name < m.n)) then m.n, m.nt, ch = name, at, true end
  if due ~= nil and (m.dt == nil or at > m.dt or (at == m.dt and due < m.d)) then m.d, m.dt, ch = due, at, true end
  if typ == 'MILESTONE_ACHIEVED' and (m.a == nil or at < m.a) then m.a, ch = at, true end
  if typ == 'MILESTONE_MISSED' and (m.x == nil or at < m.x) then m.x, ch = at, true end
  if not ch then return 0 end
  redis.call('HSET', MS, id, cjson.encode(m))
  return 1
end

local function usage(a, at, day, typ, inWindow)
  local user, feature, workflow, integ, team, role, line = EV[a], EV[a + 1], EV[a + 2], EV[a + 3], EV[a + 4], EV[a + 5], EV[a + 6]
  local ch = 0
  if inWindow then
    local c = counters(day)
    c[1] = c[1] + 1
    if typ == 'LOGIN' then c[2] = c[2] + 1 elseif typ == 'WORKFLOW_RUN' then c[3] = c[3] + 1 elseif typ == 'API_CALL' then c[10] = c[10] + 1 end
    if day >= maxDay - UW + 1 then markUser(user, day, team) end
    if feature ~= '' then touch(F, feature, at) end
    if workflow ~= '' then touch(W, workflow, at) end
    if team ~= '' then touch(T, team, at); countUnit('team:' .. team, day) end
    if line ~= '' then countUnit('product_line:' .. line, day) end
    ch = 1
  end
  if first == nil or at < first then first = at; metaDirty = true; ch = 1 end
  if last == nil or at > last then last = at; metaDirty = true; ch = 1 end
  if role ~= '' then touchRole(role, at); touchRoleDay(role, day) end
  if integ ~= '' and typ == 'INTEGRATION_CONNECTED' then ch = ch + integration(integ, at, '1') end
  if integ ~= '' and typ == 'INTEGRATION_DISCONNECTED' then ch = ch + integration(integ, at, '0') end
  return ch
end

local function account(a, at, typ)
  local seats, arr, renewal, segment = EV[a], EV[a + 1], EV[a + 2], EV[a + 3]
  local shUser, shRole, msId, msName, msDue, nps = EV[a + 4], EV[a + 5], EV[a + 6], EV[a + 7], EV[a + 8], EV[a + 9]
  local owner = EV[a + 10]
  local ch = 0
  -- a downgrade is a renewal for less: it moves the contract facts like one
  local contract = typ == 'CONTRACT_SIGNED' or typ == 'CONTRACT_RENEWED' or typ == 'CONTRACT_DOWNGRADED'
  if (contract or typ == 'SEATS_CHANGED') and seats ~= '' then ch = ch + lww(M, 'seats', seats, at) end
  if contract and arr ~= '' then ch = ch + lww(M, 'arr', arr, at) end
  if contract and renewal ~= '' then ch = ch + lww(M, 'renewal', renewal, at) end
  if (contract or typ == 'SEGMENT_CHANGED') and segment ~= '' then ch = ch + lww(M, 'segment', segment, at) end
  -- a renewal is not a signing: only CONTRACT_SIGNED moves signedAt (the latest)
  if typ == 'CONTRACT_SIGNED' then ch = ch + hmax(M, 'signed', at) end
  -- the latest churn; a later signing starts a new contract (the reader compares the two)
  if typ == 'CONTRACT_CHURNED' then ch = ch + hmax(M, 'churned', at) end
  if (typ == 'STAKEHOLDER_ASSIGNED' or typ == 'STAKEHOLDER_LEFT') and shUser ~= '' then
    ch = ch + stakeholder(shUser, shRole, at, typ == 'STAKEHOLDER_LEFT')
  end
  -- an assignment is a sign of life of the role: silence counts from it
  if typ == 'STAKEHOLDER_ASSIGNED' and shRole ~= '' and shRole ~= 'UNKNOWN' then touchRole(shRole, at) end
  if string.sub(typ, 1, 10) == 'MILESTONE_' and msId ~= '' then ch = ch + milestone(msId, typ, msName, tonumber(msDue), at) end
  if typ == 'NPS_RESPONSE' and nps ~= '' then
    ch = ch + lww(M, 'nps', nps, at)
    -- by respondent, with the role the event names ('' for none or UNKNOWN), for NPS by role
    if shUser ~= '' then ch = ch + keepAnswer(NPS_PREFIX, NPS_KEPT, shUser, nps, shRole == 'UNKNOWN' and '' or shRole, at) end
  end
  -- the owner (CSM) is not scored: kept for alert routing, set by any event that carries it
  if owner ~= '' then lww(M, 'owner', owner, at) end
  return ch
end
`;
