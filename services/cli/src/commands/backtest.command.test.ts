import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { lastOfPartition, readJsonlDir } from '../backtest/jsonl-source.js';
import { main } from '../main.js';
import { captureIo } from '../test-io.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);
const dirs: string[] = [];
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vp-backtest-unit-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const usage = (id: string, account: string, at: number) =>
  ({ event_id: id, account_id: account, occurred_at: at, user_id: 'u1', event_type: 'LOGIN', feature_id: null, workflow_id: null, integration_id: null, team: null, user_role: 'UNKNOWN', product_line: null, quantity: 1, properties: {} });
const account = (id: string, acct: string, at: number, fields: Record<string, unknown>) =>
  ({ event_id: id, account_id: acct, occurred_at: at, event_type: 'CONTRACT_SIGNED', arr: null, currency: null, contracted_seats: null, renewal_date: null, segment: null, stakeholder_user_id: null, stakeholder_role: null, milestone_id: null, milestone_name: null, milestone_due_date: null, nps_score: null, owner: null, properties: {}, ...fields });

function scenario(): string {
  const dir = newDir();
  const lines: string[] = [];
  // a, b use the product daily for 40 days; b stops on day 20 and churns on day 39
  for (let d = 0; d < 40; d += 1) {
    for (let u = 0; u < 5; u += 1) {
      lines.push(JSON.stringify({ ...usage(`a-${d}-${u}`, 'a', T0 + d * DAY + 9 * 3_600_000 + u), user_id: `a-u${u}` }));
      if (d < 20) lines.push(JSON.stringify({ ...usage(`b-${d}-${u}`, 'b', T0 + d * DAY + 10 * 3_600_000 + u), user_id: `b-u${u}` }));
    }
  }
  writeFileSync(join(dir, 'usage.events.v1.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(dir, 'account.events.v1.jsonl'),
    [
      account('sa', 'a', T0, { arr: 5000, contracted_seats: 5, renewal_date: T0 + 39 * DAY, segment: 'SMB' }),
      account('sb', 'b', T0, { arr: 8000, contracted_seats: 5, renewal_date: T0 + 39 * DAY, segment: 'SMB' }),
      account('rb', 'b', T0 + 39 * DAY, { event_type: 'CONTRACT_CHURNED', arr_lost: 8000, outcome_reason: 'low adoption' }),
      account('ra', 'a', T0 + 39 * DAY + 1, { event_type: 'CONTRACT_RENEWED', arr: 5000, renewal_date: T0 + 404 * DAY }),
    ].map((e) => JSON.stringify(e)).join('\n'),
  );
  return dir;
}

describe('readJsonlDir', () => {
  it('merges the files by each one’s running maximum event time: a late record stays where it was delivered', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'usage.events.v1.jsonl'), [usage('u1', 'a', T0 + 10), usage('late', 'a', T0 + 1), usage('u3', 'a', T0 + 30)].map((e) => JSON.stringify(e)).join('\n'));
    writeFileSync(join(dir, 'support.events.v1.jsonl'), '');
    writeFileSync(join(dir, 'account.events.v1.jsonl'), JSON.stringify(account('c', 'a', T0 + 10, {})));
    expect([...readJsonlDir(dir)].map((e) => e.event.event_id)).toEqual(['c', 'u1', 'late', 'u3']);
  });

  it('names the file and line of an invalid record', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'usage.events.v1.jsonl'), `${JSON.stringify(usage('u1', 'a', T0))}\n\n${JSON.stringify({ ...usage('u2', 'a', T0), event_type: 'NOPE' })}\n`);
    expect(() => [...readJsonlDir(dir)]).toThrow(/usage\.events\.v1\.jsonl line 3: .*event_type/);
  });

  it('marks the last record of each partition', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'usage.events.v1.jsonl'), [usage('a1', 'a', T0), usage('b1', 'b', T0 + 1), usage('a2', 'a', T0 + 2)].map((e) => JSON.stringify(e)).join('\n'));
    const last = lastOfPartition(dir, 1);
    const marked = [...readJsonlDir(dir, { lastOfPartition: last })].filter((e) => last.records.has(e)).map((e) => e.event.event_id);
    expect(marked).toEqual(['a2']);
  });

  it('reads the account of a line whose properties carry an "account_id" key too', () => {
    const dir = newDir();
    const { properties: _, ...rest } = usage('b1', 'b', T0);
    // the nested key comes first in the line
    const tricky = JSON.stringify({ properties: { account_id: 'zz' }, ...rest });
    expect(tricky.indexOf('"account_id":"zz"')).toBeLessThan(tricky.indexOf('"account_id":"b"'));
    writeFileSync(join(dir, 'usage.events.v1.jsonl'), [JSON.stringify(usage('a1', 'a', T0)), tricky].join('\n'));
    const last = lastOfPartition(dir, 64);
    expect(new Set([last.partitionOf('a'), last.partitionOf('b'), last.partitionOf('zz')]).size).toBe(3); // the check below can tell them apart
    expect(last.lines.get(join(dir, 'usage.events.v1.jsonl'))?.get(last.partitionOf('b'))).toBe(2);
  });
});

