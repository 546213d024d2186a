import type { AlertEvidence } from '@valuepulse/contracts';
import type { SegmentConfig } from '../scoring-config.js';
import type { Signals } from '../signals/compute-signals.js';
import { ALIGNMENT_STATES } from '../signals/stakeholder-alignment.js';
import type { SponsorSilence } from '../signals/stakeholders.js';
import { fact, isoDay, roleName } from './evidence.js';
import { fmt, machineRule, type Observation } from './observation.js';

/**
 * The `stakeholder_alignment` observation: level 0 (ok), 1 (silent: the
 * sponsor and the economic buyer both silent past their own thresholds
 * while users work), 2 (divided: detractors concentrated in one role).
 * Levels are whole numbers, so no margin: the state changes when the
 * judgment does, after `dwellDays`.
 */
export function stakeholderAlignmentObservation(s: Signals, c: SegmentConfig): Observation[] {
  const sa = c.stakeholderAlignment;
  if (!sa.enabled) return [];
  const a = s.alignment;
  return [
    {
      key: 'stakeholder_alignment',
      signal: 'stakeholder_alignment',
      kind: 'threshold',
      value: a.level,
      rule: machineRule({ states: ALIGNMENT_STATES, bounds: [1, 2], margins: [0, 0], higherIsBetter: false }, sa.dwellDays, c),
      thresholds: [1, 2],
      severity: (to) => (to === 'divided' ? sa.severity.divided : sa.severity.silent),
      evidence: () => {
        const out: AlertEvidence[] = [];
        if (a.divided !== null) {
          const d = a.divided;
          out.push(fact('detractors_in_role', d.detractors, `${roleName(d.role)}: ${d.detractors} of ${d.answers} answers detractors (NPS ${d.nps}) against NPS ${d.restNps} from the ${d.restAnswers} other answers in ${sa.npsLookbackDays} days; divided from ${sa.minRoleDetractors} detractors, NPS at most ${fmt(sa.maxRoleNps)} and ${fmt(sa.minNpsGap)} points below the rest`));
        }
        out.push(fact('active_users_7d', a.activeUsers7d, `users active in the last 7 days; decision makers' silence judged from ${sa.minActiveUsers7d}`));
        out.push(silence('exec_sponsor_silent_days', 'executive sponsor', s.stakeholders.lastActiveAt.EXECUTIVE_SPONSOR, a.sponsor));
        out.push(silence('economic_buyer_silent_days', 'economic buyer', s.stakeholders.lastActiveAt.ECONOMIC_BUYER, a.buyer));
        for (const r of a.npsByRole) {
          out.push(fact('nps_by_role', r.nps, `${roleName(r.role)}: ${r.answers} answers in ${sa.npsLookbackDays} days, ${r.promoters} promoters, ${r.passives} passives, ${r.detractors} detractors`));
        }
        for (const r of a.csatByRole) {
          out.push(fact('csat_by_role', r.average, `${roleName(r.role)} requesters: ${r.answers} CSAT answers in ${sa.npsLookbackDays} days, average ${r.average} of 5, ${r.low} low (2 or less)`));
        }
        return out;
      },
    },
  ];
}

function silence(factor: string, who: string, last: number | null, s: SponsorSilence): AlertEvidence {
  if (s.days === null) return fact(factor, null, `no ${who} known`);
  const rhythm = s.longestGapDays === null ? 'rhythm unknown' : `longest gap between visits ${s.longestGapDays} days`;
  return fact(factor, s.days, `${who} last active or assigned ${last === null ? '?' : isoDay(last)}${s.pausedDays > 0 ? `, not counting ${s.pausedDays} days the whole account paused` : ''}; ${rhythm}; silent from ${fmt(s.thresholdDays)} days`);
}
