import { describe, expect, it } from 'vitest';
import { binaryBands, classifyBand, marginOf, type BandSpec } from './bands.js';

const tiers: BandSpec = { states: ['GREEN', 'YELLOW', 'ORANGE', 'RED'], bounds: [75, 60, 40], margins: [3, 3, 3], higherIsBetter: true };
const pressure: BandSpec = { states: ['low', 'elevated', 'high'], bounds: [40, 70], margins: [5, 5], higherIsBetter: false };

describe('classifyBand', () => {
  it.each([
    // value, current band, expected band
    [80, null, 0],
    [75, null, 0],
    [74.99, null, 1],
    [39.99, null, 3],
    // getting worse needs only the bound
    [74.99, 0, 1],
    [59, 0, 2],
    [10, 0, 3],
    // getting better needs the bound plus the margin, for each bound re-crossed
    [76, 1, 1],
    [77.99, 1, 1],
    [78, 1, 0],
    [62, 3, 2],
    [63, 3, 1],
    [90, 3, 0],
    // staying put
    [60, 1, 1],
    [41, 2, 2],
  ])('tiers: %d from band %s → %d', (value, current, expected) => {
    expect(classifyBand(tiers, value, current)).toBe(expected);
  });

  it.each([
    [39.99, null, 0],
    [40, null, 1],
    [70, 0, 2],
    [36, 1, 1],
    [35, 1, 1],
    [34.99, 1, 0],
    [66, 2, 2],
    [64.99, 2, 1],
    [10, 2, 0],
  ])('pressure (higher is worse): %d from band %s → %d', (value, current, expected) => {
    expect(classifyBand(pressure, value, current)).toBe(expected);
  });

  it.each([
    [{ absolute: 5 }, 30, 5],
    [{ relative: 0.1 }, 30, 3],
    [{ relative: 0.1 }, -20, 2],
    [{ absolute: 0 }, 30, 0],
  ])('marginOf(%j, %d) = %d', (margin, threshold, expected) => {
    expect(marginOf(margin, threshold)).toBeCloseTo(expected, 10);
  });

  it('binary bands: breached at the threshold, ok again only past threshold ± margin', () => {
    const drop = binaryBands(30, { absolute: 5 }, false);
    expect([29.99, 30].map((v) => classifyBand(drop, v, 0))).toEqual([0, 1]);
    expect([25, 24.99].map((v) => classifyBand(drop, v, 1))).toEqual([1, 0]);
    const seats = binaryBands(0.5, { relative: 0.1 }, true);
    expect([0.5, 0.4999].map((v) => classifyBand(seats, v, 0))).toEqual([0, 1]);
    expect([0.5499, 0.55].map((v) => classifyBand(seats, v, 1))).toEqual([1, 0]);
  });
});
