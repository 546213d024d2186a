import { describe, expect, it } from 'vitest';
import { daysAgo, daysBack, defaults, emptyState, NOW } from '../test-support.fixture.js';
import { computeRelationship } from './relationship.js';

describe('computeRelationship', () => {
  it.each([
    ['no answers at all', null, {}, null],
    ['a promoter (NPS 9) only', 9, {}, 90],
    ['CSAT only: three answers averaging 4', null, { 3: { csatCount: 2, csatSum: 8 }, 5: { csatCount: 1, csatSum: 4 } }, 75],
    ['CSAT only: two answers are too few to judge (minCsatAnswers 3)', null, { 3: { csatCount: 2, csatSum: 8 } }, null],
    ['a promoter and one neutral CSAT answer: the NPS alone', 9, { 3: { csatCount: 1, csatSum: 3 } }, 90],
    ['a passive NPS 5 and perfect CSAT: .6 × 50 + .4 × 100', 5, { 3: { csatCount: 3, csatSum: 15 } }, 70],
    ['CSAT older than 90 days does not count', 0, { 90: { csatCount: 3, csatSum: 15 } }, 0],
  ])('%s → %s', (_name, nps, days, quality) => {
    const state = emptyState({ latestNps: nps === null ? null : { score: nps, at: daysAgo(10) }, days: daysBack(days) });
    expect(computeRelationship(state, defaults(), NOW).quality).toBe(quality);
  });

  it('reports the latest NPS and when it was given', () => {
    const r = computeRelationship(emptyState({ latestNps: { score: 6, at: daysAgo(10) } }), defaults(), NOW);
    expect(r).toMatchObject({ latestNps: 6, latestNpsAt: daysAgo(10), csatAverage: null });
  });

  it('reports the CSAT average of too few answers, without counting it', () => {
    const r = computeRelationship(emptyState({ days: daysBack({ 3: { csatCount: 1, csatSum: 3 } }) }), defaults(), NOW);
    expect(r).toMatchObject({ quality: null, csatAverage: 3 });
    expect(r.components.find((c) => c.key === 'csat')).toMatchObject({ value: null, contribution: null });
  });
});
