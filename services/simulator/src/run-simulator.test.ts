import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario } from '@valuepulse/simulation';
import { jsonlFiles } from './jsonl-sink.js';
import type { SimulatorOptions } from './options.js';
import { runSimulator } from './run-simulator.js';

const simulation = { seed: 5, accounts: 12, days: 60, endsAt: Date.UTC(2026, 10, 22) };
let dir: string;

function capture(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as unknown);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-simulator-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runSimulator to files', () => {
  it('writes each topic’s events as JSON Lines and the labels, exactly what the generator gives', async () => {
    const out = join(dir, 'scenario');
    const options: SimulatorOptions = { simulation, out, kafka: false, labels: join(out, 'labels.jsonl'), topicPrefix: '', rate: null, batchSize: 1000 };
    const stderr = capture();
    const summary = await runSimulator(options, { stderr });

    const expected = generateScenario(simulation);
    const files = jsonlFiles(out);
    expect(await lines(files.usage)).toEqual(expected.usage);
    expect(await lines(files.support)).toEqual(expected.support);
    expect(await lines(files.account)).toEqual(expected.account);
    expect(await lines(join(out, 'labels.jsonl'))).toEqual(expected.labels);
    expect(summary.events).toEqual({
      usage: expected.usage.length,
      support: expected.support.length,
      account: expected.account.length,
      total: expected.usage.length + expected.support.length + expected.account.length,
    });
    expect(summary.produced).toBe(0);
    expect(stderr.text()).toMatch(new RegExp(`^simulate: 12 accounts \\(${summary.atRisk} at risk\\), 60 days to 2026-11-22: ${expected.usage.length} usage, `, 'm'));
  });

  it('stops when aborted, with the labels already written', async () => {
    const controller = new AbortController();
    controller.abort();
    const labels = join(dir, 'aborted', 'labels.jsonl');
    const options: SimulatorOptions = { simulation, out: join(dir, 'aborted'), kafka: false, labels, topicPrefix: '', rate: null, batchSize: 1000 };
    await expect(runSimulator(options, { stderr: capture(), signal: controller.signal })).rejects.toThrow('interrupted on day 0 of 60, after 0 events');
    expect(await lines(labels)).toHaveLength(12);
  });
});
