import { ConfigError } from '@valuepulse/errors';

/**
 * Names of one account's keys. Every name is `<prefix>{<account_id>}:<part>`:
 * the `{…}` hash tag puts all keys of an account in one Redis Cluster slot,
 * so one Lua script or MULTI can touch them all. See LAYOUT.md for what each
 * key holds and how it is trimmed.
 */
export interface AccountKeys {
  /** Hash: first/last activity, newest event day, latest NPS, contract facts. */
  meta: string;
  /** Hash: UTC day → packed day counters. */
  days: string;
  /** Hash: user → "lastDay:mask" (active days in the last 28), then ":teamDay:team" once an event named their team (v1.10). */
  userDays: string;
  /** Sorted sets: feature / workflow / team → last use (event time, ms). */
  features: string;
  workflows: string;
  teams: string;
  /** Hash: integration → "at:1|0" (connected or not, as of `at`). */
  integrations: string;
  /** Hash: stakeholder role → last activity (ms). */
  roles: string;
  /** Hash: stakeholder user → "role:assignedAt:leftAt:roleAt". */
  stakeholders: string;
  /** Hash: "<day>|<feature>" → tickets opened. */
  ticketsByFeature: string;
  /** Hash: milestone id → JSON. */
  milestones: string;
  /** Hash: `team:<name>` / `product_line:<name>` → usage events per day (see sub-account-days.ts). */
  subAccounts: string;
  /** String: the scoring's noise-control memory (JSON). */
  emitted: string;
  /** Per-account evaluation lock (see account-lock.ts). */
  lock: string;
}

/**
 * The account's script keys in a fixed order. The apply script receives only
 * the first (meta) and names the rest from it (see luaAccountKeys).
 */
export const SCRIPT_KEY_ORDER = [
  'meta',
  'days',
  'userDays',
  'features',
  'workflows',
  'teams',
  'integrations',
  'roles',
  'stakeholders',
  'ticketsByFeature',
  'milestones',
  'subAccounts',
] as const satisfies readonly (keyof AccountKeys)[];

/**
 * Lua that names the account's keys from one key of it, `KEYS[1]` (whose
 * name ends with `suffixOfFirst`): `local <var> = <base> .. '<suffix>'` for
 * each entry of `vars`. A script then declares one key and reaches the others
 * by name — same hash tag, same Redis Cluster slot, which Redis allows —
 * instead of sending a dozen key names per call. Built from
 * {@link accountKeys}, so the names cannot drift apart.
 */
export function luaAccountKeys(suffixOfFirst: keyof AccountKeys, vars: Partial<Record<string, keyof AccountKeys>>): string {
  const sample = accountKeys('', '');
  const suffix = (k: keyof AccountKeys) => sample[k].slice(accountBase('', '').length);
  const lines = [`local KBASE_ = string.sub(KEYS[1], 1, -${suffix(suffixOfFirst).length + 1})`];
  for (const [name, key] of Object.entries(vars)) if (key) lines.push(`local ${name} = KBASE_ .. '${suffix(key)}'`);
  return lines.join('\n');
}

/**
 * Checks a key prefix: braces would move the hash tag off the account id.
 *
 * @throws ConfigError when the prefix contains `{` or `}`.
 */
export function checkPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) {
    throw new ConfigError([{ variable: 'prefix', expected: 'a key prefix without { or }', received: prefix }]);
  }
  return prefix;
}

/** The hash-tagged base every key of the account starts with: `<prefix>{<account_id>}:`. */
export function accountBase(prefix: string, accountId: string): string {
  return `${prefix}{${accountId}}:`;
}

/** All fixed keys of one account. */
export function accountKeys(prefix: string, accountId: string): AccountKeys {
  const base = accountBase(prefix, accountId);
  return {
    meta: `${base}m`,
    days: `${base}d`,
    userDays: `${base}ud`,
    features: `${base}f`,
    workflows: `${base}w`,
    teams: `${base}t`,
    integrations: `${base}i`,
    roles: `${base}r`,
    stakeholders: `${base}s`,
    ticketsByFeature: `${base}tf`,
    milestones: `${base}ms`,
    subAccounts: `${base}u`,
    emitted: `${base}e`,
    lock: `${base}lock`,
  };
}

/**
 * The de-duplication set of the account's events of UTC day `day`. The apply
 * script builds the same name from the meta key (`…:m` → `…:k:<day>`), so
 * the two must agree.
 */
export function dedupKey(prefix: string, accountId: string, day: number): string {
  return `${accountBase(prefix, accountId)}k:${day}`;
}

/**
 * The due-time index (all accounts). It has no hash tag: on Redis Cluster it
 * lives in one slot apart from the accounts' keys (see LAYOUT.md).
 */
export function dueKey(prefix: string): string {
  return `${prefix}due`;
}
