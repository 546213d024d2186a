import { describe, expect, it } from 'vitest';
import type { EmittedState, SignalMemory } from '../account-state.js';
import { DEFAULT_SCORING_CONFIG } from '../default-scoring-config.js';
import type { SegmentConfig } from '../scoring-config.js';
import { computeSignals, type Signals } from '../signals/compute-signals.js';
import type { LoginDrop } from '../signals/login-drop.js';
import type { UsageDecline } from '../signals/usage-decline.js';
import type { UsersLost } from '../signals/users-lost.js';
import { defaults, healthyState, loginDropOf, NOW } from '../test-support.fixture.js';
import { dropValue, usageDropObservations } from './usage-drop-observations.js';

const breached: SignalMemory = { state: 'breached', since: NOW - 86_400_000, pending: null, lastAlertAt: NOW - 86_400_000 };

describe('dropValue: what the state machine sees of a drop', () => {
  it.each<[string, Partial<LoginDrop>, string | undefined, number | null]>([
    ['significant, over the threshold: the percentage', { pct: 45, significant: true, assessable: true }, 'ok', 45],
    ['not significant, over the threshold: held just under it', { pct: 45, significant: false, assessable: true }, 'ok', 29.99],
    ['not significant, under the threshold: as it is', { pct: 10, significant: false, assessable: true }, 'ok', 10],
    ['growth, not significant: as it is', { pct: -20, significant: false, assessable: true }, 'ok', -20],
    ['never evaluated before, significant: the percentage', { pct: 45, significant: true, assessable: true }, undefined, 45],
    ['in a breach, the plain percentage decides when it clears', { pct: 12, significant: false, assessable: true }, 'breached', 12],
    ['in a breach, still high but no longer significant: stays breached', { pct: 45, significant: false, assessable: true }, 'breached', 45],
    ['not assessable (tiny baseline): held', { pct: 100, significant: false, assessable: false }, 'ok', null],
    ['no percentage (a pause going on): held', { pct: null, assessable: true }, 'breached', null],
  ])('%s', (_name, drop, state, value) => {
    expect(dropValue(loginDropOf(drop), 30, state)).toBe(value);
  });
});

