// A scripted 48-day scenario for the scorer's integration tests, and the
// exact alerts the rules of libs/scoring/README.md give for it.
//
// Time is driven the way live traffic drives it, one UTC day at a time:
// first a "clock" account's event at midnight moves the event-time watermark
// into the new day and the ticker re-evaluates every account with yesterday's
// state (as it does at midnight in live mode); then the day's events arrive,
// all stamped at that same midnight, and the scorer evaluates the accounts
// they touch. Waiting for the scorer to settle after each step makes every
// evaluation happen at a known instant, so alerts (and their ids, which
// contain the UTC day) are the same for every run — restarted, rebalanced
// or not — which is what the equivalence tests compare.
import { alertId, DAY_MS, dayOf } from '@valuepulse/scoring';
import { topicEvent, type ScorerTestStack, type TopicEvent } from './test-support.fixture.js';

/**
 * Day 0 of the scenario: a UTC midnight, a Monday, outside the model's
 * seasons of the year (v1.9: Dec 20 – Jan 6 left out of the usage windows,
 * Jul – Aug with a longer silence for users_lost), so the rules worked out
 * below are the year-round ones. (It was Jan 5: the year-end season then
 * took the first two days out of the baselines.)
 */
export const T0 = Date.UTC(2026, 2, 2);
/** The last day events are produced for; the final watermark is `at(LAST_DAY)`. */
export const LAST_DAY = 47;

/** Event time of day `day` (its midnight). */
export const at = (day: number): number => T0 + day * DAY_MS;

/** The scenario's accounts. */
export const ACCOUNTS = {
  /** Rich, steady use all along: no alert at all. */
  healthy: 'acct-healthy',
  /** Five people every day for 36 days, then only two of them (three stop for good). */
  logins: 'acct-logins',
  /** Steady use until day 30, then nothing: only the ticker can notice. */
  dark: 'acct-dark',
  /** Five tickets on feature "exports" on day 38. */
  flood: 'acct-flood',
  /** Its only champion leaves on day 33. */
  champion: 'acct-champion',
  /** One of its two champions leaves on day 33: one is still there, no alert. */
  championKept: 'acct-champion-kept',
  /** Moderate adoption; an NPS of 0 on day 36 drags it to yellow, a 10 on day 41 brings it back. */
  tier: 'acct-tier',
  /** Closes a ticket every midnight: moves the watermark, carries no signal. */
  clock: 'acct-clock',
} as const;

export const ALL_ACCOUNTS: readonly string[] = Object.values(ACCOUNTS);

/** An alert as the tests compare it. */
export interface ExpectedAlert {
  day: number;
  signal: string;
  kind: 'THRESHOLD_CROSSED' | 'RECOVERED' | 'TIER_CHANGED';
  from_state: string | null;
  to_state: string;
}

/**
 * The alerts the scenario must produce, per account, in order. Worked out
 * from the rules (mid-market thresholds, model v1.11.0), not from a run. Every
 * account evaluated at midnight D is also due at D 12:00, when day D−2
 * settles (36 h late window): the ticker judges it at that time, so usage
 * alerts carry half days.
 * - logins: 10 activity units a day (5 logins + 5 workflow runs) until day
 *   35, then 4. At D 12:00 the window is days D−8…D−2 against 70 expected
 *   (weekday medians of the 28 days before), dispersion 1 (a flat history):
 *   with k days at 4, z = 6k ÷ √(88.5 − 6k). k = 4 (D = 41): z 2.99, under 3;
 *   k = 5 (D = 42): 42.86 %, z 3.92 → login_drop. Users u3–u5 (regulars,
 *   active every day) last seen day 35 are lost once 7 settled days passed:
 *   D − 2 − 35 ≥ 7 → D = 44, 3 of 5 = 60 %, usage down 60 % (z 6.2), and
 *   still so two days later (users_lost is held two days) →
 *   users_lost at D = 46. usage_decline (14 settled days against days D−57…D−30, at
 *   least 14 of them known from D = 43): D = 45: 8 days at 4 → 34.29 %,
 *   z 3.27, newer half down more than the older → usage_decline.
 *   No team_contraction: team-2 is u3 alone, 3 usage events a day, 20 % of
 *   the account, and stops with the rest; its window D−8…D−2 expects 21
 *   events by its weekday means, scaled by what the rest did against its own
 *   (0.5 once the window is all after day 35) to 10.5 — under
 *   `teamContraction.minExpectedEvents` (35): a unit that small is left to
 *   users_lost.
 * - dark: last use day 30. Everyone stopped at once: a pause, so the usage
 *   drop is held (going_dark judges it) and the health score's login trend is
 *   unknown, not zero; health stays green. 14 days dark on day 44.
 * - flood: 5 tickets on one feature is the threshold; it clears (< 4) when
 *   day 38 leaves the 7-day window on day 45. Support pressure stays low
 *   (ticket ratio 5/2 → 37.5 < 40), health green (92).
 * - champion: stakeholder score halved, health 90, still green.
 * - tier: adoption 47.5 (5 of 10 features, no workflows or integrations,
 *   3 teams, all power users: moderate, adopted silently after onboarding).
 *   NPS 0 → relationship 0 → health 71.7 (yellow after 2 days' dwell),
 *   lock-in 2.9 (weak after 1 day); NPS 10 → 88.3 and 6.8: back to green,
 *   lock-in ok, detractor cleared at once.
 */
