import { describe, expect, it } from 'vitest';
import { configForSegment } from './config-for-segment.js';
import { deepMerge } from './deep-merge.js';
import { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
import { parseScoringConfig } from './parse-scoring-config.js';
import { ScoringConfigError } from './scoring-config-error.js';

/** A mutable deep copy of the default, as a JSON file would give it. */
function json(): Record<string, any> {
  return structuredClone(DEFAULT_SCORING_CONFIG) as Record<string, any>;
}

function issuesOf(input: unknown): string[] {
  try {
    parseScoringConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ScoringConfigError);
    return [...(err as ScoringConfigError).issues];
  }
  throw new Error('expected the config to be rejected');
}

describe('DEFAULT_SCORING_CONFIG', () => {
  it('is valid and survives a JSON round trip through parseScoringConfig unchanged', () => {
    expect(parseScoringConfig(JSON.parse(JSON.stringify(DEFAULT_SCORING_CONFIG)))).toEqual(DEFAULT_SCORING_CONFIG);
  });

  it('is deep-frozen, so no caller can change the model behind its version', () => {
    expect(Object.isFrozen(DEFAULT_SCORING_CONFIG.health.tiers)).toBe(true);
    expect(() => {
      (DEFAULT_SCORING_CONFIG.loginDrop as { thresholdPct: number }).thresholdPct = 1;
    }).toThrow(TypeError);
  });

  // The DESIGN.md signal table, as the mid-market base states it.
  it.each([
    ['model_version', (c: typeof DEFAULT_SCORING_CONFIG) => c.model_version, 'v1.11.0'],
    ['login drop ≥ 30 %', (c: typeof DEFAULT_SCORING_CONFIG) => c.loginDrop.thresholdPct, 30],
    ['seat utilisation < 50 %', (c: typeof DEFAULT_SCORING_CONFIG) => c.seatUtilisation.threshold, 0.5],
    ['going dark ≥ 14 days', (c: typeof DEFAULT_SCORING_CONFIG) => c.goingDark.thresholdDays, 14],
    ['exec sponsor silent ≥ 45 days', (c: typeof DEFAULT_SCORING_CONFIG) => c.execSponsorSilence.thresholdDays, 45],
    ['a sponsor who left and was not replaced: 14 days', (c: typeof DEFAULT_SCORING_CONFIG) => c.execSponsorSilence.leftThresholdDays, 14],
    ['ticket flood ≥ 5 on one feature', (c: typeof DEFAULT_SCORING_CONFIG) => c.ticketFlood.threshold, 5],
    ['… in 7 days', (c: typeof DEFAULT_SCORING_CONFIG) => c.ticketFlood.windowDays, 7],
    ['NPS detractor ≤ 6', (c: typeof DEFAULT_SCORING_CONFIG) => c.npsDetractor.detractorMax, 6],
    ['lock-in weak < 5', (c: typeof DEFAULT_SCORING_CONFIG) => c.valueLockIn.weak, 5],
    ['lock-in strong > 8', (c: typeof DEFAULT_SCORING_CONFIG) => c.valueLockIn.strong, 8],
    ['tiers 75 / 60 / 40', (c: typeof DEFAULT_SCORING_CONFIG) => c.health.tiers, { green: 75, yellow: 60, orange: 40 }],
    ['tier dwell 2 days', (c: typeof DEFAULT_SCORING_CONFIG) => c.health.dwellDays, 2],
    ['cool-down 7 days', (c: typeof DEFAULT_SCORING_CONFIG) => c.noise.cooldownDays, 7],
    ['renewal windows 90/60/30', (c: typeof DEFAULT_SCORING_CONFIG) => c.renewal.windows.map((w) => w.withinDays), [90, 60, 30]],
  ])('%s', (_name, pick, expected) => {
    expect(pick(DEFAULT_SCORING_CONFIG)).toEqual(expected);
  });
});

