// Healthy rhythms of B2B use that the first held-out archetypes do not have
// (`--rhythms2`), and the two seasons every account may share (`--seasons-all`).
// Plain ESM like the generator, no imports from the repo. Every parameter is
// drawn from a PRNG stream of its own ('rhythms2', 'seasons'), so without the
// options the generator draws exactly what it drew before. See README.md.

/** The healthy archetypes of `--rhythms2`, in the order the healthy slots cycle through them. */
export const HEALTHY2 = ['year_end', 'summer_vacations', 'turnover', 'growth_wave', 'sun_thu_week', 'shift_work', 'four_day_week', 'quarter_end', 'dateline_tz', 'api_shift'];

/**
 * The rhythm machinery for one generated scenario.
 * ctx: { rng, START, DAYS, DAY, dateOf, isWeekend, HOLIDAYS, TEAMS }
 */
export function createRhythms2(ctx) {
  const { rng, START, DAYS, DAY, dateOf, isWeekend, HOLIDAYS, TEAMS } = ctx;
  const dayOfDate = (y, m, d) => Math.round((Date.UTC(y, m, d) - START) / DAY);
  const years = [...new Set([dateOf(0).getUTCFullYear() - 1, dateOf(0).getUTCFullYear(), dateOf(DAYS - 1).getUTCFullYear()])];
  const weekday = (d) => dateOf(d).getUTCDay();
  const inside = (from, to) => to > 0 && from < DAYS;

  /** A new person who joins on `joinDay` and takes `rampDays` to reach their habit. */
  function newUser(A, g, team, joinDay, rampDays) {
    const n = A.users.length;
    return {
      id: `user-${String(n + 1).padStart(3, '0')}`, role: 'DAILY_USER', team, p: g.u(0.3, 0.95), stakeholder: false, exec: false,
      weekend: g.u(0.01, 0.06), startHour: g.u(7.5, 10.5), favourites: Array.from({ length: g.int(2, 6) }, () => g.pick(A.features)),
      vacFrom: -1, vacTo: -1, quitDay: null, weekMult: null, joinDay, rampDays,
    };
  }

  /**
   * Year-end season: from about Dec 20 to about Jan 2 most people are off, each on their own days
   * (staggered), the rest work lighter; Dec 25 and Jan 1 nearly everyone is off; back to normal
   * over the first working week.
   */
  function planYearEnd(A, g) {
    const seasons = [];
    for (const y of years) {
      const from = dayOfDate(y, 11, 20) + g.int(-2, 2);
      const to = dayOfDate(y + 1, 0, 2) + g.int(0, 3);
      if (!inside(from - 7, to + 7)) continue;
      const awayShare = g.u(0.55, 0.85);
      const closed = new Set([dayOfDate(y, 11, 25), dayOfDate(y + 1, 0, 1)]);
      const light = new Set([dayOfDate(y, 11, 24), dayOfDate(y, 11, 26), dayOfDate(y, 11, 31)]);
      seasons.push({ from, to, closed, light, stay: g.u(0.55, 0.85), rampDays: g.int(4, 8), away: new Map() });
      const s = seasons.at(-1);
      for (const u of A.users) {
        if (!g.chance(awayShare)) continue;
        const a = from + g.int(-2, 5);
        const b = Math.max(a + 3, to - g.int(-2, 4));
        s.away.set(u.id, [a, b]);
      }
    }
    A.yearEnd = seasons;
  }

  /**
   * Summer vacations: a period of 4–7 weeks starting between about Jun 24 and Jul 15 in which most
   * people take 1–3 weeks off, staggered so that 20–45 % are away at any time (not a shutdown).
   */
  function planSummer(A, g) {
    const periods = [];
    for (const y of years) {
      const from = dayOfDate(y, 5, 24) + g.int(0, 21);
      const length = 7 * g.int(4, 7);
      if (!inside(from, from + length)) continue;
      const share = g.u(0.2, 0.45);
      const away = new Map();
      for (const u of A.users) {
        const weeks = g.int(1, 3);
        // a start anywhere in the period but its last week (a vacation may run past its end): about
        // `share` of the people away on any day of it, not most of them in its middle
        if (!g.chance(Math.min(0.95, (share * length) / 14))) continue;
        // vacations mostly start on a Saturday or a Monday
        let a = from + g.int(0, length - 7);
        while (![1, 6].includes(weekday(a))) a += 1;
        away.set(u.id, [a, a + 7 * weeks - (weekday(a) === 1 ? 2 : 0)]);
      }
      periods.push({ from, to: from + length, away });
    }
    A.summer = periods;
  }

  /** Everyone's own days off in the seasons; the share of their habit left on day d. */
  function seasonFactor(A, u, d) {
    let f = 1;
    for (const s of A.yearEnd ?? []) {
      const away = s.away.get(u.id);
      if (away && d >= away[0] && d < away[1]) return 0;
      if (s.closed.has(d)) f *= 0.04;
      else if (s.light.has(d)) f *= 0.35;
      else if (d >= s.from && d < s.to) f *= s.stay;
      else if (d >= s.to && d < s.to + s.rampDays) f *= 0.7 + (0.3 * (d - s.to)) / s.rampDays;
    }
    for (const s of A.summer ?? []) {
      const away = s.away.get(u.id);
      if (away && d >= away[0] && d < away[1]) return 0;
    }
    return f;
  }

  /** Draws one archetype's parameters (and its extra people) after the account is planned. */
  function plan(A) {
    const g = rng('rhythms2', A.index);
    const plain = A.users.filter((u) => !u.stakeholder);
    A.r2 = true;
    switch (A.kind) {
      case 'year_end': planYearEnd(A, g); break;
      case 'summer_vacations': planSummer(A, g); break;
      case 'turnover': {
        // 10–25 % of the people a quarter leave; each is replaced by a new hire (sometimes with a
        // few days of handover, sometimes after a gap of up to three weeks) who ramps up
        const quarterly = g.u(0.1, 0.25);
        for (const u of plain) {
          if (!g.chance(Math.min(0.9, (quarterly * DAYS) / 91))) continue;
          u.quitDay = g.int(7, DAYS - 7);
          A.users.push(newUser(A, g, u.team, u.quitDay + g.int(-5, 21), g.int(10, 21)));
        }
        break;
      }
      case 'growth_wave': {
        // a new team of 20–60 % more people joins over two weeks; a few of them take a week or two
        // off together a month or so later (the old level must not read as a drop then)
        const join = g.int(30, DAYS - 45);
        const size = Math.max(2, Math.round(A.users.length * g.u(0.2, 0.6)));
        const team = `${g.pick(TEAMS)}-${g.pick(['emea', 'east', 'west', 'north', 'new'])}`;
        const joiners = Array.from({ length: size }, () => { const u = newUser(A, g, team, join + g.int(0, 12), g.int(10, 21)); A.users.push(u); return u; });
        const away = join + g.int(28, 49);
        for (const u of g.shuffle(joiners).slice(0, g.int(2, Math.max(2, Math.ceil(size / 2))))) {
          u.vacFrom = away + g.int(0, 6);
          u.vacTo = u.vacFrom + 7 * g.int(1, 2);
        }
        break;
      }
      case 'sun_thu_week': {
        // Sunday to Thursday working week (Israel, Saudi Arabia, ...): Friday and Saturday off
        A.tz = g.pick([2, 3, 3, 4]);
        A.holidays = HOLIDAYS.emea;
        A.rest = (d) => [5, 6].includes(weekday(d));
        break;
      }
      case 'shift_work': {
        // a 7-day operation (hospital, retail, logistics): machines every day, each person on a rota
        // with their own days off (5 on / 2 off on their own weekdays, or 4 on / 4 off), some on nights;
        // public holidays are worked
        A.rest = () => false;
        A.holidays = new Set();
        // executives keep office hours, Monday to Friday
        for (const u of A.users) {
          if (u.exec) { u.rest = isWeekend; continue; }
          if (g.chance(0.5)) {
            const off = g.int(0, 6);
            u.rest = (d) => { const w = weekday(d); return w === off || w === (off + 1) % 7; };
          } else {
            const offset = g.int(0, 7);
            u.rest = (d) => (d + offset) % 8 >= 4;
          }
          u.weekend = g.u(0.01, 0.06);
          if (!u.exec && g.chance(0.3)) Object.assign(u, { startHour: g.u(19, 23), earliest: 18, latest: 27, lastUse: 30, secondLogin: 29 });
        }
        for (const w of A.workflows) w.weekends = true;
        break;
      }
      case 'four_day_week': {
        // a four-day week: the whole company off on Friday (or Monday), or each team its own
        const off = g.weighted([[5, 7], [1, 3]]);
        if (g.chance(0.7)) A.rest = (d) => isWeekend(d) || weekday(d) === off;
        else {
          const teams = new Map();
          for (const u of A.users) {
            if (!teams.has(u.team)) teams.set(u.team, g.pick([1, 5]));
            const own = teams.get(u.team);
            u.rest = (d) => isWeekend(d) || weekday(d) === own;
          }
        }
        break;
      }
      case 'quarter_end': {
        // the last two weeks of a calendar quarter busy, the first 1–3 weeks of the next quiet
        A.quarter = { busy: g.u(1.5, 2.2), quiet: g.u(0.55, 0.8), quietDays: 7 * g.int(1, 3), busyDays: g.int(12, 15) };
        break;
      }
      case 'dateline_tz': {
        // near the date line: the local working day straddles UTC midnight
        A.tz = g.pick([12, 12, 13, -10]);
        A.holidays = A.tz > 0 ? HOLIDAYS.apac : HOLIDAYS.amer;
        break;
      }
      case 'api_shift': {
        // interactive work moves to an integration: logins fall by about half over two weeks (each
        // person keeps 20–80 % of their habit), API calls take over so total activity stays steady
        const from = g.int(30, DAYS - 30);
        const logins = A.users.reduce((s, u) => s + u.p * (u.exec ? 1 : 1.2), 0);
        A.apiRate = g.u(3, 15);
        A.apiShift = { from, to: from + 14, perLogin: g.u(0.9, 1.3), logins };
        // executives' visits (reports, reviews) are not the work that moves to the integration
        for (const u of A.users) u.keep = u.exec ? 1 : g.u(0.2, 0.8);
        break;
      }
      default: A.r2 = false;
    }
  }

  /** `--seasons-all`: the year-end season and summer vacations for an account of any kind. */
  function planSeasons(A) {
    const g = rng('seasons', A.index);
    if (!A.yearEnd) planYearEnd(A, g);
    if (!A.summer) planSummer(A, g);
    A.r2 = true;
  }

  /** How far through the API shift day d is (0 before, 1 after). */
  const shiftProgress = (A, d) => (A.apiShift ? Math.min(1, Math.max(0, (d - A.apiShift.from) / (A.apiShift.to - A.apiShift.from))) : 0);

  /** Share of a person's habit left on day d by the rhythms above (1 when none applies). */
  function userFactor(A, u, d) {
    if (u.joinDay !== undefined) {
      if (d < u.joinDay) return 0;
      if (d < u.joinDay + u.rampDays) return 0.3 + (0.7 * (d - u.joinDay)) / u.rampDays;
    }
    let f = seasonFactor(A, u, d);
    if (A.apiShift) f *= 1 - (1 - u.keep) * shiftProgress(A, d);
    return f;
  }

  /** Account-wide factor on day d (the quarter cycle). */
  function accountFactor(A, d) {
    if (!A.quarter) return 1;
    const date = dateOf(d);
    const m = date.getUTCMonth();
    const q = A.quarter;
    if (m % 3 === 2) {
      const last = new Date(Date.UTC(date.getUTCFullYear(), m + 1, 0)).getUTCDate();
      if (date.getUTCDate() > last - q.busyDays) return q.busy;
    }
    if (m % 3 === 0 && date.getUTCDate() <= q.quietDays) return q.quiet;
    return 1;
  }

  /** API calls the shift adds on day d (a working day; the caller scales rest days down). */
  function extraApiCalls(A, d) {
    if (!A.apiShift) return 0;
    const lost = A.users.reduce((s, u) => s + u.p * (u.exec ? 1 : 1.2) * (1 - u.keep), 0);
    return lost * shiftProgress(A, d) * A.apiShift.perLogin;
  }

  return { plan, planSeasons, userFactor, accountFactor, extraApiCalls, seasonFactor };
}
