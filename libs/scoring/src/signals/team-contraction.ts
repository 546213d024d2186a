import { dayOf, unitEventsOn, type AccountState, type UnitDays } from '../account-state.js';
import { round } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayLookup, dayRows, type DayRow } from '../windows.js';
import { machineUnits, weekdayOf, type UsageRhythm } from './usage-rhythm.js';

/** One team or product line judged against its own share of the account. */
export interface UnitContraction {
  /** The state key: `team:<name>` or `product_line:<name>`. */
  key: string;
  kind: 'team' | 'product_line';
  name: string;
  /** Its share of the account's usage events over the baseline, in percent. */
  baselineSharePct: number;
  /** Its usage events per 7 days over the baseline (pause days left out). */
  baselineWeekly: number;
  /** Its usage events over the recent window. */
  recent: number;
  /** What the recent window should have held: its own expectation scaled down by how much less the rest of the account did (see computeTeamContraction). */
  expected: number;
  /** How far it fell short, in percent of `expected` (0 when at or above it). */
  pct: number;
  /** The shortfall in standard errors, widened by the unit's own day-to-day variability. */
  z: number;
  /** Held at least the minimum share of the account over the baseline. */
  material: boolean;
  /** Its own weekday expectation for the window, before the rest-of-account yardstick. */
  ownExpected: number;
  /**
   * A team's regulars (its people by their latest team, active on at least a quarter of the known
   * days before the window, and on two) and how many of them were not seen on any day of the
   * window's newer half (v1.10); null for product lines, where the store keeps no teams of people,
   * and for units whose counts alone are not significant (the people are not read then).
   */
  people: { regulars: number; silent: number } | null;
  /** Material, enough expected activity, a shortfall of at least `minEvidenceZ` standard errors, and (with two regulars or more known) more than half of them gone quiet. */
  significant: boolean;
}

/** Sub-account contraction at one instant: the units judged, and those too small or not judged (null). */
export interface TeamContraction {
  /** Null when nothing is judged at all (no per-unit data, a stop of the whole account, too little history). */
  throughDay: number | null;
  /** The recent window's first settled day. */
  fromDay: number | null;
  /** Every unit the state knows, with its judgment; null for units not judged (no activity in the baseline, nothing judged). */
  units: Record<string, UnitContraction | null>;
  /**
   * The account's activity units over the window held their expectation while its machine units
   * (workflow runs and API calls) rose well beyond theirs: work moved from people to integrations,
   * and no unit's fall is significant then (v1.9).
   */
  automated: boolean;
}

// Machine units must rise this much over their own expectation (and by 3 standard errors) for a
// unit's fall to read as work moved to integrations rather than people leaving.
const AUTOMATION_RISE = 1.25;
// ... while the account's activity units held at least this share of their expectation (a unit of a
// fifth of the people leaving takes a fifth of the logins with it)
const ACTIVITY_HELD = 0.95;

/**
 * Teams and product lines that went quiet while the account goes on: for
 * each unit of `state.subAccountDays` active over the `baselineDays` days
 * before the recent window, the events of its `windowDays` most recent
 * settled days against what it normally does on those weekdays, scaled down
 * by how much less the rest of the account did than its own normal (an
 * account-wide dip is not a unit's contraction; a unit leaving leaves the
 * rest as it was). Significant only for units that held at least
 * `minSharePct` of the account's events with enough expected events.
 * Pause and holiday days of the account are left out of both windows: a
 * shutdown stops every team. Not judged while the whole account has stopped
 * (going_dark and login_drop judge that). `rows` are `dayRows(state.days)`,
 * passed in when the caller already built them.
 */
