import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DAY_MS,
  parseMix,
  resolveSimulationOptions,
  SIMULATION_LIMITS,
  SimulationOptionsError,
  type ArchetypeMix,
  type SimulationOptions,
} from '@valuepulse/simulation';

/** Everything one simulator run needs, parsed and checked. */
export interface SimulatorOptions {
  simulation: SimulationOptions;
  /** Write JSON Lines files here (one per topic); null: no files. */
  out: string | null;
  /** Produce to Kafka. */
  kafka: boolean;
  /** Where the labels (JSON Lines) go. */
  labels: string;
  topicPrefix: string;
  /** Events per second in wall time (Kafka); null: as fast as possible. */
  rate: number | null;
  /** Messages per Kafka send. */
  batchSize: number;
}

/** The outcome of {@link parseSimulatorOptions}: options, a help request, or every problem found. */
export type ParsedOptions = { kind: 'ok'; options: SimulatorOptions } | { kind: 'help' } | { kind: 'invalid'; problems: string[] };

/** The command line, as `--help` prints it. */
export const USAGE = `usage: valuepulse simulate [options]

  --seed N            scenario seed, any integer (SIMULATOR_SEED; default 1)
  --accounts N        accounts to simulate (SIMULATOR_ACCOUNTS; default 200)
  --days N            days of event time, ${SIMULATION_LIMITS.days.min}–${SIMULATION_LIMITS.days.max} (SIMULATOR_DAYS; default 120)
  --ends-at DATE      YYYY-MM-DD, the UTC midnight every event is before (SIMULATOR_ENDS_AT; default: today)
  --mix LIST          archetype=weight,… — only the archetypes listed (SIMULATOR_MIX; default: 40 % healthy, the rest even)
  --holidays N        public holidays in the scenario (SIMULATOR_HOLIDAYS; default 2)
  --late-share X      share 0–1 of usage events delivered late, with a later day's events (SIMULATOR_LATE_SHARE; default 0)
  --late-max-hours H  how late at most, ${SIMULATION_LIMITS.lateMaxHours.min}–${SIMULATION_LIMITS.lateMaxHours.max} (SIMULATOR_LATE_MAX_HOURS; default 36)
  --duplicate-share X share 0–1 of usage events sent twice with the same event id (SIMULATOR_DUPLICATE_SHARE; default 0)
  --out DIR           write DIR/<topic>.jsonl for \`valuepulse produce\` instead of producing (SIMULATOR_OUT)
  --kafka             produce to Kafka (the default without --out; with --out: both)
  --labels FILE       ground-truth labels, JSON Lines (SIMULATOR_LABELS; default DIR/labels.jsonl, else ./simulation-labels.jsonl)
  --topic-prefix P    produce to P<topic> (TOPIC_PREFIX)
  --rate N            pace production at N events/s of wall time (SIMULATOR_RATE; default: as fast as possible)
  --batch-size N      messages per Kafka request (default 2000)
  --help              this text

Endpoints: KAFKA_BROKERS, SCHEMA_REGISTRY_URL (default: the local stack).`;

const OPTION_FLAGS: Record<string, string> = {
  seed: '--seed',
  accounts: '--accounts',
  days: '--days',
  endsAt: '--ends-at',
  mix: '--mix',
  holidays: '--holidays',
  lateShare: '--late-share',
  lateMaxHours: '--late-max-hours',
  duplicateShare: '--duplicate-share',
};

/**
 * Parses the simulator's flags, each with an environment fallback (the flag
 * wins). `today` is the current time, for the default `--ends-at` (that
 * day's UTC midnight, so no event is stamped in the future).
 *
 * @returns the options, `help`, or every problem as `--flag: what is wrong`
 *   (naming the variable when the value came from the environment).
 * @throws TypeError (code ERR_PARSE_ARGS_…) on an unknown flag or a missing value.
 */
