import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisEndpointEnv } from '@valuepulse/config';
import { validateRecord, type RecordName } from '@valuepulse/contracts';
import { DAY_MS } from '@valuepulse/scoring';
import { createAccountStore, createRedis, createWatermark, deleteKeys, type Redis, type StoreEvent } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName } from '@valuepulse/testkit';
import { captureIo } from '../test-io.js';
import { healthCommand } from './health.command.js';

const endpoints = stackEndpoints();
const env = { ...process.env, ...redisEndpointEnv(endpoints.redis) };
const keyPrefix = `${uniqueName('vp_cli_health')}:`;
const ACCOUNT = 'acct-cli';
const T0 = Date.UTC(2026, 0, 5);
const LAST_DAY = 35;
/** Noon of the last day: the state is read and evaluated here. */
const AT = T0 + LAST_DAY * DAY_MS + 12 * 3_600_000;
let redis: Redis;

let seq = 0;
function storeEvent(record: Extract<RecordName, 'UsageEvent' | 'SupportEvent' | 'AccountEvent'>, day: number, fields: Record<string, unknown>): StoreEvent {
  const result = validateRecord(record, { event_id: `cli-${(seq += 1)}`, account_id: ACCOUNT, occurred_at: T0 + day * DAY_MS, ...fields });
  if (!result.ok) throw new Error(result.issues.join('; '));
  const kind = record === 'UsageEvent' ? 'usage' : record === 'SupportEvent' ? 'support' : 'account';
  return { kind, event: result.value } as StoreEvent;
}

/**
 * 36 days of moderate use by five daily users (adoption 47.5: five of ten
 * features, three teams, no workflows or integrations), six seats, and a
 * detractor's NPS of 0: at noon on day 35 the health score is
 * (0.2·47.5 + 0.1·100 [seats] + 0.1·100 [logins flat] + 0.1·100 [active today]
 * + 0.15·100 [daily users] + 0.1·100 [no tickets] + 0.15·0 [NPS 0]) ÷ 0.9
 * = 71.67: yellow.
 */
function accountEvents(): StoreEvent[] {
  const events = [
    storeEvent('AccountEvent', 0, { event_type: 'CONTRACT_SIGNED', contracted_seats: 6, segment: 'MID_MARKET', renewal_date: T0 + 400 * DAY_MS }),
    storeEvent('AccountEvent', 20, { event_type: 'NPS_RESPONSE', nps_score: 0, stakeholder_user_id: 'u1' }),
  ];
  for (let day = 0; day <= LAST_DAY; day += 1) {
    ['u1', 'u2', 'u3', 'u4', 'u5'].forEach((user, i) => {
      const common = { user_id: user, user_role: 'DAILY_USER', team: `team-${i % 3}` };
      events.push(storeEvent('UsageEvent', day, { ...common, event_type: 'LOGIN' }), storeEvent('UsageEvent', day, { ...common, event_type: 'FEATURE_USED', feature_id: `feature-${i}` }));
    });
  }
  return events;
}

async function health(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo('', env);
  const code = await healthCommand.run(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  redis = createRedis({ endpoint: endpoints.redis });
  const result = await createAccountStore({ redis, prefix: keyPrefix }).apply(accountEvents());
  expect(result.duplicates).toBe(0);
});

afterAll(async () => {
  await deleteKeys(redis, `${keyPrefix}*`);
  await redis.quit();
});

describe('valuepulse health <account> against the state in Redis', () => {
  it('prints the tier, the health score and the evidence behind it as a table', async () => {
    const { code, out, err } = await health([ACCOUNT, '--key-prefix', keyPrefix, '--at', new Date(AT).toISOString()]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^account\\s+${ACCOUNT}$`, 'm'));
    expect(out).toMatch(/^as of\s+2026-02-09T12:00:00\.000Z$/m);
    expect(out).toMatch(/^tier\s+YELLOW$/m);
    expect(out).toMatch(/^health score\s+71\.7$/m);
    expect(out).toMatch(/^latest_nps\s+0$/m);
    expect(out).toMatch(/^adoption_depth\s+47\.50$/m);
    expect(out).toContain('score evidence (component, value, weight, points):');
    expect(out).toMatch(/^ {2}relationship\s+0\s+0\.15\s+0$/m);
  });

  it('--json gives tier, health_score and the snapshot; --at watermark evaluates at the event-time clock', async () => {
    const byTime = await health([ACCOUNT, '--key-prefix', keyPrefix, '--at', String(AT), '--json']);
    expect(byTime.code, byTime.err).toBe(0);
    const parsed = JSON.parse(byTime.out) as Record<string, unknown> & { snapshot: Record<string, unknown> };
    expect(parsed).toMatchObject({ account_id: ACCOUNT, tier: 'YELLOW', health_score: 71.67 });
    expect(parsed.snapshot).toMatchObject({ account_id: ACCOUNT, as_of: AT, tier: 'YELLOW', health_score: 71.67, latest_nps: 0, adoption_depth: 47.5, active_users_7d: 5 });

    await createWatermark({ redis, prefix: keyPrefix }).advance(AT);
    const byWatermark = await health([ACCOUNT, '--key-prefix', keyPrefix, '--at', 'watermark', '--json']);
    expect(byWatermark.code, byWatermark.err).toBe(0);
    expect(JSON.parse(byWatermark.out)).toEqual(parsed);
  });

  it('an unknown account exits 1 and says which account and key prefix it looked under', async () => {
    const { code, out, err } = await health(['acct-nobody', '--key-prefix', keyPrefix, '--at', String(AT)]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`valuepulse health: no state for account acct-nobody under key prefix ${keyPrefix}\n`);
  });
});
