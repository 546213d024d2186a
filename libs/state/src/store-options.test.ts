import { describe, expect, it } from 'vitest';
import { ConfigError } from '@valuepulse/errors';
import type { RedisClient } from './create-redis.js';
import { storeSettings } from './store-options.js';

const redis = {} as RedisClient;

describe('storeSettings', () => {
  it('defaults to 112 days of retention (16 weeks: a quarter back, model v1.11) and ids remembered for 3 days (+1)', () => {
    expect(storeSettings({ redis, prefix: 'vp:' })).toMatchObject({ retentionDays: 112, windowTtlSeconds: 114 * 86_400, dedupTtlSeconds: 4 * 86_400 });
  });

  it('names every bad option at once', () => {
    try {
      storeSettings({ redis, prefix: 'vp:', retentionDays: 7, dedupTtlDays: 0 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable)).toEqual(['retentionDays', 'dedupTtlDays']);
    }
  });

  it('refuses a prefix with braces', () => {
    expect(() => storeSettings({ redis, prefix: '{vp}:' })).toThrow(ConfigError);
  });
});
