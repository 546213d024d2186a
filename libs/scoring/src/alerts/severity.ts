import type { AlertSeverity } from '@valuepulse/contracts';
import type { ConfiguredSeverity } from '../scoring-config.js';
import type { RenewalWindow } from '../signals/renewal.js';

const LADDER: readonly ConfiguredSeverity[] = ['INFO', 'WARNING', 'CRITICAL'];

/**
 * `severity` as a renewal window makes it: raised by `raiseBy` steps, then at
 * least `minSeverity`, capped at CRITICAL. Without a window it is unchanged.
 */
export function raiseForRenewal(severity: ConfiguredSeverity, window: RenewalWindow | null): ConfiguredSeverity {
  if (window === null) return severity;
  const raised = Math.min(LADDER.length - 1, Math.max(LADDER.indexOf(severity) + window.raiseBy, LADDER.indexOf(window.minSeverity)));
  return LADDER[raised] as ConfiguredSeverity;
}

/** A configured severity as the contract's enum (the contract adds UNKNOWN, which scoring never emits). */
export function toAlertSeverity(severity: ConfiguredSeverity): AlertSeverity {
  return severity;
}
