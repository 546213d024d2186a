import { describe, expect, it } from 'vitest';
import { createDueGate, OPEN_DUE_GATE } from './due-gate.js';
import { settle } from './stage-fakes.fixture.js';

/** Whether `p` has settled by the time pending callbacks have run. */
async function settledNow(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await settle();
  return done;
}

describe('due gate', () => {
  it('lets an apply through at once when no due evaluation holds its accounts', async () => {
    const gate = createDueGate();
    gate.enter(['x']);
    expect(await settledNow(gate.clear(['a', 'b']))).toBe(true);
  });

  it('holds an apply of an account until the due evaluation marked before it is done', async () => {
    const gate = createDueGate();
    const mark = gate.enter(['a', 'b']);
    mark.narrow(['a']);
    const cleared = gate.clear(['z', 'a']);
    expect(await settledNow(cleared)).toBe(false);
    expect(await settledNow(gate.clear(['b']))).toBe(true); // b was not claimed
    mark.done();
    expect(await settledNow(cleared)).toBe(true);
  });

  it('holds every apply while a claimer that does not know its accounts yet claims, then only those claimed', async () => {
    const gate = createDueGate();
    const mark = gate.enter();
    const a = gate.clear(['a']);
    const b = gate.clear(['b']);
    expect(await settledNow(Promise.race([a, b]))).toBe(false);
    mark.narrow(['a']);
    expect(await settledNow(b)).toBe(true);
    expect(await settledNow(a)).toBe(false);
    mark.done();
    expect(await settledNow(a)).toBe(true);
  });

  it('releases a mark that claimed nothing, and does not wait for marks made after the call', async () => {
    const gate = createDueGate();
    gate.enter(['a']).narrow([]);
    expect(await settledNow(gate.clear(['a']))).toBe(true);
    const first = gate.enter(['a']);
    const cleared = gate.clear(['a']);
    gate.enter(['a']); // a later claimer, never done in this test
    first.done();
    expect(await settledNow(cleared)).toBe(true);
  });

  it('the open gate (wall clock) never waits', async () => {
    OPEN_DUE_GATE.enter(['a']);
    expect(await settledNow(OPEN_DUE_GATE.clear(['a']))).toBe(true);
  });
});
