import { endpointsSchema, loadConfig, withLocalStackEnv } from '@valuepulse/config';
import { parseSimulatorOptions, USAGE } from './options.js';
import { runSimulator } from './run-simulator.js';

// A batch job, not a long-running service: options → scenario → sinks → exit code.
// 0 done, 1 failed (a dependency, a missing topic or schema, interrupted), 2 bad options.
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseSimulatorOptions(argv, process.env, Date.now());
  } catch (err) {
    process.stderr.write(`valuepulse simulate: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'invalid') {
    process.stderr.write(`valuepulse simulate: invalid options:\n${parsed.problems.map((p) => `  ${p}\n`).join('')}run with --help for the options\n`);
    return 2;
  }
  const { options } = parsed;
  if (options.simulation.endsAt > Date.now() + 3_600_000) {
    process.stderr.write('valuepulse simulate: warning: --ends-at is in the future; a scorer on the wall clock sends events more than 1 h ahead to the DLQ\n');
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const endpoints = options.kafka ? loadConfig(endpointsSchema, withLocalStackEnv(process.env)) : undefined;
    await runSimulator(options, { stderr: process.stderr, signal: controller.signal, ...(endpoints ? { endpoints } : {}) });
    return 0;
  } catch (err) {
    process.stderr.write(`valuepulse simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
