import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from '@valuepulse/config';
import type { Command } from '../command.js';

const ACTIONS = ['up', 'down', 'status', 'env'] as const;

/**
 * `valuepulse stack up|down|status|env [part...]`: the local real stack. The
 * work is done by deploy/local/stack.sh, which must run before any
 * dependency is installed (npm test starts there), so this only forwards.
 */
export const stackCommand: Command = {
  name: 'stack',
  summary: 'start, stop or show the local real stack (Kafka, registry, Redis, ClickHouse)',
  usage: 'stack up|down|status|env [part...]',
  options: {
    up: 'start what is not running; wait until each part answers',
    down: 'stop only the processes the stack started',
    status: 'one line per part: version, endpoint, up/down; exit 1 if any is down',
    env: 'the endpoint variables in force',
    'part...': 'some of kafka registry redis redis-tls redis-cluster clickhouse (default: all), or kafka4 (a second broker on Kafka 4.x, only when named)',
  },
  async run(args) {
    const [action, ...parts] = args;
    if (!action || !(ACTIONS as readonly string[]).includes(action)) {
      process.stderr.write(`usage: valuepulse ${this.usage}\n  parts: kafka registry redis redis-tls redis-cluster clickhouse kafka4\n`);
      return 2;
    }
    const root = findRepoRoot(process.cwd()) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
    if (!root) throw new Error('cannot find deploy/local/stack.sh: run valuepulse from inside the repository');
    return new Promise<number>((resolve, reject) => {
      const child = spawn('bash', [join(root, 'deploy', 'local', 'stack.sh'), action, ...parts], { stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  },
};
