import { describe, expect, it } from 'vitest';
import { decodeAccountState, parseFlatAccountState, type FlatAccountState, type RawAccountState } from './decode-state.js';

const DAY = 86_400_000;
const D0 = 20_400; // a UTC day index
const at = (day: number, hour = 12) => day * DAY + hour * 3_600_000;

const empty: RawAccountState = {
  meta: {}, days: {}, userDays: {}, features: [], workflows: [], teams: [], integrations: {}, roles: {},
  stakeholders: {}, ticketsByFeature: {}, milestones: {}, emitted: null,
};

describe('decodeAccountState', () => {
  it('gives the empty state of an unknown account', () => {
    expect(decodeAccountState(empty, 'a', at(D0), 90)).toEqual({
      accountId: 'a',
      contract: { segment: null, contractedSeats: null, arr: null, renewalDate: null, signedAt: null, churnedAt: null },
      eventsApplied: 0, firstActivityAt: null, lastActivityAt: null, days: {}, activeUsers7d: 0, activeUsers28d: 0, userActiveDays28d: {}, userActiveMask28d: {}, userTeams: {},
      featureLastUsedAt: {}, workflowLastRunAt: {}, teamLastActiveAt: {}, integrations: {}, roleLastActiveAt: {}, roleActiveDays: {},
      stakeholders: {}, ticketsByFeature: {}, milestones: {}, latestNps: null, npsAnswers: {}, csatAnswers: {}, emitted: {},
    });
  });

  it("reads the count of applied events from the meta field n (0 before the first)", () => {
    expect(decodeAccountState({ ...empty, meta: { n: '1234', maxDay: String(D0) } }, 'a', at(D0), 90).eventsApplied).toBe(1234);
  });

  it('keeps only days inside the retention window ending with now', () => {
    const raw = { ...empty, days: { [D0 - 90]: '1', [D0 - 89]: '2,1', [D0]: '3', [D0 + 1]: '4' } };
    const state = decodeAccountState(raw, 'a', at(D0), 90);
    expect(Object.keys(state.days).map(Number)).toEqual([D0 - 89, D0]);
    expect(state.days[D0 - 89]).toMatchObject({ events: 2, logins: 1 });
  });

  it('counts active users and days per user over the windows ending with now', () => {
    // u1: days D0 and D0-10; u2: D0-20 only; u3: 30 days ago (outside 28)
    const raw = { ...empty, userDays: { u1: `${D0}:${1 + 2 ** 10}`, u2: `${D0 - 20}:1`, u3: `${D0 - 30}:1` } };
    const state = decodeAccountState(raw, 'a', at(D0), 90);
    expect(state).toMatchObject({ activeUsers7d: 1, activeUsers28d: 2, userActiveDays28d: { u1: 2, u2: 1 } });
    // the windows move with now: six days on, D0 is still in the 7 days and
    // u2 still in the 28; two days more and neither is
    expect(decodeAccountState(raw, 'a', at(D0 + 6), 90)).toMatchObject({ activeUsers7d: 1, activeUsers28d: 2 });
    const later = decodeAccountState(raw, 'a', at(D0 + 8), 90);
    expect(later).toMatchObject({ activeUsers7d: 0, activeUsers28d: 1 });
    expect(later.userActiveDays28d).toEqual({ u1: 2 });
  });

  it("reads each active user's team (v1.10; values written before it have none)", () => {
    const raw = { ...empty, userDays: { u1: `${D0}:1:${D0}:sales`, u2: `${D0 - 3}:1`, u3: `${D0 - 30}:1:${D0 - 30}:ops`, u4: `${D0}:3:${D0 - 1}:r&d: a:b` } };
    expect(decodeAccountState(raw, 'a', at(D0), 90).userTeams).toEqual({ u1: 'sales', u4: 'r&d: a:b' });
  });

  it('says which of the 28 days ending with now each user was active on (bit i: day now − i)', () => {
    const raw = { ...empty, userDays: { u1: `${D0}:${1 + 2 ** 10}`, u2: `${D0 - 20}:1`, u3: `${D0 - 30}:1` } };
    expect(decodeAccountState(raw, 'a', at(D0), 90).userActiveMask28d).toEqual({ u1: 1 + 2 ** 10, u2: 2 ** 20 });
    // the mask moves with now; a user with no day left in the 28 is not listed
    expect(decodeAccountState(raw, 'a', at(D0 + 6), 90).userActiveMask28d).toEqual({ u1: 2 ** 6 + 2 ** 16, u2: 2 ** 26 });
    expect(decodeAccountState(raw, 'a', at(D0 + 8), 90).userActiveMask28d).toEqual({ u1: 2 ** 8 + 2 ** 18 });
    // read for a now before a user's last day: days after now are left out (u1's D0), earlier ones kept
    const earlier = decodeAccountState(raw, 'a', at(D0 - 5), 90);
    expect(earlier.userActiveMask28d).toEqual({ u1: 2 ** 5, u2: 2 ** 15, u3: 2 ** 25 });
    expect(earlier.userActiveDays28d).toEqual({ u1: 1, u2: 1, u3: 1 });
  });

  it('drops last-seen entries older than retention', () => {
    const raw = { ...empty, features: ['old', String(at(D0 - 90)), 'edge', String((D0 - 89) * DAY), 'new', String(at(D0))] };
    expect(decodeAccountState(raw, 'a', at(D0), 90).featureLastUsedAt).toEqual({ edge: (D0 - 89) * DAY, new: at(D0) });
  });

  it('reads stakeholders: a leave after the latest assignment means gone', () => {
    const raw = {
      ...empty,
      stakeholders: {
        stays: `CHAMPION:${at(D0 - 5)}::${at(D0 - 5)}`,
        left: `CHAMPION:${at(D0 - 5)}:${at(D0 - 1)}:${at(D0 - 1)}`,
        back: `EXECUTIVE_SPONSOR:${at(D0 - 1)}:${at(D0 - 5)}:${at(D0 - 1)}`,
        neverAssigned: `ECONOMIC_BUYER::${at(D0 - 2)}:${at(D0 - 2)}`,
      },
    };
    expect(decodeAccountState(raw, 'a', at(D0), 90).stakeholders).toEqual({
      stays: { role: 'CHAMPION', assignedAt: at(D0 - 5), leftAt: null },
      left: { role: 'CHAMPION', assignedAt: at(D0 - 5), leftAt: at(D0 - 1) },
      back: { role: 'EXECUTIVE_SPONSOR', assignedAt: at(D0 - 1), leftAt: null },
      neverAssigned: { role: 'ECONOMIC_BUYER', assignedAt: at(D0 - 2), leftAt: at(D0 - 2) },
    });
  });

  it('reads tickets by feature for the 14 days ending with now', () => {
    const raw = { ...empty, ticketsByFeature: { [`${D0 - 14}|x`]: '9', [`${D0 - 13}|x`]: '2', [`${D0}|a|b`]: '1', [`${D0}|(none)`]: '3' } };
    expect(decodeAccountState(raw, 'a', at(D0), 90).ticketsByFeature).toEqual({ [D0 - 13]: { x: 2 }, [D0]: { 'a|b': 1, '(none)': 3 } });
  });

  it('reads contract, NPS, integrations, roles, milestones and the emitted memory', () => {
    const raw: RawAccountState = {
      ...empty,
      meta: { segment: 'SMB', seats: '40', arr: '1200.5', renewal: '1790000000000', signed: '1760000000000', nps: '6', 'nps@': '1760000000001', first: '1', last: '2' },
      integrations: { slack: '1760000000000:1', jira: '1760000000000:0' },
      roles: { CHAMPION: '1760000000000' },
      milestones: { m1: '{"n":"Go live","nt":1,"d":1770000000000,"dt":1,"a":1769000000000}', m2: '{}' },
      emitted: '{"going_dark":{"state":"ok","since":1,"pending":null,"lastAlertAt":null}}',
    };
    expect(decodeAccountState(raw, 'a', at(D0), 90)).toMatchObject({
      contract: { segment: 'SMB', contractedSeats: 40, arr: 1200.5, renewalDate: 1_790_000_000_000, signedAt: 1_760_000_000_000 },
      firstActivityAt: 1,
      lastActivityAt: 2,
      latestNps: { score: 6, at: 1_760_000_000_001 },
      // state written before answers were kept by respondent and ticket has none
      npsAnswers: {},
      csatAnswers: {},
      integrations: { slack: { connected: true, at: 1_760_000_000_000 }, jira: { connected: false, at: 1_760_000_000_000 } },
      roleLastActiveAt: { CHAMPION: 1_760_000_000_000 },
      milestones: {
        m1: { name: 'Go live', dueAt: 1_770_000_000_000, achievedAt: 1_769_000_000_000, missedAt: null },
        m2: { name: null, dueAt: null, achievedAt: null, missedAt: null },
      },
      emitted: { going_dark: { state: 'ok', since: 1, pending: null, lastAlertAt: null } },
    });
  });

  it('reads NPS answers by respondent and CSAT answers by ticket from the meta hash, with the role their answer named', () => {
    const raw: RawAccountState = { ...empty, meta: { nps: '3', 'nps@': '20', 'nps|ann': '3:20:DAILY_USER', 'nps|bob': '9:10:', 'csat|t-9': '1:30:TECHNICAL_OWNER' } };
    const state = decodeAccountState(raw, 'a', at(D0), 90);
    expect(state.npsAnswers).toEqual({ ann: { score: 3, at: 20, role: 'DAILY_USER' }, bob: { score: 9, at: 10, role: null } });
    expect(state.csatAnswers).toEqual({ 't-9': { score: 1, at: 30, role: 'TECHNICAL_OWNER' } });
  });
});

