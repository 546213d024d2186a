import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@valuepulse/errors';
import { loadConfig } from '@valuepulse/config';
import { describe, expect, it } from 'vitest';
import { gatewayConfigSchema } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'vp-gateway-config-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(gatewayConfigSchema, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return '';
};

describe('gatewayConfigSchema', () => {
  it('has production defaults: API 8090, ops 9466, no mapping, no write keys', () => {
    const config = loadConfig(gatewayConfigSchema, {});
    expect(config).toMatchObject({ apiPort: 8090, httpPort: 9466, mapping: undefined, writeKeys: [], bodyLimit: 4 * 2 ** 20, produceTimeoutMs: 5000 });
  });

  it('reads write keys as source:key pairs and refuses malformed or repeated keys', () => {
    expect(loadConfig(gatewayConfigSchema, { GATEWAY_WRITE_KEYS: 'web:k1, billing:k:2' }).writeKeys).toEqual([
      { source: 'web', key: 'k1' },
      { source: 'billing', key: 'k:2' },
    ]);
    expect(problems({ GATEWAY_WRITE_KEYS: 'web' })).toMatch(/GATEWAY_WRITE_KEYS: expected a comma-separated list of source:writeKey pairs/);
    expect(problems({ GATEWAY_WRITE_KEYS: 'a:k,b:k' })).toMatch(/GATEWAY_WRITE_KEYS/);
  });

  it('reads and validates the mapping file at start, naming the variable and the problem', () => {
    const good = file('good.json', '{"segment":{"events":{"Signed In":{"type":"LOGIN"}}}}');
    expect(loadConfig(gatewayConfigSchema, { GATEWAY_MAPPING_FILE: good }).mapping?.segment?.events['Signed In']).toEqual({ type: 'LOGIN' });
    const bad = file('bad.json', '{"segment":{"events":{"Used":{"type":"FEATURE_USED"}}}}');
    expect(problems({ GATEWAY_MAPPING_FILE: bad })).toMatch(/GATEWAY_MAPPING_FILE: expected a readable mapping file .*segment\.events\.Used\.feature: is required for FEATURE_USED/);
    expect(problems({ GATEWAY_MAPPING_FILE: join(dir, 'missing.json') })).toMatch(/GATEWAY_MAPPING_FILE: .*cannot be read \(ENOENT\)/);
  });

  it('requires the help-desk secret when the mapping has a helpdesk section', () => {
    const helpdesk = file('helpdesk.json', '{"helpdesk":{"organizations":{"1":"acct-1"}}}');
    expect(problems({ GATEWAY_MAPPING_FILE: helpdesk })).toMatch(/GATEWAY_HELPDESK_SECRET: is required \(expected the help desk's webhook signing secret/);
    expect(problems({ GATEWAY_MAPPING_FILE: helpdesk, GATEWAY_HELPDESK_SECRET: 'x' })).toBe('');
    expect(problems({ GATEWAY_HELPDESK_SECRET: 'hunter2', GATEWAY_PORT: 'x' })).not.toMatch(/hunter2/);
  });
});
