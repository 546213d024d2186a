import { resolve } from 'node:path';
import { startServiceProcess as startChild, type ServiceProcess as ChildProcess } from '@valuepulse/testkit';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export type ServiceName = 'health-scorer' | 'history-sink' | 'ingest-gateway' | 'alert-notifier';

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
 * Starts `services/<name>/src/main.ts` from source with testkit's
 * `startServiceProcess` (`env` over this process's environment, an ops port
 * of its own) and resolves once it is ready (it joined its consumer group).
 * Separate processes, as in production: the scorer and the sink each get
 * their own event loop. The process is killed if the benchmark exits first.
 *
 * @throws Error with the child's output when it exits or is not ready in time.
 */
export async function startServiceProcess(name: ServiceName, env: Record<string, string>, timeoutMs = 90_000): Promise<ServiceProcess> {
  const child = await startChild({ name, main: resolve(REPO_ROOT, 'services', name, 'src', 'main.ts'), cwd: REPO_ROOT, env: { ...env, HTTP_PORT: '0' }, timeoutMs });
  // never outlive the benchmark, whatever ends it
  const killOnExit = () => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 30_000) =>
    (stopping ??= (async () => {
      const timer = setTimeout(() => void child.kill('SIGKILL'), graceMs);
      await child.kill('SIGTERM');
      clearTimeout(timer);
      process.removeListener('exit', killOnExit);
    })());
  return { name, pid: child.pid, port: child.port, output: child.output, metric: child.metric, metricBy: (metric, label) => metricBy(child, metric, label), stop };
}

async function metricBy(child: ChildProcess, metric: string, label: string): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${child.port}/metrics`)).text();
  const by: Record<string, number> = {};
  for (const line of text.split('\n').filter((l) => l.startsWith(`${metric}{`) || l.startsWith(`${metric} `))) {
    const key = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? '';
    by[key] = (by[key] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return by;
}
