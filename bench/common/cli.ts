import { parseArgs } from 'node:util';

/**
 * One command-line flag: `count` a positive integer (with a default),
 * `number` any finite number, `string`, `boolean`, or `list` (a repeatable string).
 */
export type FlagSpec =
  | { type: 'count'; default: number }
  | { type: 'number' }
  | { type: 'string'; default?: string }
  | { type: 'boolean' }
  | { type: 'list' };

type FlagValue<S extends FlagSpec> = S extends { type: 'count' }
  ? number
  : S extends { type: 'number' }
    ? number | undefined
    : S extends { type: 'string'; default: string }
      ? string
      : S extends { type: 'string' }
        ? string | undefined
        : S extends { type: 'boolean' }
          ? boolean
          : string[];

export type Flags<S extends Record<string, FlagSpec>> = { [K in keyof S]: FlagValue<S[K]> };

/**
 * Parses `args` (the script's arguments) against `spec`, converted to the
 * flags' types. On an unknown flag or a value that does not fit, prints
 * `<script>: <problem>` and exits 2: a mistyped flag never runs a long
 * benchmark with defaults.
 */
export function parseFlags<const S extends Record<string, FlagSpec>>(script: string, spec: S, args: string[] = process.argv.slice(2)): Flags<S> {
  const fail = (problem: string): never => {
    console.error(`${script}: ${problem}`);
    process.exit(2);
  };
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, s]) => [name, s.type === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: s.type === 'list' }]),
  );
  let values: Record<string, string | boolean | string[] | undefined> = {};
  try {
    values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as typeof values;
  } catch (err) {
    fail((err as Error).message);
  }
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec)) {
    const raw = values[name];
    if (s.type === 'boolean') out[name] = raw === true;
    else if (s.type === 'list') out[name] = (raw as string[] | undefined) ?? [];
    else if (s.type === 'string') out[name] = (raw as string | undefined) ?? s.default;
    else if (s.type === 'number') {
      const n = Number(raw);
      if (raw !== undefined && (raw === '' || !Number.isFinite(n))) fail(`--${name} must be a number, got ${JSON.stringify(raw)}`);
      out[name] = raw === undefined ? undefined : n;
    } else {
      const n = raw === undefined ? s.default : Number(raw);
      if (!Number.isInteger(n) || n <= 0) fail(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
      out[name] = n;
    }
  }
  return out as Flags<S>;
}

/** How this run was started, for the results: `npm run <script> -- <args>`. */
export function commandLine(npmCommand: string, args: string[] = process.argv.slice(2)): string {
  return [npmCommand, ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
}
