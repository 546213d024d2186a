import { describe, expect, it } from 'vitest';
import { createWallClock } from './clock.js';
import { gateRecords, nextRun } from './gate-stage.js';
import { bad, DAY, eventClockAt, ok, resultsOf } from './stage-fakes.fixture.js';

const wall = createWallClock({ maxFutureMs: 50, now: () => 0 });
const noPause = () => () => undefined;

describe('gate stage: per record', () => {
  it('turns each event the clock refuses into a dlq result at its index, in offset order, with its original bytes', async () => {
    const input = [ok(0, 'a', 10), bad(1), ok(2, 'a', 51), ok(3, 'b', 50), ok(4, 'a', 60)];
    const gated = gateRecords(resultsOf(input), wall.refusals());
    expect(await gated.at(5)).toBeUndefined();
    expect(gated.results.map((r) => (r.ok ? 'ok' : r.failure.code))).toEqual(['ok', 'NOT_WIRE_FORMAT', 'EVENT_TIME_IN_FUTURE', 'ok', 'EVENT_TIME_IN_FUTURE']);
    const refused = gated.results[2];
    expect(refused?.message).toBe(input[2]?.message);
    expect(!refused?.ok && refused?.failure.message).toContain('1970-01-01T00:00:00.051Z');
    expect(gated.results[1]).toBe(input[1]);
  });

  it('passes everything with the event clock', async () => {
    const input = [ok(0, 'a', 10 * DAY), ok(1, 'a', 99 * DAY)];
    const gated = gateRecords(resultsOf(input), eventClockAt(0).refusals());
    await gated.at(1);
    expect(gated.results).toEqual(input);
  });
});

describe('gate stage: per run', () => {
  it('wall clock: the rest of the batch is one run, past the dlq results', async () => {
    const out = await nextRun(resultsOf([bad(0), ok(1, 'a', 5), ok(2, 'b', 3 * DAY), bad(3), ok(4, 'a', 1)]), 0, wall, 't|0', noPause);
    expect(out).toEqual({ kind: 'run', run: expect.objectContaining({ accountIds: ['a', 'b'], start: 5, maxTime: 3 * DAY, next: 5 }) });
    expect(out.kind === 'run' && out.run.events.map((e) => e.event.event_id)).toEqual(['e1', 'e2', 'e4']);
    expect(await nextRun(resultsOf([bad(0)]), 0, wall, 't|0', noPause)).toEqual({ kind: 'done' });
  });

  it('event clock: one UTC day at a time, late records with it, the next run starting at the next day\'s first event', async () => {
    const clock = eventClockAt(10 * DAY);
    const input = [ok(0, 'a', 2 * DAY + 5), ok(1, 'b', 2 * DAY + 9), ok(2, 'a', DAY), bad(3), ok(4, 'c', 3 * DAY), ok(5, 'a', 3 * DAY + 1)];
    const first = await nextRun(resultsOf(input), 0, clock, 't|0', noPause);
    expect(first).toEqual({ kind: 'run', run: expect.objectContaining({ accountIds: ['a', 'b'], start: 2 * DAY + 5, maxTime: 2 * DAY + 9, next: 4 }) });
    const second = await nextRun(resultsOf(input), 4, clock, 't|0', noPause);
    expect(second).toEqual({ kind: 'run', run: expect.objectContaining({ accountIds: ['c', 'a'], start: 3 * DAY, maxTime: 3 * DAY + 1, next: 6 }) });
    expect(await nextRun(resultsOf(input), 6, clock, 't|0', noPause)).toEqual({ kind: 'done' });
    clock.close();
  });

  it('event clock: holds the source before a run the clock does not admit yet, pausing it', async () => {
    const clock = eventClockAt(3 * DAY - 2);
    let paused = 0;
    const out = await nextRun(resultsOf([bad(0), ok(1, 'a', 3 * DAY)]), 0, clock, 't|0', () => {
      paused += 1;
      return () => undefined;
    });
    expect(out).toEqual({ kind: 'held', at: 1 });
    expect([paused, clock.heldCount()]).toEqual([1, 1]);
    clock.close();
  });

  it('event clock: a held run reads no record past its first (the rest is fetched and decoded again later)', async () => {
    const clock = eventClockAt(3 * DAY - 2);
    const input = resultsOf([ok(0, 'a', 3 * DAY), ok(1, 'b', 3 * DAY + 1), ok(2, 'c', 3 * DAY + 2)]);
    let furthest = -1;
    const watched = { results: input.results, at: (i: number) => ((furthest = Math.max(furthest, i)), input.at(i)) };
    expect(await nextRun(watched, 0, clock, 't|0', () => () => undefined)).toEqual({ kind: 'held', at: 0 });
    expect(furthest).toBe(0);
    clock.close();
  });
});
