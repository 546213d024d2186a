import type { AccountState, EmittedState } from '@valuepulse/scoring';
import { DAY_MS, dayOf } from '@valuepulse/scoring';
import { unpackDayCounters } from './day-counters.js';
import { activeDaysInWindow, activeMaskAt, parseUserDays, USER_DAYS_WINDOW } from './user-days.js';

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

function stakeholders(raw: Record<string, string>): AccountState['stakeholders'] {
  const out: AccountState['stakeholders'] = {};
  for (const [user, value] of Object.entries(raw)) {
    const [role = 'UNKNOWN', assigned, left] = value.split(':');
    const assignedAt = num(assigned);
    const leftAt = num(left);
    // a leave at or after the latest assignment means they are gone; a
    // re-assignment after it means they are back
    const gone = leftAt !== null && (assignedAt === null || leftAt >= assignedAt);
    out[user] = { role: (role || 'UNKNOWN') as Role, assignedAt: assignedAt ?? leftAt ?? 0, leftAt: gone ? leftAt : null };
  }
  return out;
}

function milestones(raw: Record<string, string>): AccountState['milestones'] {
  const out: AccountState['milestones'] = {};
  for (const [id, json] of Object.entries(raw)) {
    const m = JSON.parse(json) as { n?: string; d?: number; a?: number; x?: number };
    out[id] = { name: m.n ?? null, dueAt: m.d ?? null, achievedAt: m.a ?? null, missedAt: m.x ?? null };
  }
  return out;
}

/**
 * Turns one read transaction into the scoring's {@link AccountState} as of
 * `now`: day counters and tickets only for days inside their windows ending
 * with `now`'s UTC day (later days are left out), active users and active
 * days per user over the 7/28 days ending with `now`'s day, last-seen entries
 * no older than the retention window.
 *
 * @throws Error when a stored value is malformed (a bug or foreign writes).
 */
export function decodeAccountState(raw: RawAccountState, accountId: string, now: number, retentionDays: number): AccountState {
  const nowDay = dayOf(now);
  const oldestDay = nowDay - retentionDays + 1;
  const { meta } = raw;

  const days: AccountState['days'] = {};
  for (const [field, packed] of Object.entries(raw.days)) {
    const day = Number(field);
    if (day >= oldestDay && day <= nowDay) days[day] = unpackDayCounters(packed);
  }

  let activeUsers7d = 0;
  let activeUsers28d = 0;
  const userActiveDays28d: Record<string, number> = {};
  const userActiveMask28d: Record<string, number> = {};
  for (const [user, value] of Object.entries(raw.userDays)) {
    const userDays = parseUserDays(value);
    const active28 = activeDaysInWindow(userDays, nowDay, USER_DAYS_WINDOW);
    if (active28 === 0) continue;
    activeUsers28d += 1;
    userActiveDays28d[user] = active28;
    userActiveMask28d[user] = activeMaskAt(userDays, nowDay);
    if (activeDaysInWindow(userDays, nowDay, 7) > 0) activeUsers7d += 1;
  }

  const integrations: AccountState['integrations'] = {};
  for (const [id, value] of Object.entries(raw.integrations)) {
    const [at, state] = value.split(':');
    integrations[id] = { connected: state === '1', at: Number(at) };
  }

  const roleLastActiveAt: AccountState['roleLastActiveAt'] = {};
  const roleActiveDays: NonNullable<AccountState['roleActiveDays']> = {};
  for (const [field, value] of Object.entries(raw.roles)) {
    // "<role>|d": the role's most recent active days, newest first, comma-separated
    if (field.endsWith(ROLE_DAYS_SUFFIX)) {
      roleActiveDays[field.slice(0, -ROLE_DAYS_SUFFIX.length) as Role] = value.split(',').map(Number).filter((d) => d <= nowDay);
    } else {
      roleLastActiveAt[field as Role] = Number(value);
    }
  }

  const ticketsByFeature: AccountState['ticketsByFeature'] = {};
  for (const [field, count] of Object.entries(raw.ticketsByFeature)) {
    const bar = field.indexOf('|');
    const day = Number(field.slice(0, bar));
    if (day < nowDay - TICKET_DAYS + 1 || day > nowDay) continue;
    (ticketsByFeature[day] ??= {})[field.slice(bar + 1)] = Number(count);
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
    },
    firstActivityAt: num(meta.first),
    lastActivityAt: num(meta.last),
    eventsApplied: num(meta.n) ?? 0,
    days,
    activeUsers7d,
    activeUsers28d,
    userActiveDays28d,
    userActiveMask28d,
    featureLastUsedAt: lastSeen(raw.features, since),
    workflowLastRunAt: lastSeen(raw.workflows, since),
    teamLastActiveAt: lastSeen(raw.teams, since),
    integrations,
    roleLastActiveAt,
    roleActiveDays,
    stakeholders: stakeholders(raw.stakeholders),
    ticketsByFeature,
    milestones: milestones(raw.milestones),
    latestNps: nps !== null && npsAt !== null ? { score: nps, at: npsAt } : null,
    emitted: raw.emitted === null ? {} : (JSON.parse(raw.emitted) as EmittedState),
  };
}