describe('valuepulse backtest (files)', () => {
  it('needs one source', async () => {
    const io = captureIo();
    expect(await main(['backtest'], io)).toBe(2);
    expect(io.err()).toMatch(/give either --from-dir DIR or --from DATE --to DATE/);
    const both = captureIo();
    expect(await main(['backtest', '--from-dir', '/tmp', '--from', '2026-01-01'], both)).toBe(2);
  });

  it('reports the churn warned before it and the renewal, per config, the same every run', { timeout: 60_000 }, async () => {
    const dir = scenario();
    const candidate = join(dir, 'candidate.json');
    writeFileSync(candidate, JSON.stringify({ ...DEFAULT_SCORING_CONFIG, model_version: 'v9.0.0' }));
    const run = async () => {
      const io = captureIo();
      expect(await main(['backtest', '--from-dir', dir, '--config', candidate, '--json'], io), io.err()).toBe(0);
      return io.out();
    };
    const first = await run();
    expect(await run()).toBe(first);
    const report = JSON.parse(first) as { outcomes: number; configs: { name: string; model_version: string; alerts: number; outcomes: { lost: { churned: number; warned: number; arrLost: number }; renewed: { outcomes: number } } }[] };
    expect(report.outcomes).toBe(2);
    expect(report.configs.map((c) => [c.name, c.model_version])).toEqual([['baseline', DEFAULT_SCORING_CONFIG.model_version], ['candidate', 'v9.0.0']]);
    for (const c of report.configs) {
      expect(c.outcomes.lost).toMatchObject({ churned: 1, arrLost: 8000 });
      // b went dark on day 20: warned long before its churn on day 39
      expect(c.outcomes.lost.warned).toBe(1);
      expect(c.outcomes.renewed.outcomes).toBe(1);
    }
    // accounts shared out to worker threads: the same report and the same alerts, in the same order
    const threaded = captureIo();
    expect(await main(['backtest', '--from-dir', dir, '--config', candidate, '--json', '--threads', '2'], threaded), threaded.err()).toBe(0);
    expect(threaded.out()).toBe(first);
    const alerts = async (threads: string) => {
      const out = join(dir, `alerts-${threads}.jsonl`);
      expect(await main(['backtest', '--from-dir', dir, '--threads', threads, '--alerts-out', out], captureIo())).toBe(0);
      return readFileSync(out, 'utf8');
    };
    const single = await alerts('1');
    expect(single.split('\n').length).toBeGreaterThan(2);
    expect(await alerts('3')).toBe(single);
    const text = captureIo();
    expect(await main(['backtest', '--from-dir', dir], text)).toBe(0);
    expect(text.out()).toMatch(/lost ARR warned\s+100 % \(8,000 of 8,000\)/);
    expect(text.out()).toContain('detection quality: no labels');
  });
});
