import { parseArgs } from 'node:util';
import { dropExpiredPartitions, oldestKeptMonth, type MonthPartition } from '@valuepulse/clickhouse';
import { cliClickHouse, cliEndpoints, clickhouseFailure } from '../clients.js';
import { processIo, write, type Command } from '../command.js';

/**
 * `valuepulse retention --older-than-months N [--dry-run] [--database D]`:
 * drops the month partitions of the history tables and rollups that are
 * entirely older than N months (the current month and the N before it are
 * kept). Portable retention: `ALTER TABLE … DROP PARTITION`, no TTL.
 */
export const retentionCommand: Command = {
  name: 'retention',
  summary: 'drop history partitions older than N months (--dry-run lists them)',
  usage: 'retention --older-than-months N [--dry-run] [--database D]',
  options: {
    '--older-than-months N': 'keep the current month and the N before it',
    '--dry-run': 'list the partitions that would be dropped; drop nothing',
    '--database D': 'the history database (CLICKHOUSE_DATABASE; default valuepulse)',
  },
  async run(args, io = processIo()) {
    const { values } = parseArgs({
      args,
      options: { 'older-than-months': { type: 'string' }, 'dry-run': { type: 'boolean' }, database: { type: 'string' } },
      strict: true,
    });
    if (values['older-than-months'] === undefined || !/^[1-9][0-9]*$/.test(values['older-than-months'])) {
      await write(io.stderr, `valuepulse retention: --older-than-months must be a whole number ≥ 1\nusage: valuepulse ${this.usage}\n`);
      return 2;
    }
    const months = Number(values['older-than-months']);
    const endpoints = cliEndpoints(io.env);
    const database = values.database ?? endpoints.clickhouseDatabase;
    const dryRun = values['dry-run'] ?? false;
    const now = new Date();
    const keepFrom = String(oldestKeptMonth(now, months)).replace(/^(\d{4})(\d{2})$/, '$1-$2');
    const client = cliClickHouse(endpoints);
    let partitions: MonthPartition[];
    try {
      partitions = await dropExpiredPartitions(client, { database, olderThanMonths: months, dryRun, now });
    } catch (err) {
      await write(io.stderr, `valuepulse retention: ${clickhouseFailure(err, endpoints.clickhouseUrl)}\n`);
      return 1;
    } finally {
      await client.close();
    }
    const width = Math.max(0, ...partitions.map((p) => p.table.length));
    for (const p of partitions) {
      await write(io.stdout, `${p.table.padEnd(width)}  ${p.partitionId}  ${p.rows} rows  ${dryRun ? 'would drop' : 'dropped'}\n`);
    }
    const verb = dryRun ? 'would be dropped' : 'dropped';
    await write(io.stdout, `database ${database}: ${partitions.length} partition(s) older than ${keepFrom} ${verb}\n`);
    return 0;
  },
};
