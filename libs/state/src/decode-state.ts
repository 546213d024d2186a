import type { AccountState, EmittedState, UnitDays } from '@valuepulse/scoring';
import { DAY_MS, dayOf } from '@valuepulse/scoring';
import { unpackDayCounters } from './day-counters.js';
import { answersOf, CSAT_ANSWER_PREFIX, NPS_ANSWER_PREFIX } from './survey-answers.js';
import { parseSubAccountDays, unitDaysIn } from './sub-account-days.js';
import { activeMaskAt, parseUserDays, type UserDays } from './user-days.js';

/** Days of tickets-by-feature the state carries (the flood signal's longest look-back). */
export const TICKET_DAYS = 14;

type Role = keyof AccountState['roleLastActiveAt'];

/** Field suffix in the roles hash for a role's most recent active days (see LAYOUT.md). */
export const ROLE_DAYS_SUFFIX = '|d';
type Segment = NonNullable<AccountState['contract']['segment']>;

/** What one read transaction returns for an account, before decoding. */
export interface RawAccountState {
  meta: Record<string, string>;
  days: Record<string, string>;
  userDays: Record<string, string>;
  /** ZRANGE … WITHSCORES: member, score, member, score… */
  features: string[];
  workflows: string[];
  teams: string[];
  integrations: Record<string, string>;
  roles: Record<string, string>;
  stakeholders: Record<string, string>;
  ticketsByFeature: Record<string, string>;
  milestones: Record<string, string>;
  emitted: string | null;
  /** `team:<name>` / `product_line:<name>` → packed events per day; absent: the store keeps none (team_contraction off). */
  subAccounts?: Record<string, string>;
}

/**
 * The same read as the lock-and-read script returns it: every hash and
 * sorted set as its flat reply (field, value, field, value…), as Redis sends
 * them, so nothing is turned into an object that decoding walks only once.
 */
export interface FlatAccountState {
  meta: string[];
  days: string[];
  userDays: string[];
  features: string[];
  workflows: string[];
  teams: string[];
  integrations: string[];
  roles: string[];
  stakeholders: string[];
  ticketsByFeature: string[];
  milestones: string[];
  emitted: string | null;
  subAccounts?: string[];
}

const num = (value: string | undefined): number | null => (value === undefined || value === '' ? null : Number(value));

/** A last-seen sorted set as `name → time`, and the oldest time among them. */
interface LastSeen {
  all: Record<string, number>;
  oldest: number;
}

function parseLastSeen(flat: string[]): LastSeen {
  const all: Record<string, number> = {};
  let oldest = Infinity;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const at = Number(flat[i + 1]);
    all[flat[i] as string] = at;
    // (a malformed time is never kept: it makes every read filter)
    if (!(at >= oldest)) oldest = Number.isNaN(at) ? -Infinity : at;
  }
  return { all, oldest };
}

// the entries seen at or after `since`: the whole record when none is older (reads at different times share it)
function lastSeen(seen: LastSeen, since: number): Record<string, number> {
  if (seen.oldest >= since) return seen.all;
  const out: Record<string, number> = {};
  for (const name in seen.all) if ((seen.all[name] as number) >= since) out[name] = seen.all[name] as number;
  return out;
}

function stakeholders(flat: string[]): AccountState['stakeholders'] {
  const out: AccountState['stakeholders'] = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const [role = 'UNKNOWN', assigned, left] = (flat[i + 1] as string).split(':');
    const assignedAt = num(assigned);
    const leftAt = num(left);
    // a leave at or after the latest assignment means they are gone; a
    // re-assignment after it means they are back
    const gone = leftAt !== null && (assignedAt === null || leftAt >= assignedAt);
    out[flat[i] as string] = { role: (role || 'UNKNOWN') as Role, assignedAt: assignedAt ?? leftAt ?? 0, leftAt: gone ? leftAt : null };
  }
  return out;
}

function milestones(flat: string[]): AccountState['milestones'] {
  const out: AccountState['milestones'] = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const m = JSON.parse(flat[i + 1] as string) as { n?: string; d?: number; a?: number; x?: number };
    out[flat[i] as string] = { name: m.n ?? null, dueAt: m.d ?? null, achievedAt: m.a ?? null, missedAt: m.x ?? null };
  }
  return out;
}

