import { readFileSync } from 'node:fs';
import { processIo, write, type Command, type CommandIo } from './command.js';
import { stackCommand } from './commands/stack.command.js';
import { backtestCommand } from './commands/backtest.command.js';
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
import { isUsageError } from './usage-error.js';

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
  backtestCommand,
  demoCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'usage: valuepulse <command> [options]',
    '       valuepulse <command> --help   the command\'s options',
    '       valuepulse --version',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Endpoints come from KAFKA_BROKERS, SCHEMA_REGISTRY_URL, REDIS_URL and CLICKHOUSE_URL',
    '(defaults: the local stack). See docs/configuration.md.',
  ].join('\n');
}

/** `valuepulse <command> --help`: usage, summary and one line per option. */
export function commandHelp(command: Command): string {
  const options = Object.entries(command.options ?? {});
  const width = Math.max(0, ...options.map(([flag]) => flag.length));
  return [
    `usage: valuepulse ${command.usage}`,
    '',
    command.summary,
    ...(options.length > 0 ? ['', options.every(([flag]) => flag.startsWith('-')) ? 'options:' : 'arguments and options:', ...options.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`)] : []),
  ].join('\n');
}

/**
 * The release version: the root package.json's (the workspace packages
 * follow it). This file is services/cli/{src,dist}/, three levels down.
 */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** `--help` or `-h` among the options (not after a `--`). */
function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Runs one CLI invocation and returns the process exit code: 0 on success,
 * 1 when the command failed, 2 on a usage error.
 */
export async function main(argv: string[], io: CommandIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    await write(io.stdout, `${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    await write(io.stdout, `valuepulse ${version()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    await write(io.stderr, `valuepulse: unknown command '${name}'\n\n${help()}\n`);
    return 2;
  }
  if (!command.handlesHelp && wantsHelp(args)) {
    await write(io.stdout, `${commandHelp(command)}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (isUsageError(err)) {
      await write(io.stderr, `valuepulse ${name}: ${(err as Error).message}\nusage: valuepulse ${command.usage}\n`);
      return 2;
    }
    await write(io.stderr, `valuepulse ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
