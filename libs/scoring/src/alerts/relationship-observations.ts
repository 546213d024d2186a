import { DAY_MS, type EmittedState } from '../account-state.js';
import { BINARY_STATES, binaryBands, marginOf } from '../noise/bands.js';
import type { SegmentConfig } from '../scoring-config.js';
import type { Signals } from '../signals/compute-signals.js';
import type { NpsJudgement } from '../signals/relationship.js';
import { PRESSURE_BANDS } from '../signals/support-pressure.js';
import { fact, isoDay, partsEvidence, roleName } from './evidence.js';
import { always, clearsAt, fmt, heldUnder, machineRule, type Observation } from './observation.js';

/** People and support signals: sponsor silence, champion loss, ticket flood, support pressure, NPS, missed milestones. */
export function relationshipObservations(s: Signals, c: SegmentConfig, emitted: EmittedState): Observation[] {
  const list: Observation[] = [];
  const st = s.stakeholders;
  const es = c.execSponsorSilence;
  if (es.enabled) {
    const last = st.lastActiveAt.EXECUTIVE_SPONSOR;
    const ss = s.sponsorSilence;
    list.push({
      key: 'exec_sponsor_silence',
      signal: 'exec_sponsor_silence',
      kind: 'threshold',
      value: ss.days,
      rule: machineRule(binaryBands(ss.thresholdDays, es.margin, false), es.dwellDays, c),
      thresholds: [ss.thresholdDays],
      severity: always(es.severity),
      evidence: () => [
        fact('exec_sponsor_silent_days', ss.days, `${last === null ? 'never seen' : `last active ${isoDay(last)}`}${ss.pausedDays > 0 ? `, not counting ${ss.pausedDays} days the whole account paused` : ''}${ss.seasonDays > 0 ? `${ss.pausedDays > 0 ? ' or' : ', not counting'} ${ss.seasonDays} days of a vacation season` : ''}; alert at ${fmt(ss.thresholdDays)} days`),
        fact('exec_sponsor_longest_gap_days', ss.longestGapDays, `longest gap between the sponsor's visits; the alert waits for ${fmt(es.rhythmFactor)}× it when that is longer than ${fmt(es.thresholdDays)} days (at most ${fmt(es.maxThresholdDays)})`),
        ...(ss.departed ? [fact('exec_sponsor_departed', 1, `the sponsor left and nobody took the role over: alert at ${fmt(es.leftThresholdDays)} days`)] : []),
        fact('economic_buyer_silent_days', st.silentDays.ECONOMIC_BUYER, null),
        fact('technical_owner_silent_days', st.silentDays.TECHNICAL_OWNER, null),
        fact('daily_users_silent_days', st.silentDays.DAILY_USER, null),
      ],
    });
  }
  const cl = c.championLeft;
  if (cl.enabled) {
    list.push({
      key: 'champion_left',
      signal: 'champion_left',
      kind: 'threshold',
      value: st.championLeft ? 1 : 0,
      rule: machineRule(binaryBands(1, { absolute: 0 }, false), cl.dwellDays, c),
      thresholds: [1],
      severity: always(cl.severity),
      evidence: () => [
        fact('active_champions', st.activeChampions, 'champions assigned and still there'),
        ...st.departedChampions.slice(0, 3).map((d) => fact('champion_departed', null, `${d.userId} left on ${isoDay(d.leftAt)}`)),
      ],
    });
  }
  const tf = c.ticketFlood;
  if (tf.enabled) {
    const f = s.ticketFlood;
    // out of a breach a flood needs unusual tickets too (held just under the threshold otherwise);
    // in a breach the count alone decides when it clears
    const inBreach = emitted['ticket_flood']?.state === 'breached';
    list.push({
      key: 'ticket_flood',
      signal: 'ticket_flood',
      kind: 'threshold',
      value: inBreach || f.unusual ? f.tickets : heldUnder(f.tickets, tf.threshold),
      rule: machineRule(binaryBands(tf.threshold, tf.margin, false), tf.dwellDays, c),
      thresholds: [tf.threshold],
      severity: always(tf.severity),
      evidence: () => [
        ...f.top.map((t) => fact('tickets_on_feature', t.tickets, `feature ${t.featureId}: tickets in the last ${tf.windowDays} days; flood at ${fmt(tf.threshold)}, ${clearsAt(tf.threshold, marginOf(tf.margin, tf.threshold), false)}`)),
        fact(
          'window_tickets',
          f.windowTickets,
          `all tickets in the last ${tf.windowDays} days against ${fmt(f.usualTickets)} usual; chance ${fmt(f.chance)} at that rate, a flood needs ${fmt(tf.maxChance)} or less`,
        ),
        fact('tickets_14d', s.support.tickets14d, 'all tickets opened in 14 days'),
      ],
    });
  }
  const sp = c.supportPressure;
  if (sp.enabled) {
    const bounds = [sp.elevated, sp.high];
    const p = s.support;
    list.push({
      key: 'support_pressure',
      signal: 'support_pressure',
      kind: 'threshold',
      value: p.pressure,
      rule: machineRule({ states: PRESSURE_BANDS, bounds, margins: bounds.map((b) => marginOf(sp.margin, b)), higherIsBetter: false }, sp.dwellDays, c),
      thresholds: bounds,
      severity: (to) => (to === 'high' ? sp.severity.high : sp.severity.elevated),
      evidence: () => [
        fact('support_pressure', p.pressure, `elevated ≥ ${fmt(sp.elevated)}, high ≥ ${fmt(sp.high)}`),
        ...partsEvidence('support', p.components, (k) => (k === 'tickets' ? 'tickets 14d ÷ baseline' : k), { scale: 100, higherIsWorse: true }),
        fact('tickets_14d', p.tickets14d, null),
        fact('baseline_tickets_14d', p.baselineTickets14d, `usual tickets per 14 days (floor ${fmt(sp.baselineFloorTickets14d)})`),
      ],
    });
  }
  const nd = c.npsDetractor;
  if (nd.enabled) {
    const r = s.relationship;
    const j = r.nps;
    const bound = nd.detractorMax + 1; // integer answers: "≤ 6" is "below 7"
    const low = j.namedLowest;
    // the named stakeholders who decide and carry the renewal, one by one
    list.push({
      key: 'nps_detractor',
      signal: 'nps_detractor',
      kind: 'threshold',
      value: low === null ? null : low.score,
      rule: machineRule(binaryBands(bound, nd.margin, true), nd.dwellDays, c),
      thresholds: [nd.detractorMax],
      severity: always(nd.severity),
      evidence: () => [
        fact(
          'named_lowest_nps',
          low === null ? null : low.score,
          `${low === null ? 'no named stakeholder answered' : `${roleName(low.role)} ${low.userId ?? ''} answered ${isoDay(low.at)}`}; detractor at ${nd.detractorMax} or less, ${clearsAt(bound, marginOf(nd.margin, bound), true)}`,
        ),
        ...j.named.slice(1, 4).map((n) => fact('named_nps', n.score, `${roleName(n.role)} ${n.userId ?? ''} answered ${isoDay(n.at)}`)),
        fact('nps_respondents', j.respondents, npsMix(j, c.detractorShare.detractorMax, c.detractorShare.lookbackDays)),
        fact('relationship_quality', r.quality, null),
        fact('csat_average', r.csatAverage, null),
      ],
    });
  }
  const ds = c.detractorShare;
  if (ds.enabled) {
    const j = s.relationship.nps;
    // everyone's answers together: only detractors beyond what a healthy mix explains
    list.push({
      key: 'detractor_share',
      signal: 'detractor_share',
      kind: 'threshold',
      value: j.respondents === 0 ? null : j.detractorsBeyondChance ? 1 : 0,
      rule: machineRule(binaryBands(1, { absolute: 0 }, false), ds.dwellDays, c),
      thresholds: [1],
      severity: always(ds.severity),
      evidence: () => [
        fact('nps_detractors', j.detractors, npsMix(j, ds.detractorMax, ds.lookbackDays)),
        fact(
          'detractor_chance',
          j.detractorChance,
          `chance of ${j.detractors} or more detractors among ${j.respondents} respondents if each were one with chance ${fmt(ds.baseShare)}; alert at ${fmt(ds.maxChance)} or less with ${ds.minDetractors} or more detractors`,
        ),
        fact('nps', j.nps, 'promoters minus detractors, % of respondents'),
        fact('relationship_quality', s.relationship.quality, null),
      ],
    });
  }
  const mm = c.milestoneMissed;
  if (mm.enabled) {
    for (const m of s.outcomes.milestones) {
      // Misses older than the lookback are history: they neither alert nor recover.
      const stale = m.status === 'missed' && m.missedAt !== null && s.asOf - m.missedAt > mm.lookbackDays * DAY_MS;
      list.push({
        key: `milestone_missed:${m.id}`,
        signal: 'milestone_missed',
        kind: 'threshold',
        value: stale ? null : m.status === 'missed' ? 1 : 0,
        rule: machineRule({ ...binaryBands(1, { absolute: 0 }, false), states: BINARY_STATES }, mm.dwellDays, c),
        thresholds: [1],
        severity: always(mm.severity),
        evidence: () => [
          fact('milestone', null, `${m.name ?? m.id} (${m.id})${m.dueAt === null ? '' : `, due ${isoDay(m.dueAt)}`}: ${m.status.replace(/_/g, ' ')}`),
          fact('outcome_achievement', s.outcomes.achievement, `${s.outcomes.onTime} of ${s.outcomes.due} due milestones achieved on time`),
        ],
      });
    }
  }
  return list;
}

function npsMix(j: NpsJudgement, detractorMax: number, lookbackDays: number): string {
  return `${j.respondents} respondents in ${lookbackDays} days: ${j.promoters} promoters, ${j.respondents - j.promoters - j.detractors} passives, ${j.detractors} detractors (${detractorMax} or less); NPS ${j.nps ?? 'none'}, mean answer ${j.mean ?? 'none'}`;
}
