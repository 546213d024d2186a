import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ALERT_SEVERITY_SYMBOLS, SEGMENT_SYMBOLS } from '@valuepulse/contracts';

const known = <T extends readonly string[]>(symbols: T) => z.enum(symbols.filter((s) => s !== 'UNKNOWN') as unknown as [T[number], ...T[number][]]);
const nameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a name of letters, digits, _ . - (up to 64)');
const listOf = <T extends z.ZodType>(item: T) => z.array(item).min(1);

const endpointSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('webhook'),
    url: z.url({ protocol: /^https?$/ }),
    /** The signing secret itself, or the name of the variable holding it (keeps secrets out of the file). */
    secret: z.string().min(16).optional(),
    secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'an environment variable name').optional(),
  }),
  z.strictObject({ type: z.literal('slack'), url: z.url({ protocol: /^https?$/ }) }),
]);

/** Every criterion given must hold; within one criterion any listed value matches. */
const matchSchema = z.strictObject({
  severity: listOf(known(ALERT_SEVERITY_SYMBOLS)).optional(),
  /** At least this severity (INFO < WARNING < CRITICAL). */
  minSeverity: known(ALERT_SEVERITY_SYMBOLS).optional(),
  signal: listOf(z.string().min(1)).optional(),
  segment: listOf(known(SEGMENT_SYMBOLS)).optional(),
  owner: listOf(z.string().min(1)).optional(),
});

const routeSchema = z.strictObject({
  name: z.string().min(1).optional(),
  match: matchSchema.default({}),
  to: listOf(nameSchema),
});

const fileSchema = z.strictObject({
  endpoints: z.record(nameSchema, endpointSchema).refine((e) => Object.keys(e).length > 0, 'at least one endpoint'),
  routes: listOf(routeSchema),
});

/** An endpoint ready to send to: the secret resolved. */
export type Endpoint = { name: string; type: 'webhook'; url: string; secret: string } | { name: string; type: 'slack'; url: string };
export type RouteMatch = z.output<typeof matchSchema>;
export interface Route {
  name: string;
  match: RouteMatch;
  to: string[];
}
/** The routing file, validated: every route names known endpoints, every webhook has its secret. */
export interface Routing {
  endpoints: Map<string, Endpoint>;
  routes: Route[];
  /** Whether a route matches on segment or owner, which the alert does not carry (a Redis lookup is needed). */
  needsAccountFacts: boolean;
}

type Parsed = { ok: true; routing: Routing } | { ok: false; problems: string[] };

/**
 * Parses a routing file (already read as JSON); `env` resolves `secretEnv`.
 *
 * @returns the routing, or every problem as `path: message`. Never throws.
 */
export function parseRouting(input: unknown, env: NodeJS.ProcessEnv): Parsed {
  const parsed = fileSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message}`) };
  }
  const problems: string[] = [];
  const endpoints = new Map<string, Endpoint>();
  for (const [name, e] of Object.entries(parsed.data.endpoints)) {
    if (e.type === 'slack') {
      endpoints.set(name, { name, type: 'slack', url: e.url });
      continue;
    }
    if ((e.secret === undefined) === (e.secretEnv === undefined)) {
      problems.push(`endpoints.${name}: needs exactly one of secret or secretEnv`);
      continue;
    }
    const secret = e.secret ?? env[e.secretEnv as string] ?? '';
    if (secret.length < 16) problems.push(`endpoints.${name}.secretEnv: ${e.secretEnv} must hold a secret of at least 16 characters`);
    else endpoints.set(name, { name, type: 'webhook', url: e.url, secret });
  }
  const routes = parsed.data.routes.map((r, i) => ({ name: r.name ?? `routes[${i}]`, match: r.match, to: r.to }));
  routes.forEach((r, i) => {
    for (const to of r.to) if (!(to in parsed.data.endpoints)) problems.push(`routes.${i}.to: no endpoint named ${to}`);
  });
  if (problems.length > 0) return { ok: false, problems };
  const needsAccountFacts = routes.some((r) => r.match.segment !== undefined || r.match.owner !== undefined);
  return { ok: true, routing: { endpoints, routes, needsAccountFacts } };
}

/** Reads and parses the JSON routing file at `path`; never throws. */
export function readRoutingFile(path: string, env: NodeJS.ProcessEnv): Parsed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, problems: [`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`] };
  }
  try {
    return parseRouting(JSON.parse(text), env);
  } catch (err) {
    return { ok: false, problems: [`not JSON: ${(err as Error).message}`] };
  }
}
