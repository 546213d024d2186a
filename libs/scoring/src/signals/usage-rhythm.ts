import { DAY_MS, dayOf, type DayCounters } from '../account-state.js';
import { medianInPlace } from '../math.js';
import type { SegmentConfig } from '../scoring-config.js';
import { dayLookup, daysInMonth, finiteOrZero, type DayRow } from '../windows.js';
import { inQuietSeason, quietSeasonDays } from './quiet-seasons.js';

// The history the rhythm reads (weekday medians, pauses, dispersion); the store keeps more
// (112 days from v1.11), which only the quarter phase looks at (`quarterFrom`).
const RETENTION_DAYS = 90;
// an account's first six weeks are not a phase of its quarter (see UsageRhythm.quarterFrom)
const QUARTER_MIN_AGE_DAYS = 42;

// A day under this × the pause share of the weekday's typical logins can be part of a pause
// (a few people work through a shutdown); the run as a whole must be under the pause share.
const LOW = 2.5;
// logins a working day of one person looking in during a shutdown: not a return, when
// machines stopped too (v1.8)
const PAUSE_LOOK_IN = 1;

/**
 * An account's daily activity with what is normal for it: its weekday
 * habits, the pauses it takes, and which days are complete enough to judge.
 * Drop and decline judgments compare a window of settled days against
 * expectations built from the same account's own history, so a rhythm the
 * account always had (quiet Fridays, month-end peaks, a shutdown everyone
 * takes together) does not read as decay.
 */
export interface UsageRhythm {
  /** The last UTC day whose late window has passed; days after it are not judged yet. */
  settledDay: number;
  /** When the next day settles (the passage of time alone changes the judgment then). */
  nextSettleAt: number;
  /** The account's first known day (null: no data). */
  startDay: number | null;
  /**
   * The first day of the history the rhythm reads: the account's first day or
   * 90 days back, whichever is later. Days before it are not read here (the
   * quarter phase reads further back, see `quarterFrom`).
   */
  historyStart: number | null;
  /**
   * The first day a look one quarter back may start at (v1.11): a day the state holds counters for
   * (its first day row, which may be before `historyStart`) and six weeks or more after the account's
   * first activity (its first weeks ramp up: a quarter later they would read as a lull). Null: none.
   */
  quarterFrom?: number | null;
  /** Activity units per day, indexed by UTC day (0 where nothing was counted). */
  activity: (day: number) => number;
  /** Typical activity per weekday (0 = Sunday), the median over the history. */
  typical: readonly number[];
  /** Days inside a recognised pause (a stop of everyone, shorter than the allowance); left out of every window. */
  pauseDays: ReadonlySet<number>;
  /** A stop still going on at the settled day: its first day and its length so far; null if none. */
  stop: { from: number; days: number; pause: boolean } | null;
  /** Whether the settled day lies in a configured vacation season (`loginDrop.vacationSeasons`, v1.9). */
  vacationSeason: boolean;
}

/**
 * Activity units of one day: logins, workflow runs and API calls. Machine-
 * driven use counts as use, so an account whose people rarely log in but
 * whose integrations call every day is active.
 */
export function activityUnits(c: DayCounters): number {
  return finiteOrZero(c.logins) + machineUnits(c);
}

/** The machines' part of {@link activityUnits}: workflow runs and API calls. */
export function machineUnits(c: DayCounters): number {
  return finiteOrZero(c.workflowRuns) + finiteOrZero(c.apiCalls ?? 0);
}

/** Day of the week of a UTC day index, 0 = Sunday (day 0 of the epoch was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * Builds an account's rhythm at `now` from its day rows. Pauses: runs of
 * low days whose logins together are at most `pauseShare` of the typical
 * logins of their weekdays (people stop; machines may run on; a few people
 * working through do not break it), at least `pauseMinDays` expected-active
 * days long (weekdays the account is normally quiet on neither break nor
 * count), and at most `pauseMaxDays` calendar days from first to last. A longer
 * stop is not a pause: it is the account going quiet, judged as such.
 */
