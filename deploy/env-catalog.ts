// The environment variables each valuepulse process in the image reads, taken
// from the code: the services' zod config schemas (walked, not listed by hand),
// and for the CLI commands of the init step and the simulator, which parse
// their options themselves, the variables their --help text names.
// deploy/deploy-manifests.test.ts checks the manifests against it;
// scripts/env-table.mjs renders the table of docs/deploying.md from it.
import { notifierConfigSchema } from '@valuepulse/alert-notifier';
import { COMMANDS } from '@valuepulse/cli';
import { endpointsSchema } from '@valuepulse/config';
import { scorerConfigSchema } from '@valuepulse/health-scorer';
import { apiConfigSchema } from '@valuepulse/health-api';
import { sinkConfigSchema } from '@valuepulse/history-sink';
import { gatewayConfigSchema } from '@valuepulse/ingest-gateway';
import { USAGE as SIMULATOR_USAGE } from '@valuepulse/simulator';
import type { z } from 'zod';

/** A process of the image, as a manifest starts it. */
export type Role = 'health-scorer' | 'history-sink' | 'ingest-gateway' | 'health-api' | 'alert-notifier' | 'init' | 'simulator';

/** Every role, in the order the docs list them. */
export const ROLES: readonly Role[] = ['health-scorer', 'history-sink', 'ingest-gateway', 'health-api', 'alert-notifier', 'init', 'simulator'];

/** The long-running services: a Deployment with an ops port each. */
export const SERVICE_ROLES: readonly Role[] = ['health-scorer', 'history-sink', 'ingest-gateway', 'health-api', 'alert-notifier'];

/** The `valuepulse` commands the init step runs, in order. */
export const INIT_COMMANDS = ['topics', 'schemas', 'migrate'] as const;

/** The zod schema a role's variables are checked with (`loadConfig`); the init step and the simulator load the endpoints. */
export const ROLE_SCHEMAS: Record<Role, z.ZodType> = {
  'health-scorer': scorerConfigSchema,
  'history-sink': sinkConfigSchema,
  'ingest-gateway': gatewayConfigSchema,
  'health-api': apiConfigSchema,
  'alert-notifier': notifierConfigSchema,
  init: endpointsSchema,
  simulator: endpointsSchema,
};

/** One variable as one role reads it. */
export type EnvVar = {
  name: string;
  /** The value used when the variable is unset or empty, as it would be written in an env file; undefined: required. */
  default: string | undefined;
  /** What a valid value looks like (the env helpers' description), when known. */
  expected?: string;
  /** The help text that names the variable, for variables read outside a schema. */
  help?: string;
};

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  left?: z.ZodType;
  right?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  innerType?: z.ZodType;
  options?: readonly z.ZodType[];
  getter?: () => z.ZodType;
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The top-level fields of a config schema: the keys of every object reached
 * through intersections (`.and`), pipes (`.transform`), unions and wrappers
 * (optional, default, readonly, catch, lazy). Refinements live on the object
 * in zod 4, so they need no case of their own.
 *
 * @returns variable name → its field schema.
 */
export function schemaFields(schema: z.ZodType): Map<string, z.ZodType> {
  const fields = new Map<string, z.ZodType>();
  const walk = (node: z.ZodType | undefined): void => {
    if (!node) return;
    const def = defOf(node);
    switch (def.type) {
      case 'object':
        for (const [name, field] of Object.entries(def.shape ?? {})) if (!fields.has(name)) fields.set(name, field);
        return;
      case 'intersection':
        walk(def.left);
        walk(def.right);
        return;
      case 'pipe':
        walk(def.in);
        walk(def.out);
        return;
      case 'union':
        for (const option of def.options ?? []) walk(option);
        return;
      case 'lazy':
        walk(def.getter?.());
        return;
      default:
        walk(def.innerType);
    }
  };
  walk(schema);
  return fields;
}

const UNIT_MS: [string, number][] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

function formatDefault(value: unknown, expected: string | undefined): string {
  // an optional field without a default: unset is allowed and means "none"
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(String).join(',');
  // a field parsed into parts (REDIS_URL: its nodes, user, TLS) keeps the text it came from
  if (typeof value === 'object' && typeof (value as { raw?: unknown }).raw === 'string') return (value as { raw: string }).raw;
  // a field that reads a file into an object (SCORER_CONFIG_FILE): unset, it is a built-in, not a path
  if (typeof value === 'object') return '';
  if (typeof value === 'number' && expected?.startsWith('a duration')) {
    if (value === 0) return '0ms';
    const [unit] = UNIT_MS.find(([, ms]) => value % ms === 0) ?? ['ms'];
    const ms = UNIT_MS.find(([u]) => u === unit)?.[1] ?? 1;
    return `${value / ms}${unit}`;
  }
  return String(value);
}

/** An env field's default (by parsing "unset") and its description (by parsing a value no helper accepts). */
function describeField(name: string, field: z.ZodType): EnvVar {
  const probe = field.safeParse('\u0000');
  const issue = probe.success ? undefined : probe.error.issues[0];
  const params = issue && 'params' in issue ? (issue.params as { expected?: unknown } | undefined) : undefined;
  const expected = typeof params?.expected === 'string' ? params.expected : undefined;
  const unset = field.safeParse(undefined);
  return {
    name,
    default: unset.success ? formatDefault(unset.data, expected) : undefined,
    ...(expected === undefined ? {} : { expected }),
  };
}

