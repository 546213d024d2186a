import { describe, expect, it, vi } from 'vitest';
import { createStopOnce } from './stop-once.js';

describe('createStopOnce', () => {
  it('runs fn once for concurrent calls, which share one promise', async () => {
    let release!: () => void;
    const fn = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const stop = createStopOnce(fn);
    const first = stop();
    const second = stop();
    expect(second).toBe(first);
    await vi.waitFor(() => expect(fn).toHaveBeenCalledTimes(1));
    release();
    await Promise.all([first, second]);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('returns the settled promise to later calls without running fn again', async () => {
    const fn = vi.fn(async () => undefined);
    const stop = createStopOnce(fn);
    await stop();
    await stop();
    expect(stop()).toBe(stop());
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('shares a rejection with every caller', async () => {
    const failure = new Error('flush failed');
    const fn = vi.fn(async () => {
      throw failure;
    });
    const stop = createStopOnce(fn);
    await expect(stop()).rejects.toBe(failure);
    await expect(stop()).rejects.toBe(failure);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('turns a synchronous throw into a rejection', async () => {
    const stop = createStopOnce(() => {
      throw new Error('sync');
    });
    await expect(stop()).rejects.toThrow('sync');
  });

  it('gives a call made from inside fn the same promise instead of re-entering', async () => {
    let inner: Promise<void> | undefined;
    const fn = vi.fn(async () => {
      inner = stop();
    });
    const stop = createStopOnce(fn);
    const outer = stop();
    await outer;
    expect(inner).toBe(outer);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not run fn until called', () => {
    const fn = vi.fn(async () => undefined);
    createStopOnce(fn);
    expect(fn).not.toHaveBeenCalled();
  });
});
