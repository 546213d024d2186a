import type { HealthSnapshot } from '@valuepulse/contracts';
import type { EmittedState } from '@valuepulse/scoring';

/**
 * The last published snapshot's signature rides along in the noise-control
 * memory under this key, so "publish a snapshot only when a signal changed
 * materially" survives restarts and rebalances with no extra Redis key.
 */
export const SNAPSHOT_MEMORY_KEY = '_snapshot';

/**
 * What counts as material: the tier, and each signal rounded (scores to whole
 * points, ratios to 0.01, counts exact). Noise below that makes no snapshot.
 */
export function snapshotSignature(s: HealthSnapshot): string {
  const round = (v: number | null, step: number) => (v === null ? null : Math.round(v / step) * step);
  return JSON.stringify([
    s.tier,
    s.model_version,
    round(s.health_score, 1),
    round(s.adoption_depth, 1),
    round(s.value_lock_in, 0.1),
    round(s.seat_utilisation, 0.01),
    round(s.login_drop_pct, 1),
    round(s.support_pressure, 1),
    round(s.outcome_achievement, 0.01),
    round(s.relationship_quality, 1),
    s.active_users_7d,
    s.active_users_28d,
    s.feature_breadth_28d,
    s.days_since_activity,
    s.exec_sponsor_silent_days,
    s.champion_left,
    s.tickets_14d,
    s.flood_feature_id,
    s.latest_nps,
    s.days_to_renewal,
  ]);
}

/** Whether `next` differs materially from the snapshot last published (per `emitted`). */
export function snapshotChanged(emitted: EmittedState, next: HealthSnapshot): boolean {
  return emitted[SNAPSHOT_MEMORY_KEY]?.state !== snapshotSignature(next);
}

/** `emitted` with the signature of `snapshot` recorded as published at `now`. */
export function withSnapshotMemory(emitted: EmittedState, snapshot: HealthSnapshot, now: number): EmittedState {
  const signature = snapshotSignature(snapshot);
  const previous = emitted[SNAPSHOT_MEMORY_KEY];
  if (previous?.state === signature) return emitted;
  return { ...emitted, [SNAPSHOT_MEMORY_KEY]: { state: signature, since: now, pending: null, lastAlertAt: null } };
}
