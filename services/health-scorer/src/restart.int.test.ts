import { afterAll, describe, expect, it } from 'vitest';
import { dueKey, dedupKey } from '@valuepulse/state';
import { stackEndpoints } from '@valuepulse/testkit/vitest';
import { uniqueName, waitFor } from '@valuepulse/testkit';
import { ACCOUNTS, ALL_ACCOUNTS, alertsByAccount, at, EXPECTED_ALERTS, LAST_DAY, runScenario, scenarioDays, T0 } from './scenario.fixture.js';
import { startScorerProcess, type ChildExit, type ScorerProcess } from './scorer-process.fixture.js';
import { createScorerTestStack, runOutcome, testNames, type ScorerTestStack } from './test-support.fixture.js';

const DAY = 86_400_000;
const stacks: ScorerTestStack[] = [];
afterAll(async () => {
  await Promise.allSettled(stacks.map((s) => s.cleanup()));
});

async function newStack(label: string): Promise<ScorerTestStack> {
  const stack = await createScorerTestStack({ endpoints: stackEndpoints(), names: testNames(uniqueName(label)), waitFor });
  stacks.push(stack);
  return stack;
}

/** Until the scorer has applied some of `day`'s events (their de-duplication sets exist), polled as fast as Redis answers. */
async function someEventsApplied(stack: ScorerTestStack, day: number): Promise<void> {
  const keys = ALL_ACCOUNTS.filter((a) => a !== ACCOUNTS.clock).map((a) => dedupKey(stack.names.keyPrefix, a, (T0 + day * DAY) / DAY));
  await waitFor(async () => (await stack.redis.exists(...keys)) > 0, { timeoutMs: 30_000, intervalMs: 1, description: `day ${day} partly applied` });
}

const KILL_DAYS = [33, 38, 43];

function dedupe<T extends { alert_id: string }>(alerts: readonly T[]): T[] {
  return [...new Map(alerts.map((a) => [a.alert_id, a])).values()];
}

describe('health-scorer restarted mid-stream (real processes)', () => {
  it('SIGTERM (graceful, exit 0) and SIGKILL mid-batch, each followed by a restart, end where an uninterrupted run ends', { timeout: 180_000 }, async () => {
    const days = scenarioDays();

    const reference = await newStack('vp_restart_ref');
    const inProcess = await reference.startScorer();
    await runScenario(reference, days);
    await inProcess.stop();
    const expected = await runOutcome(reference, ALL_ACCOUNTS, at(LAST_DAY));
    expect(alertsByAccount(expected.alerts)).toEqual(EXPECTED_ALERTS);

    const stack = await newStack('vp_restart');
    const env = stack.scorerEnv({ SCORER_INSTANCE_ID: 'restarted' });
    let child: ScorerProcess = await startScorerProcess(env);
    stack.onCleanup(async () => void (await child.kill('SIGKILL')));
    const exits: Record<string, ChildExit> = {};
    const midStream: Record<string, boolean> = {};
    let duplicatesAfterSigterm = -1;
    let duplicatesAfterSigkill = -1;
    await runScenario(stack, days, {
      afterEventsProduced: async (day) => {
        if (day === 15) {
          await someEventsApplied(stack, day);
          midStream.SIGTERM = !(await stack.isCaughtUp());
          exits.SIGTERM = await child.kill('SIGTERM');
          child = await startScorerProcess(env);
        }
        if (day === 33) duplicatesAfterSigterm = await child.metric('valuepulse_scorer_duplicate_events_total');
        // A kill lands between a batch's state write and its commit only by timing: the batch
        // may also be committed just before the kill. So kill again, a few days later, until a
        // restarted process has seen a redelivered event (at most three times).
        if (KILL_DAYS.includes(day) && (day === KILL_DAYS[0] || (await child.metric('valuepulse_scorer_duplicate_events_total')) === 0)) {
          await someEventsApplied(stack, day);
          exits.SIGKILL = await child.kill('SIGKILL');
          // the process is gone: what it had not committed stays uncommitted
          midStream.SIGKILL = midStream.SIGKILL === true || !(await stack.isCaughtUp());
          child = await startScorerProcess(env);
        }
      },
    });
    // read at the end: the redelivered batch may be processed any time after the restart
    duplicatesAfterSigkill = await child.metric('valuepulse_scorer_duplicate_events_total');
    const finalExit = await child.kill('SIGTERM');
    const actual = await runOutcome(stack, ALL_ACCOUNTS, at(LAST_DAY));

    expect(exits).toEqual({ SIGTERM: { code: 0, signal: null }, SIGKILL: { code: null, signal: 'SIGKILL' } });
    expect(finalExit, child.output()).toEqual({ code: 0, signal: null });
    // both stops hit a day whose events were partly applied and not all committed
    expect(midStream).toEqual({ SIGTERM: true, SIGKILL: true });
    // graceful: the batch in hand was finished and committed, nothing was delivered twice
    expect(duplicatesAfterSigterm).toBe(0);
    // SIGKILL between the state write and the commit: redelivered events were recognised, not applied twice
    expect(duplicatesAfterSigkill).toBeGreaterThan(0);

    expect(actual.watermark).toBe(at(LAST_DAY));
    expect(actual.states).toEqual(expected.states);
    expect(actual.due).toEqual(expected.due);
    expect(await stack.redis.zcard(dueKey(stack.names.keyPrefix))).toBe(ALL_ACCOUNTS.length);
    // at-least-once out: a SIGKILL may repeat an alert, never change or lose one
    expect(actual.alertIds).toEqual(expected.alertIds);
    expect(alertsByAccount(dedupe(actual.alerts))).toEqual(EXPECTED_ALERTS);
  });
});
