import { describe, expect, it } from 'vitest';
import { daysAgo, emptyState, milestone, NOW } from '../test-support.fixture.js';
import { computeOutcomes } from './outcomes.js';

describe('computeOutcomes', () => {
  it.each([
    ['achieved later on its due day', milestone({ dueAt: daysAgo(5), achievedAt: daysAgo(5, 23) }), 'achieved_on_time'],
    ['achieved the day after it was due', milestone({ dueAt: daysAgo(5), achievedAt: daysAgo(4, 1) }), 'achieved_late'],
    ['achieved early', milestone({ dueAt: daysAgo(-30), achievedAt: daysAgo(2) }), 'achieved_on_time'],
    ['achieved, no due date', milestone({ achievedAt: daysAgo(2) }), 'achieved_on_time'],
    ['due yesterday, not achieved', milestone({ dueAt: daysAgo(1) }), 'missed'],
    ['due today, not achieved: the day is not over', milestone({ dueAt: daysAgo(0) }), 'pending'],
    ['due next month', milestone({ dueAt: daysAgo(-30) }), 'pending'],
    ['declared missed before its due date', milestone({ dueAt: daysAgo(-30), missedAt: daysAgo(1) }), 'missed'],
    ['declared missed, then achieved (late wins over missed)', milestone({ dueAt: daysAgo(10), missedAt: daysAgo(9), achievedAt: daysAgo(2) }), 'achieved_late'],
    ['no due date, nothing happened', milestone(), 'pending'],
  ])('%s → %s', (_name, m, status) => {
    expect(computeOutcomes(emptyState({ milestones: { m } }), NOW).milestones[0]?.status).toBe(status);
  });

  it.each([
    ['due yesterday, not achieved: within the day of grace', milestone({ dueAt: daysAgo(1) }), 'pending'],
    ['due two days ago, not achieved', milestone({ dueAt: daysAgo(2) }), 'missed'],
    ['declared missed yesterday: no grace for a declaration', milestone({ dueAt: daysAgo(1), missedAt: daysAgo(0) }), 'missed'],
    ['achieved the day after it was due', milestone({ dueAt: daysAgo(5), achievedAt: daysAgo(4, 1) }), 'achieved_on_time'],
    ['achieved two days after it was due', milestone({ dueAt: daysAgo(5), achievedAt: daysAgo(3, 1) }), 'achieved_late'],
  ])('with a day of grace: %s → %s', (_name, m, status) => {
    expect(computeOutcomes(emptyState({ milestones: { m } }), NOW, 1).milestones[0]?.status).toBe(status);
  });

  it('a milestone missed by its due date carries the due date as its miss time', () => {
    const o = computeOutcomes(emptyState({ milestones: { m: milestone({ dueAt: daysAgo(3) }) } }), NOW);
    expect(o.milestones[0]?.missedAt).toBe(daysAgo(3));
  });

  it('achievement = on time ÷ due (achieved or missed); pending ones are not due', () => {
    const o = computeOutcomes(
      emptyState({
        milestones: {
          a: milestone({ dueAt: daysAgo(30), achievedAt: daysAgo(31) }),
          b: milestone({ dueAt: daysAgo(20), achievedAt: daysAgo(20) }),
          c: milestone({ dueAt: daysAgo(10), achievedAt: daysAgo(5) }),
          d: milestone({ dueAt: daysAgo(3) }),
          e: milestone({ dueAt: daysAgo(-10) }),
        },
      }),
      NOW,
    );
    expect(o).toMatchObject({ due: 4, onTime: 2, achievement: 0.5 });
    expect(o.milestones.map((m) => m.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('is null when nothing is due yet', () => {
    expect(computeOutcomes(emptyState(), NOW).achievement).toBeNull();
    expect(computeOutcomes(emptyState({ milestones: { a: milestone({ dueAt: daysAgo(-5) }) } }), NOW).achievement).toBeNull();
  });
});
