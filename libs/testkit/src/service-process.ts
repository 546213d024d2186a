import { spawn } from 'node:child_process';
import { waitFor } from './wait-for.js';

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running service process. */
export interface ServiceProcess {
  pid: number;
  /** The ops port it bound (HTTP_PORT=0 picks one). */
  port: number;
  /** Everything it wrote (JSON log lines), for failure messages. */
  output(): string;
  /** The sum of a counter or gauge over its series, from the process's `/metrics`. */
  metric(name: string): Promise<number>;
  /** Sends `signal` and resolves with how the process ended. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): Promise<ChildExit>;
  exited: Promise<ChildExit>;
}

/**
 * Starts a service from source, the way `valuepulse run <service>` starts
 * it from dist — `node --conditions=valuepulse-source --import tsx <main>` in
 * `cwd` — with `env` on top of this process's environment (LOG_LEVEL=info: the
 * "service started" line carries the ops port), and resolves once its
 * `/readyz` says it joined its consumer group. For tests that kill and
 * restart a service or read its /metrics.
 *
 * @throws Error with the process's output when it exits or is not ready in time.
 */
export async function startServiceProcess(options: { name: string; main: string; cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<ServiceProcess> {
  const { name, main, cwd, env } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const child = spawn(process.execPath, ['--conditions=valuepulse-source', '--import', 'tsx', main], {
    cwd,
    // info: the "service started" line carries the ops port
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<ChildExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let exit: ChildExit | undefined;
  void exited.then((e) => (exit = e));
  const kill = async (signal: 'SIGTERM' | 'SIGKILL'): Promise<ChildExit> => {
    if (exit === undefined) child.kill(signal);
    return exited;
  };

  try {
    // -1: the process exited (a throw would only count as "not yet" to waitFor)
    const port = await waitFor(
      () => {
        if (exit !== undefined) return -1;
        const started = out
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { msg?: string; port?: number })
          .find((l) => l.msg === 'service started');
        return started?.port;
      },
      { timeoutMs, intervalMs: 50, description: `${name} process started` },
    );
    if (port === -1) throw new Error(`${name} exited (${JSON.stringify(exit)}) before it started`);
    const ready = await waitFor(
      async () => exit !== undefined || (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
      { timeoutMs, intervalMs: 100, description: `${name} process ready (joined its group)` },
    );
    if (ready && exit !== undefined) throw new Error(`${name} exited (${JSON.stringify(exit)}) before it was ready`);
    const metric = async (name: string): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const series = text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
      return series.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    };
    return { pid: child.pid as number, port, output: () => out, metric, kill, exited };
  } catch (err) {
    await kill('SIGKILL');
    throw new Error(`${name} process failed to start; its output:\n${out}`, { cause: err });
  }
}
