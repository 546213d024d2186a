import { describe, expect, it } from 'vitest';
import type { UsageEvent } from '@valuepulse/contracts';
import { eventFingerprint } from './fingerprint.js';
import type { StoreEvent } from './store-event.js';
import { packUsageCall } from './usage-call.js';

const DAY = 86_400_000;
const D = 20_400; // a UTC day number
const event = (id: string, day: number, hour: number, extra: Partial<UsageEvent> = {}): StoreEvent => ({ kind: 'usage', event: {
  event_id: id, account_id: 'a', occurred_at: day * DAY + hour * 3_600_000, user_id: 'alice', event_type: 'FEATURE_USED',
  feature_id: null, workflow_id: null, integration_id: null, team: null, user_role: 'UNKNOWN', product_line: null, quantity: 1, properties: {},
  ...extra,
} });
const fp = (id: string) => eventFingerprint('usage', id);

describe('packUsageCall', () => {
  it('sums a call up per day, user, member, team and product line, in the layout APPLY_USAGE_LUA reads', () => {
    const packed = packUsageCall(
      [
        event('1', D, 9, { event_type: 'LOGIN', team: 'ops', feature_id: 'reports', user_role: 'EXECUTIVE_SPONSOR', product_line: 'core' }),
        event('2', D, 11, { event_type: 'API_CALL', team: 'finance', feature_id: 'reports' }),
        event('3', D + 1, 8, { event_type: 'WORKFLOW_RUN', user_id: 'bob', workflow_id: 'w1', team: 'ops', user_role: 'UNKNOWN' }),
        event('4', D - 1, 8, { event_type: 'INTEGRATION_CONNECTED', integration_id: 'jira' }),
        event('5', D - 1, 8, { event_type: 'INTEGRATION_DISCONNECTED', integration_id: 'jira' }),
      ],
      112,
    );
    expect(JSON.parse(packed as string)).toEqual([
      D + 1, 5, 0,
      [[D, [2, 1, 0, 1], [fp('1'), fp('2')]], [D + 1, [1, 0, 1, 0], [fp('3')]], [D - 1, [2, 0, 0, 0], [fp('4'), fp('5')]]],
      // alice's day D: the smaller of the teams named that day
      [['alice', D, 'finance', D - 1, ''], ['bob', D + 1, 'ops']],
      ['reports', D * DAY + 11 * 3_600_000],
      ['w1', (D + 1) * DAY + 8 * 3_600_000],
      ['ops', (D + 1) * DAY + 8 * 3_600_000, 'finance', D * DAY + 11 * 3_600_000],
      [['team:ops', D, 1, D + 1, 1], ['product_line:core', D, 1], ['team:finance', D, 1]],
      (D - 1) * DAY + 8 * 3_600_000,
      (D + 1) * DAY + 8 * 3_600_000,
      ['EXECUTIVE_SPONSOR', D * DAY + 9 * 3_600_000],
      [['EXECUTIVE_SPONSOR', D]],
      // at equal times the disconnection ('0') wins, as the script's join
      [['jira', (D - 1) * DAY + 8 * 3_600_000, '0']],
    ]);
  });

  it('counts what is already outside the window at its turn (older than the newest day before it, less the window) apart', () => {
    const packed = JSON.parse(packUsageCall([event('1', D, 9), event('2', D - 45, 9), event('3', D - 35, 9)], 40) as string);
    expect(packed[2]).toBe(1);
    expect(packed[3].map((d: unknown[]) => d[0])).toEqual([D, D - 35]);
    // the users' window (28 days) is narrower: day D - 35 is no day of alice's
    expect(packed[4]).toEqual([['alice', D, '']]);
  });

  it('leaves a call holding two events with one id to the event-by-event script', () => {
    expect(packUsageCall([event('1', D, 9), event('2', D, 10), event('1', D, 9)], 112)).toBeNull();
  });
});
