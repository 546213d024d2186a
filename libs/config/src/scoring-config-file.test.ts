import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@valuepulse/errors';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from './load-config.js';
import { envScoringConfigFile } from './scoring-config-file.js';

const schema = z.object({ SCORER_CONFIG_FILE: envScoringConfigFile() });
const dir = mkdtempSync(join(tmpdir(), 'vp-scoring-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function problemOf(env: NodeJS.ProcessEnv): { variable: string; expected: string; received?: string } {
  try {
    loadConfig(schema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(1);
    return problems[0] as { variable: string; expected: string; received?: string };
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('envScoringConfigFile', () => {
  it('is the built-in model when unset or empty', () => {
    expect(loadConfig(schema, {}).SCORER_CONFIG_FILE).toBe(DEFAULT_SCORING_CONFIG);
    expect(loadConfig(schema, { SCORER_CONFIG_FILE: '' }).SCORER_CONFIG_FILE).toBe(DEFAULT_SCORING_CONFIG);
  });

  it('reads and checks the file: a changed threshold and its own model version', () => {
    const config = structuredClone(DEFAULT_SCORING_CONFIG) as Record<string, any>;
    config['model_version'] = 'v1.6.0-quieter';
    config['loginDrop'].thresholdPct = 40;
    const parsed = loadConfig(schema, { SCORER_CONFIG_FILE: file('good.json', JSON.stringify(config)) }).SCORER_CONFIG_FILE;
    expect(parsed.model_version).toBe('v1.6.0-quieter');
    expect(parsed.loginDrop.thresholdPct).toBe(40);
  });

  it('fails naming the variable and the file when it cannot be read or is not JSON', () => {
    const missing = join(dir, 'missing.json');
    expect(problemOf({ SCORER_CONFIG_FILE: missing })).toMatchObject({ variable: 'SCORER_CONFIG_FILE', received: missing, expected: expect.stringContaining(`${missing}: ENOENT`) });
    const broken = file('broken.json', '{"model_version": ');
    expect(problemOf({ SCORER_CONFIG_FILE: broken })).toMatchObject({ variable: 'SCORER_CONFIG_FILE', expected: expect.stringMatching(/^a scoring config JSON file \(.*broken\.json: .*JSON/) });
  });

  it('lists every problem of an invalid config', () => {
    const config = structuredClone(DEFAULT_SCORING_CONFIG) as Record<string, any>;
    config['loginDrop'].thresholdPct = 'thirty';
    delete config['goingDark'];
    const { expected } = problemOf({ SCORER_CONFIG_FILE: file('bad.json', JSON.stringify(config)) });
    expect(expected).toContain('loginDrop.thresholdPct: ');
    expect(expected).toContain('goingDark: is required');
  });
});
