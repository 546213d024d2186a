import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot } from '@valuepulse/config';
import { waitFor } from './wait-for.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** A server of its own for one test, started by the local stack's script: its own port(s), data folder and process. */
export interface PrivateServer {
  /** Its stack folder (config, data, logs, pid) under the OS temp folder. */
  dir: string;
  /** The server's pid while it runs. */
  pid(): Promise<number | undefined>;
  /** Sends `signal` to the server and resolves once the process is gone. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port(s) and data (after `kill`); resolves once it answers. */
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its folder. Never throws. */
  destroy(): Promise<void>;
}

/** A private ClickHouse server (see {@link startPrivateClickHouse}). */
export interface PrivateClickHouse extends PrivateServer {
  /** `http://127.0.0.1:<port>`: use as CLICKHOUSE_URL. */
  url: string;
  httpPort: number;
  tcpPort: number;
}

/** A private Redis server (see {@link startPrivateRedis}). */
export interface PrivateRedis extends PrivateServer {
  /** `redis://127.0.0.1:<port>`: use as REDIS_URL. */
  url: string;
  port: number;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts one part of the local stack (`deploy/local/stack.sh up <part>`)
 * with `env` on top of this process's environment and a fresh stack folder
 * of its own, so a test can kill and restart it without disturbing the
 * shared stack's server that other tests use meanwhile.
 */
async function startPrivateServer(part: 'clickhouse' | 'redis', url: string, env: Record<string, string>): Promise<PrivateServer> {
  const root = findRepoRoot(new URL('.', import.meta.url).pathname);
  if (!root) throw new Error(`startPrivateServer: no repository (deploy/local/stack.sh) found`);
  const script = join(root, 'deploy', 'local', 'stack.sh');
  const dir = await mkdtemp(join(tmpdir(), `vp-${part}-`));
  const fullEnv = { ...process.env, VALUEPULSE_STACK_DIR: dir, ...env };
  const stack = async (command: 'up' | 'down'): Promise<void> => {
    try {
      await run('bash', [script, command, part], { env: fullEnv, timeout: 120_000 });
    } catch (err) {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      throw new Error(`stack.sh ${command} ${part} (private, ${url}) failed:\n${stdout}${stderr}`, { cause: err });
    }
  };
  const pid = async (): Promise<number | undefined> => {
    const text = await readFile(join(dir, 'run', `${part}.pid`), 'utf8').catch(() => '');
    const n = Number(text.trim());
    return Number.isInteger(n) && n > 0 && alive(n) ? n : undefined;
  };

  const server: PrivateServer = {
    dir,
    pid,
    async kill(signal) {
      const p = await pid();
      if (p === undefined) return;
      process.kill(p, signal);
      await waitFor(() => !alive(p), { timeoutMs: 60_000, intervalMs: 50, description: `private ${part} (pid ${p}) exited after ${signal}` });
    },
    start: () => stack('up'),
    async destroy() {
      await stack('down').catch(() => server.kill('SIGKILL').catch(() => undefined));
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  return startOrDestroy(server);
}

/** Starts `server`; when that fails, destroys it (its folder too) and rethrows. */
export async function startOrDestroy<T extends { start(): Promise<void>; destroy(): Promise<void> }>(server: T): Promise<T> {
  try {
    await server.start();
  } catch (err) {
    await server.destroy();
    throw err;
  }
  return server;
}

/**
 * Starts a private clickhouse-server — the one the local stack uses, with the
 * config `deploy/local/stack.sh` generates — on two free ports, with a fresh
 * state folder. Call `destroy()` afterwards, also when the test failed.
 *
 * @throws Error with the stack script's output when the server does not come up.
 */
export async function startPrivateClickHouse(): Promise<PrivateClickHouse> {
  const httpPort = await freePort();
  const tcpPort = await freePort();
  const url = `http://127.0.0.1:${httpPort}`;
  const server = await startPrivateServer('clickhouse', url, { CLICKHOUSE_URL: url, VALUEPULSE_CLICKHOUSE_TCP_PORT: String(tcpPort) });
  return { ...server, url, httpPort, tcpPort };
}

/**
 * Starts a private redis-server — configured as the local stack's (append-only
 * file, fsync every second) — on a free port, with a fresh data folder: a
 * SIGTERM saves the data, so `start()` afterwards is a restart with the data kept.
 * Call `destroy()` afterwards, also when the test failed.
 *
 * @throws Error with the stack script's output when the server does not come up.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const server = await startPrivateServer('redis', url, { REDIS_URL: url });
  return { ...server, url, port };
}