describe('configForSegment', () => {
  it.each([
    ['ENTERPRISE', 8, 50],
    ['MID_MARKET', 5, 10],
    ['SMB', 3, 5],
    ['UNKNOWN', 5, 10],
    [null, 5, 10],
  ] as const)('%s: flood at %d tickets, login baseline of %d a week', (segment, flood, baseline) => {
    const c = configForSegment(DEFAULT_SCORING_CONFIG, segment);
    expect(c.ticketFlood.threshold).toBe(flood);
    expect(c.loginDrop.minBaselineWeeklyLogins).toBe(baseline);
  });

  it('deep-merges: an override of one nested key keeps its siblings', () => {
    const smb = configForSegment(DEFAULT_SCORING_CONFIG, 'SMB');
    expect(smb.adoption.targets).toEqual({ features: 6, workflows: 3, integrations: 2, teams: 1, powerUserShare: 0.3 });
    expect(smb.health.weights.adoption).toBe(0.25);
    expect(smb.health.weights.outcomes).toBe(DEFAULT_SCORING_CONFIG.health.weights.outcomes);
    expect(smb.ticketFlood.windowDays).toBe(7);
  });

  it('drops the segments table and keeps the base model_version', () => {
    const ent = configForSegment(DEFAULT_SCORING_CONFIG, 'ENTERPRISE');
    expect(ent).not.toHaveProperty('segments');
    expect(ent.model_version).toBe('v1.11.0');
  });

  it('returns the same frozen object for the same config and segment', () => {
    const a = configForSegment(DEFAULT_SCORING_CONFIG, 'SMB');
    expect(configForSegment(DEFAULT_SCORING_CONFIG, 'SMB')).toBe(a);
    expect(Object.isFrozen(a.adoption.targets)).toBe(true);
  });

  it('applies overrides of a parsed config, arrays replaced whole', () => {
    const input = json();
    input['segments'] = { SMB: { renewal: { windows: [{ withinDays: 45, raiseBy: 1, minSeverity: 'INFO' }] } } };
    const smb = configForSegment(parseScoringConfig(input), 'SMB');
    expect(smb.renewal.windows).toEqual([{ withinDays: 45, raiseBy: 1, minSeverity: 'INFO' }]);
    expect(smb.ticketFlood.threshold).toBe(5);
  });
});

