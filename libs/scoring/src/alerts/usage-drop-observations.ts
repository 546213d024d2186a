import type { AlertEvidence } from '@valuepulse/contracts';
import { DAY_MS, type EmittedState } from '../account-state.js';
import { binaryBands, marginOf } from '../noise/bands.js';
import { round } from '../math.js';
import type { ConfiguredSeverity, Margin, SegmentConfig } from '../scoring-config.js';
import type { Signals } from '../signals/compute-signals.js';
import type { LoginDrop } from '../signals/login-drop.js';
import { fact, isoDay } from './evidence.js';
import { always, clearsAt, fmt, heldUnder, machineRule, type Observation } from './observation.js';

/** What a percentage judgment's config has in common (login_drop, usage_decline, users_lost). */
interface PctRule {
  thresholdPct: number;
  margin: Margin;
  dwellDays: number;
  severity: ConfiguredSeverity;
}

/** A "bad when high" percentage signal: `breached` from the threshold, clears under threshold − margin. */
function pctObservation(key: string, value: number | null, rule: PctRule, c: SegmentConfig, evidence: (clears: string) => AlertEvidence[]): Observation {
  const clears = clearsAt(rule.thresholdPct, marginOf(rule.margin, rule.thresholdPct), false, ' %');
  return {
    key,
    signal: key,
    kind: 'threshold',
    value,
    rule: machineRule(binaryBands(rule.thresholdPct, rule.margin, false), rule.dwellDays, c),
    thresholds: [rule.thresholdPct],
    severity: always(rule.severity),
    evidence: () => evidence(clears),
  };
}

/**
 * The value a drop judgment hands to the state machine. Out of a breach it
 * takes evidence: a drop that is not significant (see `LoginDrop.significant`)
 * is held just under the threshold, so it can neither alert nor count as
 * recovery. In a breach, the plain percentage decides when it clears. Not
 * assessable (no expectation, under the floor, a pause going on): hold.
 */
export function dropValue(drop: LoginDrop, thresholdPct: number, emittedState: string | undefined): number | null {
  if (!drop.assessable || drop.pct === null) return null;
  if (emittedState === 'breached' || drop.significant) return drop.pct;
  return heldUnder(drop.pct, thresholdPct);
}

function dropEvidence(d: LoginDrop, what: string): AlertEvidence[] {
  const basis =
    d.basis === 'month_phase'
      ? 'the same days of the monthly cycle one or two months before'
      : d.basis === 'quarter_phase'
        ? `the same weekdays before, lowered to ${fmt((d.quarterFactor ?? 1) * 100)} % as the same days one quarter back were against the weeks after them`
      : d.basis === 'long_weekdays'
        ? `the same weekdays over the ${d.baselineDays} days of use before (lower than over the last 28)`
        : 'the same weekdays over the 28 days before';
  const season = d.vacationAllowancePct > 0 ? `, lowered ${fmt(d.vacationAllowancePct)} % in a vacation season` : '';
  return [
    fact('activity_units', d.recentLogins, `logins + workflow runs + API calls over ${what} ending ${isoDay(d.throughDay * DAY_MS)} (settled days${d.pausedDays > 0 ? `, ${d.pausedDays} pause day(s) left out` : ''})`),
    fact('activity_expected', d.expected, `what is normal for the account on those days: ${basis}${season}`),
    fact('evidence_z', d.z, 'shortfall in standard errors, widened by the account’s own weekly variability'),
  ];
}

/**
 * The usage judgments of model v1.1 (see libs/scoring/README.md): usage drop
 * (`login_drop`), usage decline and users lost, each held under its
 * threshold until its own evidence rule is met.
 */
export function usageDropObservations(s: Signals, c: SegmentConfig, emitted: EmittedState): Observation[] {
  const list: Observation[] = [];
  const ld = c.loginDrop;
  if (ld.enabled) {
    list.push(
      pctObservation('login_drop', dropValue(s.loginDrop, ld.thresholdPct, emitted.login_drop?.state), ld, c, (clears) => [
        fact('login_drop_pct', s.loginDrop.pct, `usage against what is normal for the account; alert at a ${fmt(ld.thresholdPct)} % drop or more when significant, ${clears}`),
        ...dropEvidence(s.loginDrop, 'the last 7 settled days'),
        fact('active_users_7d', s.activity.activeUsers7d, null),
      ]),
    );
  }
  const ud = c.usageDecline;
  if (ud.enabled) {
    const d = s.usageDecline;
    // a decline alerts only while it is still sliding; once alerted, the plain percentage clears it
    const sliding = d.continuing || emitted.usage_decline?.state === 'breached';
    const value = sliding ? dropValue(d, ud.thresholdPct, emitted.usage_decline?.state) : d.pct === null || !d.assessable ? null : heldUnder(d.pct, ud.thresholdPct);
    list.push(
      pctObservation('usage_decline', value, ud, c, (clears) => [
        fact('usage_decline_pct', d.pct, `usage over ${ud.windowDays} settled days against what is normal for the account; alert at ${fmt(ud.thresholdPct)} % when significant and still sliding, ${clears}`),
        fact('older_half_drop_pct', d.firstHalfPct, `first ${Math.floor(ud.windowDays / 2)} days`),
        fact('newer_half_drop_pct', d.secondHalfPct, 'the rest: a larger drop means the slide goes on'),
        ...dropEvidence(d, `the last ${ud.windowDays} settled days`),
      ]),
    );
  }
  const ul = c.usersLost;
  if (ul.enabled) {
    const u = s.usersLost;
    const drop = s.loginDrop;
    // too few people gone to be more than holidays, or usage has not fallen with them (light
    // users, or their work moved to others) — against the monthly phase too, when one month of
    // it is known, since bursty people come back at month end: held under the threshold
    const usageFell = drop.pct !== null && drop.assessable && Math.min(drop.pct, drop.phasePct ?? drop.pct) >= ul.minUsageDropPct && (drop.z ?? 0) >= ul.minUsageDropZ;
    // and more of them than people away at once by chance (holidays overlap: three of seven is not rare)
    const beyondChance = u.chance !== null && u.chance <= ul.maxChance;
    const corroborated = (u.lost >= ul.minLost && usageFell && beyondChance) || emitted.users_lost?.state === 'breached';
    const value = u.pct === null ? null : corroborated ? u.pct : heldUnder(u.pct, ul.thresholdPct);
    list.push(
      pctObservation('users_lost', value, ul, c, (clears) => [
        fact('users_lost_pct', u.pct, `${u.lost} of ${u.regulars} regular users not seen for ${u.silenceDays}+ settled days; alert at ${fmt(ul.thresholdPct)} % (at least ${ul.minLost} people), ${clears}`),
        fact('regular_users', u.regulars, `seen on at least ${fmt(ul.regularShare * 100)} % of the days of the last 28, never a week away before`),
        fact('lost_users', u.lost, u.examples.length > 0 ? `e.g. ${u.examples.join(', ')}` : null),
        fact('chance_pct', u.chance === null ? null : round(u.chance * 100, 3), `chance of this many silent at once if ${fmt(ul.awayShare * 100)} % of the regulars were away; alert at ${fmt(ul.maxChance * 100)} % or less`),
        fact('login_drop_pct', drop.pct, `usage against what is normal for the account (this alert needs at least ${fmt(ul.minUsageDropPct)} %, ${fmt(ul.minUsageDropZ)} standard errors)`),
      ]),
    );
  }
  return list;
}