export function usageRhythm(config: SegmentConfig, now: number, rows: readonly DayRow[], startDay: number | null, firstActivityAt: number | null = null): UsageRhythm {
  const p = config.loginDrop;
  const lateMs = p.lateWindowHours * 3_600_000;
  const settledDay = dayOf(now - lateMs) - 1;
  const nextSettleAt = (settledDay + 2) * DAY_MS + lateMs;
  const activity = dayLookup(rows, activityUnits);
  const logins = dayLookup(rows, (c) => finiteOrZero(c.logins));

  const typical = [0, 0, 0, 0, 0, 0, 0];
  const from = startDay === null ? null : Math.max(startDay, dayOf(now) - RETENTION_DAYS + 1);
  const vacationSeason = inQuietSeason(p.vacationSeasons, settledDay);
  const quarterFrom = rows[0] === undefined || firstActivityAt === null ? null : Math.max(rows[0].day, dayOf(firstActivityAt) + QUARTER_MIN_AGE_DAYS);
  const empty: UsageRhythm = { settledDay, nextSettleAt, startDay, historyStart: from, quarterFrom, activity, typical, pauseDays: new Set(), stop: null, vacationSeason };
  if (from === null || settledDay < from) return empty;
  // typical use per weekday, and typical logins: a pause is people stopping, while
  // scheduled workflows and integrations may well keep running through it
  const byWeekday: number[][] = [[], [], [], [], [], [], []];
  const loginsByWeekday: number[][] = [[], [], [], [], [], [], []];
  for (let d = from; d <= settledDay; d += 1) {
    byWeekday[weekdayOf(d)]?.push(activity(d));
    loginsByWeekday[weekdayOf(d)]?.push(logins(d));
  }
  byWeekday.forEach((values, wd) => (typical[wd] = medianInPlace(values)));
  const typicalLogins = loginsByWeekday.map(medianInPlace);

  const pauseDays = new Set<number>();
  const pauseEnds: number[] = [];
  let stop: UsageRhythm['stop'] = null;
  // a run of low days (logins under LOW × the pause share of the weekday's typical);
  // weekdays the account is normally quiet on ride along without counting
  let runFirst: number | null = null;
  let runLast = 0;
  let runCount = 0;
  let runLogins = 0;
  let runTypical = 0;
  let runActivity = 0;
  let runTypicalActivity = 0;
  const closeRun = (ongoing: boolean) => {
    if (runFirst === null) return;
    const span = (ongoing ? settledDay : runLast) - runFirst + 1;
    // people stopped, not fewer people: the run as a whole is under the pause share; or, on a
    // small account where one person looking in each day is more than a tenth, at most that
    // while everything else (workflows, integrations) stopped too — after a sudden drop the
    // rest of the account's machinery runs on
    const machines = runActivity - runLogins;
    const typicalMachines = Math.max(0, runTypicalActivity - runTypical);
    const lookingIn = runLogins <= runCount * PAUSE_LOOK_IN && machines <= p.pauseShare * typicalMachines;
    const stopped = runLogins <= p.pauseShare * runTypical || lookingIn;
    const pause = stopped && span <= p.pauseMaxDays;
    // a stop still going on counts as a pause (from its second quiet day): whether it
    // was one is known only when people come back (or it outlasts the allowance)
    if (pause && ((ongoing && runCount >= 2) || runCount >= p.pauseMinDays)) for (let d = runFirst; d <= runLast; d += 1) pauseDays.add(d);
    if (pause && !ongoing && runCount >= p.pauseMinDays) pauseEnds.push(runLast);
    // one quiet day says little (a Sunday, a holiday); two in a row is a stop
    if (ongoing && stopped && runCount >= 2) stop = { from: runFirst, days: span, pause };
    runFirst = null;
    runCount = 0;
    runLogins = 0;
    runTypical = 0;
    runActivity = 0;
    runTypicalActivity = 0;
  };
  // one working day above the low mark inside a run (a person or two looking in during a
  // shutdown, on an account where that is more than a quarter of the day's typical) does not
  // end it when the run goes on at once and stays under the pause share with that day (v1.10)
  let bridge: number | null = null;
  const addDay = (d: number, seen: number, expected: number) => {
    if (runFirst === null) runFirst = d;
    runLast = d;
    runCount += 1;
    runLogins += seen;
    runTypical += expected;
    runActivity += activity(d);
    runTypicalActivity += typical[weekdayOf(d)] as number;
  };
  for (let d = from; d <= settledDay; d += 1) {
    const expected = typicalLogins[weekdayOf(d)] as number;
    if (expected < 1) continue; // normally quiet that weekday: says nothing
    const seen = logins(d);
    if (seen <= LOW * p.pauseShare * expected) {
      if (bridge !== null) {
        const b = bridge;
        bridge = null;
        const bSeen = logins(b);
        const bExpected = typicalLogins[weekdayOf(b)] as number;
        if (runLogins + bSeen + seen <= p.pauseShare * (runTypical + bExpected + expected)) addDay(b, bSeen, bExpected);
        else closeRun(false);
      }
      addDay(d, seen, expected);
    } else if (runFirst !== null && bridge === null && runCount >= 2) {
      bridge = d;
    } else {
      bridge = null;
      closeRun(false);
    }
  }
  // the run is ongoing if nothing active came after its last low day
  closeRun(runFirst !== null && bridge === null);
  // the configured quiet seasons are left out like a pause, and so is the trickle back after one (v1.9)
  const season = quietSeasonDays(p.quietSeasons, from, settledDay);
  for (const d of season.days) pauseDays.add(d);
  for (const end of [...pauseEnds, ...season.ends]) returnFromPause(end, settledDay, activity, typical, pauseDays);
  const holiday = holidays(from, settledDay, activity, typical, pauseDays);
  if (stop === null && holiday !== null) stop = { from: holiday, days: settledDay - holiday + 1, pause: true };
  return { settledDay, nextSettleAt, startDay, historyStart: from, quarterFrom, activity, typical, pauseDays, stop, vacationSeason };
}

