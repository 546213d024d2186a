import { validateRecord, type HealthAlert, type StakeholderRole } from '@valuepulse/contracts';
import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf, type AccountState } from './account-state.js';
import { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
import { evaluate } from './evaluate.js';
import { counters, emptyState, NOW, seededRandom } from './test-support.fixture.js';

const ROLES: StakeholderRole[] = ['UNKNOWN', 'EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION', 'DAILY_USER'];
const SEGMENTS = [null, 'UNKNOWN', 'ENTERPRISE', 'MID_MARKET', 'SMB'] as const;

/** A random account as the store could hand it over at `now`, including odd data (future stamps, gaps, zero seats). */
function randomState(rng: () => number, now: number, id: number): AccountState {
  const int = (max: number) => Math.floor(rng() * (max + 1));
  const maybe = <T>(p: number, value: () => T): T | null => (rng() < p ? value() : null);
  const ago = (maxDays: number) => now - Math.floor(rng() * maxDays * DAY_MS) + (rng() < 0.03 ? DAY_MS : 0);
  const today = dayOf(now);
  const days: AccountState['days'] = {};
  const density = rng();
  for (let d = 0; d < 90; d += 1) {
    if (rng() > density) continue;
    const csatCount = int(3);
    days[today - d] = counters({
      events: int(400),
      logins: int(rng() < 0.5 ? 30 : 300),
      workflowRuns: int(20),
      apiCalls: rng() < 0.7 ? 0 : int(500),
      ticketsOpened: int(rng() < 0.8 ? 2 : 15),
      escalations: int(rng() < 0.9 ? 0 : 4),
      reopenings: int(rng() < 0.9 ? 0 : 4),
      csatCount,
      csatSum: csatCount * (1 + int(4)),
      csatLow: int(csatCount),
    });
  }
  const answers = (prefix: string, n: number, scores: number): NonNullable<AccountState['npsAnswers']> =>
    Object.fromEntries(Array.from({ length: int(n) }, (_, i) => [`${prefix}${i}`, { score: int(scores - 1) + (scores === 5 ? 1 : 0), at: ago(200), role: rng() < 0.6 ? (ROLES[int(ROLES.length - 1)] as StakeholderRole) : null }]));
  const names = (prefix: string, n: number, maxAge: number) => Object.fromEntries(Array.from({ length: int(n) }, (_, i) => [`${prefix}${i}`, ago(maxAge)]));
  const users = Object.fromEntries(Array.from({ length: int(60) }, (_, i) => [`u${i}`, int(28)]));
  // which of the 28 days each user was active on (bit i: day now − i); some stores do not say
  const masks = maybe(0.8, () => Object.fromEntries(Object.keys(users).map((u) => [u, int(2 ** 28 - 1)])));
  const stakeholders: AccountState['stakeholders'] = {};
  for (let i = int(6); i > 0; i -= 1) {
    const assignedAt = ago(200);
    stakeholders[`s${i}`] = { role: ROLES[int(ROLES.length - 1)] as StakeholderRole, assignedAt, leftAt: maybe(0.3, () => ago(200)) };
  }
  const ticketsByFeature: AccountState['ticketsByFeature'] = {};
  for (let d = 0; d < 14; d += 1) if (rng() < 0.3) ticketsByFeature[today - d] = { exports: int(4), sso: int(2), '(none)': int(5) };
  const milestones: AccountState['milestones'] = {};
  for (let i = int(5); i > 0; i -= 1) {
    milestones[`m${i}`] = { name: maybe(0.5, () => `Milestone ${i}`), dueAt: maybe(0.9, () => ago(200) + int(120) * DAY_MS), achievedAt: maybe(0.4, () => ago(150)), missedAt: maybe(0.2, () => ago(150)) };
  }
  const first = maybe(0.9, () => ago(300));
  return emptyState({
    accountId: `acct-${id}`,
    contract: {
      segment: SEGMENTS[int(SEGMENTS.length - 1)] ?? null,
      contractedSeats: maybe(0.8, () => int(rng() < 0.1 ? 0 : 500)),
      arr: maybe(0.5, () => int(1e6)),
      renewalDate: maybe(0.7, () => (today + int(400) - 30) * DAY_MS),
      signedAt: maybe(0.7, () => ago(400)),
    },
    firstActivityAt: first,
    lastActivityAt: first === null ? null : Math.max(first, ago(60)),
    days,
    activeUsers7d: int(50),
    activeUsers28d: int(200),
    userActiveDays28d: users,
    ...(masks === null ? {} : { userActiveMask28d: masks }),
    featureLastUsedAt: names('f', 20, 60),
    workflowLastRunAt: names('w', 8, 60),
    teamLastActiveAt: names('t', 6, 60),
    integrations: Object.fromEntries(Array.from({ length: int(5) }, (_, i) => [`i${i}`, { connected: rng() < 0.7, at: ago(100) }])),
    roleLastActiveAt: Object.fromEntries(ROLES.filter(() => rng() < 0.6).map((r) => [r, ago(90)])),
    stakeholders,
    ticketsByFeature,
    milestones,
    latestNps: maybe(0.6, () => ({ score: int(10), at: ago(200) })),
    // answers by respondent and ticket, some naming a role (stakeholder_alignment), some stores none
    ...(rng() < 0.3 ? {} : { npsAnswers: answers('u', 10, 11) }),
    ...(rng() < 0.3 ? {} : { csatAnswers: answers('t', 6, 5) }),
  });
}

describe('evaluate over random accounts (seeded, reproducible)', () => {
  it('always produces in-range scores and records the contracts accept, with alert chains per signal', () => {
    const rng = seededRandom(20_261_122);
    let alerts = 0;
    for (let account = 0; account < 150; account += 1) {
      let emitted: AccountState['emitted'] = {};
      let now = NOW;
      const lastTo = new Map<string, string>();
      for (let step = 0; step < 8; step += 1) {
        const state = { ...randomState(rng, now, account), emitted };
        // a milestone that vanished from the state is forgotten; if it comes back, its chain starts over
        for (const key of lastTo.keys()) if (key.startsWith('milestone:') && !(key.slice(10) in state.milestones)) lastTo.delete(key);
        const e = evaluate(state, DEFAULT_SCORING_CONFIG, now);
        expect(e.healthScore).toBeGreaterThanOrEqual(0);
        expect(e.healthScore).toBeLessThanOrEqual(100);
        if (e.valueLockIn !== null) {
          expect(e.valueLockIn).toBeGreaterThanOrEqual(0);
          expect(e.valueLockIn).toBeLessThanOrEqual(10);
        }
        expect(e.signals.adoption.score).toBeGreaterThanOrEqual(0);
        expect(e.signals.adoption.score).toBeLessThanOrEqual(100);
        expect(e.signals.support.pressure).toBeGreaterThanOrEqual(0);
        expect(e.signals.support.pressure).toBeLessThanOrEqual(100);
        const { loginDrop, usageDecline, usersLost } = e.signals;
        for (const d of [loginDrop, usageDecline]) {
          // significant only with an assessable expectation and the evidence the config asks for
          if (d.significant) expect(d.assessable && d.pct !== null && (d.z ?? 0) >= DEFAULT_SCORING_CONFIG.loginDrop.minEvidenceZ).toBe(true);
          if (d.pct !== null) expect(d.pct).toBeLessThanOrEqual(100);
          expect(d.throughDay).toBeLessThan(dayOf(now) - 1);
          expect(d.nextSettleAt).toBeGreaterThan(now);
        }
        if (usersLost.pct !== null) {
          expect(usersLost.pct).toBeGreaterThanOrEqual(0);
          expect(usersLost.pct).toBeLessThanOrEqual(100);
          expect(usersLost.lost).toBeLessThanOrEqual(usersLost.regulars);
        }
        if (state.userActiveMask28d === undefined) expect(usersLost.pct).toBeNull();
        const snapshot = validateRecord('HealthSnapshot', e.snapshot);
        expect(snapshot.ok ? [] : snapshot.issues).toEqual([]);
        expect(e.snapshot.tier).toBe(e.tier);
        for (const alert of e.alerts) {
          const valid = validateRecord('HealthAlert', alert);
          expect(valid.ok ? [] : valid.issues, JSON.stringify(alert)).toEqual([]);
          expect(alert.model_version).toBe('v1.11.0');
          expect(alert.evidence.length).toBeGreaterThan(0);
          const key = chainKey(alert);
          // within one account, a signal's alerts form a chain: from = the previous to
          if (lastTo.has(key)) expect(alert.from_state, key).toBe(lastTo.get(key));
          lastTo.set(key, alert.to_state);
        }
        expect(new Set(e.alerts.map((a) => a.alert_id)).size).toBe(e.alerts.length);
        expect(e.nextEvaluationAt).toBeGreaterThan(now);
        expect(e.nextEvaluationAt).toBeLessThanOrEqual((dayOf(now) + 1) * DAY_MS);
        alerts += e.alerts.length;
        emitted = e.emitted;
        now += Math.floor(rng() * 3 * DAY_MS);
      }
    }
    // the generator must actually exercise the alert paths, or this test proves nothing
    expect(alerts).toBeGreaterThan(300);
  });

  it('is deterministic on random input: same state, config and now, deep-equal evaluation', () => {
    const rng = seededRandom(7);
    for (let i = 0; i < 100; i += 1) {
      const state = randomState(rng, NOW, i);
      expect(evaluate(structuredClone(state), DEFAULT_SCORING_CONFIG, NOW)).toEqual(evaluate(state, DEFAULT_SCORING_CONFIG, NOW));
    }
  });
});

/** Milestone alerts chain per milestone; the evidence names it as "… (<id>)". */
function chainKey(alert: HealthAlert): string {
  if (alert.signal !== 'milestone_missed') return alert.signal;
  return `milestone:${/\((m\d+)\)/.exec(alert.evidence[0]?.detail ?? '')?.[1] ?? '?'}`;
}
