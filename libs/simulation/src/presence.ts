import type { UserPlan } from './account-plan.js';

/**
 * How active `user` is on scenario `day` relative to their habit: the
 * product of the factors of the activity windows that cover the day
 * (0 once they left or while paused, 1 when nothing applies).
 */
export function activityFactor(user: UserPlan, day: number): number {
  let factor = 1;
  for (const w of user.windows) if (day >= w.from && (w.until === null || day < w.until)) factor *= w.factor;
  return factor;
}
