import type { AccountState, EmittedState, DayCounters, SurveyAnswer, UnitDays } from '@valuepulse/scoring';
import { CSAT_ANSWERS_KEPT, DAY_MS, dayOf, NPS_ANSWERS_KEPT, ROLE_DAYS_KEPT, ROLE_DAYS_ROLES, SUB_ACCOUNT_KEYS_KEPT, unitDaysOf } from '@valuepulse/scoring';
import { TICKET_DAYS } from './decode-state.js';
import { emptyDayCounters } from './day-counters.js';
import { keepAnswer } from './survey-answers.js';
import type { StoreEvent } from './store-event.js';
import { subAccountKey } from './sub-account-days.js';
import { USER_DAYS_WINDOW } from './user-days.js';
import { DEFAULT_RETENTION_DAYS } from './store-options.js';

type Role = keyof AccountState['roleLastActiveAt'];

/**
 * One account's state kept in process memory with the apply script's
 * semantics: day counters, per-user active days, last-seen maps and tickets
 * by feature inside their windows (events older than the retention window
 * only move the order-free facts), joins for everything else, event ids
 * counted once inside the window (a dedup set per day, as the store keeps;
 * a copy of an older event is applied again, changing nothing but the
 * count). Memory is bounded by the windows, not by the history replayed.
 * For backtests and quality replays that judge a model over
 * months of events in seconds; the Redis store stays the production path,
 * and an integration test holds the two to the same `AccountState`.
 */
export interface MemoryAccount {
  readonly accountId: string;
  /** Applies one event; returns false for an event id seen before inside the window (nothing changes). */
  apply(event: StoreEvent): boolean;
  /**
   * The scoring state as of `now`, as the store's read would decode it.
   * Read-only: parts that did not change since an earlier read (the day
   * counters, a team's days, the users' masks…) are the same objects that
   * read returned, so a caller that mutated one would change later reads.
   * `apply` never mutates a returned part; it builds a new one. `emitted` is
   * the object last given to `saveEmitted`.
   */
  read(now: number): AccountState;
  /** Keeps the noise-control memory an evaluation returned (the store persists it with the alerts); kept as given, not copied. */
  saveEmitted(emitted: EmittedState): void;
}

