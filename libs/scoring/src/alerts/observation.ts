import type { AlertEvidence } from '@valuepulse/contracts';
import { DAY_MS } from '../account-state.js';
import type { BandSpec } from '../noise/bands.js';
import type { MachineRule } from '../noise/signal-machine.js';
import type { ConfiguredSeverity, SegmentConfig } from '../scoring-config.js';

/**
 * One signal as the noise control sees it at one evaluation: its value, how
 * its states are banded and how it alerts. Evidence is built lazily, only
 * for signals that actually alert.
 */
export interface Observation {
  /** Memory key in EmittedState: the signal name, or `milestone_missed:<id>` for per-milestone signals. */
  key: string;
  /** The `signal` of its alerts. */
  signal: string;
  /** `tier` changes emit TIER_CHANGED both ways; `threshold` ones THRESHOLD_CROSSED or RECOVERED. */
  kind: 'threshold' | 'tier';
  /** The value compared against the bands; null holds the state (unknown or not judged yet). */
  value: number | null;
  rule: MachineRule;
  /** The thresholds as configured, aligned with `rule.bands.bounds`, for the alert's `threshold`. */
  thresholds: readonly number[];
  /** Severity of a move into the worse state `to`, before renewal raises. */
  severity: (to: string) => ConfiguredSeverity;
  evidence: () => AlertEvidence[];
}

/** Memory keys of every signal scoring keeps state for (milestones add `milestone_missed:<id>`, teams and product lines `team_contraction:<unit>`). */
export const SIGNAL_KEYS: ReadonlySet<string> = new Set([
  'health_tier',
  'login_drop',
  'usage_decline',
  'users_lost',
  'going_dark',
  'seat_utilisation',
  'adoption_depth',
  'value_lock_in',
  'exec_sponsor_silence',
  'champion_left',
  'stakeholder_alignment',
  'ticket_flood',
  'support_pressure',
  'nps_detractor',
  'detractor_share',
]);

/** Whether an EmittedState key belongs to scoring; other keys belong to the caller and are carried over untouched. */
export function isScoringKey(key: string): boolean {
  return SIGNAL_KEYS.has(key) || key.startsWith('milestone_missed:') || key.startsWith('team_contraction:');
}

/**
 * A value without the evidence to alert, held just under `threshold` (for a
 * signal that alerts at or above it): it can neither alert nor count as a
 * recovery.
 */
export function heldUnder(value: number, threshold: number): number {
  return Math.min(value, threshold - 0.01);
}

/** A machine rule from config values in days. */
export function machineRule(bands: BandSpec, dwellDays: number, config: SegmentConfig, firstAlertFrom = 1): MachineRule {
  return { bands, dwellMs: dwellDays * DAY_MS, cooldownMs: config.noise.cooldownDays * DAY_MS, firstAlertFrom };
}

/** `severity` for every worse state, for signals with one configured severity. */
export function always(severity: ConfiguredSeverity): (to: string) => ConfiguredSeverity {
  return () => severity;
}

/** "clears below 25" / "clears at 55 or more": how far back a value must come, for details. */
export function clearsAt(threshold: number, margin: number, higherIsBetter: boolean, unit = ''): string {
  const level = higherIsBetter ? threshold + margin : threshold - margin;
  return higherIsBetter ? `clears at ${fmt(level)}${unit} or more` : `clears below ${fmt(level)}${unit}`;
}

/** A number for a human: at most 2 decimals, no trailing zeros. */
export function fmt(value: number): string {
  return String(Math.round(value * 100) / 100);
}
