import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../test-io.js';
import { simulateCommand } from './simulate.command.js';

// `valuepulse simulate` starts the built simulator (services/simulator/dist), as `run` starts a service.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-cli-simulate-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lineCount = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').length;

describe('valuepulse simulate', () => {
  it('runs the simulator with the given options: JSON Lines per topic and the labels', { timeout: 60_000 }, async () => {
    const io = captureIo('', process.env);
    expect(await simulateCommand.run(['--out', dir, '--accounts', '12', '--days', '60', '--seed', '3', '--ends-at', '2026-11-22'], io), io.err()).toBe(0);
    const summary = /simulate: 12 accounts \(\d+ at risk\), 60 days to 2026-11-22: (\d+) usage, (\d+) support, (\d+) account events; files in /.exec(io.err());
    expect(summary, io.err()).not.toBeNull();
    const [, usage, support, account] = summary as RegExpExecArray;
    expect(await lineCount(join(dir, 'usage.events.v1.jsonl'))).toBe(Number(usage));
    expect(await lineCount(join(dir, 'support.events.v1.jsonl'))).toBe(Number(support));
    expect(await lineCount(join(dir, 'account.events.v1.jsonl'))).toBe(Number(account));
    const labels = (await readFile(join(dir, 'labels.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { account_id: string });
    expect(labels.map((l) => l.account_id)).toEqual(Array.from({ length: 12 }, (_, i) => `acct-${String(i + 1).padStart(4, '0')}`));
  });

  it('exits 2 on bad options, naming each, and prints the options on --help', async () => {
    const bad = captureIo('', { ...process.env, SIMULATOR_DAYS: '7' });
    expect(await simulateCommand.run(['--accounts', '0', '--out', dir], bad)).toBe(2);
    expect(bad.err()).toContain('--accounts: expected an integer between 1 and 100000, got "0"');
    expect(bad.err()).toContain('SIMULATOR_DAYS: expected an integer between 56 and 730, got "7"');
    const help = captureIo('', process.env);
    expect(await simulateCommand.run(['--help'], help)).toBe(0);
    expect(help.out()).toMatch(/^usage: valuepulse simulate \[options\]/);
    expect(help.out()).toContain('--topic-prefix P');
  });
});