/** Creates an empty in-memory account; `retentionDays` as the store's option (default {@link DEFAULT_RETENTION_DAYS}). */
export function createMemoryAccount(accountId: string, retentionDays = DEFAULT_RETENTION_DAYS): MemoryAccount {
  const seen = new Map<number, Set<number>>(); // day → hashes of the event ids seen that day
  const days = new Map<number, DayCounters>();
  const userDays = new Map<string, Set<number>>();
  // the team of each user's latest day (the last event applied on it that named one), as the apply script keeps it
  const userTeam = new Map<string, { day: number; team: string }>();
  const features = new Map<string, number>();
  const workflows = new Map<string, number>();
  const teams = new Map<string, number>();
  // team / product line → day → usage events; at most SUB_ACCOUNT_KEYS_KEPT keys, trimmed with the day counters
  const units = new Map<string, Map<number, number>>();
  const integrations = new Map<string, { connected: boolean; at: number }>();
  const roles = new Map<Role, number>();
  const roleDays = new Map<Role, number[]>(); // newest first, at most ROLE_DAYS_KEPT
  const stakeholders = new Map<string, { role: Role; roleAt: number; assignedAt: number | null; leftAt: number | null }>();
  const tickets = new Map<number, Map<string, number>>();
  const milestones = new Map<string, { name: string | null; nameAt: number; dueAt: number | null; dueSetAt: number; achievedAt: number | null; missedAt: number | null }>();
  const meta = new Map<string, { value: number | string; at: number }>();
  const npsAnswers = new Map<string, SurveyAnswer>(); // respondent → latest answer, at most NPS_ANSWERS_KEPT
  const csatAnswers = new Map<string, SurveyAnswer>(); // ticket → latest answer, at most CSAT_ANSWERS_KEPT
  let first: number | null = null;
  let last: number | null = null;
  let eventsApplied = 0;
  let maxDay: number | null = null;
  let emitted: EmittedState = {};
  // What earlier reads built, kept until what they were built from changes (see WindowMemo):
  // a replay reads an account at every evaluation, half of them at due times with nothing
  // applied since, and building records keyed by day numbers was a quarter of a backtest's CPU.
  const reads: {
    days: WindowMemo<AccountState['days']> | null;
    /** Each day's counters as reads hand them out, kept while the day's counters do not change. */
    dayCopies: Map<number, DayCounters>;
    users: { key: string; value: Pick<AccountState, 'activeUsers7d' | 'activeUsers28d' | 'userActiveDays28d' | 'userActiveMask28d' | 'userTeams'> } | null;
    tickets: { key: string; value: AccountState['ticketsByFeature'] } | null;
    recent: Map<Map<string, number>, { since: number; value: Record<string, number> }>;
    units: Map<string, WindowMemo<UnitDays | null>>;
    /** What only account events, integration changes and CSAT answers change. */
    facts: Pick<AccountState, 'integrations' | 'stakeholders' | 'milestones' | 'npsAnswers' | 'csatAnswers'> | null;
  } = { days: null, dayCopies: new Map(), users: null, tickets: null, recent: new Map(), units: new Map(), facts: null };

  const lww = (field: string, value: number | string | null | undefined, at: number) => {
    if (value === null || value === undefined || value === '' || value === 'UNKNOWN') return;
    const cur = meta.get(field);
    if (cur === undefined || at > cur.at || (at === cur.at && String(value) < String(cur.value))) meta.set(field, { value, at });
  };
  const later = (map: Map<string, number>, key: string | null, at: number) => {
    if (key === null || key === '') return;
    const cur = map.get(key);
    if (cur === undefined || at > cur) {
      map.set(key, at);
      reads.recent.delete(map);
    }
  };
  // every change of a day's counters goes through here: the callers increment the counters it returns
  const counters = (day: number): DayCounters => {
    reads.days = null;
    reads.dayCopies.delete(day);
    let c = days.get(day);
    if (c === undefined) days.set(day, (c = emptyDayCounters()));
    return c;
  };

  function apply(input: StoreEvent): boolean {
    const at = input.event.occurred_at;
    const day = dayOf(at);
    // like the store: a dedup set per day, only for the days of the window; a copy of an older
    // event is applied again, changing nothing but the count (every fact it moves is order-free)
    if (maxDay === null || day >= maxDay - retentionDays + 1) {
      const key = idHash(input.kind, input.event.event_id);
      let ids = seen.get(day);
      if (ids === undefined) seen.set(day, (ids = new Set()));
      if (ids.has(key)) return false;
      ids.add(key);
    }
    eventsApplied += 1;
    if (maxDay === null || day > maxDay) {
      maxDay = day;
      prune(maxDay);
      trimUnits(units, reads.units, maxDay - retentionDays + 1);
    }
    const inWindow = day >= maxDay - retentionDays + 1;
    if (input.kind === 'usage') {
      const e = input.event;
      if (inWindow) {
        const c = counters(day);
        c.events += 1;
        if (e.event_type === 'LOGIN') c.logins += 1;
        else if (e.event_type === 'WORKFLOW_RUN') c.workflowRuns += 1;
        else if (e.event_type === 'API_CALL') c.apiCalls += 1;
        if (day >= maxDay - USER_DAYS_WINDOW + 1) {
          let set = userDays.get(e.user_id);
          const known = userTeam.get(e.user_id);
          if (e.team !== null && e.team !== undefined && e.team !== '' && (known === undefined || day > known.day || (day === known.day && e.team < known.team))) {
            userTeam.set(e.user_id, { day, team: e.team });
            reads.users = null;
          }
          if (set === undefined) userDays.set(e.user_id, (set = new Set()));
          if (!set.has(day)) {
            set.add(day);
            reads.users = null;
          }
        }
        later(features, e.feature_id, at);
        later(workflows, e.workflow_id, at);
        later(teams, e.team, at);
        countUnit(units, reads.units, subAccountKey('team', e.team), day);
        countUnit(units, reads.units, subAccountKey('product_line', e.product_line), day);
      }
      if (first === null || at < first) first = at;
      if (last === null || at > last) last = at;
      if (e.user_role !== 'UNKNOWN') {
        const cur = roles.get(e.user_role);
        if (cur === undefined || at > cur) roles.set(e.user_role, at);
        if (ROLE_DAYS_ROLES.includes(e.user_role)) roleDays.set(e.user_role, keepRecentDays(roleDays.get(e.user_role) ?? [], day));
      }
      if (e.integration_id !== null && (e.event_type === 'INTEGRATION_CONNECTED' || e.event_type === 'INTEGRATION_DISCONNECTED')) {
        const state = e.event_type === 'INTEGRATION_CONNECTED';
        const cur = integrations.get(e.integration_id);
        // at equal times "disconnected" wins
        if (cur === undefined || at > cur.at || (at === cur.at && !state && cur.connected)) {
          integrations.set(e.integration_id, { connected: state, at });
          reads.facts = null;
        }
      }
    } else if (input.kind === 'support') {
      const e = input.event;
      if (inWindow) {
        // like the apply script, only the types it counts touch a day's counters
        if (e.event_type === 'TICKET_OPENED') {
          counters(day).ticketsOpened += 1;
          if (day >= maxDay - TICKET_DAYS + 1) {
            let byFeature = tickets.get(day);
            if (byFeature === undefined) tickets.set(day, (byFeature = new Map()));
            const feature = e.feature_id ?? '(none)';
            byFeature.set(feature, (byFeature.get(feature) ?? 0) + 1);
            reads.tickets = null;
          }
        } else if (e.event_type === 'TICKET_ESCALATED') counters(day).escalations += 1;
        else if (e.event_type === 'TICKET_REOPENED') counters(day).reopenings += 1;
        else if (e.event_type === 'CSAT_SUBMITTED' && e.csat_score !== null) {
          const c = counters(day);
          c.csatCount += 1;
          c.csatSum += e.csat_score;
          if (e.csat_score <= 2) c.csatLow += 1;
        }
      }
      // like the apply script's supportJoins: whatever its age, a ticket's CSAT answer with the requester's role
      if (e.event_type === 'CSAT_SUBMITTED' && e.csat_score !== null && e.ticket_id !== '') {
        keepAnswer(csatAnswers, e.ticket_id, { score: e.csat_score, at, role: e.requester_role === 'UNKNOWN' ? null : e.requester_role }, CSAT_ANSWERS_KEPT);
        reads.facts = null;
      }
    } else {
      reads.facts = null;
      const e = input.event;
      // a downgrade is a renewal for less: it moves the contract facts like one
      const contract = e.event_type === 'CONTRACT_SIGNED' || e.event_type === 'CONTRACT_RENEWED' || e.event_type === 'CONTRACT_DOWNGRADED';
      if (contract || e.event_type === 'SEATS_CHANGED') lww('seats', e.contracted_seats, at);
      if (contract) lww('arr', e.arr, at);
      if (contract) lww('renewal', e.renewal_date, at);
      if (contract || e.event_type === 'SEGMENT_CHANGED') lww('segment', e.segment, at);
      // a free-form name, not an enum: "UNKNOWN" is a value here, as in the apply script
      if (e.owner !== null && e.owner !== '') {
        const cur = meta.get('owner');
        if (cur === undefined || at > cur.at || (at === cur.at && e.owner < String(cur.value))) meta.set('owner', { value: e.owner, at });
      }
      if (e.event_type === 'CONTRACT_SIGNED') {
        const cur = meta.get('signed');
        if (cur === undefined || at > (cur.value as number)) meta.set('signed', { value: at, at });
      }
      if (e.event_type === 'CONTRACT_CHURNED') {
        const cur = meta.get('churned');
        if (cur === undefined || at > (cur.value as number)) meta.set('churned', { value: at, at });
      }
      if ((e.event_type === 'STAKEHOLDER_ASSIGNED' || e.event_type === 'STAKEHOLDER_LEFT') && e.stakeholder_user_id !== null) {
        const role = (e.stakeholder_role ?? 'UNKNOWN') as Role;
        const cur = stakeholders.get(e.stakeholder_user_id) ?? { role, roleAt: at, assignedAt: null, leftAt: null };
        if (at > cur.roleAt || (at === cur.roleAt && role < cur.role)) {
          cur.role = role;
          cur.roleAt = at;
        }
        if (e.event_type === 'STAKEHOLDER_LEFT') cur.leftAt = cur.leftAt === null || at > cur.leftAt ? at : cur.leftAt;
        else cur.assignedAt = cur.assignedAt === null || at > cur.assignedAt ? at : cur.assignedAt;
        stakeholders.set(e.stakeholder_user_id, cur);
        if (e.event_type === 'STAKEHOLDER_ASSIGNED' && role !== 'UNKNOWN') {
          const r = roles.get(role);
          if (r === undefined || at > r) roles.set(role, at);
        }
      }
      if (e.event_type.startsWith('MILESTONE_') && e.milestone_id !== null) {
        const m = milestones.get(e.milestone_id) ?? { name: null, nameAt: -Infinity, dueAt: null, dueSetAt: -Infinity, achievedAt: null, missedAt: null };
        if (e.milestone_name !== null && (at > m.nameAt || (at === m.nameAt && e.milestone_name < (m.name ?? '')))) {
          m.name = e.milestone_name;
          m.nameAt = at;
        }
        if (e.milestone_due_date !== null && (at > m.dueSetAt || (at === m.dueSetAt && e.milestone_due_date < (m.dueAt ?? Infinity)))) {
          m.dueAt = e.milestone_due_date;
          m.dueSetAt = at;
        }
        if (e.event_type === 'MILESTONE_ACHIEVED' && (m.achievedAt === null || at < m.achievedAt)) m.achievedAt = at;
        if (e.event_type === 'MILESTONE_MISSED' && (m.missedAt === null || at < m.missedAt)) m.missedAt = at;
        milestones.set(e.milestone_id, m);
      }
      if (e.event_type === 'NPS_RESPONSE') {
        lww('nps', e.nps_score, at);
        if (e.nps_score !== null && e.stakeholder_user_id !== null && e.stakeholder_user_id !== '') {
          const role = e.stakeholder_role === null || e.stakeholder_role === 'UNKNOWN' ? null : e.stakeholder_role;
          keepAnswer(npsAnswers, e.stakeholder_user_id, { score: e.nps_score, at, role }, NPS_ANSWERS_KEPT);
        }
      }
    }
    return true;
  }

  // What lies before the windows of the newest day seen is never read again
  // (every read filters it out, and `maxDay` only grows): dropped as the day
  // advances, so a read costs the window, not the whole history replayed.
  function prune(newest: number): void {
    const floor = newest - retentionDays + 1;
    // what earlier reads built may hold what goes now
    reads.days = null;
    reads.users = null;
    reads.tickets = null;
    reads.recent.clear();
    for (const day of days.keys()) if (day < floor) days.delete(day);
    for (const day of reads.dayCopies.keys()) if (day < floor) reads.dayCopies.delete(day);
    for (const day of seen.keys()) if (day < floor) seen.delete(day);
    for (const day of tickets.keys()) if (day < newest - TICKET_DAYS + 1) tickets.delete(day);
    const userFloor = newest - USER_DAYS_WINDOW + 1;
    for (const [user, set] of userDays) {
      for (const d of set) if (d < userFloor) set.delete(d);
      if (set.size === 0) {
        userDays.delete(user);
        userTeam.delete(user);
      }
    }
    const since = floor * DAY_MS;
    for (const map of [features, workflows, teams]) for (const [key, at] of map) if (at < since) map.delete(key);
  }

  function read(now: number): AccountState {
    const nowDay = dayOf(now);
    const oldest = nowDay - retentionDays + 1;
    const floor = maxDay === null ? oldest : Math.max(oldest, maxDay - retentionDays + 1);
    reads.days = windowRead(reads.days, days, floor, nowDay, (c, day) => {
      let copy = reads.dayCopies.get(day);
      if (copy === undefined) reads.dayCopies.set(day, (copy = { ...c }));
      return copy;
    });
    const facts = (reads.facts ??= readFacts());
    // the users' masks and the tickets depend on the day read and the newest day applied only
    const readKey = `${nowDay}:${maxDay}`;
    if (reads.users?.key !== readKey) reads.users = { key: readKey, value: readUsers(nowDay) };
    const since = floor * DAY_MS;
    const recent = (map: Map<string, number>) => {
      let memo = reads.recent.get(map);
      if (memo?.since !== since) reads.recent.set(map, (memo = { since, value: Object.fromEntries([...map].filter(([, at]) => at >= since)) }));
      return memo.value;
    };
    if (reads.tickets?.key !== readKey) reads.tickets = { key: readKey, value: readTickets(nowDay) };
    const num = (field: string) => {
      const v = meta.get(field)?.value;
      return v === undefined ? null : Number(v);
    };
    const nps = meta.get('nps');
    return {
      accountId,
      contract: {
        segment: (meta.get('segment')?.value as AccountState['contract']['segment'] | undefined) ?? null,
        contractedSeats: num('seats'),
        arr: num('arr'),
        renewalDate: num('renewal'),
        signedAt: num('signed'),
        churnedAt: num('churned'),
      },
      eventsApplied,
      firstActivityAt: first,
      lastActivityAt: last,
      days: reads.days.value,
      ...reads.users.value,
      featureLastUsedAt: recent(features),
      workflowLastRunAt: recent(workflows),
      teamLastActiveAt: recent(teams),
      subAccountDays: unitDays(units, reads.units, floor, nowDay),
      integrations: facts.integrations,
      roleLastActiveAt: Object.fromEntries(roles),
      roleActiveDays: Object.fromEntries([...roleDays].map(([role, list]) => [role, list.filter((d) => d <= nowDay)])),
      stakeholders: facts.stakeholders,
      ticketsByFeature: reads.tickets.value,
      milestones: facts.milestones,
      latestNps: nps === undefined ? null : { score: Number(nps.value), at: nps.at },
      npsAnswers: facts.npsAnswers,
      csatAnswers: facts.csatAnswers,
      // as saved: scoring returns a new memory each evaluation and does not modify the one it reads
      emitted,
    };
  }

  function readFacts(): NonNullable<typeof reads.facts> {
    return {
      integrations: Object.fromEntries([...integrations].map(([id, v]) => [id, { ...v }])),
      stakeholders: Object.fromEntries(
        [...stakeholders].map(([user, s]) => {
          const gone = s.leftAt !== null && (s.assignedAt === null || s.leftAt >= s.assignedAt);
          return [user, { role: s.role, assignedAt: s.assignedAt ?? s.leftAt ?? 0, leftAt: gone ? s.leftAt : null }];
        }),
      ),
      milestones: Object.fromEntries([...milestones].map(([id, m]) => [id, { name: m.name, dueAt: m.dueAt, achievedAt: m.achievedAt, missedAt: m.missedAt }])),
      npsAnswers: Object.fromEntries([...npsAnswers].map(([user, a]) => [user, { ...a }])),
      csatAnswers: Object.fromEntries([...csatAnswers].map(([ticket, a]) => [ticket, { ...a }])),
    };
  }

  function readUsers(nowDay: number): Pick<AccountState, 'activeUsers7d' | 'activeUsers28d' | 'userActiveDays28d' | 'userActiveMask28d' | 'userTeams'> {
    let activeUsers7d = 0;
    let activeUsers28d = 0;
    const userActiveDays28d: Record<string, number> = {};
    const userActiveMask28d: Record<string, number> = {};
    const userTeams: Record<string, string> = {};
    const userFloor = maxDay === null ? -Infinity : maxDay - USER_DAYS_WINDOW + 1;
    for (const [user, set] of userDays) {
      let n28 = 0;
      let n7 = 0;
      let mask = 0;
      for (const d of set) {
        if (d < userFloor || d > nowDay) continue;
        if (d > nowDay - USER_DAYS_WINDOW) {
          n28 += 1;
          mask += POW2[nowDay - d] as number;
        }
        if (d > nowDay - 7) n7 += 1;
      }
      if (n28 === 0) continue;
      activeUsers28d += 1;
      userActiveDays28d[user] = n28;
      userActiveMask28d[user] = mask;
      const team = userTeam.get(user);
      if (team !== undefined) userTeams[user] = team.team;
      if (n7 > 0) activeUsers7d += 1;
    }
    return { activeUsers7d, activeUsers28d, userActiveDays28d, userActiveMask28d, userTeams };
  }

  function readTickets(nowDay: number): AccountState['ticketsByFeature'] {
    const ticketsByFeature: AccountState['ticketsByFeature'] = {};
    for (const [day, byFeature] of tickets) {
      if (day < nowDay - TICKET_DAYS + 1 || day > nowDay || (maxDay !== null && day < maxDay - TICKET_DAYS + 1)) continue;
      ticketsByFeature[day] = Object.fromEntries(byFeature);
    }
    return ticketsByFeature;
  }

  return {
    accountId,
    apply,
    read,
    saveEmitted(next) {
      emitted = next;
    },
  };
}

