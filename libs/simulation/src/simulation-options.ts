import { DEFAULT_MIX, type ArchetypeMix } from './archetypes.js';
import { DAY_MS } from './calendar.js';
import { validateMix } from './mix.js';
import { SimulationOptionsError } from './simulation-options-error.js';

/** What to simulate. */
export interface SimulationOptions {
  /** Any safe integer; the same seed (and options) always gives the same scenario. */
  seed: number;
  /** How many accounts. */
  accounts: number;
  /** How many days of event time. */
  days: number;
  /** The end of the last day: a UTC midnight, epoch ms. Every event is strictly before it. */
  endsAt: number;
  /** Archetype weights; default {@link DEFAULT_MIX}. */
  mix?: ArchetypeMix;
  /** Public holidays (quiet weekdays) in the scenario; default 2. */
  holidays?: number;
  /**
   * Delivery fault: the share (0–1) of usage events delivered late — held
   * back and emitted with a later day's events (or later in their own day),
   * `occurred_at` unchanged; default 0.
   */
  lateShare?: number;
  /** How late a late event can be: its delay is uniform in (0, lateMaxHours] hours; default 36. */
  lateMaxHours?: number;
  /** Delivery fault: the share (0–1) of usage events emitted twice, with the same event id; default 0. */
  duplicateShare?: number;
}

/** {@link SimulationOptions} checked and completed. */
export interface ResolvedSimulationOptions extends Required<SimulationOptions> {
  /** Midnight of day 0: `endsAt - days × DAY_MS`. */
  startsAt: number;
}

/** Bounds of the numeric options. */
export const SIMULATION_LIMITS = {
  accounts: { min: 1, max: 100_000 },
  // 8 weeks: the scorer's 28-day onboarding grace and a login baseline before any onset
  days: { min: 56, max: 730 },
  holidays: { min: 0, max: 12 },
  lateShare: { min: 0, max: 1 },
  // a month: later than that a scorer has long given the day up
  lateMaxHours: { min: 1, max: 720 },
  duplicateShare: { min: 0, max: 1 },
} as const;

// 2000-01-01: the contracts refuse earlier event times (a seconds-for-milliseconds mistake)
const MIN_START = Date.UTC(2000, 0, 1);

/**
 * Checks `options` and fills in the defaults.
 *
 * @throws SimulationOptionsError naming the first bad option.
 */
export function resolveSimulationOptions(options: SimulationOptions): ResolvedSimulationOptions {
  const { seed, accounts, days, endsAt } = options;
  if (!Number.isSafeInteger(seed)) throw new SimulationOptionsError('seed', `must be an integer, got ${seed}`);
  integerIn('accounts', accounts, SIMULATION_LIMITS.accounts);
  integerIn('days', days, SIMULATION_LIMITS.days);
  const holidays = options.holidays ?? 2;
  integerIn('holidays', holidays, SIMULATION_LIMITS.holidays);
  if (!Number.isSafeInteger(endsAt) || endsAt % DAY_MS !== 0) {
    throw new SimulationOptionsError('endsAt', `must be a UTC midnight in epoch milliseconds, got ${endsAt}`);
  }
  const startsAt = endsAt - days * DAY_MS;
  if (startsAt < MIN_START) throw new SimulationOptionsError('endsAt', `the scenario would start before 2000-01-01 (${new Date(startsAt).toISOString()})`);
  const mix = options.mix ?? DEFAULT_MIX;
  validateMix(mix);
  const lateShare = options.lateShare ?? 0;
  const lateMaxHours = options.lateMaxHours ?? 36;
  const duplicateShare = options.duplicateShare ?? 0;
  numberIn('lateShare', lateShare, SIMULATION_LIMITS.lateShare);
  numberIn('lateMaxHours', lateMaxHours, SIMULATION_LIMITS.lateMaxHours);
  numberIn('duplicateShare', duplicateShare, SIMULATION_LIMITS.duplicateShare);
  return { seed, accounts, days, endsAt, mix: { ...mix }, holidays, lateShare, lateMaxHours, duplicateShare, startsAt };
}

function integerIn(option: string, value: number, range: { min: number; max: number }): void {
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new SimulationOptionsError(option, `must be an integer between ${range.min} and ${range.max}, got ${value}`);
  }
}

function numberIn(option: string, value: number, range: { min: number; max: number }): void {
  if (!Number.isFinite(value) || value < range.min || value > range.max) {
    throw new SimulationOptionsError(option, `must be a number between ${range.min} and ${range.max}, got ${value}`);
  }
}
