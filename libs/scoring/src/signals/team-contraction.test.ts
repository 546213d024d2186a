import { describe, expect, it } from 'vitest';
import { DAY_MS, unitDaysOf, type AccountState, type UnitDays } from '../account-state.js';
import { DEFAULT_SCORING_CONFIG } from '../default-scoring-config.js';
import { evaluate } from '../evaluate.js';
import type { SegmentConfig } from '../scoring-config.js';
import { counters, daysAgo, defaults, emptyState, isWorkday, noiseAt, NOW, TODAY, weekdayOfDay } from '../test-support.fixture.js';
import { accountStartDay, dayRows } from '../windows.js';
import { computeTeamContraction, type TeamContraction } from './team-contraction.js';
import { usageRhythm } from './usage-rhythm.js';

// At NOW (12:00) the last settled day is day −2: the late window is 36 h.

/** A team's usage events on a day (a day index): how many, or 0. */
type TeamDay = (day: number) => number;

/** A workday team of `perDay` events, ±20 % of deterministic noise. */
const workdays = (perDay: number, seed: number): TeamDay => (day) => (isWorkday(day) ? Math.round(perDay * (0.8 + 0.4 * noiseAt(seed, day))) : 0);
/** `team` until `lastDay` (inclusive), nothing after. */
const until = (team: TeamDay, lastDay: number): TeamDay => (day) => (day <= lastDay ? team(day) : 0);
/** Nothing on `from`…`to`: the whole company shut down. */
const shutdown = (team: TeamDay, from: number, to: number): TeamDay => (day) => (day >= from && day <= to ? 0 : team(day));

/**
 * An account 80 days old at `now`'s day whose only usage events are its
 * teams' (`team:<name>`); every event is a login, so the account's own
 * rhythm (pauses, stops) follows the teams.
 */
function account(teams: Record<string, TeamDay>, options: { lastDay?: number; productLines?: Record<string, TeamDay> } = {}): AccountState {
  const lastDay = options.lastDay ?? TODAY;
  const days: AccountState['days'] = {};
  const byUnit: Record<string, Record<number, number>> = {};
  for (let d = TODAY - 80; d <= lastDay; d += 1) {
    let total = 0;
    for (const [name, team] of Object.entries(teams)) {
      const n = team(d);
      if (n <= 0) continue;
      (byUnit[`team:${name}`] ??= {})[d] = n;
      total += n;
    }
    for (const [name, line] of Object.entries(options.productLines ?? {})) {
      const n = line(d);
      if (n > 0) (byUnit[`product_line:${name}`] ??= {})[d] = n;
    }
    if (total > 0) days[d] = counters({ events: total, logins: total });
  }
  const subAccountDays = Object.fromEntries(Object.entries(byUnit).map(([key, byDay]) => [key, unitDaysOf(byDay) as UnitDays]));
  return emptyState({ firstActivityAt: daysAgo(80, 9), lastActivityAt: daysAgo(0, 9), days, subAccountDays });
}

/** A unit's days back as day → events. */
function byDayOf(unit: UnitDays | undefined): Record<number, number> {
  return Object.fromEntries((unit?.counts ?? []).map((n, i) => [(unit as UnitDays).first + i, n]));
}

function contraction(state: AccountState, now = NOW, config: SegmentConfig = defaults()): TeamContraction {
  const rows = dayRows(state.days);
  return computeTeamContraction(state, config, now, usageRhythm(config, now, rows, accountStartDay(state, rows)));
}

const steadyTeams = (): Record<string, TeamDay> => ({ sales: workdays(40, 1), ops: workdays(30, 2), finance: workdays(20, 3), legal: workdays(3, 4) });

