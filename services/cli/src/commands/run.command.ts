import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from '@valuepulse/config';
import { processIo, write, type Command } from '../command.js';

/** The long-running services `run` can start. */
export const SERVICES = ['health-scorer', 'history-sink'] as const;

/**
 * `valuepulse run <service>`: starts a service in the foreground as its own
 * Node process (services never import each other; the CLI does not either),
 * passing the environment through and forwarding SIGINT/SIGTERM so the
 * service shuts down gracefully. Exits with the service's exit code.
 */
export const runCommand: Command = {
  name: 'run',
  summary: `start a service in the foreground (${SERVICES.join(', ')})`,
  usage: `run <service>`,
  async run(args, io = processIo()) {
    const [service] = args;
    if (!service || !(SERVICES as readonly string[]).includes(service)) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n  services: ${SERVICES.join(', ')}\n`);
      return 2;
    }
    const root = findRepoRoot(process.cwd()) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
    const main = root && join(root, 'services', service, 'dist', 'main.js');
    if (!main || !existsSync(main)) {
      throw new Error(`${service} is not built (${main ?? 'no repository found'}): run \`npm run build\``);
    }
    return new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--enable-source-maps', main], { stdio: 'inherit', env: io.env });
      const forward = (signal: NodeJS.Signals) => child.kill(signal);
      process.on('SIGINT', forward);
      process.on('SIGTERM', forward);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        process.off('SIGINT', forward);
        process.off('SIGTERM', forward);
        resolve(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
      });
    });
  },
};
