import { describe, expect, it } from 'vitest';
import { loadConfig } from '@valuepulse/config';
import { apiConfigSchema } from './config.js';

describe('the health-api configuration', () => {
  it('needs tokens; the rest has defaults', () => {
    expect(() => loadConfig(apiConfigSchema, {})).toThrow(/HEALTH_API_TOKENS/);
    const c = loadConfig(apiConfigSchema, { HEALTH_API_TOKENS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbb' });
    expect(c).toMatchObject({ tokens: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'], apiPort: 8091, httpPort: 9467, clock: 'wall', refreshMs: 30_000, redisKeyPrefix: 'vp:' });
  });
  it.each([
    [{ HEALTH_API_TOKENS: 'short' }, 'HEALTH_API_TOKENS'],
    [{ HEALTH_API_TOKENS: 'aaaaaaaaaaaaaaaa,aaaaaaaaaaaaaaaa' }, 'HEALTH_API_TOKENS'],
    [{ HEALTH_API_TOKENS: 'aaaaaaaaaaaaaaaa', HEALTH_API_CLOCK: 'sundial' }, 'HEALTH_API_CLOCK'],
    [{ HEALTH_API_TOKENS: 'aaaaaaaaaaaaaaaa', HEALTH_API_REFRESH: '10ms' }, 'HEALTH_API_REFRESH'],
    [{ HEALTH_API_TOKENS: 'aaaaaaaaaaaaaaaa', REDIS_KEY_PREFIX: 'a{b}' }, 'REDIS_KEY_PREFIX'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => loadConfig(apiConfigSchema, env)).toThrow(variable);
  });
});
