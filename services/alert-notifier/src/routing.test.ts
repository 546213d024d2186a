import { describe, expect, it } from 'vitest';
import { validateRecord, type HealthAlert } from '@valuepulse/contracts';
import { route } from './route.js';
import { parseRouting, type Routing } from './routes-file.js';

const SECRET = 'a-secret-of-16-chars-or-more';
const alert = (fields: Partial<HealthAlert>): HealthAlert => {
  const r = validateRecord('HealthAlert', {
    alert_id: 'x', account_id: 'acct', signal: 'login_drop', kind: 'THRESHOLD_CROSSED', severity: 'WARNING', to_state: 'breached',
    model_version: 'v1', evaluated_at: 0, emitted_at: 0, ...fields,
  });
  if (!r.ok) throw new Error(r.issues.join('; '));
  return r.value as HealthAlert;
};

function routing(routes: unknown[]): Routing {
  const parsed = parseRouting(
    { endpoints: { a: { type: 'webhook', url: 'https://a.example/hook', secret: SECRET }, b: { type: 'slack', url: 'https://b.example/x' } }, routes },
    {},
  );
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.routing;
}
const names = (r: Routing, a: HealthAlert, facts = { owner: null, segment: null } as { owner: string | null; segment: 'ENTERPRISE' | 'SMB' | null }) =>
  route(r, a, facts).map((e) => e.name);

describe('routing file', () => {
  it('names every problem with its path', () => {
    const parsed = parseRouting(
      {
        endpoints: {
          a: { type: 'webhook', url: 'ftp://a.example' },
          b: { type: 'webhook', url: 'https://b.example', secretEnv: 'MISSING_SECRET' },
          c: { type: 'pager', url: 'https://c.example' },
        },
        routes: [{ match: { severity: ['LOUD'] }, to: ['a'] }],
      },
      {},
    );
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems.join('\n');
    expect(problems).toMatch(/endpoints\.a\.url/);
    expect(problems).toMatch(/endpoints\.c\.type/);
    expect(problems).toMatch(/routes\.0\.match\.severity\.0/);
  });

  it('resolves secretEnv, refuses a short or missing secret and routes to unknown endpoints', () => {
    const endpoints = { a: { type: 'webhook', url: 'https://a.example', secretEnv: 'HOOK_SECRET' } };
    expect(parseRouting({ endpoints, routes: [{ to: ['a'] }] }, { HOOK_SECRET: SECRET })).toMatchObject({ ok: true });
    expect(parseRouting({ endpoints, routes: [{ to: ['a'] }] }, { HOOK_SECRET: 'short' })).toEqual({
      ok: false,
      problems: ['endpoints.a.secretEnv: HOOK_SECRET must hold a secret of at least 16 characters'],
    });
    expect(parseRouting({ endpoints, routes: [{ to: ['nope'] }] }, { HOOK_SECRET: SECRET })).toEqual({ ok: false, problems: ['routes.0.to: no endpoint named nope'] });
    expect(parseRouting({ endpoints: { a: { type: 'webhook', url: 'https://a.example' } }, routes: [{ to: ['a'] }] }, {})).toEqual({
      ok: false,
      problems: ['endpoints.a: needs exactly one of secret or secretEnv'],
    });
  });

  it('needs account facts only when a route matches on segment or owner', () => {
    expect(routing([{ match: { severity: ['CRITICAL'] }, to: ['a'] }]).needsAccountFacts).toBe(false);
    expect(routing([{ match: { owner: ['ana'] }, to: ['a'] }]).needsAccountFacts).toBe(true);
    expect(routing([{ match: { segment: ['SMB'] }, to: ['a'] }]).needsAccountFacts).toBe(true);
  });
});

describe('route', () => {
  const r = routing([
    { match: { minSeverity: 'WARNING' }, to: ['a'] },
    { match: { severity: ['INFO'], signal: ['going_dark', 'login_drop'] }, to: ['b'] },
    { match: { owner: ['ana'], segment: ['ENTERPRISE'] }, to: ['b', 'a'] },
  ]);

  it.each([
    { case: 'WARNING reaches the minimum', a: { severity: 'WARNING' }, facts: undefined, want: ['a'] },
    { case: 'CRITICAL is above it', a: { severity: 'CRITICAL' }, facts: undefined, want: ['a'] },
    { case: 'INFO with a listed signal', a: { severity: 'INFO', signal: 'going_dark' }, facts: undefined, want: ['b'] },
    { case: 'INFO with another signal', a: { severity: 'INFO', signal: 'nps_detractor' }, facts: undefined, want: [] },
    { case: 'UNKNOWN severity is below every minimum', a: { severity: 'UNKNOWN', signal: 'nps_detractor' }, facts: undefined, want: [] },
    { case: 'owner and segment both match: each endpoint once', a: { severity: 'WARNING' }, facts: { owner: 'ana', segment: 'ENTERPRISE' }, want: ['a', 'b'] },
    { case: 'owner matches, segment does not', a: { severity: 'INFO', signal: 'x' }, facts: { owner: 'ana', segment: 'SMB' }, want: [] },
    { case: 'unknown owner never matches an owner list', a: { severity: 'INFO', signal: 'x' }, facts: { owner: null, segment: 'ENTERPRISE' }, want: [] },
  ] as const)('$case', ({ a, facts, want }) => {
    expect(names(r, alert(a as Partial<HealthAlert>), facts ?? { owner: null, segment: null })).toEqual(want);
  });

  it('a route without match takes everything', () => {
    expect(names(routing([{ to: ['b'] }]), alert({ severity: 'UNKNOWN' }))).toEqual(['b']);
  });
});
