import { dayOf, type AccountState } from '../account-state.js';
import { compareStrings, round } from '../math.js';

/** Where a milestone stands at `now`. */
export type MilestoneStatus = 'pending' | 'achieved_on_time' | 'achieved_late' | 'missed';

/** One milestone, judged. */
export interface MilestoneOutcome {
  id: string;
  name: string | null;
  dueAt: number | null;
  status: MilestoneStatus;
  /** For a missed milestone: when it was declared missed, or else when it fell due; null otherwise. */
  missedAt: number | null;
}

/** Outcome achievement. */
export interface Outcomes {
  /** Milestones achieved on time ÷ milestones due (0–1); null when none is due. */
  achievement: number | null;
  /** Milestones due: achieved (on time or late) or missed. */
  due: number;
  onTime: number;
  /** Every milestone, by id. */
  milestones: MilestoneOutcome[];
}

/**
 * Outcome achievement at `now`, in UTC days like every window. A milestone
 * achieved on or before its due day, or within `graceDays` UTC days after
 * it, is on time (without a due date it cannot be late); one achieved later
 * is late. One not achieved is missed when a MILESTONE_MISSED said so (at
 * once), or when its due day and the `graceDays` after it have fully passed.
 * (`milestoneMissed.graceDays`, default 0: a due date is a calendar date in
 * the customer's time zone, whose day ends up to 12 h after the UTC one, and
 * completions are often booked the next morning; see the scoring README.) Achievement
 * wins over a miss whatever order the events came in: a late win is still a
 * win, just not on time. Achieved-early milestones count as due, so an
 * account ahead of plan scores well rather than "nothing due yet".
 */
export function computeOutcomes(state: AccountState, now: number, graceDays = 0): Outcomes {
  const today = dayOf(now);
  const milestones = Object.entries(state.milestones)
    .map(([id, m]): MilestoneOutcome => {
      const base = { id, name: m.name, dueAt: m.dueAt, missedAt: null };
      if (m.achievedAt !== null) {
        const late = m.dueAt !== null && dayOf(m.achievedAt) > dayOf(m.dueAt) + graceDays;
        return { ...base, status: late ? 'achieved_late' : 'achieved_on_time' };
      }
      if (m.missedAt !== null) return { ...base, status: 'missed', missedAt: m.missedAt };
      if (m.dueAt !== null && dayOf(m.dueAt) + graceDays < today) return { ...base, status: 'missed', missedAt: m.dueAt };
      return { ...base, status: 'pending' };
    })
    .sort((a, b) => compareStrings(a.id, b.id));
  const due = milestones.filter((m) => m.status !== 'pending').length;
  const onTime = milestones.filter((m) => m.status === 'achieved_on_time').length;
  return { achievement: due === 0 ? null : round(onTime / due, 4), due, onTime, milestones };
}
