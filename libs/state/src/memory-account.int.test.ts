import { afterAll, describe, expect, it } from 'vitest';
import { redisTestEndpoints, uniqueName } from '@valuepulse/testkit';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { CSAT_ANSWERS_KEPT, NPS_ANSWERS_KEPT, SUB_ACCOUNT_KEYS_KEPT } from '@valuepulse/scoring';
import { createAccountStore, createMemoryAccount, type StoreEvent } from './index.js';
import { realisticAccount } from './realistic-account.fixture.js';
import { SCENARIO_NOW, scenarioEvents } from './scenario.fixture.js';
import { account, at, D0, shuffled, support, usage } from './store-events.fixture.js';
import { testRedis } from './test-redis.fixture.js';

// The in-memory state behind backtests and `npm run quality` must read exactly
// like the Redis store: the same events, in the same order, the same state.
// the same behaviour on one node and on the local stack's 3-master Redis Cluster
const backends = [
  { backend: 'one node', endpoint: stackEndpoints().redis },
  { backend: 'a Redis Cluster', endpoint: redisTestEndpoints().cluster },
];

describe.each(backends)('createMemoryAccount: the same AccountState as the Redis store on $backend', ({ endpoint }) => {
  const t = testRedis(endpoint, `${uniqueName('vp_memory')}:`);
  const store = createAccountStore({ redis: t.redis, prefix: t.prefix });
  afterAll(() => t.cleanup());

  async function compare(accountId: string, events: readonly StoreEvent[], nows: readonly number[], batch = 250): Promise<void> {
    const memory = createMemoryAccount(accountId);
    for (let i = 0; i < events.length; i += batch) {
      const slice = events.slice(i, i + batch);
      await store.apply(slice);
      for (const e of slice) memory.apply(e);
    }
    for (const now of nows) expect(memory.read(now), `read at ${new Date(now).toISOString()}`).toEqual(await store.read(accountId, now));
  }

  it('a scripted mix of every event kind', async () => {
    await compare('scripted', scenarioEvents('scripted'), [SCENARIO_NOW, at(D0 - 5), at(D0 + 30)]);
  });

  it('60 days of a realistic account, delivered shuffled, read at several instants', async () => {
    const events = shuffled(realisticAccount('realistic', D0, { users: 30, features: 15, days: 60 }), 7);
    await compare('realistic', events, [at(D0, 23), at(D0 - 10, 12), at(D0 - 30), at(D0 + 3)]);
  });

  it('a sponsor\'s visits: the 16 most recent distinct days, in any order and batching, none after now', async () => {
    // 24 visit days (some with two visits), older ones than the newest 16 arriving last
    const visitDays = Array.from({ length: 24 }, (_, i) => D0 - 3 * i);
    const events = shuffled(
      visitDays.flatMap((d, i) => [
        usage('sponsor', at(d, 9), 'erin', 'LOGIN', { user_role: 'EXECUTIVE_SPONSOR' }),
        ...(i % 3 === 0 ? [usage('sponsor', at(d, 15), 'erin', 'REPORT_VIEWED', { user_role: 'EXECUTIVE_SPONSOR' })] : []),
        usage('sponsor', at(d, 10), 'dan', 'LOGIN', { user_role: 'DAILY_USER' }),
      ]),
      3,
    );
    await compare('sponsor', events, [at(D0, 20), at(D0 - 10, 12)], 7);
    const state = await store.read('sponsor', at(D0, 20));
    expect(state.roleActiveDays).toEqual({ EXECUTIVE_SPONSOR: visitDays.slice(0, 16) });
    // a read at an earlier instant does not see later visits
    expect((await store.read('sponsor', at(D0 - 10, 12))).roleActiveDays?.EXECUTIVE_SPONSOR?.[0]).toBe(D0 - 12);
  });

  it('usage events per team and product line: at most SUB_ACCOUNT_KEYS_KEPT keys, a place freed when a key leaves the window', async () => {
    // 56 teams and 4 product lines (60 keys) on three old days, two events each, in batches of 7
    const old = Array.from({ length: 56 }, (_, i) => [0, 1].map((k) =>
      usage('units', at(D0 - 117 + (i % 3), 9 + k), `user-${i}`, k === 0 ? 'LOGIN' : 'FEATURE_USED', { team: `team-${i}`, product_line: `line-${i % 4}` }),
    )).flat();
    const memory = createMemoryAccount('units');
    const applyBoth = async (events: StoreEvent[], batch: number) => {
      for (let i = 0; i < events.length; i += batch) {
        await store.apply(events.slice(i, i + batch));
        for (const e of events.slice(i, i + batch)) memory.apply(e);
      }
    };
    await applyBoth(old, 7);
    const before = at(D0 - 115, 12);
    const early = await store.read('units', before);
    expect(memory.read(before)).toEqual(early);
    expect(Object.keys(early.subAccountDays ?? {})).toHaveLength(SUB_ACCOUNT_KEYS_KEPT);
    expect(early.subAccountDays?.['team-0']).toBeUndefined();
    expect(early.subAccountDays?.['team:team-0']).toEqual({ first: D0 - 117, counts: [2] });
    // later days: the old ones leave the window (the first two of them within this one call,
    // a late event of a kept day in between), so new teams find a place
    const later = [
      usage('units', at(D0 - 4, 10), 'new-1', 'LOGIN', { team: 'new-team', product_line: 'line-0' }),
      usage('units', at(D0 - 115, 15), 'user-2', 'LOGIN', { team: 'team-2' }),
      usage('units', at(D0, 10), 'new-2', 'LOGIN', { team: 'newer-team' }),
      usage('units', at(D0, 11), 'new-2', 'WORKFLOW_RUN', { team: 'newer-team', product_line: 'automation' }),
    ];
    await applyBoth(later, 4);
    const now = at(D0, 23);
    const state = await store.read('units', now);
    expect(memory.read(now)).toEqual(state);
    expect(state.subAccountDays).toEqual({
      'team:new-team': { first: D0 - 4, counts: [1] },
      'product_line:line-0': { first: D0 - 4, counts: [1] },
      'team:newer-team': { first: D0, counts: [2] },
      'product_line:automation': { first: D0, counts: [1] },
    });
  });

  it('NPS answers by respondent: the latest each, for the NPS_ANSWERS_KEPT who answered last, in any order and batching', async () => {
    const roles = ['DAILY_USER', 'CHAMPION', 'UNKNOWN', null] as const;
    // 30 respondents, up to three answers each (an old one outside the window, copies, equal times), some naming a role
    const events = shuffled(
      Array.from({ length: 30 }, (_, i) => {
        const user = `r${String(i).padStart(2, '0')}`;
        const role = roles[i % 4] ?? null;
        return [
          account('nps', at(D0 - (i % 20), 9), 'NPS_RESPONSE', { nps_score: i % 11, stakeholder_user_id: user, stakeholder_role: role }),
          account('nps', at(D0 - (i % 20), 9), 'NPS_RESPONSE', { nps_score: (i + 3) % 11, stakeholder_user_id: user, stakeholder_role: role }),
          account('nps', at(D0 - 200 - i), 'NPS_RESPONSE', { nps_score: 10, stakeholder_user_id: user }),
        ];
      }).flat(),
      11,
    );
    await compare('nps', [...events, ...events.slice(0, 9)], [at(D0, 20)], 4);
    const answers = (await store.read('nps', at(D0, 20))).npsAnswers ?? {};
    expect(Object.keys(answers)).toHaveLength(NPS_ANSWERS_KEPT);
    // r00 and r20 answered on D0 (the smaller score of the two at equal times); r14…r19 answered before the 24 latest: left out
    expect(answers.r00).toEqual({ score: 0, at: at(D0, 9), role: 'DAILY_USER' });
    expect(answers.r20).toEqual({ score: 1, at: at(D0, 9), role: 'DAILY_USER' });
    expect(answers.r02).toEqual({ score: 2, at: at(D0 - 2, 9), role: null });
    expect(answers.r14).toBeUndefined();
    expect(answers.r19).toBeUndefined();
  });

  it('CSAT answers by ticket: the latest each with the requester role, for the CSAT_ANSWERS_KEPT tickets answered last, old ones included', async () => {
    const roles = ['DAILY_USER', 'TECHNICAL_OWNER', 'UNKNOWN'] as const;
    const events = shuffled(
      Array.from({ length: 30 }, (_, i) => {
        const ticket = `t${String(i).padStart(2, '0')}`;
        const requester_role = roles[i % 3] ?? 'UNKNOWN';
        return [
          support('csat', at(D0 - (i % 15), 10), 'CSAT_SUBMITTED', { ticket_id: ticket, csat_score: 1 + (i % 5), requester_role }),
          support('csat', at(D0 - (i % 15), 10), 'CSAT_SUBMITTED', { ticket_id: ticket, csat_score: 5 - (i % 5), requester_role }),
          support('csat', at(D0 - 150 - i), 'CSAT_SUBMITTED', { ticket_id: ticket, csat_score: 3 }),
          support('csat', at(D0 - (i % 15), 9), 'TICKET_OPENED', { ticket_id: ticket }),
        ];
      }).flat(),
      13,
    );
    await compare('csat', events, [at(D0, 20), at(D0 - 5, 20)], 6);
    const answers = (await store.read('csat', at(D0, 20))).csatAnswers ?? {};
    expect(Object.keys(answers)).toHaveLength(CSAT_ANSWERS_KEPT);
    // t00 and t15 answered on D0 (the smaller of their two scores); t12…t14, t27…t29 earlier than the 24 latest
    expect(answers.t00).toEqual({ score: 1, at: at(D0, 10), role: 'DAILY_USER' });
    expect(answers.t17).toEqual({ score: 3, at: at(D0 - 2, 10), role: null });
    expect(answers.t14).toBeUndefined();
    expect(answers.t29).toBeUndefined();
  });

  it('contract outcomes: a downgrade renews for less, a churn ends the contract, a later signing starts a new one', async () => {
    const lifecycle = (id: string) => ({
      signed: account(id, at(D0 - 400), 'CONTRACT_SIGNED', { contracted_seats: 50, arr: 120_000, currency: 'EUR', renewal_date: at(D0 - 35, 0), segment: 'MID_MARKET' }),
      downgraded: account(id, at(D0 - 35), 'CONTRACT_DOWNGRADED', {
        contracted_seats: 30, arr: 80_000, arr_lost: 40_000, seats_lost: 20, renewal_date: at(D0 + 330, 0), outcome_reason: 'budget',
        contract_items: [
          { item_id: 'plan', name: 'Platform', kind: 'PLAN', arr: 80_000, seats: 30, renewal_date: null, ended: false },
          { item_id: 'analytics', name: 'Analytics', kind: 'ADD_ON', arr: 40_000, seats: null, renewal_date: null, ended: true },
        ],
      }),
      churned: account(id, at(D0 - 5), 'CONTRACT_CHURNED', { arr_lost: 80_000, seats_lost: 30, outcome_reason: 'competitor' }),
      resigned: account(id, at(D0 + 20), 'CONTRACT_SIGNED', { contracted_seats: 10, arr: 20_000, renewal_date: at(D0 + 385, 0) }),
      login: usage(id, at(D0 - 40), 'amy', 'LOGIN'),
    });
    const nows = [at(D0 - 36), at(D0 - 20), at(D0), at(D0 + 21)];
    await compare('outcomes-in-order', Object.values(lifecycle('outcomes-in-order')), nows, 1);
    await compare('outcomes-shuffled', shuffled(Object.values(lifecycle('outcomes-shuffled')), 5), nows, 2);

    // both stores agree (above); what they agree on:
    const { signed, downgraded, churned, resigned } = lifecycle('outcomes');
    const memory = createMemoryAccount('outcomes');
    for (const e of [signed, downgraded, churned]) memory.apply(e);
    expect(memory.read(at(D0)).contract).toEqual({
      segment: 'MID_MARKET', contractedSeats: 30, arr: 80_000, renewalDate: at(D0 + 330, 0), signedAt: at(D0 - 400), churnedAt: at(D0 - 5),
    });
    memory.apply(resigned);
    expect(memory.read(at(D0 + 21)).contract).toMatchObject({ contractedSeats: 10, arr: 20_000, signedAt: at(D0 + 20), churnedAt: at(D0 - 5) });
  });

  it('redelivered events and events older than the retention window', async () => {
    const old = usage('old', at(D0 - 200), 'zoe', 'LOGIN', { feature_id: 'ancient', team: 'past' });
    const events = [usage('old', at(D0), 'amy', 'LOGIN'), old, usage('old', at(D0 - 1), 'amy', 'API_CALL'), old];
    await compare('old', events, [at(D0, 12)], 1);
  });
});
