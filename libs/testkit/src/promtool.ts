// `promtool check metrics` (Prometheus' exposition linter) on a service's
// /metrics page, for the tests that keep every service's metrics lint-clean.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { stackDir } from '@valuepulse/config';

/** What `promtool check metrics` said about one page. */
export interface MetricsLint {
  /** The promtool binary that ran. */
  promtool: string;
  /** 0: clean; 3: lint problems; 1: the page did not parse. */
  exitCode: number | null;
  /** Its complaints (stdout and stderr), one per line; empty when clean. */
  output: string;
  /** Families the page declared without a sample, given one so promtool lints them too (see {@link withSampleForEveryFamily}). */
  padded: string[];
}

const FIX =
  "run `npx valuepulse stack up` (or `bash deploy/local/stack.sh up`), which puts promtool from Debian's prometheus package into <stack>/tools/bin without starting a Prometheus server; " +
  'or put a promtool (Prometheus 2.x or later) on PATH, or name one in VALUEPULSE_PROMTOOL';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The promtool to run: `VALUEPULSE_PROMTOOL`, else `promtool` on PATH, else
 * the one `stack up` put in `<stack dir>/tools/bin` — the order
 * deploy/local/lib/tools.sh looks in.
 *
 * @throws Error naming where it looked and how to get one; never undefined, so a test without promtool fails instead of passing vacuously.
 */
export function findPromtool(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.VALUEPULSE_PROMTOOL;
  if (named) {
    if (!executable(named)) throw new Error(`VALUEPULSE_PROMTOOL=${named} is not an executable file — fix: ${FIX}`);
    return named;
  }
  const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'promtool')).find(executable);
  if (onPath) return onPath;
  const dir = stackDir(env);
  const inStack = dir ? join(dir, 'tools', 'bin', 'promtool') : undefined;
  if (inStack && executable(inStack)) return inStack;
  throw new Error(`promtool not found (looked at VALUEPULSE_PROMTOOL, PATH${inStack ? `, ${inStack}` : ''}) — fix: ${FIX}`);
}

/** The first line of `promtool --version`, e.g. `promtool, version 2.42.0+ds (…)`. */
export function promtoolVersion(promtool: string): string {
  const run = spawnSync(promtool, ['--version'], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`.split('\n')[0] ?? '';
}

/**
 * `text` with one zero sample added right after the `# TYPE` line of every
 * family that has none. promtool's parser drops families without samples
 * before it lints, so a labelled counter nobody has incremented yet (say,
 * the retries of a run without failures) would escape the name, unit and
 * help checks. The sample is the minimal one the type allows: `name 0`, or
 * for a histogram a `+Inf` bucket, `_sum` and `_count`, for a summary `_sum`
 * and `_count`.
 */
export function withSampleForEveryFamily(text: string): { text: string; padded: string[] } {
  const lines = text.split('\n');
  const sampled = new Set<string>();
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (name) sampled.add(name);
  }
  const padded: string[] = [];
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!type) continue;
    const [, name = '', kind] = type;
    const own = kind === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : kind === 'summary' ? [name, `${name}_sum`, `${name}_count`] : [name];
    if (own.some((n) => sampled.has(n))) continue;
    padded.push(name);
    if (kind === 'histogram') out.push(`${name}_bucket{le="+Inf"} 0`, `${name}_sum 0`, `${name}_count 0`);
    else if (kind === 'summary') out.push(`${name}_sum 0`, `${name}_count 0`);
    else out.push(`${name} 0`);
  }
  return { text: out.join('\n'), padded };
}

/**
 * Runs `promtool check metrics` on `text` (a /metrics page), after
 * {@link withSampleForEveryFamily}.
 *
 * @throws Error when promtool is missing (see {@link findPromtool}) or cannot be started.
 */
export async function lintMetrics(text: string, env: NodeJS.ProcessEnv = process.env): Promise<MetricsLint> {
  const promtool = findPromtool(env);
  const { text: page, padded } = withSampleForEveryFamily(text);
  const child = spawn(promtool, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`${promtool} check metrics could not start — fix: ${FIX}`, { cause: err })));
    child.once('close', (code) => resolve(code));
    // promtool may exit before reading all of stdin (a page it cannot parse): its exit code tells
    child.stdin.once('error', () => undefined);
    child.stdin.end(page);
  });
  return { promtool, exitCode, output: output.trim(), padded };
}

/** A service's `/metrics` page on `port` and the metric families it declares (`# TYPE` lines), in order. */
export async function scrapeMetrics(port: number): Promise<{ page: string; families: string[] }> {
  const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return { page, families: [...page.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? '') };
}
