// The health-scorer as a real child process, started the way `valuepulse run
// health-scorer` does it from source, for tests that kill and restart it.
import { fileURLToPath } from 'node:url';
import { startServiceProcess, type ChildExit, type ServiceProcess } from '@valuepulse/testkit';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type { ChildExit };
/** A running scorer process. */
export type ScorerProcess = ServiceProcess;

/**
 * Starts the scorer from source with `env` on top of this process's
 * environment and resolves once it joined its consumer group (see
 * startServiceProcess).
 *
 * @throws Error with the process's output when it exits or is not ready in time.
 */
export function startScorerProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<ScorerProcess> {
  return startServiceProcess({ name: 'scorer', main: MAIN, cwd: REPO_ROOT, env, timeoutMs });
}
