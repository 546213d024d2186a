import { describe, expect, it } from 'vitest';
import type { EmittedState, Evaluation, SignalMemory } from '@valuepulse/scoring';
import { BREACHABLE_SIGNALS, breachedSignals, describeSignal } from './account-view.js';

const memory = (state: string): SignalMemory => ({ state, since: 0, pending: null, lastAlertAt: null }) as SignalMemory;

describe('breached signals of the noise-control memory', () => {
  const emitted: EmittedState = {
    login_drop: memory('ok'),
    'team_contraction:team:finance': memory('breached'),
    'team_contraction:product_line:reports': memory('ok'),
    stakeholder_alignment: memory('divided'),
    'milestone_missed:m-1': memory('breached'),
    health_tier: memory('red'),
  };

  it('reports a team or product line gone quiet and stakeholder misalignment, in the order of the worst news', () => {
    expect(breachedSignals(emitted)).toEqual(['team_contraction', 'stakeholder_alignment', 'milestone_missed']);
    expect(BREACHABLE_SIGNALS).toEqual(expect.arrayContaining(['team_contraction', 'stakeholder_alignment']));
  });

  it('names the unit that went quiet, and which misalignment', () => {
    const e = { emitted, snapshot: {} } as unknown as Evaluation;
    expect(describeSignal('team_contraction', e)).toBe('team finance went quiet');
    expect(describeSignal('stakeholder_alignment', e)).toBe('detractors concentrated in one role');
    const silent = { emitted: { stakeholder_alignment: memory('silent') }, snapshot: {} } as unknown as Evaluation;
    expect(describeSignal('stakeholder_alignment', silent)).toBe('sponsor and economic buyer silent while users work');
  });

  it('names the detracting stakeholder, and the detractors beyond chance', () => {
    const nps = { namedLowest: { userId: 'u-1', role: 'EXECUTIVE_SPONSOR', score: 3, at: 0 }, detractors: 5, respondents: 7 };
    const e = { emitted: { nps_detractor: memory('breached'), detractor_share: memory('breached') }, snapshot: {}, signals: { relationship: { nps } } } as unknown as Evaluation;
    expect(breachedSignals(e.emitted)).toEqual(['nps_detractor', 'detractor_share']);
    expect(describeSignal('nps_detractor', e)).toBe('the executive sponsor is an NPS detractor (answered 3)');
    expect(describeSignal('detractor_share', e)).toBe('NPS detractors beyond chance (5 of 7 respondents)');
  });
});
