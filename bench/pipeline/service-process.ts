import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '@valuepulse/testkit';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
// the last lines a child wrote, for failure messages (its logs are JSON lines at info)
const OUTPUT_KEPT = 64 * 1024;

export type ServiceName = 'health-scorer' | 'history-sink';

/** A service running as its own process, started as `valuepulse run <service>` starts it from source. */
export interface ServiceProcess {
  name: ServiceName;
  pid: number;
  port: number;
  /** The sum of a counter or gauge over its series, from the process's `/metrics`. */
  metric(name: string): Promise<number>;
  /** A counter's values by one label, from `/metrics`. */
  metricBy(name: string, label: string): Promise<Record<string, number>>;
  output(): string;
  /** SIGTERM (graceful: finish the batch, flush, commit), SIGKILL after `graceMs`; idempotent. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node --conditions=valuepulse-source --import tsx services/<name>/src/main.ts`
 * with `env` over this process's environment, and resolves once its
 * `/readyz` answers 200 (it joined its consumer group). Separate processes,
 * as in production: the scorer and the sink each get their own event loop.
 *
 * @throws Error with the child's output when it exits or is not ready in time.
 */
export async function startServiceProcess(name: ServiceName, env: Record<string, string>, timeoutMs = 90_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--conditions=valuepulse-source', '--import', 'tsx', resolve(REPO_ROOT, 'services', name, 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    // info: the "service started" line carries the ops port
    env: { ...process.env, ...env, HTTP_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: string) => {
    out = (out + chunk).slice(-OUTPUT_KEPT);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  let exit: string | undefined;
  const exited = new Promise<void>((done) => child.once('exit', (code, signal) => {
    exit = `code ${code}, signal ${signal}`;
    done();
  }));
  // never outlive the benchmark, whatever ends it
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 30_000) =>
    (stopping ??= (async () => {
      if (exit === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', killOnExit);
    })());

  try {
    const port = await waitFor(
      () => {
        if (exit !== undefined) throw new Error(`${name} exited (${exit}) before it started`);
        const started = out
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { msg?: string; port?: number })
          .find((l) => l.msg === 'service started');
        return started?.port;
      },
      { timeoutMs, intervalMs: 50, description: `${name} process started` },
    );
    await waitFor(
      async () => {
        if (exit !== undefined) throw new Error(`${name} exited (${exit})`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
      },
      { timeoutMs, intervalMs: 100, description: `${name} process ready (joined its group)` },
    );
    const series = async (metric: string) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return text.split('\n').filter((line) => line.startsWith(`${metric}{`) || line.startsWith(`${metric} `));
    };
    return {
      name, port,
      pid: child.pid as number,
      output: () => out,
      stop,
      async metric(metric) {
        return (await series(metric)).reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
      },
      async metricBy(metric, label) {
        const by: Record<string, number> = {};
        for (const line of await series(metric)) {
          const key = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? '';
          by[key] = (by[key] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
        }
        return by;
      },
    };
  } catch (err) {
    await stop(1000);
    throw new Error(`${name} process failed to start; its output:\n${out}`, { cause: err });
  }
}