describe('computeTeamContraction: a team or product line against its own share of the account', () => {
  it('a team holding a fifth of the account that stopped 10 days ago: fully contracted, significant', () => {
    const t = contraction(account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 10) }));
    expect(t.throughDay).toBe(TODAY - 2);
    expect(t.units['team:finance']).toMatchObject({ kind: 'team', name: 'finance', recent: 0, pct: 100, material: true, significant: true });
    expect(t.units['team:finance']?.baselineSharePct).toBeGreaterThan(18);
    expect(t.units['team:finance']?.baselineSharePct).toBeLessThan(25);
    expect(t.units['team:finance']?.baselineWeekly).toBeGreaterThan(90);
    expect(t.units['team:sales']).toMatchObject({ pct: 0, significant: false });
  });

  describe("the team's people (v1.10): more than half of its known regulars must have gone quiet", () => {
    // finance's people: f1…f4, active every working day until their last day (bit i: day TODAY − i)
    const people = (lastDays: Record<string, number>, team = 'finance') => {
      const masks: Record<string, number> = {};
      const teams: Record<string, string> = {};
      for (const [user, last] of Object.entries(lastDays)) {
        let mask = 0;
        for (let i = 0; i < 28; i += 1) if (TODAY - i <= last && isWorkday(TODAY - i)) mask += 2 ** i;
        masks[user] = mask;
        teams[user] = team;
      }
      return { userActiveMask28d: masks, userTeams: teams };
    };
    const quietWeek = (team: TeamDay, from: number, to: number): TeamDay => (day) => (day >= from && day <= to ? Math.round(team(day) * 0.15) : team(day));

    it('a team whose people all left: significant, its regulars silent', () => {
      const left = account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 10) });
      const t = contraction({ ...left, ...people({ f1: TODAY - 10, f2: TODAY - 10, f3: TODAY - 10, f4: TODAY - 10 }) });
      expect(t.units['team:finance']).toMatchObject({ pct: 100, people: { regulars: 4, silent: 4 }, significant: true });
      // gone quiet = not seen on the window's newer half (days −5…−2): a unit whose last day is still in the older half counts as gone
      const recent = account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 6) });
      expect(contraction({ ...recent, ...people({ f1: TODAY - 6, f2: TODAY - 6, f3: TODAY - 6, f4: TODAY - 6 }) }).units['team:finance']?.people).toEqual({ regulars: 4, silent: 4 });
      expect(contraction({ ...recent, ...people({ f1: TODAY - 5, f2: TODAY - 6, f3: TODAY - 6, f4: TODAY - 6 }) }).units['team:finance']?.people).toEqual({ regulars: 4, silent: 3 });
    });

    it('a quiet week of a team whose people are still there (one away, the others lighter): not significant', () => {
      const quiet = account({ ...steadyTeams(), finance: quietWeek(workdays(20, 3), TODAY - 9, TODAY - 2) });
      const before = contraction(quiet).units['team:finance'];
      // without the people the same counts are a contraction
      expect(before).toMatchObject({ people: null, significant: true });
      const t = contraction({ ...quiet, ...people({ f1: TODAY - 10, f2: TODAY, f3: TODAY, f4: TODAY }) });
      expect(t.units['team:finance']).toMatchObject({ pct: before?.pct, people: { regulars: 4, silent: 1 }, significant: false });
    });

    it('more than half of them gone is enough (one of two is not); under two known regulars the counts alone decide', () => {
      const quiet = account({ ...steadyTeams(), finance: quietWeek(workdays(20, 3), TODAY - 9, TODAY - 2) });
      expect(contraction({ ...quiet, ...people({ f1: TODAY - 10, f2: TODAY - 10, f3: TODAY - 10, f4: TODAY }) }).units['team:finance']).toMatchObject({ people: { regulars: 4, silent: 3 }, significant: true });
      expect(contraction({ ...quiet, ...people({ f1: TODAY - 10, f2: TODAY - 10, f3: TODAY, f4: TODAY }) }).units['team:finance']).toMatchObject({ people: { regulars: 4, silent: 2 }, significant: false });
      expect(contraction({ ...quiet, ...people({ f1: TODAY - 10, f2: TODAY }) }).units['team:finance']).toMatchObject({ people: { regulars: 2, silent: 1 }, significant: false });
      expect(contraction({ ...quiet, ...people({ f1: TODAY }) }).units['team:finance']).toMatchObject({ people: { regulars: 1, silent: 0 }, significant: true });
      // people of other teams do not count for finance
      expect(contraction({ ...quiet, ...people({ s1: TODAY, s2: TODAY }, 'sales') }).units['team:finance']).toMatchObject({ people: { regulars: 0, silent: 0 }, significant: true });
    });
  });

  it('a product line that went quiet is judged the same way, under its own key', () => {
    const t = contraction(account(steadyTeams(), { productLines: { analytics: until(workdays(25, 5), TODAY - 10), core: workdays(60, 6) } }));
    expect(t.units['product_line:analytics']).toMatchObject({ kind: 'product_line', name: 'analytics', pct: 100, significant: true });
    expect(t.units['product_line:core']).toMatchObject({ significant: false });
  });

  it('last active on day −4: three of the window\'s five working days still have it, not 70 %', () => {
    // NOW is a Sunday: the window −8…−2 holds Monday to Friday, the team worked Monday to Wednesday
    const unit = contraction(account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 4) })).units['team:finance'];
    expect(unit?.pct).toBeGreaterThan(20);
    expect(unit?.pct).toBeLessThan(70);
  });

  it('a team under the minimum share (legal, ~3 %) that stops: judged, never material nor significant', () => {
    const unit = contraction(account({ ...steadyTeams(), legal: until(workdays(3, 4), TODAY - 12) })).units['team:legal'];
    expect(unit).toMatchObject({ pct: 100, material: false, significant: false });
  });

  it('a whole-account shutdown: nothing is judged across it, and no team is contracted after it', () => {
    const teams = Object.fromEntries(Object.entries(steadyTeams()).map(([name, team]) => [name, shutdown(team, TODAY - 16, TODAY - 7)]));
    const state = account(teams);
    for (let back = 0; back <= 10; back += 1) {
      const t = contraction(state, NOW - back * DAY_MS);
      for (const unit of Object.values(t.units)) expect(unit?.significant ?? false, `${back} days before NOW`).toBe(false);
    }
    // two days after it the window still spans the shutdown: not judged at all
    expect(contraction(state, NOW - 2 * DAY_MS).throughDay).toBeNull();
    // a week of use after it: judged against the 28 days of use before it (v1.9; before, the
    // shutdown used up the baseline, 20 days were left and nothing was judged for three weeks)
    expect(contraction(state).throughDay).toBe(TODAY - 2);
  });

  it('an account that has stopped altogether is not judged (going_dark judges that)', () => {
    expect(contraction(account(steadyTeams(), { lastDay: TODAY - 6 })).throughDay).toBeNull();
  });

  it('an account-wide dip that is not a pause: each team expected to dip with the rest, none contracted', () => {
    const teams = Object.fromEntries(Object.entries(steadyTeams()).map(([name, team]) => [name, (d: number) => (d > TODAY - 10 ? Math.round(team(d) * 0.35) : team(d))]));
    for (const unit of Object.values(contraction(account(teams)).units)) expect(unit?.significant).toBe(false);
  });

  it('a team that works on Mondays only is not quiet on the other days', () => {
    const mondays: TeamDay = (d) => (weekdayOfDay(d) === 1 ? 60 : 0);
    const state = account({ ...steadyTeams(), reporting: mondays });
    for (let back = 0; back < 14; back += 1) {
      const unit = contraction(state, NOW - back * DAY_MS).units['team:reporting'];
      expect(unit?.material).toBe(true);
      expect(unit?.significant, `${back} days before NOW`).toBe(false);
    }
  });

  it('late data inside the late window changes nothing: the unsettled days are not read', () => {
    const stopped = { ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 10) };
    const complete = contraction(account(stopped));
    // the last 36 h not delivered yet, or a late burst of the stopped team on day −1
    expect(contraction(account(stopped, { lastDay: TODAY - 2 }))).toEqual(complete);
    const late = account(stopped);
    late.subAccountDays = { ...late.subAccountDays, 'team:finance': unitDaysOf({ ...byDayOf(late.subAccountDays?.['team:finance']), [TODAY - 1]: 50 }) as UnitDays };
    expect(contraction(late)).toEqual(complete);
  });

  it('not judged on a young account, nor by a store without per-unit days', () => {
    const young = account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 10) });
    young.firstActivityAt = daysAgo(40, 9);
    for (const d of Object.keys(young.days)) if (Number(d) < TODAY - 40) delete young.days[Number(d)];
    expect(contraction(young).throughDay).toBeNull();
    const state = account(steadyTeams());
    delete state.subAccountDays;
    expect(contraction(state)).toEqual({ throughDay: null, fromDay: null, units: {}, automated: false });
  });
});

