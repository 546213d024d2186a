import { describe, expect, it } from 'vitest';
import { cores, int, markdownReport, ms, textTable, verdict, type RunInfo } from './report.js';

const run: RunInfo = {
  startedAt: '2026-12-06T09:00:00.000Z',
  command: 'npm run bench:sink -- --rows 1000',
  git: { commit: 'abc1234', dirty: true },
  machine: { cores: 2, cpuModel: 'CPU', memoryGiB: 8, node: 'v20.19.0', platform: 'linux-x64' },
};

describe('textTable', () => {
  it('pads labels right, values left, middle columns right, and leaves the last column as it is', () => {
    const table = textTable('title', 'settings', [
      ['ceiling', '9,241 rows/s', '', 'median of 3'],
      ['  detail', '1 s', '≥ 50 %', 'a | note'],
    ]);
    expect(table.split('\n')).toEqual([
      'title',
      'settings',
      'ceiling   9,241 rows/s          median of 3',
      '  detail           1 s  ≥ 50 %  a | note',
    ]);
  });
});

describe('markdownReport', () => {
  it('writes the title, the run, the settings, the table with escaped cells and detail arrows, then the notes', () => {
    const page = markdownReport(run, { title: 'bench:sink', settings: 'sink: batches', header: ['figure', 'value'], rows: [['a | b', '1'], ['  detail', '2']], notes: ['Note one.'] });
    expect(page.split('\n')).toEqual([
      '# bench:sink',
      '',
      'Run 2026-12-06T09:00:00.000Z at abc1234 (uncommitted changes): `npm run bench:sink -- --rows 1000`, with the whole local stack (Kafka, registry, Redis, ClickHouse) on the same machine — 2 cores (CPU), 8 GiB, Node v20.19.0, linux-x64.',
      '',
      'sink: batches.',
      '',
      '| figure | value |',
      '| --- | --- |',
      '| a \\| b | 1 |',
      '| ↳ detail | 2 |',
      '',
      'Note one.',
      '',
    ]);
  });

  it('names the stack it was given and ends after the table without notes', () => {
    const page = markdownReport({ ...run, git: { commit: 'abc1234', dirty: false } }, { title: 't', settings: 's', stack: 'Kafka, ClickHouse 18.16', header: ['x'], rows: [['1']] });
    expect(page).toContain('at abc1234: `npm');
    expect(page).toContain('local stack (Kafka, ClickHouse 18.16) on');
    expect(page.endsWith('| 1 |\n')).toBe(true);
  });
});

describe('figures', () => {
  it('formats numbers and says n/a for what could not be measured', () => {
    expect(int(12345.6)).toBe('12,346');
    expect(int(Number.NaN)).toBe('n/a');
    expect(ms(12.34)).toBe('12.3');
    expect(ms(1234.5)).toBe('1,235');
    expect(cores(undefined)).toBe('n/a');
    expect(cores(1.234)).toBe('1.23');
  });

  it('meets a goal at the goal and above', () => {
    expect(verdict(50_000, 50_000)).toBe('meets goal');
    expect(verdict(49_999, 50_000)).toBe('below goal');
  });
});