export function computeTeamContraction(state: AccountState, config: SegmentConfig, now: number, rhythm: UsageRhythm, rows?: readonly DayRow[]): TeamContraction {
  const c = config.teamContraction;
  const units: TeamContraction['units'] = {};
  const byKey = state.subAccountDays;
  const none: TeamContraction = { throughDay: null, fromDay: null, units, automated: false };
  if (byKey === undefined) return none;
  for (const key in byKey) units[key] = null;
  if (rhythm.stop !== null || rhythm.historyStart === null || rhythm.startDay === null) return none;
  // a young account: how much a team's weeks vary rests on too few of them
  if (dayOf(now) - rhythm.startDay < c.minHistoryDays) return none;
  const historyStart = rhythm.historyStart;
  const settled = Math.min(rhythm.settledDay, dayOf(now));
  const window: number[] = [];
  let d = settled;
  for (; d >= historyStart && window.length < c.windowDays; d -= 1) if (!rhythm.pauseDays.has(d)) window.push(d);
  if (window.length < c.windowDays) return none;
  const windowStart = d + 1;
  // a shutdown inside the window: teams come back at different paces, judged a window after it
  if (longestPauseRun(rhythm.pauseDays, windowStart, settled) >= config.loginDrop.pauseMinDays) return none;
  const baseline: number[] = [];
  // the days of use before the window: pause days do not use the baseline up (v1.9)
  for (let b = windowStart - 1; b >= historyStart && baseline.length < c.baselineDays; b -= 1) if (!rhythm.pauseDays.has(b)) baseline.unshift(b);
  if (baseline.length < c.minBaselineDays) return none;
  const dayRowsOf = rows ?? dayRows(state.days);
  const events = dayLookup(dayRowsOf, (c) => c.events);
  const automated = workAutomated(rhythm.activity, dayLookup(dayRowsOf, machineUnits), baseline, window);
  const accountBaseline = baseline.reduce((sum, b) => sum + events(b), 0);
  const accountRecent = window.reduce((sum, w) => sum + events(w), 0);
  if (accountBaseline <= 0) return none;
  const accountExpected = ownExpectation(events, baseline, window).expected;
  // the people are read only once a team's counts alone would be significant
  let people: Map<string, { regulars: number; silent: number }> | null | undefined;
  for (const key in byKey) {
    const unit = byKey[key] as UnitDays;
    // every day read below lies in [historyStart, settled]
    const count = denseDays((day) => unitEventsOn(unit, day), historyStart, settled);
    const base = baseline.reduce((sum, b) => sum + count(b), 0);
    if (base <= 0) continue;
    const share = base / accountBaseline;
    const own = ownExpectation(count, baseline, window);
    const recent = window.reduce((sum, w) => sum + count(w), 0);
    // the rest of the account as a yardstick: when everyone else did less too (a dip of the
    // whole account that is not a recognised pause), the unit is expected to do less as well
    const restExpected = accountExpected - own.expected;
    const restFactor = restExpected > 0 ? Math.min(1, Math.max(0, (accountRecent - recent) / restExpected)) : 1;
    const expected = own.expected * restFactor;
    const phi = Math.max(own.dispersion, weeklyDispersion(count, rhythm.pauseDays, historyStart, windowStart));
    const shortfall = expected - recent;
    const z = expected > 0 ? shortfall / Math.sqrt(phi * expected) : 0;
    const [kind, ...rest] = key.split(':');
    const name = rest.join(':');
    const byCounts = share * 100 >= c.minSharePct && own.expected >= c.minExpectedEvents && z >= c.minEvidenceZ && !automated;
    if (byCounts && kind !== 'product_line' && people === undefined) people = teamPeople(state, dayOf(now), windowStart, window, rhythm.pauseDays);
    const team = kind === 'product_line' || people === undefined || people === null ? null : (people.get(name) ?? { regulars: 0, silent: 0 });
    // a unit leaving takes its people with it: while two or more of the team's regulars are known,
    // more than half of them must be gone quiet (a small team's quiet week: one of two away, the other lighter)
    const peopleGone = team === null || team.regulars < MIN_KNOWN_REGULARS || team.silent * 2 > team.regulars;
    units[key] = {
      key,
      kind: kind === 'product_line' ? 'product_line' : 'team',
      name,
      baselineSharePct: round(share * 100),
      baselineWeekly: round((base / baseline.length) * 7),
      recent,
      expected: round(expected),
      pct: expected > 0 ? round(Math.max(0, (shortfall / expected) * 100)) : 0,
      z: round(z),
      material: share * 100 >= c.minSharePct,
      ownExpected: round(own.expected),
      people: team,
      significant: byCounts && peopleGone,
    };
  }
  return { throughDay: settled, fromDay: windowStart, units, automated };
}

// a team's people are judged only when at least this many of its regulars are known
const MIN_KNOWN_REGULARS = 2;
// a regular of a team: active on at least this share of the known non-pause days before the window (and on two)
const REGULAR_SHARE = 0.25;

/**
 * Each team's regulars and how many of them were silent over `window`, from
 * the users' 28-day activity masks (bit i: active on `today − i`) and their
 * latest team (`state.userTeams`); null when the store keeps no teams of
 * people. Only settled window days are read (late data changes nothing).
 */
