import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseLabels, type AccountLabel } from '@valuepulse/quality';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig, type ScoringConfig } from '@valuepulse/scoring';
import type { StoreEvent } from '@valuepulse/state';
import { createBacktest, type BacktestResult, type BacktestRun } from '../backtest/backtest.js';
import { readClickHouse } from '../backtest/clickhouse-source.js';
import { lastOfPartition, readJsonlDir } from '../backtest/jsonl-source.js';
import { backtestJson, formatBacktest } from '../backtest/report.js';
import { cliClickHouse, cliEndpoints, clickhouseFailure } from '../clients.js';
import { processIo, write, type Command } from '../command.js';
import { UsageError } from '../usage-error.js';

// the input topics' partitions in deploy/topics.json
const DEFAULT_PARTITIONS = 6;

/**
 * `valuepulse backtest`: replays history (JSON Lines files, or the raw event
 * tables in ClickHouse) through the scoring code in-process — in-memory state
 * on the event clock, no Redis, no Kafka — once with the current config and
 * once with a candidate, and reports per config what it would have said:
 * alerts per account per month, churns and downgrades warned and how early,
 * lost ARR warned, renewals warned, ROC AUC of the health score before
 * renewal, and detection quality against labels when there are labels.
 */
export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'replay history through a candidate scoring config and the current one, side by side: alerts, churns warned and lead time, score AUC',
  usage: 'backtest (--from-dir DIR [--partitions N] | --from DATE --to DATE [--database D]) [--config F] [--baseline F] [--labels F] [--threads N] [--json] [--alerts-out F]',
  options: {
    '--from-dir DIR': 'JSON Lines event files (as `valuepulse simulate --out` writes them) and, if there, labels.jsonl',
    '--from DATE': 'ClickHouse: the first day replayed (YYYY-MM-DD or an ISO time; UTC)',
    '--to DATE': 'ClickHouse: the end of the period, exclusive',
    '--database D': 'ClickHouse: the history database (CLICKHOUSE_DATABASE; default valuepulse)',
    '--config F': 'the candidate scoring config (JSON, as SCORER_CONFIG_FILE); without it only the baseline runs',
    '--baseline F': 'the config to compare with (default: the built-in current config)',
    '--labels F': 'a labels file (default: labels.jsonl in --from-dir when there)',
    '--threads N': 'replay in N worker threads, accounts shared out (default 1; 2 on 2 cores); the same report',
    '--json': 'the report as JSON',
    '--alerts-out F': 'also write every alert as JSON Lines, with a "config" field (baseline or candidate)',
    '--partitions N': `--from-dir: judge as the scorer judges the files as a backlog in topics of N partitions (default ${DEFAULT_PARTITIONS}, deploy/topics.json)`,
  },
  async run(args, io = processIo()) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        'from-dir': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        database: { type: 'string' },
        config: { type: 'string' },
        baseline: { type: 'string' },
        labels: { type: 'string' },
        json: { type: 'boolean', default: false },
        'alerts-out': { type: 'string' },
        partitions: { type: 'string' },
        threads: { type: 'string' },
      },
    });
    const dir = values['from-dir'];
    const fromClickHouse = values.from !== undefined || values.to !== undefined;
    if ((dir === undefined) === !fromClickHouse) throw new UsageError('give either --from-dir DIR or --from DATE --to DATE');
    if (dir !== undefined && values.database !== undefined) throw new UsageError('--database goes with --from/--to');
    const runs: BacktestRun[] = [{ name: 'baseline', config: values.baseline ? readConfig(values.baseline) : DEFAULT_SCORING_CONFIG }];
    if (values.config) runs.push({ name: 'candidate', config: readConfig(values.config) });
    const labelsPath = values.labels ?? (dir !== undefined && existsSync(join(dir, 'labels.jsonl')) ? join(dir, 'labels.jsonl') : undefined);
    const labels: AccountLabel[] | undefined = labelsPath ? parseLabels(readFileSync(labelsPath, 'utf8')) : undefined;

    const threads = values.threads === undefined ? 1 : Number(values.threads);
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64)) throw new UsageError('--threads must be a whole number from 1 to 64');
    const started = performance.now();
    let result: BacktestResult;
    if (dir !== undefined) {
      const partitions = values.partitions === undefined ? DEFAULT_PARTITIONS : Number(values.partitions);
      if (!(Number.isInteger(partitions) && partitions > 0)) throw new UsageError('--partitions must be a whole number ≥ 1');
      const last = lastOfPartition(dir, partitions);
      const backtest = createBacktest(runs, { drainsSource: (input) => last.records.has(input), threads });
      for (const input of readJsonlDir(dir, { lastOfPartition: last })) backtest.push(input);
      result = await backtest.end(labels ? { labels } : {});
    } else {
      const period = { from: parseDate('--from', values.from), to: parseDate('--to', values.to) };
      if (!(period.to > period.from)) throw new UsageError('--to must be after --from');
      const endpoints = cliEndpoints(io.env);
      const client = cliClickHouse(endpoints);
      try {
        const backtest = createBacktest(runs, { until: period.to, threads });
        const events: AsyncIterable<StoreEvent> = readClickHouse(client, values.database ?? endpoints.clickhouseDatabase, period);
        for await (const input of events) backtest.push(input);
        result = await backtest.end({ period, ...(labels ? { labels } : {}) });
      } catch (err) {
        await write(io.stderr, `valuepulse backtest: ${clickhouseFailure(err, endpoints.clickhouseUrl)}\n`);
        return 1;
      } finally {
        await client.close();
      }
    }
    const seconds = (performance.now() - started) / 1000;

    if (values['alerts-out']) await writeAlerts(values['alerts-out'], result);
    // stdout is the same for the same input and configs; the speed goes to stderr
    await write(io.stdout, values.json ? `${JSON.stringify(backtestJson(result), null, 2)}\n` : `${formatBacktest(result, labels !== undefined)}\n`);
    await write(io.stderr, `replayed ${result.events} events × ${runs.length} config(s) in ${threads} thread(s) in ${seconds.toFixed(1)} s (${Math.round(result.events / Math.max(seconds, 1e-3))} events/s)\n`);
    return 0;
  },
};

function readConfig(path: string): ScoringConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: ${(err as Error).message}`);
  }
  return parseScoringConfig(json);
}

function parseDate(flag: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`${flag} is needed with ClickHouse (--from DATE --to DATE)`);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag}: not a date: ${value}`);
  return ms;
}

async function writeAlerts(path: string, result: BacktestResult): Promise<void> {
  const out = createWriteStream(path);
  for (const c of result.configs) for (const a of c.alerts) await write(out, `${JSON.stringify({ config: c.name, ...a })}\n`);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}
