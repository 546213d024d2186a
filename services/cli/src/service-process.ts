import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findRepoRoot } from '@valuepulse/config';
import type { CommandIo } from './command.js';

/**
 * The built entry point of `service` (`services/<service>/dist/main.js`).
 * The CLI starts services as processes: services never import each other,
 * and the CLI does not either.
 *
 * @throws Error naming the fix when the service is not built.
 */
export function serviceMain(service: string): string {
  const root = findRepoRoot(process.cwd()) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
  const main = root && join(root, 'services', service, 'dist', 'main.js');
  if (!main || !existsSync(main)) {
    throw new Error(`${service} is not built (${main ?? 'no repository found'}): run \`npm run build\``);
  }
  return main;
}

/**
 * Runs `service` in the foreground with `args` and `io.env`, forwarding
 * SIGINT/SIGTERM so it stops gracefully. Its output goes to the terminal,
 * or into `io`'s streams when they are not the process's own (tests).
 *
 * @returns the service's exit code (0 when it stopped on SIGINT/SIGTERM).
 * @throws Error when the service is not built or cannot be started.
 */
export function runServiceProcess(service: string, args: string[], io: CommandIo): Promise<number> {
  const main = serviceMain(service);
  const own = io.stdout === process.stdout && io.stderr === process.stderr;
  return new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, ['--enable-source-maps', main, ...args], { stdio: own ? 'inherit' : ['ignore', 'pipe', 'pipe'], env: io.env });
    if (!own) {
      child.stdout?.pipe(io.stdout, { end: false });
      child.stderr?.pipe(io.stderr, { end: false });
    }
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('error', reject);
    // 'close': the exit code and every byte of the piped output are in
    child.once('close', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1));
    });
  });
}
