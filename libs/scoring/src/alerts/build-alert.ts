import type { HealthAlert } from '@valuepulse/contracts';
import { dayOf } from '../account-state.js';
import { round } from '../math.js';
import type { Transition } from '../noise/signal-machine.js';
import { transitionKey } from '../noise/signal-machine.js';
import type { ScoredTier } from '../signals/health-score.js';
import type { Renewal } from '../signals/renewal.js';
import { alertId } from './alert-id.js';
import { fact } from './evidence.js';
import type { Observation } from './observation.js';
import { raiseForRenewal, toAlertSeverity } from './severity.js';

/** What every alert of one evaluation shares. */
export interface AlertContext {
  accountId: string;
  now: number;
  modelVersion: string;
  /** The tier after this evaluation's noise control. */
  tier: ScoredTier;
  renewal: Renewal;
}

/**
 * The HealthAlert for one emitted transition. A tier signal gives
 * TIER_CHANGED either way; another signal gives THRESHOLD_CROSSED into a
 * worse state (or on a first evaluation) and RECOVERED into a better one.
 * Moves to a worse state take the configured severity, raised by the renewal
 * window when the account is not green; good news is INFO, never raised.
 * `threshold` is the configured bound crossed: the one above the new state
 * when getting worse, the one below it when getting better.
 */
export function buildAlert(obs: Observation, t: Transition, ctx: AlertContext): HealthAlert {
  const worse = t.fromIndex === null || t.toIndex > t.fromIndex;
  const evidence = obs.evidence();
  let severity = worse ? obs.severity(t.to) : 'INFO';
  if (worse && ctx.tier !== 'GREEN' && ctx.renewal.window !== null) {
    const raised = raiseForRenewal(severity, ctx.renewal.window);
    if (raised !== severity) {
      evidence.push(
        fact(
          'days_to_renewal',
          ctx.renewal.daysToRenewal,
          `renewal within ${ctx.renewal.window.withinDays} days while ${ctx.tier.toLowerCase()}: severity ${severity} raised to ${raised}`,
        ),
      );
    }
    severity = raised;
  }
  const threshold = worse ? obs.thresholds[t.toIndex - 1] : obs.thresholds[t.toIndex];
  return {
    alert_id: alertId(ctx.accountId, obs.key, transitionKey(t.from, t.to), dayOf(ctx.now)),
    account_id: ctx.accountId,
    signal: obs.signal,
    kind: obs.kind === 'tier' ? 'TIER_CHANGED' : worse ? 'THRESHOLD_CROSSED' : 'RECOVERED',
    severity: toAlertSeverity(severity),
    from_state: t.from,
    to_state: t.to,
    value: obs.value === null || !Number.isFinite(obs.value) ? null : round(obs.value, 4),
    threshold: threshold ?? null,
    evidence,
    days_to_renewal: ctx.renewal.daysToRenewal,
    model_version: ctx.modelVersion,
    evaluated_at: ctx.now,
    emitted_at: ctx.now,
  };
}