export const EXPECTED_ALERTS: Readonly<Record<string, readonly ExpectedAlert[]>> = {
  [ACCOUNTS.healthy]: [],
  [ACCOUNTS.logins]: [
    { day: 42.5, signal: 'login_drop', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' },
    { day: 45.5, signal: 'usage_decline', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' },
    { day: 46.5, signal: 'users_lost', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' },
  ],
  [ACCOUNTS.dark]: [{ day: 44, signal: 'going_dark', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' }],
  [ACCOUNTS.flood]: [
    { day: 38, signal: 'ticket_flood', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' },
    { day: 45, signal: 'ticket_flood', kind: 'RECOVERED', from_state: 'breached', to_state: 'ok' },
  ],
  [ACCOUNTS.champion]: [{ day: 33, signal: 'champion_left', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' }],
  [ACCOUNTS.championKept]: [],
  [ACCOUNTS.tier]: [
    { day: 36, signal: 'nps_detractor', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached' },
    { day: 37, signal: 'value_lock_in', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'weak' },
    { day: 38, signal: 'health_tier', kind: 'TIER_CHANGED', from_state: 'GREEN', to_state: 'YELLOW' },
    { day: 41, signal: 'nps_detractor', kind: 'RECOVERED', from_state: 'breached', to_state: 'ok' },
    { day: 42, signal: 'value_lock_in', kind: 'RECOVERED', from_state: 'weak', to_state: 'ok' },
    { day: 43, signal: 'health_tier', kind: 'TIER_CHANGED', from_state: 'YELLOW', to_state: 'GREEN' },
  ],
  [ACCOUNTS.clock]: [],
};

/** One day of the scenario: the midnight clock tick, then the day's events. */
export interface ScenarioDay {
  day: number;
  clock: TopicEvent[];
  events: TopicEvent[];
}

const USERS = ['u1', 'u2', 'u3', 'u4', 'u5'] as const;

function usage(account: string, day: number, n: number, user: string, eventType: string, extra: Record<string, unknown> = {}): TopicEvent {
  return topicEvent('UsageEvent', {
    event_id: `${account}:d${day}:u${n}`,
    account_id: account,
    occurred_at: at(day),
    user_id: user,
    event_type: eventType,
    user_role: 'DAILY_USER',
    ...extra,
  });
}

function accountEvent(account: string, day: number, n: number, eventType: string, extra: Record<string, unknown> = {}): TopicEvent {
  return topicEvent('AccountEvent', { event_id: `${account}:d${day}:a${n}`, account_id: account, occurred_at: at(day), event_type: eventType, ...extra });
}

function supportEvent(account: string, day: number, n: number, eventType: string, extra: Record<string, unknown> = {}): TopicEvent {
  return topicEvent('SupportEvent', {
    event_id: `${account}:d${day}:s${n}`,
    account_id: account,
    occurred_at: at(day),
    ticket_id: `${account}-T${day}-${n}`,
    event_type: eventType,
    ...extra,
  });
}

/**
 * A day of deep use: each of five daily users (the first `people` of them)
 * logs in, uses a feature (ten rotate), runs one of five workflows, in three
 * teams; on day 0 three integrations are connected.
 */
function richDay(account: string, day: number, people: number = USERS.length): TopicEvent[] {
  const events: TopicEvent[] = [];
  let n = 0;
  USERS.forEach((user, i) => {
    if (i >= people) return;
    const team = `team-${i % 3}`;
    events.push(usage(account, day, (n += 1), user, 'LOGIN', { team }));
    events.push(usage(account, day, (n += 1), user, 'FEATURE_USED', { team, feature_id: `feature-${(day * USERS.length + i) % 10}` }));
    events.push(usage(account, day, (n += 1), user, 'WORKFLOW_RUN', { team, workflow_id: `workflow-${i}` }));
  });
  if (day === 0) {
    for (const integration of ['crm', 'sso', 'warehouse']) events.push(usage(account, day, (n += 1), 'u1', 'INTEGRATION_CONNECTED', { integration_id: integration }));
  }
  return events;
}

/** Moderate use: five users log in and each uses always the same one of five features; no workflows, no integrations. */
function moderateDay(account: string, day: number): TopicEvent[] {
  let n = 0;
  return USERS.flatMap((user, i) => {
    const team = `team-${i % 3}`;
    return [usage(account, day, (n += 1), user, 'LOGIN', { team }), usage(account, day, (n += 1), user, 'FEATURE_USED', { team, feature_id: `feature-${i}` })];
  });
}

function contract(account: string): TopicEvent {
  return accountEvent(account, 0, 0, 'CONTRACT_SIGNED', {
    contracted_seats: 6,
    segment: 'MID_MARKET',
    arr: 60_000,
    currency: 'EUR',
    renewal_date: at(400),
  });
}

function stakeholder(account: string, day: number, n: number, eventType: 'STAKEHOLDER_ASSIGNED' | 'STAKEHOLDER_LEFT', user: string): TopicEvent {
  return accountEvent(account, day, n, eventType, { stakeholder_user_id: user, stakeholder_role: 'CHAMPION' });
}

function nps(account: string, day: number, score: number): TopicEvent {
  // the respondent names their role: model v1.7 judges named stakeholders' answers one by one
  return accountEvent(account, day, 1, 'NPS_RESPONSE', { nps_score: score, stakeholder_user_id: 'u1', stakeholder_role: 'EXECUTIVE_SPONSOR' });
}

/** The scenario, day by day (0 … LAST_DAY). */
export function scenarioDays(): ScenarioDay[] {
  const A = ACCOUNTS;
  const days: ScenarioDay[] = [];
  for (let day = 0; day <= LAST_DAY; day += 1) {
    const events: TopicEvent[] = [];
    if (day === 0) {
      for (const account of ALL_ACCOUNTS) if (account !== A.clock) events.push(contract(account));
      events.push(stakeholder(A.champion, 0, 1, 'STAKEHOLDER_ASSIGNED', 'carol'));
      events.push(stakeholder(A.championKept, 0, 1, 'STAKEHOLDER_ASSIGNED', 'carol'), stakeholder(A.championKept, 0, 2, 'STAKEHOLDER_ASSIGNED', 'dan'));
      events.push(nps(A.tier, 0, 10));
    }
    events.push(...richDay(A.healthy, day), ...richDay(A.flood, day), ...richDay(A.champion, day), ...richDay(A.championKept, day));
    events.push(...richDay(A.logins, day, day >= 36 ? 2 : USERS.length));
    if (day <= 30) events.push(...richDay(A.dark, day));
    events.push(...moderateDay(A.tier, day));
    if (day === 33) events.push(stakeholder(A.champion, 33, 1, 'STAKEHOLDER_LEFT', 'carol'), stakeholder(A.championKept, 33, 1, 'STAKEHOLDER_LEFT', 'carol'));
    if (day === 36) events.push(nps(A.tier, 36, 0));
    if (day === 41) events.push(nps(A.tier, 41, 10));
    if (day === 38) for (let n = 1; n <= 5; n += 1) events.push(supportEvent(A.flood, 38, n, 'TICKET_OPENED', { feature_id: 'exports', priority: 'HIGH' }));
    days.push({ day, clock: [supportEvent(A.clock, day, 0, 'TICKET_RESOLVED')], events });
  }
  return days;
}

/** Hooks into {@link runScenario}, e.g. to kill the scorer mid-stream. */
export interface ScenarioHooks {
  /** Right after a day's events were produced, before the scorer has processed them. */
  afterEventsProduced?(day: number): Promise<void>;
}

/** Plays `days` into the stack, letting the scorer settle after the clock tick and after the events of each day. */
export async function runScenario(stack: ScorerTestStack, days: readonly ScenarioDay[], hooks: ScenarioHooks = {}): Promise<void> {
  for (const d of days) {
    await stack.produce(d.clock);
    await stack.settled();
    await stack.produce(d.events);
    await hooks.afterEventsProduced?.(d.day);
    await stack.settled();
  }
}

/** The ids the expected alerts must carry: (account, signal key, transition, UTC day of the evaluation), see alertId. */
export function expectedAlertIds(): string[] {
  return Object.entries(EXPECTED_ALERTS)
    .flatMap(([account, alerts]) =>
      alerts.map((a) => alertId(account, a.signal, `${a.from_state ?? 'none'}>${a.to_state}`, dayOf(at(a.day)))),
    )
    .sort();
}

/** Alerts in the shape of {@link ExpectedAlert}, per account (every scenario account present), in evaluation order. */
export function alertsByAccount(alerts: readonly { account_id: string; signal: string; kind: string; from_state: string | null; to_state: string; evaluated_at: number }[]): Record<string, ExpectedAlert[]> {
  const out: Record<string, ExpectedAlert[]> = Object.fromEntries(ALL_ACCOUNTS.map((a) => [a, []]));
  const sorted = [...alerts].sort((a, b) => a.evaluated_at - b.evaluated_at || a.signal.localeCompare(b.signal));
  for (const a of sorted) {
    const day = (a.evaluated_at - T0) / DAY_MS;
    (out[a.account_id] ??= []).push({ day, signal: a.signal, kind: a.kind as ExpectedAlert['kind'], from_state: a.from_state, to_state: a.to_state });
  }
  return out;
}