describe('usageDropObservations: each judgment held until its own evidence rule is met', () => {
  const base = computeSignals(healthyState(), DEFAULT_SCORING_CONFIG, NOW);
  const decline = (partial: Partial<UsageDecline>): UsageDecline => ({ ...loginDropOf(partial), firstHalfPct: null, secondHalfPct: null, continuing: false, ...partial });
  // beyond chance unless a case says otherwise
  const lostUsers = (partial: Partial<UsersLost>): UsersLost => ({ regulars: 10, lost: 0, silenceDays: 7, pct: 0, examples: [], chance: 0.001, ...partial });
  const value = (key: string, signals: Partial<Signals>, emitted: EmittedState = {}, config: SegmentConfig = defaults()) =>
    usageDropObservations({ ...base, ...signals }, config, emitted).find((o) => o.key === key)?.value;

  // a usage drop that corroborates a loss of people: 20 %, 2 standard errors
  const fell = loginDropOf({ pct: 20, phasePct: 20, z: 2, assessable: true });

  it.each<[string, Partial<UsageDecline>, EmittedState, number | null]>([
    ['significant and still sliding: the percentage', { pct: 25, significant: true, assessable: true, continuing: true }, {}, 25],
    ['significant, not sliding: held under 20', { pct: 25, significant: true, assessable: true, continuing: false }, {}, 19.99],
    ['sliding, not significant: held', { pct: 25, significant: false, assessable: true, continuing: true }, {}, 19.99],
    ['not sliding any more once alerted: the plain percentage clears it', { pct: 12, significant: true, assessable: true, continuing: false }, { usage_decline: breached }, 12],
    ['not assessable: nothing', { pct: 25, assessable: false, continuing: true }, {}, null],
    ['a pause going on: nothing', { pct: null, continuing: false }, {}, null],
  ])('usage_decline %s', (_name, d, emitted, expected) => {
    expect(value('usage_decline', { usageDecline: decline(d) }, emitted)).toBe(expected);
  });

  it.each<[string, Partial<UsersLost>, LoginDrop, EmittedState, number | null]>([
    ['3 people lost and usage down with them: the percentage', { lost: 3, pct: 30 }, fell, {}, 30],
    ['2 people lost (under minLost 3): held', { lost: 2, pct: 30 }, fell, {}, 24.99],
    ['not judged, no chance known: nothing', { lost: 3, pct: null, chance: null }, fell, {}, null],
    ['3 of 10 lost, as many as overlapping holidays make (7 % chance), no chance rule (maxChance 1, the default): the percentage', { lost: 3, pct: 30, chance: 0.0702 }, fell, {}, 30],
    ['usage down only 10 %: held (their work moved to others)', { lost: 3, pct: 30 }, loginDropOf({ pct: 10, phasePct: 10, z: 3, assessable: true }), {}, 24.99],
    ['usage down but on thin evidence (z 1): held', { lost: 3, pct: 30 }, loginDropOf({ pct: 20, phasePct: 20, z: 1, assessable: true }), {}, 24.99],
    ['down on weekdays, not against the month before: held', { lost: 3, pct: 30 }, loginDropOf({ pct: 20, phasePct: 5, z: 2, assessable: true }), {}, 24.99],
    ['no monthly phase known: the weekdays decide', { lost: 3, pct: 30 }, loginDropOf({ pct: 20, phasePct: null, z: 2, assessable: true }), {}, 30],
    ['usage not assessable: held', { lost: 3, pct: 30 }, loginDropOf({ pct: 20, z: 2, assessable: false }), {}, 24.99],
    ['once breached, the plain percentage clears it', { lost: 1, pct: 10 }, loginDropOf(), { users_lost: breached }, 10],
    ['not judged (a stop going on): nothing', { lost: 0, pct: null }, fell, {}, null],
  ])('users_lost %s', (_name, u, drop, emitted, expected) => {
    expect(value('users_lost', { usersLost: lostUsers(u), loginDrop: drop }, emitted)).toBe(expected);
  });

  it.each<[string, Partial<UsersLost>, EmittedState, number | null]>([
    ['3 of 10 lost, as many as overlapping holidays make (7 % chance): held', { lost: 3, pct: 30, chance: 0.0702 }, {}, 24.99],
    ['just beyond chance (5 %): the percentage', { lost: 4, pct: 40, chance: 0.05 }, {}, 40],
    ['a breach is not held back by the chance rule: the plain percentage clears it', { lost: 3, pct: 30, chance: 0.0702 }, { users_lost: breached }, 30],
  ])('users_lost with the chance rule (maxChance 0.05): %s', (_name, u, emitted, expected) => {
    const config: SegmentConfig = { ...defaults(), usersLost: { ...defaults().usersLost, maxChance: 0.05 } };
    expect(value('users_lost', { usersLost: lostUsers(u), loginDrop: fell }, emitted, config)).toBe(expected);
  });

  it('observes only the enabled judgments', () => {
    const config: SegmentConfig = { ...defaults(), usageDecline: { ...defaults().usageDecline, enabled: false }, usersLost: { ...defaults().usersLost, enabled: false } };
    expect(usageDropObservations(base, config, {}).map((o) => o.key)).toEqual(['login_drop']);
    expect(usageDropObservations(base, defaults(), {}).map((o) => o.key)).toEqual(['login_drop', 'usage_decline', 'users_lost']);
  });

  it('names the lost people and the usage behind a users_lost alert', () => {
    const obs = usageDropObservations({ ...base, usersLost: lostUsers({ lost: 3, pct: 30, examples: ['u-7', 'u-8', 'u-9'] }), loginDrop: fell }, defaults(), {}).find((o) => o.key === 'users_lost');
    expect(obs?.evidence().map((f) => [f.factor, f.value])).toEqual([
      ['users_lost_pct', 30],
      ['regular_users', 10],
      ['lost_users', 3],
      ['chance_pct', 0.1],
      ['login_drop_pct', 20],
    ]);
    expect(obs?.evidence()[2]?.detail).toBe('e.g. u-7, u-8, u-9');
  });

  it('says when a drop was judged against the quarter before (v1.11)', () => {
    const drop = loginDropOf({ pct: 40, z: 4, significant: true, assessable: true, recentLogins: 42, expected: 70, basis: 'quarter_phase', quarterFactor: 0.7 });
    const obs = usageDropObservations({ ...base, loginDrop: drop }, defaults(), {}).find((o) => o.key === 'login_drop');
    expect(obs?.evidence().find((f) => f.factor === 'activity_expected')?.detail).toBe(
      'what is normal for the account on those days: the same weekdays before, lowered to 70 % as the same days one quarter back were against the weeks after them',
    );
  });
});