/** `days` (newest first) with `day` added, at most ROLE_DAYS_KEPT: the most recent distinct days, whatever the order they came in. */
export function keepRecentDays(days: readonly number[], day: number): number[] {
  if (days.includes(day)) return days as number[];
  return [...days, day].sort((a, b) => b - a).slice(0, ROLE_DAYS_KEPT);
}

/** Counts one usage event of `key` on `day`; a key not held while SUB_ACCOUNT_KEYS_KEPT are is not counted (as the apply script). */
function countUnit(units: Map<string, Map<number, number>>, reads: Map<string, unknown>, key: string | null, day: number): void {
  if (key === null) return;
  let days = units.get(key);
  if (days === undefined) {
    if (units.size >= SUB_ACCOUNT_KEYS_KEPT) return;
    units.set(key, (days = new Map()));
  }
  days.set(day, (days.get(day) ?? 0) + 1);
  reads.delete(key);
}

/** Drops days before `floor`, and keys left without any (their place is free again). */
function trimUnits(units: Map<string, Map<number, number>>, reads: Map<string, unknown>, floor: number): void {
  for (const [key, days] of units) {
    for (const day of days.keys()) {
      if (day >= floor) continue;
      days.delete(day);
      reads.delete(key);
    }
    if (days.size === 0) units.delete(key);
  }
}