// The return from a pause: people trickle back. Up to RETURN_DAYS working days after a pause
// (of pauseMinDays or more) that are still under RETURN_SHARE of their weekday's typical count
// with the pause, as the first days back after a shutdown.
const RETURN_DAYS = 2;
const RETURN_SHARE = 0.5;
// a working day of the account: its weekday's typical is at least this share of the busiest weekday's
const WORKDAY_SHARE = 0.3;

/** Which weekdays (0 = Sunday) the account works on: typical use at least 30 % of its busiest weekday's; the others (a weekend) it rests on. */
export function workingWeekdays(typical: readonly number[]): boolean[] {
  const busiest = Math.max(...typical);
  return typical.map((t) => t >= WORKDAY_SHARE * busiest);
}

/** Adds the ramp back after the pause that ended on `end` to `pauseDays` (see RETURN_DAYS). */
function returnFromPause(end: number, until: number, activity: (day: number) => number, typical: readonly number[], pauseDays: Set<number>): void {
  let working = 0;
  const workday = workingWeekdays(typical);
  for (let d = end + 1; d <= until && working < RETURN_DAYS; d += 1) {
    const t = typical[weekdayOf(d)] as number;
    if (t < 1 || !workday[weekdayOf(d)]) continue; // a weekend rides along
    working += 1;
    if (activity(d) >= RETURN_SHARE * t) return;
    pauseDays.add(d);
  }
}

// Holidays: a working day on which activity (people and machines) falls to this share of its
// weekday's typical, in a run of at most HOLIDAY_MAX_DAYS such days, followed by a day back
// at HOLIDAY_BACK of typical. Only where the weekday's typical is HOLIDAY_MIN_TYPICAL units or
// more: on a small account a quiet day is ordinary noise, and fewer active days is how it declines.
const HOLIDAY_SHARE = 0.15;
const HOLIDAY_MAX_DAYS = 2;
const HOLIDAY_BACK = 0.5;
const HOLIDAY_MIN_TYPICAL = 10;

