import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedis, redisConnected } from './create-redis.js';

afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const lines: { level: 'warn' | 'info'; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    logger: {
      warn: (fields: Record<string, unknown>, message: string) => void lines.push({ level: 'warn', fields, message }),
      info: (fields: Record<string, unknown>, message: string) => void lines.push({ level: 'info', fields, message }),
    },
  };
}

describe('createRedis with a logger', () => {
  it('logs a lost connection once, again each minute it stays lost, and its return', () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const { lines, logger } = recorder();
    // never connects: the connection's events are emitted by hand
    const client = createRedis({ url: 'redis://127.0.0.1:1', lazyConnect: true, logger });
    expect(redisConnected(client)).toBe(false);

    client.emit('error', new Error('connect ECONNREFUSED'));
    vi.setSystemTime(30_000);
    client.emit('error', new Error('connect ECONNREFUSED'));
    vi.setSystemTime(61_000);
    client.emit('error', new Error('connect ECONNREFUSED'));
    vi.setSystemTime(75_000);
    client.emit('ready');
    client.emit('ready'); // a ready without an outage before it logs nothing

    expect(lines).toEqual([
      { level: 'warn', fields: { err: 'connect ECONNREFUSED', downSeconds: 0 }, message: expect.stringMatching(/^Redis unreachable/) },
      { level: 'warn', fields: { err: 'connect ECONNREFUSED', downSeconds: 61 }, message: expect.stringMatching(/^Redis unreachable/) },
      { level: 'info', fields: { downSeconds: 75 }, message: 'Redis reachable again' },
    ]);
    client.disconnect();
  });

  it('leaves error events to ioredis without one', () => {
    const client = createRedis({ url: 'redis://127.0.0.1:1', lazyConnect: true });
    expect(client.listenerCount('error')).toBe(0);
    client.disconnect();
  });
});