/** The units' days in [floor, nowDay], as the store's read decodes them (keys without such a day left out); a unit's days as an earlier read built them while they still hold. */
function unitDays(units: Map<string, Map<number, number>>, reads: Map<string, WindowMemo<UnitDays | null>>, floor: number, nowDay: number): Record<string, UnitDays> {
  const out: Record<string, UnitDays> = {};
  for (const [key, days] of units) {
    const memo = unitWindowRead(reads.get(key) ?? null, days, floor, nowDay);
    reads.set(key, memo);
    if (memo.value !== null) out[key] = memo.value;
  }
  return out;
}

/** `memo` when it still describes the unit's days in [floor, nowDay] (see WindowMemo), else a new one: those days as unitDaysOf gives them. */
function unitWindowRead(memo: WindowMemo<UnitDays | null> | null, days: ReadonlyMap<number, number>, floor: number, nowDay: number): WindowMemo<UnitDays | null> {
  if (memo !== null && ((memo.floor === floor && memo.nowDay === nowDay) || (memo.all && floor <= memo.min && memo.max <= nowDay))) return memo;
  const inside = new Map([...days].filter(([day]) => day >= floor && day <= nowDay));
  const value = unitDaysOf(inside);
  const all = inside.size === days.size;
  return value === null
    ? { floor, nowDay, all, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, value }
    : { floor, nowDay, all, min: value.first, max: value.first + value.counts.length - 1, value };
}