// bits set in a mask of at most 31 bits
function popcount(mask: number): number {
  let v = mask - ((mask >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

const flatten = (record: Record<string, string>): string[] => Object.entries(record).flat();

/**
 * Turns one read transaction into the scoring's {@link AccountState} as of
 * `now`: day counters and tickets only for days inside their windows ending
 * with `now`'s UTC day (later days are left out; so are events per team and
 * product line), active users and active
 * days per user over the 7/28 days ending with `now`'s day, last-seen entries
 * no older than the retention window.
 *
 * @throws Error when a stored value is malformed (a bug or foreign writes).
 */
export function decodeAccountState(raw: RawAccountState, accountId: string, now: number, retentionDays: number): AccountState {
  return decodeFlatAccountState(
    {
      ...raw,
      meta: flatten(raw.meta), days: flatten(raw.days), userDays: flatten(raw.userDays), integrations: flatten(raw.integrations),
      roles: flatten(raw.roles), stakeholders: flatten(raw.stakeholders), ticketsByFeature: flatten(raw.ticketsByFeature), milestones: flatten(raw.milestones),
      subAccounts: raw.subAccounts === undefined ? undefined : flatten(raw.subAccounts),
    },
    accountId, now, retentionDays,
  );
}

/**
 * {@link decodeAccountState} of the flat replies (see FlatAccountState): what
 * the evaluation path uses, one pass over each reply.
 *
 * @throws Error when a stored value is malformed (a bug or foreign writes).
 */
export function decodeFlatAccountState(raw: FlatAccountState, accountId: string, now: number, retentionDays: number): AccountState {
  return parseFlatAccountState(raw, accountId, retentionDays).at(now);
}

/** A read parsed once: {@link decodeFlatAccountState} as of any time, each far cheaper than a decode. */
export interface ParsedAccountState {
  /** The state as of `now` (what decodeFlatAccountState gives); parts that do not depend on `now` are shared between the states it returns. */
  at(now: number): AccountState;
}

/**
 * Parses one read (every stored value, once) for {@link ParsedAccountState.at}:
 * the evaluator judges one read at several times (a day's end, then
 * midnight), and what does not move with the time is neither parsed nor
 * built again. The states share those parts: scoring does not modify the
 * state it reads.
 *
 * @throws Error when a stored value is malformed (a bug or foreign writes).
 */
export function parseFlatAccountState(raw: FlatAccountState, accountId: string, retentionDays: number): ParsedAccountState {
  const meta: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.meta.length; i += 2) meta[raw.meta[i] as string] = raw.meta[i + 1] as string;

  const days: { day: number; counters: AccountState['days'][number] }[] = [];
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = 0; i + 1 < raw.days.length; i += 2) {
    const day = Number(raw.days[i]);
    days.push({ day, counters: unpackDayCounters(raw.days[i + 1] as string) });
    if (day < firstDay) firstDay = day;
    if (day > lastDay) lastDay = day;
  }
  // the days of the last window built: a window holding the same of them gives the same record
  let daysMemo: { lo: number; hi: number; value: AccountState['days'] } | null = null;

  const users: { user: string; days: UserDays }[] = [];
  for (let i = 0; i + 1 < raw.userDays.length; i += 2) users.push({ user: raw.userDays[i] as string, days: parseUserDays(raw.userDays[i + 1] as string) });

  const integrations: AccountState['integrations'] = {};
  for (let i = 0; i + 1 < raw.integrations.length; i += 2) {
    const [at, state] = (raw.integrations[i + 1] as string).split(':');
    integrations[raw.integrations[i] as string] = { connected: state === '1', at: Number(at) };
  }

  const roleLastActiveAt: AccountState['roleLastActiveAt'] = {};
  const roleDays: [Role, number[], number][] = [];
  for (let i = 0; i + 1 < raw.roles.length; i += 2) {
    const field = raw.roles[i] as string;
    const value = raw.roles[i + 1] as string;
    // "<role>|d": the role's most recent active days, newest first, comma-separated
    if (field.endsWith(ROLE_DAYS_SUFFIX)) {
      const list = value.split(',').map(Number);
      roleDays.push([field.slice(0, -ROLE_DAYS_SUFFIX.length) as Role, list, Math.max(-Infinity, ...list)]);
    } else {
      roleLastActiveAt[field as Role] = Number(value);
    }
  }

  const tickets: { day: number; feature: string; n: number }[] = [];
  for (let i = 0; i + 1 < raw.ticketsByFeature.length; i += 2) {
    const field = raw.ticketsByFeature[i] as string;
    const bar = field.indexOf('|');
    tickets.push({ day: Number(field.slice(0, bar)), feature: field.slice(bar + 1), n: Number(raw.ticketsByFeature[i + 1]) });
  }

  let units: [string, UnitDays][] | undefined;
  if (raw.subAccounts !== undefined) {
    units = [];
    for (let i = 0; i + 1 < raw.subAccounts.length; i += 2) {
      const unit = parseSubAccountDays(raw.subAccounts[i + 1] as string);
      if (unit !== null) units.push([raw.subAccounts[i] as string, unit]);
    }
  }

  const features = parseLastSeen(raw.features);
  const workflows = parseLastSeen(raw.workflows);
  const teams = parseLastSeen(raw.teams);
  const nps = num(meta.nps);
  const npsAt = num(meta['nps@']);
  // what does not move with the time: every state of this parse shares it
  const fixed = {
    contract: {
      segment: (meta.segment as Segment | undefined) ?? null,
      contractedSeats: num(meta.seats),
      arr: num(meta.arr),
      renewalDate: num(meta.renewal),
      signedAt: num(meta.signed),
      churnedAt: num(meta.churned),
    },
    firstActivityAt: num(meta.first),
    lastActivityAt: num(meta.last),
    eventsApplied: num(meta.n) ?? 0,
    integrations,
    roleLastActiveAt,
    stakeholders: stakeholders(raw.stakeholders),
    milestones: milestones(raw.milestones),
    latestNps: nps !== null && npsAt !== null ? { score: nps, at: npsAt } : null,
    // state written before answers were kept by respondent and ticket has none: empty records
    npsAnswers: answersOf(raw.meta, NPS_ANSWER_PREFIX),
    csatAnswers: answersOf(raw.meta, CSAT_ANSWER_PREFIX),
    emitted: raw.emitted === null ? {} : (JSON.parse(raw.emitted) as EmittedState),
  };

  return {
    at(now: number): AccountState {
      const nowDay = dayOf(now);
      const oldestDay = nowDay - retentionDays + 1;

      // the first and the last stored day inside the window: they say which of the days are
      let lo = Infinity;
      let hi = -Infinity;
      if (firstDay < oldestDay || lastDay > nowDay) {
        for (const { day } of days) {
          if (day < oldestDay || day > nowDay) continue;
          if (day < lo) lo = day;
          if (day > hi) hi = day;
        }
      } else {
        lo = firstDay;
        hi = lastDay;
      }
      if (daysMemo === null || daysMemo.lo !== lo || daysMemo.hi !== hi) {
        const value: AccountState['days'] = {};
        for (const { day, counters } of days) if (day >= lo && day <= hi) value[day] = counters;
        daysMemo = { lo, hi, value };
      }

      let activeUsers7d = 0;
      let activeUsers28d = 0;
      const userActiveDays28d: Record<string, number> = {};
      const userActiveMask28d: Record<string, number> = {};
      const userTeams: Record<string, string> = {};
      for (const { user, days: parsed } of users) {
        // the mask aligned to now's day holds exactly the active days of the 28 ending with it
        const mask = activeMaskAt(parsed, nowDay);
        if (mask === 0) continue;
        activeUsers28d += 1;
        userActiveDays28d[user] = popcount(mask);
        userActiveMask28d[user] = mask;
        if (parsed.team !== undefined) userTeams[user] = parsed.team;
        if ((mask & 0x7f) !== 0) activeUsers7d += 1;
      }

      const roleActiveDays: NonNullable<AccountState['roleActiveDays']> = {};
      for (const [role, list, newest] of roleDays) roleActiveDays[role] = newest <= nowDay ? list : list.filter((d) => d <= nowDay);

      const ticketsByFeature: AccountState['ticketsByFeature'] = {};
      for (const { day, feature, n } of tickets) {
        if (day < nowDay - TICKET_DAYS + 1 || day > nowDay) continue;
        (ticketsByFeature[day] ??= {})[feature] = n;
      }

      let subAccountDays: AccountState['subAccountDays'];
      if (units !== undefined) {
        subAccountDays = {};
        for (const [key, unit] of units) {
          const kept = unitDaysIn(unit, oldestDay, nowDay);
          if (kept !== null) subAccountDays[key] = kept;
        }
      }
      const since = oldestDay * DAY_MS;
      const state: AccountState = {
        accountId,
        contract: fixed.contract,
        firstActivityAt: fixed.firstActivityAt,
        lastActivityAt: fixed.lastActivityAt,
        eventsApplied: fixed.eventsApplied,
        days: daysMemo.value,
        activeUsers7d,
        activeUsers28d,
        userActiveDays28d,
        userActiveMask28d,
        userTeams,
        featureLastUsedAt: lastSeen(features, since),
        workflowLastRunAt: lastSeen(workflows, since),
        teamLastActiveAt: lastSeen(teams, since),
        integrations: fixed.integrations,
        roleLastActiveAt: fixed.roleLastActiveAt,
        roleActiveDays,
        stakeholders: fixed.stakeholders,
        ticketsByFeature,
        milestones: fixed.milestones,
        latestNps: fixed.latestNps,
        npsAnswers: fixed.npsAnswers,
        csatAnswers: fixed.csatAnswers,
        emitted: fixed.emitted,
      };
      // set after, not spread into the literal (V8 builds a literal with a spread slowly, see parseUserDays)
      if (subAccountDays !== undefined) state.subAccountDays = subAccountDays;
      return state;
    },
  };
}
