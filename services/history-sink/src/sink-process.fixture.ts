// The history-sink as a real child process, started the way `valuepulse run
// history-sink` does it from source, for tests that kill and restart it or
// read its /metrics.
import { fileURLToPath } from 'node:url';
import { startServiceProcess, type ChildExit, type ServiceProcess } from '@valuepulse/testkit';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type { ChildExit };
/** A running sink process. */
export type SinkProcess = ServiceProcess;

/**
 * Starts the sink from source with `env` on top of this process's
 * environment and resolves once it joined its consumer group (see
 * startServiceProcess).
 *
 * @throws Error with the process's output when it exits or is not ready in time.
 */
export function startSinkProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<SinkProcess> {
  return startServiceProcess({ name: 'sink', main: MAIN, cwd: REPO_ROOT, env, timeoutMs });
}
