import { cpus, loadavg } from 'node:os';
import type { Endpoints } from '@valuepulse/config';
import { describeFailures, probeEndpoints } from '@valuepulse/testkit';
import { machineBusy, machineTicks } from './stats.js';

// set by SIGINT/SIGTERM: the signal handler cleans up and exits, whatever the run does meanwhile
let interrupted = false;

/** A progress line on stderr (stdout carries the table and the JSON line). */
export const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

/** Seconds since `since` (a `performance.now()` reading), e.g. `12.3 s`. */
export const elapsed = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

/** Whether a signal arrived: a phase that loops checks it to stop early. */
export const wasInterrupted = (): boolean => interrupted;

/** Runs a benchmark's `main` and exits with its code; an error exits 1 with `<script> failed:`. */
export function runBench(script: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`${script} failed:`, err);
      process.exit(1);
    },
  );
}

/**
 * Runs `body`, then `cleanup` exactly once, logging the problems it returns:
 * after `body` ends or throws, or on SIGINT/SIGTERM (then the process exits
 * 130 once cleanup is done, whatever `body` is still doing).
 */
export async function withCleanup<T>(cleanup: () => Promise<string[]>, body: () => Promise<T>): Promise<T> {
  let cleaning: Promise<string[]> | undefined;
  const once = () => (cleaning ??= cleanup());
  const report = (problems: string[]) => {
    for (const p of problems) log(`cleanup: ${p}`);
    return problems;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    log(`${signal}: cleaning up`);
    void once()
      .then(report)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await body();
  } finally {
    if (interrupted) await new Promise(() => {}); // the signal handler exits
    const problems = report(await once());
    log(problems.length === 0 ? 'cleaned up' : 'cleanup incomplete (see above)');
  }
}

/** What else used the machine: cores busy over 2 s with nothing of the benchmark running, and the load averages then. */
export interface Background {
  cores: number;
  loadAverage: number[];
}

/** Measures {@link Background} over 2 s and warns on stderr when other work will skew the figures. */
export async function measureBackground(): Promise<Background> {
  const before = machineTicks();
  const loadAverage = loadavg();
  await new Promise((done) => setTimeout(done, 2000));
  const cores = machineBusy(before, machineTicks()) * cpus().length;
  if (cores > 0.3) log(`the machine is busy (${cores.toFixed(2)} cores, load average ${loadAverage[0]?.toFixed(2)}) before the run: figures will be low`);
  return { cores, loadAverage };
}

/** Whether the local stack answers at `endpoints`; prints `<script>: <problem>` for each part that does not. */
export async function stackReady(script: string, endpoints: Endpoints): Promise<boolean> {
  const failures = describeFailures(await probeEndpoints(endpoints));
  for (const f of failures) console.error(`${script}: ${f}`);
  return failures.length === 0;
}
