import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate, type MigrationOutcome } from '@valuepulse/clickhouse';
import { cliClickHouse, cliEndpoints, clickhouseFailure } from '../clients.js';
import { processIo, write, type Command } from '../command.js';

/**
 * `valuepulse migrate [--database D] [--dir DIR]`: applies the ClickHouse
 * migrations of schemas/clickhouse (idempotent). One line per file: applied
 * or already applied. Exit 1, with the reason, when an applied file was
 * changed, a statement fails or ClickHouse cannot be reached.
 */
export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply the ClickHouse migrations of schemas/clickhouse (idempotent; refuses changed applied files)',
  usage: 'migrate [--database D] [--dir DIR]',
  options: {
    '--database D': 'the database to migrate (CLICKHOUSE_DATABASE; default valuepulse)',
    '--dir DIR': 'the migrations to apply (default schemas/clickhouse)',
  },
  async run(args, io = processIo()) {
    const { values } = parseArgs({ args, options: { database: { type: 'string' }, dir: { type: 'string' } }, strict: true });
    const endpoints = cliEndpoints(io.env);
    const database = values.database ?? endpoints.clickhouseDatabase;
    const client = cliClickHouse(endpoints);
    const lines: Promise<void>[] = [];
    const report = (o: MigrationOutcome) => lines.push(write(io.stdout, `${o.name}  ${o.status === 'applied' ? 'applied' : 'already applied'}\n`));
    try {
      const outcomes = await migrate(client, { database, ...(values.dir === undefined ? {} : { dir: resolve(values.dir) }), onOutcome: report });
      await Promise.all(lines);
      const applied = outcomes.filter((o) => o.status === 'applied').length;
      await write(io.stdout, `database ${database}: ${applied} applied, ${outcomes.length - applied} already applied\n`);
      return 0;
    } catch (err) {
      await Promise.all(lines);
      await write(io.stderr, `valuepulse migrate: ${clickhouseFailure(err, endpoints.clickhouseUrl)}\n`);
      return 1;
    } finally {
      await client.close();
    }
  },
};