describe('computeTeamContraction: work moved to an integration (v1.9)', () => {
  // finance (20 events a working day) drops to a quarter from 12 days ago on
  const finance = (day: number) => (day >= TODAY - 12 ? Math.round(workdays(20, 3)(day) / 4) : workdays(20, 3)(day));
  /** The account of `account(teams)` with `api(day)` API calls a day on top (counted as events and activity). */
  function withApi(teams: Record<string, TeamDay>, api: (day: number) => number): AccountState {
    const state = account(teams);
    for (const [d, c] of Object.entries(state.days)) {
      const calls = api(Number(d));
      state.days[Number(d)] = { ...c, apiCalls: calls, events: c.events + calls };
    }
    return state;
  }

  it('a team down to a quarter while API calls took its work over (activity held, machines up): not significant', () => {
    const t = contraction(withApi({ ...steadyTeams(), finance }, (day) => (isWorkday(day) ? (day >= TODAY - 12 ? 20 : 5) : 0)));
    expect(t.automated).toBe(true);
    expect(t.units['team:finance']).toMatchObject({ significant: false });
    expect(t.units['team:finance']?.pct).toBeGreaterThan(70);
  });

  it.each<[string, (day: number) => number]>([
    ['the API calls as they were (a unit of people left)', (day) => (isWorkday(day) ? 5 : 0)],
    ['the API calls up by a third, not by the team’s work (activity fell)', (day) => (isWorkday(day) ? (day >= TODAY - 12 ? 8 : 6) : 0)],
  ])('the same fall with %s: significant, as before', (_name, api) => {
    const t = contraction(withApi({ ...steadyTeams(), finance }, api));
    expect(t.automated).toBe(false);
    expect(t.units['team:finance']).toMatchObject({ significant: true });
  });
});