function teamPeople(state: AccountState, today: number, windowStart: number, window: readonly number[], pauseDays: ReadonlySet<number>): Map<string, { regulars: number; silent: number }> | null {
  const teams = state.userTeams;
  const masks = state.userActiveMask28d;
  if (teams === undefined || masks === undefined) return null;
  // the masks' bits (bit i: today − i, 28 of them) of the known non-pause days before the window,
  // and of the window's newer half (the count crosses while a leaving unit's last days still lie in the older half)
  let before = 0;
  let beforeDays = 0;
  for (let d = today - 27; d < windowStart; d += 1) {
    if (today - d < 0 || pauseDays.has(d)) continue;
    before |= 1 << (today - d);
    beforeDays += 1;
  }
  let newer = 0;
  for (const d of window.slice(0, Math.ceil(window.length / 2))) if (today - d >= 0 && today - d < 28) newer |= 1 << (today - d);
  const out = new Map<string, { regulars: number; silent: number }>();
  if (beforeDays === 0) return out;
  for (const user in teams) {
    const mask = masks[user] ?? 0;
    const active = bitCount(mask & before);
    if (active < 2 || active < REGULAR_SHARE * beforeDays) continue;
    const team = teams[user] as string;
    const entry = out.get(team) ?? { regulars: 0, silent: 0 };
    entry.regulars += 1;
    if ((mask & newer) === 0) entry.silent += 1;
    out.set(team, entry);
  }
  return out;
}

/** Set bits of a 32-bit mask. */
function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m &= m - 1) n += 1;
  return n;
}

/**
 * Whether the account's work moved to machines over `window`: its activity units (people and
 * machines) at least `ACTIVITY_HELD` of their expectation from `baseline`, and its machine units at least
 * `AUTOMATION_RISE` × theirs and 3 standard errors above it. A unit of people leaving takes
 * activity with it; an integration taking over their work does not.
 */
function workAutomated(activity: (day: number) => number, machines: (day: number) => number, baseline: readonly number[], window: readonly number[]): boolean {
  const total = ownExpectation(activity, baseline, window);
  const machine = ownExpectation(machines, baseline, window);
  const sum = (count: (day: number) => number) => window.reduce((s, w) => s + count(w), 0);
  const machineRecent = sum(machines);
  return sum(activity) >= ACTIVITY_HELD * total.expected && machineRecent >= AUTOMATION_RISE * machine.expected && machineRecent - machine.expected >= 3 * Math.sqrt(machine.dispersion * Math.max(1, machine.expected));
}

/**
 * What `count` normally does over `window`: the sum of its weekday means over
 * `baseline` (a team that works Mondays only is not quiet on a Friday), and
 * how much more than Poisson its days vary around those means (people come
 * in bursts and take days off: events are not independent), at least 1.
 */
function ownExpectation(count: (day: number) => number, baseline: readonly number[], window: readonly number[]): { expected: number; dispersion: number } {
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  let total = 0;
  for (const b of baseline) {
    const wd = weekdayOf(b);
    const n = count(b);
    sums[wd] = (sums[wd] as number) + n;
    counts[wd] = (counts[wd] as number) + 1;
    total += n;
  }
  const overall = baseline.length > 0 ? total / baseline.length : 0;
  const mean = (wd: number) => ((counts[wd] as number) > 0 ? (sums[wd] as number) / (counts[wd] as number) : overall);
  let squares = 0;
  for (const b of baseline) squares += (count(b) - mean(weekdayOf(b))) ** 2;
  return { expected: window.reduce((sum, w) => sum + mean(weekdayOf(w)), 0), dispersion: Math.max(1, total > 0 ? squares / total : 1) };
}

/**
 * `read` with its values over [from, to] looked up once: a unit's days are
 * read for the baseline, its expectation, its dispersion and the window, and
 * each lookup in a record keyed by day numbers is a hash probe (the keys are
 * too sparse for an array). Days outside the range are read as before.
 */
function denseDays(read: (day: number) => number, from: number, to: number): (day: number) => number {
  const values: number[] = [];
  for (let d = from; d <= to; d += 1) values.push(read(d));
  return (day) => (day >= from && day <= to ? (values[day - from] as number) : read(day));
}

/** The longest run of consecutive pause days in [from, to]. */
function longestPauseRun(pauseDays: ReadonlySet<number>, from: number, to: number): number {
  let longest = 0;
  let run = 0;
  for (let d = from; d <= to; d += 1) {
    run = pauseDays.has(d) ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/**
 * How much more than Poisson a unit's 7-day totals vary (variance ÷ mean)
 * over its history before `until` (weeks with a pause day left out), at
 * least 1; 1 with under 4 such weeks. Nothing is trimmed: a team whose
 * people take whole weeks off together, or whose weeks swing, must show a
 * larger silence before it is called a contraction.
 */
function weeklyDispersion(count: (day: number) => number, pauseDays: ReadonlySet<number>, from: number, until: number): number {
  const sums: number[] = [];
  for (let end = until - 1; end - 6 >= from; end -= 7) {
    let sum = 0;
    let paused = false;
    for (let d = end - 6; d <= end; d += 1) {
      if (pauseDays.has(d)) paused = true;
      sum += count(d);
    }
    if (!paused) sums.push(sum);
  }
  if (sums.length < 4) return 1;
  const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
  if (mean <= 0) return 1;
  const variance = sums.reduce((a, v) => a + (v - mean) ** 2, 0) / (sums.length - 1);
  return Math.max(1, variance / mean);
}