/** The variables a zod config schema reads, with defaults. */
export function schemaVariables(schema: z.ZodType): Map<string, EnvVar> {
  return new Map([...schemaFields(schema)].map(([name, field]) => [name, describeField(name, field)]));
}

/**
 * Variables a help text names as `(NAME)` or `(NAME; default X)`, the
 * convention of the CLI's option help and the simulator's usage.
 */
export function helpVariables(lines: readonly string[]): Map<string, EnvVar> {
  const found = new Map<string, EnvVar>();
  for (const line of lines) {
    for (const match of line.matchAll(/\(([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:;\s*default:?\s+([^)]*))?\)/g)) {
      const [, name = '', fallback] = match;
      const help = line.slice(0, match.index).replace(/^\s*--\S+(\s+[A-Z]+)?\s+/, '').trim();
      const text = fallback?.trim();
      found.set(name, {
        name,
        default: text === undefined || text === 'none' ? '' : text,
        ...(help ? { help: help.replaceAll('<', '&lt;').replaceAll('>', '&gt;') } : {}),
      });
    }
  }
  return found;
}

function initHelpLines(): string[] {
  return INIT_COMMANDS.flatMap((name) => {
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new Error(`the CLI has no command ${name} (INIT_COMMANDS in deploy/env-catalog.ts)`);
    return Object.values(command.options ?? {});
  });
}

/** Schema variables first; a help text only adds the variables the schema does not read. */
function merged(schema: z.ZodType, help: Map<string, EnvVar>): Map<string, EnvVar> {
  const vars = schemaVariables(schema);
  for (const [name, v] of help) if (!vars.has(name)) vars.set(name, v);
  return vars;
}

/** What every role reads: variable name → how. */
export function roleVariables(): Record<Role, Map<string, EnvVar>> {
  return {
    'health-scorer': schemaVariables(scorerConfigSchema),
    'history-sink': schemaVariables(sinkConfigSchema),
    'ingest-gateway': schemaVariables(gatewayConfigSchema),
    'health-api': schemaVariables(apiConfigSchema),
    'alert-notifier': schemaVariables(notifierConfigSchema),
    init: merged(endpointsSchema, helpVariables(initHelpLines())),
    simulator: merged(endpointsSchema, helpVariables(SIMULATOR_USAGE.split('\n'))),
  };
}

/** One row of the docs' table. */
export type EnvRow = { name: string; readers: Role[]; default: string; meaning: string | undefined };

function cell(value: string | undefined): string {
  if (value === undefined) return '**required**';
  if (value === '') return '(empty)';
  // a default described in words (the simulator's "as fast as possible") is not a value to copy
  return /\s/.test(value) ? value : `\`${value}\``;
}

/**
 * One row per variable any role reads, sorted by name: who reads it, its
 * default (per role where they differ), and `meanings[name]`, else the help
 * text that names it, else undefined.
 */
export function envRows(meanings: ReadonlyMap<string, string> = new Map()): EnvRow[] {
  const byRole = roleVariables();
  const names = [...new Set(ROLES.flatMap((role) => [...byRole[role].keys()]))].sort();
  return names.map((name) => {
    const readers = ROLES.filter((role) => byRole[role].has(name));
    const vars = readers.map((role) => ({ role, v: byRole[role].get(name) as EnvVar }));
    const defaults = new Set(vars.map(({ v }) => cell(v.default)));
    const fallback = defaults.size === 1 ? [...defaults][0] : vars.map(({ role, v }) => `${role}: ${cell(v.default)}`).join('; ');
    return { name, readers, default: fallback ?? '', meaning: meanings.get(name) ?? vars.find(({ v }) => v.help)?.v.help };
  });
}

/** Marks the generated table in docs/deploying.md. */
export const TABLE_START = '<!-- env-table:start (generated by `npm run env-table -- --write`; edit only the meaning column) -->';
export const TABLE_END = '<!-- env-table:end -->';
const HEADER = ['| variable | read by | default | meaning |', '| --- | --- | --- | --- |'];
/** The meaning written for a variable nobody has described yet; the docs test refuses it. */
export const UNDESCRIBED = 'TODO: describe';

/** The table, between its markers, as docs/deploying.md holds it. */
export function renderEnvTable(meanings: ReadonlyMap<string, string> = new Map()): string {
  const rows = envRows(meanings).map(
    (r) => `| \`${r.name}\` | ${r.readers.join(', ')} | ${r.default.replaceAll('|', '\\|')} | ${(r.meaning ?? UNDESCRIBED).replaceAll('|', '\\|')} |`,
  );
  return [TABLE_START, ...HEADER, ...rows, TABLE_END].join('\n');
}

/**
 * The table block of a document and the meanings written in it.
 * @throws Error when the markers are missing.
 */
export function readEnvTable(doc: string): { block: string; meanings: Map<string, string>; names: string[] } {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END, start);
  if (start === -1 || end === -1) throw new Error(`the environment table's markers are missing (${TABLE_START} … ${TABLE_END})`);
  const block = doc.slice(start, end + TABLE_END.length);
  const meanings = new Map<string, string>();
  const names: string[] = [];
  for (const line of block.split('\n').slice(1 + HEADER.length, -1)) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const name = /^`([A-Z0-9_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    names.push(name);
    const meaning = (cells[4] ?? '').replaceAll('\\|', '|');
    if (meaning && meaning !== UNDESCRIBED) meanings.set(name, meaning);
  }
  return { block, meanings, names };
}
