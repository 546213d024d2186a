import type { AccountEvent } from '@valuepulse/contracts';
import type { Archetype } from './archetypes.js';
import type { ScenarioCalendar } from './calendar.js';
import { MILESTONES } from './catalog.js';
import { accountEvent } from './event-factory.js';
import type { Prng } from './prng.js';

/** What {@link planMilestones} needs to know about the account. */
export interface MilestoneInput {
  accountId: string;
  archetype: Archetype;
  signDay: number;
  onsetDay: number | null;
  signedAt: number;
  calendar: ScenarioCalendar;
  /** Event time of a local hour on a scenario day. */
  at(day: number, hour: number): number;
}

// Due days after signing: kick-off in two weeks, then roughly monthly, then quarterly.
const DUE_AFTER_SIGNING: readonly (readonly [number, number])[] = [[14, 14], [30, 40], [60, 75], [95, 110], [140, 170], [200, 240]];

/**
 * The success plan: every milestone is set at signing with its due date.
 * Healthy accounts achieve each one on time (0–4 days early). For
 * `missed_milestones` the milestone due at the onset and the next one (due
 * 12–20 days later) are declared missed on their due day; after the onset a
 * decaying account misses or is late with half of its milestones, and one
 * that went dark achieves nothing more (the model sees the due date pass).
 */
export function planMilestones(input: MilestoneInput, prng: Prng): AccountEvent[] {
  const { accountId, archetype, signDay, onsetDay, signedAt, calendar, at } = input;
  const due = DUE_AFTER_SIGNING.map(([min, max]) => signDay + prng.int(min, max));
  let missedFrom = -1;
  if (archetype === 'missed_milestones' && onsetDay !== null) {
    missedFrom = Math.max(1, due.findIndex((d) => d >= onsetDay - 10));
    due[missedFrom] = onsetDay;
    due[missedFrom + 1] = onsetDay + prng.int(12, 20);
    for (let i = missedFrom + 2; i < due.length; i += 1) due[i] = Math.max(due[i] as number, (due[i - 1] as number) + 14);
  }
  const events: AccountEvent[] = [];
  due.forEach((dueDay, i) => {
    const milestone = { milestone_id: `ms-${i + 1}`, milestone_name: MILESTONES[i] ?? `Milestone ${i + 1}` };
    events.push(
      accountEvent({ account_id: accountId, occurred_at: signedAt + 10 * 60_000 + i * 1000, event_type: 'MILESTONE_SET', ...milestone, milestone_due_date: calendar.dayStart(dueDay) }),
    );
    if (dueDay >= calendar.days) return;
    const missed = (day: number) => accountEvent({ account_id: accountId, occurred_at: at(day, prng.between(16, 18)), event_type: 'MILESTONE_MISSED', ...milestone });
    const achieved = (day: number) => accountEvent({ account_id: accountId, occurred_at: at(day, prng.between(11, 17)), event_type: 'MILESTONE_ACHIEVED', ...milestone });
    if (missedFrom >= 0 && (i === missedFrom || i === missedFrom + 1)) {
      events.push(missed(dueDay));
      return;
    }
    let day = Math.max(signDay + 1, dueDay - prng.int(0, 4));
    while (day > signDay + 1 && !calendar.isWorkday(day)) day -= 1;
    const afterOnset = onsetDay !== null && day >= onsetDay;
    if (afterOnset && archetype === 'going_dark') return;
    if (afterOnset && archetype === 'slow_decay') {
      const roll = prng.next();
      if (roll < 0.5) return;
      if (roll < 0.75) {
        if (dueDay + 1 < calendar.days) events.push(missed(dueDay + 1));
        return;
      }
      day = dueDay + prng.int(3, 10);
    }
    if (day < calendar.days) events.push(achieved(day));
  });
  return events;
}
