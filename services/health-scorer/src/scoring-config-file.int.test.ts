import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { createScorerTestStack, testNames, topicEvent, type ScorerTestStack, type TopicEvent } from './test-support.fixture.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 5, 1);
let stack: ScorerTestStack;

// a candidate model: its own version, and a flood at 3 tickets on one feature in a week instead of 5,
// judged on the count alone (the built-in model also wants the week's tickets unusual for the account)
const candidate = structuredClone(DEFAULT_SCORING_CONFIG) as Record<string, any>;
candidate['model_version'] = 'v1.8.0-int-candidate';
candidate['ticketFlood'].threshold = 3;
candidate['ticketFlood'].maxChance = 1;
candidate['segments'] = {};
const file = join(mkdtempSync(join(tmpdir(), 'vp-scorer-config-')), 'candidate.json');
writeFileSync(file, JSON.stringify(candidate));

let seq = 0;
const event = (record: 'UsageEvent' | 'SupportEvent' | 'AccountEvent', fields: Record<string, unknown>): TopicEvent => topicEvent(record, { event_id: `ev-${(seq += 1)}`, ...fields });

beforeAll(async () => {
  stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName('vp_scorercfg')), waitFor });
  await stack.startScorer({ SCORER_TICK_INTERVAL: '200ms', SCORER_CONFIG_FILE: file });
});

afterAll(async () => {
  await stack?.cleanup();
});

describe('SCORER_CONFIG_FILE', () => {
  it('runs the model in the file: 3 tickets on one feature are a flood under its threshold, alerted with its model_version', { timeout: 120_000 }, async () => {
    await stack.produce([event('AccountEvent', { account_id: 'acct-cfg', occurred_at: T0, event_type: 'CONTRACT_SIGNED', contracted_seats: 10, segment: 'MID_MARKET', renewal_date: T0 + 400 * DAY })]);
    const usage: TopicEvent[] = [];
    for (let day = 0; day <= 10; day += 1) for (const user of ['u1', 'u2']) usage.push(event('UsageEvent', { account_id: 'acct-cfg', occurred_at: T0 + day * DAY + 9 * 3_600_000, user_id: user, event_type: 'LOGIN' }));
    await stack.produce(usage);
    // 3 tickets on day 10: under the built-in threshold (5), a flood under the file's (3)
    await stack.produce([0, 1, 2].map((n) => event('SupportEvent', { account_id: 'acct-cfg', occurred_at: T0 + 10 * DAY + 10 * 3_600_000 + n * 60_000, ticket_id: `T-${n}`, event_type: 'TICKET_OPENED', feature_id: 'exports', priority: 'HIGH' })));
    await stack.settled();
    const flood = await waitFor(async () => (await stack.alerts()).find((a) => a.signal === 'ticket_flood' && a.to_state === 'breached'), { timeoutMs: 60_000, description: 'a ticket_flood alert' });
    expect(flood).toMatchObject({ account_id: 'acct-cfg', model_version: 'v1.8.0-int-candidate', value: 3 });
    expect((await stack.alerts()).every((a) => a.model_version === 'v1.8.0-int-candidate')).toBe(true);
  });
});