export function parseSimulatorOptions(argv: string[], env: NodeJS.ProcessEnv, today: number): ParsedOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      accounts: { type: 'string' },
      days: { type: 'string' },
      'ends-at': { type: 'string' },
      mix: { type: 'string' },
      holidays: { type: 'string' },
      'late-share': { type: 'string' },
      'late-max-hours': { type: 'string' },
      'duplicate-share': { type: 'string' },
      out: { type: 'string' },
      kafka: { type: 'boolean' },
      labels: { type: 'string' },
      'topic-prefix': { type: 'string' },
      rate: { type: 'string' },
      'batch-size': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return { kind: 'help' };
  const problems: string[] = [];
  const source = (flag: string, variable: string | null): { name: string; raw: string | undefined } => {
    const fromFlag = values[flag as keyof typeof values];
    if (typeof fromFlag === 'string') return { name: `--${flag}`, raw: fromFlag };
    const fromEnv = variable === null ? undefined : env[variable];
    return { name: variable !== null && fromEnv !== undefined && fromEnv !== '' ? variable : `--${flag}`, raw: fromEnv === '' ? undefined : fromEnv };
  };
  const integer = (flag: string, variable: string | null, fallback: number, min: number, max: number): number => {
    const { name, raw } = source(flag, variable);
    if (raw === undefined) return fallback;
    const value = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name}: expected an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  // a number only when given (the simulation has the default)
  const decimal = (flag: string, variable: string, min: number, max: number): number | undefined => {
    const { name, raw } = source(flag, variable);
    if (raw === undefined) return undefined;
    const value = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isFinite(value) || value < min || value > max) {
      problems.push(`${name}: expected a number between ${min} and ${max}, got "${raw}"`);
      return undefined;
    }
    return value;
  };

  const seed = integer('seed', 'SIMULATOR_SEED', 1, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const accounts = integer('accounts', 'SIMULATOR_ACCOUNTS', 200, SIMULATION_LIMITS.accounts.min, SIMULATION_LIMITS.accounts.max);
  const days = integer('days', 'SIMULATOR_DAYS', 120, SIMULATION_LIMITS.days.min, SIMULATION_LIMITS.days.max);
  const holidays = integer('holidays', 'SIMULATOR_HOLIDAYS', 2, SIMULATION_LIMITS.holidays.min, SIMULATION_LIMITS.holidays.max);
  const rateValue = integer('rate', 'SIMULATOR_RATE', 0, 1, 10_000_000);
  const batchSize = integer('batch-size', null, 2000, 1, 100_000);
  const { lateShare: lateLimits, lateMaxHours: delayLimits, duplicateShare: duplicateLimits } = SIMULATION_LIMITS;
  const faults = {
    lateShare: decimal('late-share', 'SIMULATOR_LATE_SHARE', lateLimits.min, lateLimits.max),
    lateMaxHours: decimal('late-max-hours', 'SIMULATOR_LATE_MAX_HOURS', delayLimits.min, delayLimits.max),
    duplicateShare: decimal('duplicate-share', 'SIMULATOR_DUPLICATE_SHARE', duplicateLimits.min, duplicateLimits.max),
  };

  const endsAtSource = source('ends-at', 'SIMULATOR_ENDS_AT');
  let endsAt = Math.floor(today / DAY_MS) * DAY_MS;
  if (endsAtSource.raw !== undefined) {
    const parsed = parseDay(endsAtSource.raw);
    if (parsed === null) problems.push(`${endsAtSource.name}: expected a date YYYY-MM-DD, got "${endsAtSource.raw}"`);
    else endsAt = parsed;
  }

  let mix: ArchetypeMix | undefined;
  const mixSource = source('mix', 'SIMULATOR_MIX');
  if (mixSource.raw !== undefined) {
    try {
      mix = parseMix(mixSource.raw);
    } catch (err) {
      if (!(err instanceof SimulationOptionsError)) throw err;
      problems.push(`${mixSource.name}: ${err.problem}`);
    }
  }

  const out = source('out', 'SIMULATOR_OUT').raw ?? null;
  const labels = source('labels', 'SIMULATOR_LABELS').raw ?? (out === null ? 'simulation-labels.jsonl' : join(out, 'labels.jsonl'));
  const topicPrefix = source('topic-prefix', 'TOPIC_PREFIX').raw ?? '';
  const given = Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined)) as Partial<typeof faults>;
  const simulation: SimulationOptions = { seed, accounts, days, endsAt, holidays, ...(mix ? { mix } : {}), ...given };
  if (problems.length === 0) {
    try {
      resolveSimulationOptions(simulation);
    } catch (err) {
      if (!(err instanceof SimulationOptionsError)) throw err;
      problems.push(`${OPTION_FLAGS[err.option] ?? err.option}: ${err.problem}`);
    }
  }
  if (problems.length > 0) return { kind: 'invalid', problems };
  return {
    kind: 'ok',
    options: { simulation, out, kafka: values.kafka === true || out === null, labels, topicPrefix, rate: rateValue === 0 ? null : rateValue, batchSize },
  };
}

/** Midnight UTC of a YYYY-MM-DD date that exists, else null. */
function parseDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const date = new Date(ms);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? ms : null;
}
