import { describe, expect, it } from 'vitest';
import { defaults } from '../test-support.fixture.js';
import { computeValueLockIn } from './value-lock-in.js';

describe('computeValueLockIn', () => {
  it.each([
    ['deep use, every outcome, a promoter: .4×8 + .35×10 + .25×9', 80, 1, 90, 8.95, 'strong'],
    ['shallow use and half the outcomes, no survey: re-weighted', 40, 0.5, null, 4.47, 'weak'],
    ['usage alone is not enough to call it lock-in', 90, null, null, null, null],
    ['nothing used, nothing achieved, detractor', 0, 0, 0, 0, 'weak'],
    ['everything perfect', 100, 1, 100, 10, 'strong'],
  ])('%s → %s (%s)', (_name, adoptionDepth, outcomeAchievement, relationshipQuality, index, band) => {
    expect(computeValueLockIn({ adoptionDepth, outcomeAchievement, relationshipQuality }, defaults())).toMatchObject({ index, band });
  });

  it.each([
    [50, 'moderate'],
    [49.9, 'weak'],
    [80, 'moderate'],
    [80.1, 'strong'],
  ])('bands: weak below 5, strong above 8 (adoption %d with matching outcomes → %s)', (depth, band) => {
    // usage and outcomes at the same level give an index of depth / 10
    expect(computeValueLockIn({ adoptionDepth: depth, outcomeAchievement: depth / 100, relationshipQuality: null }, defaults()).band).toBe(band);
  });

  it('contributions add up to the index and are null when there is no index', () => {
    const l = computeValueLockIn({ adoptionDepth: 60, outcomeAchievement: 0.8, relationshipQuality: 70 }, defaults());
    expect(l.components.reduce((s, c) => s + (c.contribution ?? 0), 0)).toBeCloseTo(l.index ?? Number.NaN, 1);
    const none = computeValueLockIn({ adoptionDepth: 60, outcomeAchievement: null, relationshipQuality: null }, defaults());
    expect(none.components.every((c) => c.contribution === null)).toBe(true);
  });
});