/**
 * Adds the account's holidays to `pauseDays` — a public holiday or a bridge
 * day takes a fifth of a working week away, which reads as a drop in any
 * 7-day window — and returns the first day of a holiday-like run still
 * going on at `until` (the next working day has not settled yet: a holiday
 * and the first day of a longer stop look alike until then), or null.
 */
function holidays(from: number, until: number, activity: (day: number) => number, typical: readonly number[], pauseDays: Set<number>): number | null {
  let run: number[] = [];
  for (let d = from; d <= until; d += 1) {
    const t = typical[weekdayOf(d)] as number;
    if (t < HOLIDAY_MIN_TYPICAL || pauseDays.has(d)) continue; // a quiet weekday rides along
    const a = activity(d);
    if (a <= HOLIDAY_SHARE * t) {
      run.push(d);
      continue;
    }
    if (run.length > 0 && run.length <= HOLIDAY_MAX_DAYS && a >= HOLIDAY_BACK * t) for (const h of run) pauseDays.add(h);
    run = [];
  }
  return run.length > 0 && run.length <= HOLIDAY_MAX_DAYS ? (run[0] as number) : null;
}

/**
 * Expected activity over `window` (days, pause days already left out) from
 * the same weekdays in the `baselineDays` days before `windowStart`: the
 * median of each weekday's samples, so one peak (a month-end close, a team's
 * push) or one dip (a holiday) in the baseline does not move it. Pause days
 * and days before the account existed are skipped; `used` counts baseline
 * days that contributed. A weekday without any sample takes the baseline's
 * overall daily mean. `profile` is `weekdayProfile(r, windowStart,
 * baselineDays)`, passed in when the caller judges several windows against
 * the same baseline.
 */
export function weekdayExpectation(
  r: UsageRhythm,
  window: readonly number[],
  windowStart: number,
  baselineDays: number,
  profile: WeekdayProfile = weekdayProfile(r, windowStart, baselineDays),
): { expected: number; used: number } {
  return { expected: expectedOver(profile, window), used: profile.used };
}

/** What `profile` expects over the days of `window`: the sum of their weekdays' typical activity (0 without a baseline). */
export function expectedOver(profile: WeekdayProfile, window: readonly number[]): number {
  if (profile.used === 0) return 0;
  let expected = 0;
  for (const d of window) expected += profile.perWeekday[weekdayOf(d)] as number;
  return expected;
}

/** Each weekday's typical activity over a baseline (see {@link weekdayExpectation}), and how many baseline days fed it. */
export interface WeekdayProfile {
  /** Typical activity per weekday (0 = Sunday); empty when no day was used. */
  perWeekday: readonly number[];
  used: number;
}

/** The weekday medians of the `baselineDays` days before `windowStart` that {@link weekdayExpectation} sums over a window. */
export function weekdayProfile(r: UsageRhythm, windowStart: number, baselineDays: number): WeekdayProfile {
  const samples: number[][] = [[], [], [], [], [], [], []];
  let total = 0;
  let used = 0;
  // the `baselineDays` days of use before the window: pause days do not use it up (v1.9; before, a
  // two-week season or shutdown left half a baseline, too little to judge the weeks after it)
  let span = 0;
  for (let d = windowStart - 1; span < baselineDays && r.historyStart !== null && d >= r.historyStart; d -= 1) {
    if (r.pauseDays.has(d)) continue;
    span += 1;
    const a = r.activity(d);
    samples[weekdayOf(d)]?.push(a);
    total += a;
    used += 1;
  }
  if (used === 0) return { perWeekday: [], used };
  const overall = total / used;
  return { perWeekday: samples.map((values) => (values.length > 0 ? medianInPlace(values) : overall)), used };
}

/**
 * The same phase of the account's monthly cycle, `months` months before:
 * the day as far from its month's end as `day` is from its own in the second
 * half of a month, the same day of the month in the first half (clipped to
 * the shorter month). Month-end closes and start-of-month reporting both
 * line up this way.
 */
