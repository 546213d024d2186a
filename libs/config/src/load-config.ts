import { ConfigError, type ConfigProblem } from '@valuepulse/errors';
import type { z } from 'zod';
import type { EnvIssueParams } from './env-field.js';

/**
 * Parses `env` with `schema`, once. Services call this first thing and pass
 * the typed, converted result down; nothing else reads `process.env`.
 *
 * @returns the schema's output (numbers, lists and ms already converted).
 * @throws {@link ConfigError} listing every bad variable at once: its name,
 *   what is expected and the value received (masked for secrets).
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  // A plain copy: the schema sees one consistent snapshot, whatever mutates process.env later.
  const snapshot: Record<string, string | undefined> = { ...env };
  const result = schema.safeParse(snapshot);
  if (result.success) return result.data;
  throw new ConfigError(toProblems(result.error.issues, snapshot), { cause: result.error });
}

/** Injection points of {@link loadConfigOrExit}, for tests. */
export type LoadConfigOrExitOptions = {
  env?: NodeJS.ProcessEnv;
  /** Where the report goes. Defaults to stderr. */
  write?: (text: string) => void;
  /** Defaults to `process.exit`. */
  exit?: (code: number) => never;
};

/**
 * {@link loadConfig} for a service's `main`: on a {@link ConfigError} it prints
 * the multi-line report to stderr and exits 1, so a misconfigured container
 * fails fast with a readable message instead of a stack trace.
 *
 * @returns the parsed config.
 * @throws any error other than `ConfigError` (a bug in the schema), unchanged.
 */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, options: LoadConfigOrExitOptions = {}): z.output<S> {
  const { env = process.env, write = (text: string) => void process.stderr.write(text), exit = process.exit } = options;
  try {
    return loadConfig(schema, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    write(`${err.message}\n`);
    return exit(1);
  }
}

function toProblems(issues: readonly z.core.$ZodIssue[], env: Record<string, string | undefined>): ConfigProblem[] {
  const problems = new Map<string, ConfigProblem>();
  for (const issue of issues) {
    // Issues above any variable come from object-level refinements.
    const variable = issue.path.length === 0 ? '(config)' : issue.path.map(String).join('.');
    if (problems.has(variable)) continue;
    const expected = expectedOf(issue);
    const raw = issue.path.length === 1 ? env[String(issue.path[0])] : undefined;
    problems.set(
      variable,
      raw === undefined || raw === '' ? { variable, expected } : { variable, expected, received: mask(variable, raw) },
    );
  }
  return [...problems.values()];
}

function expectedOf(issue: z.core.$ZodIssue): string {
  const params = 'params' in issue ? (issue.params as Partial<EnvIssueParams> | undefined) : undefined;
  if (typeof params?.expected === 'string') return params.expected;
  // A plain zod schema, not one of the env helpers: its own message is the best description there is.
  // Trimmed to fit "expected …": 'Invalid input: expected string, received undefined' → 'string'.
  return issue.message
    .replace(/^invalid input:\s*/i, '')
    .replace(/^expected\s+/i, '')
    .replace(/,\s*received\s.*$/i, '');
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY|AUTH/i;
// each URL of a comma-separated list (a Redis Cluster's nodes)
const URL_PASSWORD = /(^|,\s*)([a-z][a-z0-9+.-]*:\/\/[^/@:,]*:)[^/@]*@/gi;

/** Never echo a secret into logs: whole value for secret-named variables, the password part of URLs. */
function mask(variable: string, value: string): string {
  if (SECRET_NAME.test(variable)) return '***';
  return value.replace(URL_PASSWORD, '$1$2***@');
}
