import type { HealthAlert, HealthSnapshot, HealthTier } from '@valuepulse/contracts';
import { DAY_MS, dayOf, isChurned, type AccountState, type EmittedState, type SignalMemory } from './account-state.js';
import { buildAlert } from './alerts/build-alert.js';
import { isScoringKey, type Observation } from './alerts/observation.js';
import { relationshipObservations } from './alerts/relationship-observations.js';
import { stakeholderAlignmentObservation } from './alerts/stakeholder-alignment-observation.js';
import { teamContractionObservations } from './alerts/team-contraction-observations.js';
import { healthTierObservation, usageObservations } from './alerts/usage-observations.js';
import { configForSegment } from './config-for-segment.js';
import { compareStrings } from './math.js';
import { stepSignal } from './noise/signal-machine.js';
import type { ScoringConfig } from './scoring-config.js';
import { computeSegmentSignals, type Signals } from './signals/compute-signals.js';
import { HEALTH_TIERS, type ScoredTier } from './signals/health-score.js';
import { buildSnapshot } from './snapshot.js';

/** Everything one evaluation of one account produces. */
export interface Evaluation {
  /** Every signal before noise control, with its components (for `valuepulse health` and evidence). */
  signals: Signals;
  /** Health score 0–100. */
  healthScore: number;
  /** The tier after noise control (hysteresis and dwell): the one last emitted. */
  tier: HealthTier;
  /** Value Lock-In Index 0–10, null when too little is known. */
  valueLockIn: number | null;
  /** The snapshot record, `as_of` = now. */
  snapshot: HealthSnapshot;
  /** Alerts to produce, in a fixed order (tier first); `evaluated_at` = `emitted_at` = now, the caller may overwrite `emitted_at`. */
  alerts: HealthAlert[];
  /**
   * The next noise-control memory: persist it together with the alerts,
   * atomically. Keys scoring does not own (see `isScoringKey`) are carried
   * over from `state.emitted` unchanged.
   */
  emitted: EmittedState;
  /** The earliest time the passage of time alone could change a signal or release a pending change (at most the next UTC midnight). */
  nextEvaluationAt: number;
}

/**
 * Evaluates `state` at `now` with the thresholds of the account's segment:
 * signals, score and tier, and the alerts noise control lets through, as a
 * state machine per signal over `state.emitted` (see `stepSignal`).
 *
 * A fresh account's first evaluation adopts every state silently except
 * threshold signals already in a bad state, which alert with `from_state`
 * null; the tier is adopted without a TIER_CHANGED. Signals that need
 * history (seat utilisation, adoption depth, lock-in) are not judged during
 * the onboarding grace, and login drop not without a baseline. A churned
 * account (see `isChurned`) raises no alerts: signals, score and snapshot
 * are computed and noise control steps as usual, but the transitions are
 * not emitted, so going dark after the contract ended does not alert; once
 * a new contract is signed, alerts resume from the states reached meanwhile.
 *
 * Pure and deterministic: no clock, no I/O; `state` is not modified.
 *
 * @throws RangeError when `now` is not an integer epoch-milliseconds value
 *   (the records carry it as an Avro long).
 */
export function evaluate(state: AccountState, config: ScoringConfig, now: number): Evaluation {
  if (!Number.isSafeInteger(now)) throw new RangeError(`now must be integer epoch milliseconds, got ${now}`);
  const segmentConfig = configForSegment(config, state.contract.segment);
  const signals = computeSegmentSignals(state, segmentConfig, now);
  const tierObservation = healthTierObservation(signals, segmentConfig);
  const observations: Observation[] = [
    tierObservation,
    ...usageObservations(signals, segmentConfig, state.emitted),
    ...relationshipObservations(signals, segmentConfig, state.emitted),
    ...stakeholderAlignmentObservation(signals, segmentConfig),
    ...teamContractionObservations(signals, segmentConfig, state.emitted),
  ];

  const steps = observations.map((obs) => ({ obs, step: stepSignal(state.emitted[obs.key], obs.value, obs.rule, now) }));
  const tierState = steps[0]?.step.memory?.state;
  const tier: ScoredTier = isScoredTier(tierState) ? tierState : signals.health.rawTier;

  const context = { accountId: state.accountId, now, modelVersion: segmentConfig.model_version, tier, renewal: signals.renewal };
  const alerts: HealthAlert[] = [];
  // Keys scoring does not own (a caller's own bookkeeping) ride along untouched.
  const memories: [string, SignalMemory][] = Object.entries(state.emitted).filter(([key]) => !isScoringKey(key));
  // the drop judgments change when another day settles, which need not be a midnight
  let nextEvaluationAt = Math.min((dayOf(now) + 1) * DAY_MS, Math.max(signals.loginDrop.nextSettleAt, now + 1));
  // the outcome is known: what follows a churn (going dark, usage falling) would only repeat it
  const churned = isChurned(state.contract);
  for (const { obs, step } of steps) {
    if (step.transition !== null && !churned) alerts.push(buildAlert(obs, step.transition, context));
    if (step.memory !== null) memories.push([obs.key, step.memory]);
    if (step.wakeAt !== null && step.wakeAt > now) nextEvaluationAt = Math.min(nextEvaluationAt, step.wakeAt);
  }
  // Of its own keys, scoring keeps only those observed now: a removed milestone
  // or a disabled signal is forgotten, so the stored memory cannot grow without bound.
  memories.sort(([a], [b]) => compareStrings(a, b));

  return {
    signals,
    healthScore: signals.health.score,
    tier,
    valueLockIn: signals.valueLockIn.index,
    snapshot: buildSnapshot(signals, tier, state.eventsApplied ?? 0),
    alerts,
    emitted: Object.fromEntries(memories),
    nextEvaluationAt,
  };
}

function isScoredTier(state: string | undefined): state is ScoredTier {
  return (HEALTH_TIERS as readonly (string | undefined)[]).includes(state);
}
