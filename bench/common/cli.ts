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
 * Reads `args` (a script's arguments) against `spec`, converted to the
 * flags' types; a flag not given takes its default.
 *
 * @throws Error naming the flag, on an unknown flag or a value that does not fit.
 */
export function readFlags<const S extends Record<string, FlagSpec>>(spec: S, args: string[]): Flags<S> {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, s]) => [name, s.type === 'boolean' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: s.type === 'list' }]),
  );
  const values = parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | string[] | undefined>;
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(spec)) {
    const raw = values[name];
    if (s.type === 'boolean') out[name] = raw === true;
    else if (s.type === 'list') out[name] = (raw as string[] | undefined) ?? [];
    else if (s.type === 'string') out[name] = (raw as string | undefined) ?? s.default;
    else if (s.type === 'number') {
      const n = Number(raw);
      if (raw !== undefined && (raw === '' || !Number.isFinite(n))) throw new Error(`--${name} must be a number, got ${JSON.stringify(raw)}`);
      out[name] = raw === undefined ? undefined : n;
    } else {
      const n = raw === undefined ? s.default : Number(raw);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
      out[name] = n;
    }
  }
  return out as Flags<S>;
}

/**
 * {@link readFlags} for a script's own arguments. On a problem prints
 * `<script>: <problem>` and exits 2: a mistyped flag never runs a long
 * benchmark with defaults.
 */
export function parseFlags<const S extends Record<string, FlagSpec>>(script: string, spec: S, args: string[] = process.argv.slice(2)): Flags<S> {
  try {
    return readFlags(spec, args);
  } catch (err) {
    console.error(`${script}: ${(err as Error).message}`);
    process.exit(2);
  }
}

/** How this run was started, for the results: `npm run <script> -- <args>`. */
export function commandLine(npmCommand: string, args: string[] = process.argv.slice(2)): string {
  return [npmCommand, ...(args.length > 0 ? ['--', ...args] : [])].join(' ');
}