describe('parseScoringConfig', () => {
  it('accepts a config without segments', () => {
    const input = json();
    delete input['segments'];
    expect(parseScoringConfig(input).segments).toEqual({});
  });

  it('reads a config written before teamContraction and stakeholderAlignment existed with both off, as its model version had them', () => {
    const input = json();
    delete input['teamContraction'];
    delete input['stakeholderAlignment'];
    input['segments'] = { SMB: { ticketFlood: { threshold: 3 } } };
    const parsed = parseScoringConfig(input);
    expect(parsed.teamContraction).toEqual({ ...DEFAULT_SCORING_CONFIG.teamContraction, enabled: false });
    expect(parsed.stakeholderAlignment).toEqual({ ...DEFAULT_SCORING_CONFIG.stakeholderAlignment, enabled: false });
    expect(configForSegment(parsed, 'SMB').teamContraction.enabled).toBe(false);
  });

  it('reads a config written before v1.7: detractor_share off, ticket floods on the count alone, one CSAT answer counting, nps_detractor with the named-stakeholder defaults', () => {
    const input = json();
    delete input['detractorShare'];
    delete (input['ticketFlood'] as Record<string, unknown>)['maxChance'];
    delete (input['relationship'] as Record<string, unknown>)['minCsatAnswers'];
    const nps = input['npsDetractor'] as Record<string, unknown>;
    delete nps['lookbackDays'];
    delete nps['namedRoles'];
    const parsed = parseScoringConfig(input);
    expect(parsed.detractorShare).toEqual({ ...DEFAULT_SCORING_CONFIG.detractorShare, enabled: false });
    expect(parsed.ticketFlood.maxChance).toBe(1);
    expect(parsed.relationship.minCsatAnswers).toBe(1);
    expect(parsed.npsDetractor).toEqual(DEFAULT_SCORING_CONFIG.npsDetractor);
  });

  it('reads a config written before v1.8: users_lost without the chance rule (maxChance 1, as the default), and takes it when given', () => {
    const input = json();
    const ul = input['usersLost'] as Record<string, unknown>;
    delete ul['awayShare'];
    delete ul['maxChance'];
    expect(parseScoringConfig(input).usersLost).toMatchObject({ maxChance: 1, awayShare: 0.1 });
    ul['maxChance'] = 0.05;
    expect(parseScoringConfig(input).usersLost.maxChance).toBe(0.05);
    ul['awayShare'] = 1;
    expect(() => parseScoringConfig(input)).toThrow(/usersLost\.awayShare/);
  });

  it('reads a config written before loginDrop.monthPhase existed as month phase on, and takes false when given', () => {
    const input = json();
    delete (input['loginDrop'] as Record<string, unknown>)['monthPhase'];
    expect(parseScoringConfig(input).loginDrop.monthPhase).toBe(true);
    (input['loginDrop'] as Record<string, unknown>)['monthPhase'] = false;
    expect(parseScoringConfig(input).loginDrop.monthPhase).toBe(false);
  });

  it.each([
    [null, '(config): expected an object'],
    [[], '(config): expected an object'],
    ['v1', '(config): expected an object'],
  ])('refuses %j', (input, issue) => {
    expect(issuesOf(input)).toEqual([issue]);
  });

  it('lists every bad path at once, base and segments, with the segment in the path', () => {
    const input = json();
    input['model_version'] = '1.0';
    input['loginDrop'].thresholdPct = 'thirty';
    delete input['goingDark'].thresholdDays;
    input['health'].tiers.yellow = 80;
    input['seatUtilisation'].margin = { absolute: 0.05, relative: 0.1 };
    input['noise'].cooldwonDays = 7;
    input['segments'] = { SMB: { ticketFlood: { threshold: -1 }, model_version: 'v2.0.0' }, APAC: {} };
    const issues = issuesOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        'model_version: expected a version such as v1.0.0',
        expect.stringMatching(/^loginDrop\.thresholdPct: /),
        'goingDark.thresholdDays: is required',
        'health.tiers.yellow: must be below tiers.green',
        'seatUtilisation.margin: give exactly one of absolute or relative',
        'noise: unknown field(s) cooldwonDays',
        'segments: unknown field(s) APAC',
      ]),
    );
    expect(issues).toHaveLength(7);
  });

  it('checks teamContraction: every field required, each in its range, overridable per segment', () => {
    const input = json();
    delete input['teamContraction'].minSharePct;
    input['teamContraction'].thresholdPct = 0;
    input['teamContraction'].windowDays = 2;
    input['teamContraction'].minHistoryDays = 91;
    input['segments'] = { SMB: { teamContraction: { minEvidenceZ: -1 } } };
    const issues = issuesOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        'teamContraction.minSharePct: is required',
        expect.stringMatching(/^teamContraction\.thresholdPct: /),
        expect.stringMatching(/^teamContraction\.windowDays: /),
        expect.stringMatching(/^teamContraction\.minHistoryDays: /),
        expect.stringMatching(/^segments\.SMB\.teamContraction\.minEvidenceZ: /),
      ]),
    );
    expect(issues).toHaveLength(5);
    const ok = json();
    ok['segments'] = { ENTERPRISE: { teamContraction: { minSharePct: 5 } } };
    const parsed = parseScoringConfig(ok);
    expect(configForSegment(parsed, 'ENTERPRISE').teamContraction.minSharePct).toBe(5);
    expect(configForSegment(parsed, 'SMB').teamContraction).toEqual(DEFAULT_SCORING_CONFIG.teamContraction);
  });

  it('checks each segment merged over the base, naming the segment', () => {
    const input = json();
    input['segments'] = { SMB: { ticketFlood: { threshold: -1 }, model_version: 'v2.0.0' }, ENTERPRISE: { health: { tiers: { green: 50 } } } };
    const issues = issuesOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^segments\.SMB\.ticketFlood\.threshold: /),
        'segments.SMB.model_version: cannot be overridden per segment',
        'segments.ENTERPRISE.health.tiers.yellow: must be below tiers.green',
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it.each([
    ['a cool-down under a day (alert ids are per UTC day)', (c: Record<string, any>) => (c['noise'].cooldownDays = 0.5), 'noise.cooldownDays'],
    ['weights that are all zero', (c: Record<string, any>) => (c['relationship'].weights = { nps: 0, csat: 0 }), 'relationship.weights'],
    ['a negative weight', (c: Record<string, any>) => (c['health'].weights.support = -1), 'health.weights.support'],
    ['lock-in strong below weak', (c: Record<string, any>) => (c['valueLockIn'].strong = 4), 'valueLockIn.strong'],
    ['adoption bands out of order', (c: Record<string, any>) => (c['adoption'].moderate = 70), 'adoption.moderate'],
    ['pressure bands out of order', (c: Record<string, any>) => (c['supportPressure'].high = 30), 'supportPressure.high'],
    ['two renewal windows with one withinDays', (c: Record<string, any>) => (c['renewal'].windows[1].withinDays = 90), 'renewal.windows'],
    ['a flood window longer than the 14 days the store keeps', (c: Record<string, any>) => (c['ticketFlood'].windowDays = 15), 'ticketFlood.windowDays'],
    ['a ticket ratio that can never exceed the baseline', (c: Record<string, any>) => (c['supportPressure'].ticketRatioFull = 1), 'supportPressure.ticketRatioFull'],
    ['an unknown severity', (c: Record<string, any>) => (c['goingDark'].severity = 'PANIC'), 'goingDark.severity'],
  ])('refuses %s', (_name, mutate, path) => {
    const input = json();
    mutate(input);
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^${path.replace(/\./g, '\\.')}: `));
  });

  it('throws an error shaped like ValidationError, with every issue in the message', () => {
    const input = json();
    input['loginDrop'].thresholdPct = 0;
    input['goingDark'].thresholdDays = -3;
    let caught: unknown;
    try {
      parseScoringConfig(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ name: 'ScoringConfigError', code: 'SCORING_CONFIG_INVALID', retriable: false });
    const message = (caught as Error).message;
    expect(message.split('\n')[0]).toBe('invalid scoring config:');
    expect(message).toContain('  loginDrop.thresholdPct: ');
    expect(message).toContain('  goingDark.thresholdDays: ');
  });
});

describe('deepMerge', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: 9 } }, { a: 1, b: { c: 9, d: 3 } }],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, { a: undefined }, { a: 1 }],
    [{ a: { b: 1 } }, { a: 5 }, { a: 5 }],
    [{ a: 1 }, undefined, { a: 1 }],
  ])('%j ⊕ %j = %j', (base, override, expected) => {
    const before = structuredClone(base);
    expect(deepMerge(base, override)).toEqual(expected);
    expect(base).toEqual(before);
  });
});