describe('parseFlatAccountState', () => {
  // every part that moves with now, with entries on both edges of its windows
  const flat: FlatAccountState = {
    meta: ['first', String(at(D0 - 95)), 'last', String(at(D0 + 1)), 'n', '77', 'nps', '4', 'nps@', String(at(D0 - 3)), 'nps|ann', `4:${at(D0 - 3)}:CHAMPION`],
    days: [String(D0 - 90), '1', String(D0 - 89), '2,1', String(D0 - 10), '5,3', String(D0), '3', String(D0 + 1), '4'],
    userDays: ['u1', `${D0}:${1 + 2 ** 10}:${D0}:sales`, 'u2', `${D0 - 20}:1`, 'u3', `${D0 + 1}:3`],
    features: ['old', String(at(D0 - 90)), 'edge', String((D0 - 89) * DAY), 'new', String(at(D0))],
    workflows: ['wf', String(at(D0 - 2))],
    teams: ['ops', String(at(D0 - 89))],
    integrations: ['slack', `${at(D0 - 2)}:1`],
    roles: ['CHAMPION', String(at(D0)), 'EXECUTIVE_SPONSOR|d', `${D0 + 1},${D0 - 3}`, 'ECONOMIC_BUYER|d', `${D0 - 5}`],
    stakeholders: ['ann', `CHAMPION:${at(D0 - 50)}::${at(D0 - 50)}`],
    ticketsByFeature: [`${D0 - 14}|x`, '9', `${D0 - 13}|x`, '2', `${D0}|y`, '1', `${D0 + 1}|y`, '5'],
    milestones: ['m1', '{"n":"Go live","d":1770000000000}'],
    emitted: '{"going_dark":{"state":"ok","since":1,"pending":null,"lastAlertAt":null}}',
    subAccounts: ['team:a', `${D0 - 90}:1,,2`, 'team:b', `${D0 - 2}:1,,3,4`, 'team:c', `${D0 + 1}:6`, 'product_line:p', `${D0 - 60}:2`],
  };

  it('one parse judged at any time, in any order, equals a parse of its own at that time', () => {
    const parsed = parseFlatAccountState(flat, 'a', 90);
    const times = [D0 - 3, D0 - 1, D0, D0 + 1, D0 + 2, D0 + 25, D0 + 40, D0 + 100].flatMap((day) => [at(day, 0), at(day, 23)]);
    for (const t of [...times, ...times.reverse(), at(D0), at(D0 + 100), at(D0)]) {
      expect(parsed.at(t), `day ${Math.floor(t / DAY) - D0}`).toEqual(parseFlatAccountState(flat, 'a', 90).at(t));
    }
    // and what it gives is a decode's
    expect(parsed.at(at(D0))).toEqual(decodeAccountState({
      ...empty,
      meta: { first: String(at(D0 - 95)), last: String(at(D0 + 1)), n: '77', nps: '4', 'nps@': String(at(D0 - 3)), 'nps|ann': `4:${at(D0 - 3)}:CHAMPION` },
      days: { [D0 - 90]: '1', [D0 - 89]: '2,1', [D0 - 10]: '5,3', [D0]: '3', [D0 + 1]: '4' },
      userDays: { u1: `${D0}:${1 + 2 ** 10}:${D0}:sales`, u2: `${D0 - 20}:1`, u3: `${D0 + 1}:3` },
      features: flat.features, workflows: flat.workflows, teams: flat.teams,
      integrations: { slack: `${at(D0 - 2)}:1` },
      roles: { CHAMPION: String(at(D0)), 'EXECUTIVE_SPONSOR|d': `${D0 + 1},${D0 - 3}`, 'ECONOMIC_BUYER|d': `${D0 - 5}` },
      stakeholders: { ann: `CHAMPION:${at(D0 - 50)}::${at(D0 - 50)}` },
      ticketsByFeature: { [`${D0 - 14}|x`]: '9', [`${D0 - 13}|x`]: '2', [`${D0}|y`]: '1', [`${D0 + 1}|y`]: '5' },
      milestones: { m1: '{"n":"Go live","d":1770000000000}' },
      emitted: flat.emitted,
      subAccounts: { 'team:a': `${D0 - 90}:1,,2`, 'team:b': `${D0 - 2}:1,,3,4`, 'team:c': `${D0 + 1}:6`, 'product_line:p': `${D0 - 60}:2` },
    }, 'a', at(D0), 90));
    expect(parsed.at(at(D0))).toMatchObject({
      days: { [D0 - 89]: { events: 2, logins: 1 }, [D0 - 10]: { events: 5 }, [D0]: { events: 3 } },
      roleActiveDays: { EXECUTIVE_SPONSOR: [D0 - 3], ECONOMIC_BUYER: [D0 - 5] },
      ticketsByFeature: { [D0 - 13]: { x: 2 }, [D0]: { y: 1 } },
      subAccountDays: { 'team:b': { first: D0 - 2, counts: [1, 0, 3] }, 'product_line:p': { first: D0 - 60, counts: [2] } },
      featureLastUsedAt: { edge: (D0 - 89) * DAY, new: at(D0) },
    });
  });

  it('states of one parse share what did not move, and each has its own of what did', () => {
    const parsed = parseFlatAccountState(flat, 'a', 90);
    const dayEnd = parsed.at(at(D0 + 1, 23));
    const midnight = parsed.at(at(D0 + 2, 0));
    // the same stored days are inside both windows: one record of days, one of each such unit
    expect(Object.keys(dayEnd.days).map(Number)).toEqual([D0 - 10, D0, D0 + 1]);
    expect(midnight.days).toBe(dayEnd.days);
    expect(midnight.subAccountDays?.['team:b']).toBe(dayEnd.subAccountDays?.['team:b']);
    expect(midnight.emitted).toBe(dayEnd.emitted);
    expect(midnight.userActiveMask28d).not.toBe(dayEnd.userActiveMask28d);
    expect(midnight.userActiveMask28d).toEqual({ u1: 2 ** 2 + 2 ** 12, u2: 2 ** 22, u3: 2 + 4 });
    // a day leaves the window: a record of its own
    const later = parsed.at(at(D0 + 80, 0));
    expect(Object.keys(later.days).map(Number)).toEqual([D0, D0 + 1]);
    expect(Object.keys(dayEnd.days).map(Number)).toEqual([D0 - 10, D0, D0 + 1]);
  });
});