export function samePhaseDay(day: number, months: number): number {
  const date = new Date(day * DAY_MS);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const dom = date.getUTCDate();
  const length = daysInMonth(y, m);
  const target = new Date(Date.UTC(y, m - months, 1));
  const ty = target.getUTCFullYear();
  const tm = target.getUTCMonth();
  const tLength = daysInMonth(ty, tm);
  const tDom = dom > 15 ? Math.max(1, tLength - (length - dom)) : Math.min(dom, tLength);
  return dayOf(Date.UTC(ty, tm, tDom));
}



/**
 * How much more the account's activity varies than counts of independent
 * events would (variance ÷ mean), at least 1: the larger of two robust
 * readings over the known, settled history up to `until`, pause days left
 * out — its days against the typical of their weekday (bursty machine
 * traffic, a month-end close) and its 7-day totals (vacations, busy weeks;
 * needs four weeks). The largest twentieth of each is left out: one bulk
 * import or one odd week must not blunt every judgment for three months.
 */
export function dispersion(r: UsageRhythm, until: number): number {
  if (r.historyStart === null) return 1;
  const from = r.historyStart;
  const daily: { squares: number; expected: number; ratio: number }[] = [];
  for (let d = from; d <= until; d += 1) {
    const m = r.typical[weekdayOf(d)] as number;
    if (m <= 0 || r.pauseDays.has(d)) continue;
    const squares = (r.activity(d) - m) ** 2;
    daily.push({ squares, expected: m, ratio: squares / m });
  }
  let dailyReading = 1;
  if (daily.length >= 7) {
    // Σ(x − m)² ÷ Σm without the most deviant twentieth of the days
    const kept = daily.sort((x, y) => x.ratio - y.ratio).slice(0, daily.length - trimCount(daily.length));
    const expected = kept.reduce((sum, k) => sum + k.expected, 0);
    if (expected > 0) dailyReading = kept.reduce((sum, k) => sum + k.squares, 0) / expected;
  }
  const sums: number[] = [];
  for (let end = until; end - 6 >= from; end -= 7) {
    let s = 0;
    let paused = false;
    for (let d = end - 6; d <= end; d += 1) {
      if (r.pauseDays.has(d)) paused = true;
      s += r.activity(d);
    }
    if (!paused) sums.push(s);
  }
  let weeklyReading = 1;
  if (sums.length >= 4) {
    const mean = sums.reduce((x, y) => x + y, 0) / sums.length;
    if (mean > 0) weeklyReading = trimmedMean(sums.map((v) => ((v - mean) ** 2 * sums.length) / (sums.length - 1))) / mean;
  }
  return Math.max(1, dailyReading, weeklyReading);
}

/** How many of `n` readings to leave out: the largest twentieth, at least one. */
function trimCount(n: number): number {
  return Math.max(1, Math.floor(n / 20));
}

/** Mean of `values` without the largest twentieth (at least one): a bulk import or one odd week does not set the bar for months. */
function trimmedMean(values: readonly number[]): number {
  const kept = [...values].sort((a, b) => a - b).slice(0, values.length - trimCount(values.length));
  return kept.length === 0 ? 0 : kept.reduce((a, b) => a + b, 0) / kept.length;
}

/**
 * Whether the whole account was paused on `day`: a recognised pause or
 * holiday, the days between two of them at most three days apart (the
 * weekend inside a shutdown), or a pause still going on. For judgments of
 * one person's silence, which such days do not lengthen.
 */
export function accountPaused(r: UsageRhythm): (day: number) => boolean {
  const days = [...r.pauseDays].sort((a, b) => a - b);
  const spans: [number, number][] = [];
  for (const d of days) {
    const open = spans.at(-1);
    if (open !== undefined && d - open[1] <= 3) open[1] = d;
    else spans.push([d, d]);
  }
  const ongoing = r.stop !== null && r.stop.pause ? r.stop.from : null;
  return (day) => (ongoing !== null && day >= ongoing) || spans.some(([from, to]) => day >= from && day <= to);
}
