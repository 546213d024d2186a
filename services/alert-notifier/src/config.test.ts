import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@valuepulse/config';
import { loadRouting, notifierConfigSchema } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'vp-notifier-config-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const good = file('good.json', { endpoints: { a: { type: 'slack', url: 'https://chat.example/hook' } }, routes: [{ to: ['a'] }] });

describe('notifier config', () => {
  it('has production defaults; the routing file is read by loadRouting', () => {
    const config = loadConfig(notifierConfigSchema, { NOTIFIER_ROUTES_FILE: good });
    expect(config).toMatchObject({ httpPort: 9468, groupId: 'alert-notifier', maxAttempts: 10, retryBaseDelayMs: 1000, publicUrl: '', redisKeyPrefix: 'vp:' });
    expect([...loadRouting(config.routesFile).endpoints.keys()]).toEqual(['a']);
  });

  it.each([
    { path: join(dir, 'missing.json'), problem: 'cannot be read (ENOENT)' },
    { path: file('bad.json', '{'), problem: 'not JSON' },
    { path: file('empty.json', { endpoints: {}, routes: [] }), problem: 'endpoints: at least one endpoint' },
  ])('a bad routing file fails naming NOTIFIER_ROUTES_FILE: $problem', ({ path, problem }) => {
    expect(() => loadRouting(path)).toThrow(/NOTIFIER_ROUTES_FILE: expected a valid routing file/);
    expect(() => loadRouting(path)).toThrow(problem);
  });

  it.each([
    { env: {}, names: 'NOTIFIER_ROUTES_FILE' },
    { env: { NOTIFIER_ROUTES_FILE: good, HEALTH_API_PUBLIC_URL: 'dashboard' }, names: 'HEALTH_API_PUBLIC_URL' },
    { env: { NOTIFIER_ROUTES_FILE: good, NOTIFIER_MAX_ATTEMPTS: '0' }, names: 'NOTIFIER_MAX_ATTEMPTS' },
    { env: { NOTIFIER_ROUTES_FILE: good, NOTIFIER_RETRY_BASE_DELAY: '10s', NOTIFIER_RETRY_MAX_DELAY: '1s' }, names: 'NOTIFIER_RETRY_MAX_DELAY' },
  ])('fails naming $names', ({ env, names }) => {
    expect(() => loadConfig(notifierConfigSchema, env)).toThrow(names);
  });
});