describe('team_contraction alerts', () => {
  /** Evaluates `state` at noon of each of the `days` days before NOW up to NOW, carrying the memory. */
  function run(state: AccountState, days: number) {
    let emitted = state.emitted;
    const alerts = [];
    for (let back = days; back >= 0; back -= 1) {
      const e = evaluate({ ...state, emitted }, DEFAULT_SCORING_CONFIG, NOW - back * DAY_MS);
      alerts.push(...e.alerts.filter((a) => a.signal === 'team_contraction'));
      emitted = e.emitted;
    }
    return { alerts, emitted };
  }

  it('one WARNING per team that stopped, a day after the crossing, saying which team and how much it did', () => {
    const { alerts, emitted } = run(account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 10) }), 12);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ signal: 'team_contraction', kind: 'THRESHOLD_CROSSED', from_state: 'ok', to_state: 'breached', severity: 'WARNING', threshold: 70 });
    const evidence = Object.fromEntries((alert?.evidence ?? []).map((e) => [e.factor, e]));
    expect(evidence.team?.detail).toBe('team finance');
    expect(evidence.baseline_share_pct?.value).toBeGreaterThan(18);
    expect(evidence.baseline_events_per_week?.value).toBeGreaterThan(90);
    expect(evidence.recent_events?.value).toBe(0);
    expect(evidence.contraction_pct?.value).toBe(100);
    expect(emitted['team_contraction:team:finance']?.state).toBe('breached');
    expect(emitted['team_contraction:team:sales']?.state).toBe('ok');
  });

  it('a unit first judged while already quiet starts from ok: the breach then holds the dwell before it alerts', () => {
    const state = account({ ...steadyTeams(), finance: until(workdays(20, 3), TODAY - 12) });
    const first = evaluate(state, DEFAULT_SCORING_CONFIG, NOW - 2 * DAY_MS);
    expect(first.alerts.filter((a) => a.signal === 'team_contraction')).toEqual([]);
    expect(first.emitted['team_contraction:team:finance']?.state).toBe('ok');
    const second = evaluate({ ...state, emitted: first.emitted }, DEFAULT_SCORING_CONFIG, NOW - DAY_MS);
    expect(second.alerts.filter((a) => a.signal === 'team_contraction')).toEqual([]);
    const third = evaluate({ ...state, emitted: second.emitted }, DEFAULT_SCORING_CONFIG, NOW);
    expect(third.alerts.filter((a) => a.signal === 'team_contraction').map((a) => `${a.from_state}>${a.to_state}`)).toEqual(['ok>breached']);
  });

  it('a whole-account shutdown and a small team stopping raise nothing', () => {
    const teams = Object.fromEntries(Object.entries(steadyTeams()).map(([name, team]) => [name, shutdown(team, TODAY - 16, TODAY - 7)]));
    expect(run(account({ ...teams, legal: until(workdays(3, 4), TODAY - 20) }), 20).alerts).toEqual([]);
  });

  it('recovers when the team is back', () => {
    const back: TeamDay = (d) => (d > TODAY - 22 && d < TODAY - 8 ? 0 : workdays(20, 3)(d));
    const { alerts } = run(account({ ...steadyTeams(), finance: back }), 16);
    expect(alerts.map((a) => `${a.from_state}>${a.to_state}`)).toEqual(['ok>breached', 'breached>ok']);
  });
});
