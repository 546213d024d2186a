import type { AccountState, EmittedState } from '@valuepulse/scoring';
import { DAY_MS, dayOf } from '@valuepulse/scoring';
import { unpackDayCounters } from './day-counters.js';
import { answersOf, CSAT_ANSWER_PREFIX, NPS_ANSWER_PREFIX } from './survey-answers.js';
import { subAccountDaysIn } from './sub-account-days.js';
import { activeMaskAt, parseUserDays } from './user-days.js';

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

function lastSeen(flat: string[], since: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const at = Number(flat[i + 1]);
    if (at >= since) out[flat[i] as string] = at;
  }
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
  const nowDay = dayOf(now);
  const oldestDay = nowDay - retentionDays + 1;
  const meta: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.meta.length; i += 2) meta[raw.meta[i] as string] = raw.meta[i + 1] as string;

  const days: AccountState['days'] = {};
  for (let i = 0; i + 1 < raw.days.length; i += 2) {
    const day = Number(raw.days[i]);
    if (day >= oldestDay && day <= nowDay) days[day] = unpackDayCounters(raw.days[i + 1] as string);
  }

  let activeUsers7d = 0;
  let activeUsers28d = 0;
  const userActiveDays28d: Record<string, number> = {};
  const userActiveMask28d: Record<string, number> = {};
  const userTeams: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.userDays.length; i += 2) {
    // the mask aligned to now's day holds exactly the active days of the 28 ending with it
    const parsed = parseUserDays(raw.userDays[i + 1] as string);
    const mask = activeMaskAt(parsed, nowDay);
    if (mask === 0) continue;
    const user = raw.userDays[i] as string;
    activeUsers28d += 1;
    userActiveDays28d[user] = popcount(mask);
    userActiveMask28d[user] = mask;
    if (parsed.team !== undefined) userTeams[user] = parsed.team;
    if ((mask & 0x7f) !== 0) activeUsers7d += 1;
  }

  const integrations: AccountState['integrations'] = {};
  for (let i = 0; i + 1 < raw.integrations.length; i += 2) {
    const [at, state] = (raw.integrations[i + 1] as string).split(':');
    integrations[raw.integrations[i] as string] = { connected: state === '1', at: Number(at) };
  }

  const roleLastActiveAt: AccountState['roleLastActiveAt'] = {};
  const roleActiveDays: NonNullable<AccountState['roleActiveDays']> = {};
  for (let i = 0; i + 1 < raw.roles.length; i += 2) {
    const field = raw.roles[i] as string;
    const value = raw.roles[i + 1] as string;
    // "<role>|d": the role's most recent active days, newest first, comma-separated
    if (field.endsWith(ROLE_DAYS_SUFFIX)) {
      roleActiveDays[field.slice(0, -ROLE_DAYS_SUFFIX.length) as Role] = value.split(',').map(Number).filter((d) => d <= nowDay);
    } else {
      roleLastActiveAt[field as Role] = Number(value);
    }
  }

  const ticketsByFeature: AccountState['ticketsByFeature'] = {};
  for (let i = 0; i + 1 < raw.ticketsByFeature.length; i += 2) {
    const field = raw.ticketsByFeature[i] as string;
    const bar = field.indexOf('|');
    const day = Number(field.slice(0, bar));
    if (day < nowDay - TICKET_DAYS + 1 || day > nowDay) continue;
    (ticketsByFeature[day] ??= {})[field.slice(bar + 1)] = Number(raw.ticketsByFeature[i + 1]);
  }

  let subAccountDays: AccountState['subAccountDays'];
  if (raw.subAccounts !== undefined) {
    subAccountDays = {};
    for (let i = 0; i + 1 < raw.subAccounts.length; i += 2) {
      const kept = subAccountDaysIn(raw.subAccounts[i + 1] as string, oldestDay, nowDay);
      if (kept !== null) subAccountDays[raw.subAccounts[i] as string] = kept;
    }
  }
  const nps = num(meta.nps);
  const npsAt = num(meta['nps@']);
  const since = oldestDay * DAY_MS;
  return {
    accountId,
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
    days,
    activeUsers7d,
    activeUsers28d,
    userActiveDays28d,
    userActiveMask28d,
    userTeams,
    featureLastUsedAt: lastSeen(raw.features, since),
    workflowLastRunAt: lastSeen(raw.workflows, since),
    teamLastActiveAt: lastSeen(raw.teams, since),
    ...(subAccountDays === undefined ? {} : { subAccountDays }),
    integrations,
    roleLastActiveAt,
    roleActiveDays,
    stakeholders: stakeholders(raw.stakeholders),
    ticketsByFeature,
    milestones: milestones(raw.milestones),
    latestNps: nps !== null && npsAt !== null ? { score: nps, at: npsAt } : null,
    // state written before answers were kept by respondent and ticket has none: empty records
    npsAnswers: answersOf(raw.meta, NPS_ANSWER_PREFIX),
    csatAnswers: answersOf(raw.meta, CSAT_ANSWER_PREFIX),
    emitted: raw.emitted === null ? {} : (JSON.parse(raw.emitted) as EmittedState),
  };
}
