import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The repository root: the nearest folder at or above `from` holding
 * `deploy/local/stack.sh`. Returns undefined outside a checkout.
 */
export function findRepoRoot(from: string = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'deploy', 'local', 'stack.sh'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The local stack's folder (`VALUEPULSE_STACK_DIR`, else `<repo>/.stack`), if known. */
export function stackDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.VALUEPULSE_STACK_DIR) return env.VALUEPULSE_STACK_DIR;
  const root = findRepoRoot();
  return root ? join(root, '.stack') : undefined;
}

/**
 * The endpoint variables the local stack wrote on its last `up`
 * (`.stack/endpoints.env`), or an empty object when there is none.
 */
export function readStackEndpoints(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const dir = stackDir(env);
  if (!dir) return {};
  const file = join(dir, 'endpoints.env');
  if (!existsSync(file)) return {};
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) vars[match[1]] = match[2];
  }
  return vars;
}

/**
 * `env` with the local stack's endpoint variables filled in where `env` has
 * none (or an empty value): what the CLI and the tests parse, so that a stack
 * started on other ports is found without exporting anything. Services in
 * production pass `process.env` straight to `loadConfig` instead.
 */
export function withLocalStackEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...readStackEndpoints(env) };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[key] = value;
  return merged;
}
