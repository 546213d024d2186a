import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A service the demo runs in the background. */
export interface BackgroundService {
  name: string;
  pid: number;
  log: string;
}

/**
 * Starts `main` (a service's dist/main.js) as a detached process that
 * outlives the CLI, output to `<dir>/<name>.log`, pid in `<dir>/<name>.pid`.
 */
export function startBackground(dir: string, name: string, main: string, env: NodeJS.ProcessEnv): BackgroundService {
  const log = join(dir, `${name}.log`);
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, ['--enable-source-maps', main], { detached: true, stdio: ['ignore', out, out], env });
  if (child.pid === undefined) throw new Error(`could not start ${name} (${main})`);
  child.unref();
  writeFileSync(join(dir, `${name}.pid`), String(child.pid));
  return { name, pid: child.pid, log };
}

/** Whether process `pid` is alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the background service `name` started from `dir` (SIGTERM: it
 * finishes its batch and commits), waiting up to `timeoutMs`, then SIGKILL.
 *
 * @returns whether one was running.
 */
export async function stopBackground(dir: string, name: string, timeoutMs = 30_000): Promise<boolean> {
  const pidFile = join(dir, `${name}.pid`);
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}
