import type { Command } from './command.js';
import { stackCommand } from './commands/stack.command.js';
import { consumeCommand } from './commands/consume.command.js';
import { demoCommand } from './commands/demo.command.js';
import { evaluateCommand } from './commands/evaluate.command.js';
import { healthCommand } from './commands/health.command.js';
import { migrateCommand } from './commands/migrate.command.js';
import { produceCommand } from './commands/produce.command.js';
import { retentionCommand } from './commands/retention.command.js';
import { runCommand } from './commands/run.command.js';
import { schemasCommand } from './commands/schemas.command.js';
import { simulateCommand } from './commands/simulate.command.js';
import { topicsCommand } from './commands/topics.command.js';

/** The commands of `valuepulse`. */
export const COMMANDS: readonly Command[] = [
  stackCommand,
  topicsCommand,
  schemasCommand,
  migrateCommand,
  retentionCommand,
  produceCommand,
  consumeCommand,
  runCommand,
  healthCommand,
  simulateCommand,
  evaluateCommand,
  demoCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'usage: valuepulse <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Endpoints come from KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL and CLICKHOUSE_URL',
    '(defaults: the local stack). See README.md.',
  ].join('\n');
}

/**
 * Runs one CLI invocation and returns the process exit code: 0 on success,
 * 1 when the command failed, 2 on a usage error.
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`valuepulse: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`valuepulse ${name}: ${(err as Error).message}\nusage: valuepulse ${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`valuepulse ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