/**
 * A record of the entries of a day-keyed map inside [floor, nowDay], as one
 * read built it: `all` says no entry of the map was outside, so while the
 * map is unchanged (whoever changes it drops the memo) any window that holds
 * [min, max] gives the same record. A record keyed by day numbers is slow to
 * build (its keys are too sparse for V8's fast elements); reused, it costs
 * nothing.
 */
interface WindowMemo<R> {
  floor: number;
  nowDay: number;
  all: boolean;
  /** The first and the last day in the record (min > max: none). */
  min: number;
  max: number;
  value: R;
}

/** `memo` when it still describes `map`'s entries in [floor, nowDay] (see WindowMemo), else a new one with each entry's value copied by `copy`. */
function windowRead<V, C>(memo: WindowMemo<Record<number, C>> | null, map: ReadonlyMap<number, V>, floor: number, nowDay: number, copy: (value: V, day: number) => C): WindowMemo<Record<number, C>> {
  if (memo !== null && ((memo.floor === floor && memo.nowDay === nowDay) || (memo.all && floor <= memo.min && memo.max <= nowDay))) return memo;
  const value: Record<number, C> = {};
  let all = true;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [day, v] of map) {
    if (day < floor || day > nowDay) {
      all = false;
      continue;
    }
    value[day] = copy(v, day);
    min = Math.min(min, day);
    max = Math.max(max, day);
  }
  return { floor, nowDay, all, min, max, value };
}

// 2 ** k for the days of the user window (a table: exponentiation was a read's costliest line)
const POW2: readonly number[] = Array.from({ length: USER_DAYS_WINDOW }, (_, k) => 2 ** k);

/**
 * A 53-bit hash of (kind, event id): two 32-bit FNV-1a passes with different
 * offsets. In a set per account and day, two ids collide with probability
 * ~n²/2⁵⁴ (about 1 in 10⁸ at 10,000 events that day); a number costs a set a
 * fraction of what the id string does, which is what lets a year of history
 * replay in bounded memory.
 */
function idHash(kind: string, eventId: string): number {
  let a = 0x811c9dc5 ^ kind.charCodeAt(0);
  let b = 0x01000193 ^ kind.charCodeAt(0);
  for (let i = 0; i < eventId.length; i += 1) {
    const c = eventId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (a >>> 0) * 2 ** 21 + ((b >>> 0) >>> 11);
}
