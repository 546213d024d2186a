import { z } from 'zod';

// Units in the config are the ones a customer-success lead thinks in: days,
// percent, shares 0–1, scores 0–100. Scoring converts to milliseconds itself.

const severity = z.enum(['INFO', 'WARNING', 'CRITICAL']);
const days = z.number().finite().nonnegative();
const positive = z.number().finite().positive();
const weight = z.number().finite().nonnegative();
const share = z.number().finite().min(0).max(1);
const score = z.number().finite().min(0).max(100);
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected MM-DD');

/**
 * Hysteresis margin: `{ absolute }` in the signal's own unit (points, days,
 * a share) or `{ relative }` as a fraction of the threshold. A signal enters
 * the bad state at the threshold and leaves it only past threshold ± margin.
 */
const margin = z
  .strictObject({ absolute: z.number().finite().nonnegative().optional(), relative: share.optional() })
  .refine((m) => (m.absolute === undefined) !== (m.relative === undefined), {
    message: 'give exactly one of absolute or relative',
  });

/** Shared by every alerting signal. */
const alerting = { enabled: z.boolean(), dwellDays: days };

const weights = <K extends string>(keys: readonly K[]) =>
  z
    .strictObject(Object.fromEntries(keys.map((k) => [k, weight])) as Record<K, typeof weight>)
    .refine((w) => Object.values(w as Record<string, number>).some((v) => v > 0), { message: 'at least one weight must be above 0' });

/**
 * Every threshold, weight and noise-control parameter of one model version,
 * for one segment. Complete on purpose: a config that names a model version
 * must say everything that version does, so a code default can never change
 * behaviour behind an unchanged `model_version`.
 */
export const scoringParamsSchema = z
  .strictObject({
    model_version: z.string().regex(/^v\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'expected a version such as v1.0.0'),
    noise: z.strictObject({
      // alert ids are bucketed by UTC day: a repeat of one transition inside a day would reuse an id.
      cooldownDays: z.number().finite().min(1, 'must be at least 1 (alert ids are per UTC day)'),
      onboardingGraceDays: days,
    }),
    loginDrop: z.strictObject({
      ...alerting,
      severity,
      margin,
      thresholdPct: z.number().finite().gt(0).max(100),
      minBaselineDays: z.int().min(1).max(28),
      minBaselineWeeklyLogins: z.number().finite().nonnegative(),
      minEvidenceZ: z.number().finite().nonnegative(),
      pauseShare: share,
      pauseMinDays: z.int().min(1).max(28),
      pauseMaxDays: z.int().min(1).max(60),
      lateWindowHours: z.number().finite().min(0).max(96),
      // judge a window against the same phase of the months before when that is lower (optional: configs written before v1.6 leave it out)
      monthPhase: z.boolean().default(true),
      // periods of the year (MM-DD, both ends included; from after to wraps over the new year) whose days are
      // left out of the usage judgments like a pause: the year-end holidays (optional: configs written before
      // v1.9 leave it out and have none)
      quietSeasons: z.array(z.strictObject({ from: monthDay, to: monthDay })).max(12).default([]),
      // periods of the year in which many people take their vacations in turn (MM-DD, as quietSeasons): a drop or
      // decline judged on a day inside one is measured against the expectation lowered by vacationAllowancePct
      // (optional: configs written before v1.9 leave them out and have none)
      vacationSeasons: z.array(z.strictObject({ from: monthDay, to: monthDay })).max(12).default([]),
      vacationAllowancePct: z.number().finite().min(0).max(50).default(0),
      // a second, longer weekday baseline (days of use; 0: none): the expectation is the lower of the two, so a
      // busy stretch in the last weeks (a quarter-end push) does not raise the bar for the quiet weeks after it
      // (v1.10; configs written before it have none)
      longBaselineDays: z.int().min(0).max(84).default(0),
      // a quarterly rhythm: when the same days one quarter back were at least this many percent below the four
      // weeks after them, the expectation is lowered as much (0: off; v1.11; configs written before it have none)
      quarterPhaseLowPct: z.number().finite().min(0).max(60).default(0),
    }),
    usersLost: z.strictObject({
      ...alerting,
      severity,
      margin,
      thresholdPct: z.number().finite().gt(0).max(100),
      silenceDays: z.int().min(3).max(21),
      regularShare: share,
      minRegulars: z.int().min(1),
      minLost: z.int().min(1),
      minUsageDropPct: z.number().finite().min(0).max(100),
      minUsageDropZ: z.number().finite().nonnegative(),
      minHistoryDays: z.int().min(0).max(90),
      // in a vacation season (loginDrop.vacationSeasons) a regular is lost after this many silent days (at least
      // silenceDays; optional: configs written before v1.9 leave it out and keep silenceDays)
      vacationSilenceDays: z.int().min(3).max(21).optional(),
      // how many people are away a week or more at once by chance (holidays, sick leave), and how unlikely
      // the lost must be at that rate (optional: configs written before v1.8 leave them out; 1 turns it off)
      awayShare: z.number().finite().gt(0).lt(1).default(0.1),
      maxChance: z.number().finite().gt(0).max(1).default(1),
    }),
    usageDecline: z.strictObject({
      ...alerting,
      severity,
      margin,
      thresholdPct: z.number().finite().gt(0).max(100),
      minEvidenceZ: z.number().finite().nonnegative(),
      windowDays: z.int().min(6).max(28),
      baselineDays: z.int().min(14).max(56),
      baselineGapDays: z.int().min(0).max(28),
    }),
    teamContraction: z.strictObject({
      ...alerting,
      severity,
      margin,
      thresholdPct: z.number().finite().gt(0).max(100),
      minSharePct: z.number().finite().min(0).max(100),
      minExpectedEvents: z.number().finite().nonnegative(),
      minEvidenceZ: z.number().finite().nonnegative(),
      windowDays: z.int().min(3).max(28),
      // the baseline ends where the window starts and must stay inside the 90-day retention
      baselineDays: z.int().min(7).max(56),
      minBaselineDays: z.int().min(1).max(56),
      minHistoryDays: z.int().min(0).max(90),
    }),
    seatUtilisation: z.strictObject({ ...alerting, severity, margin, threshold: positive, target: positive, machineShareMax: share }),
    goingDark: z.strictObject({ ...alerting, severity, margin, thresholdDays: positive }),
    execSponsorSilence: z.strictObject({
      ...alerting, severity, margin, thresholdDays: positive,
      rhythmFactor: z.number().finite().nonnegative(),
      maxThresholdDays: positive,
      // the threshold once every holder of the role left (STAKEHOLDER_LEFT) and nobody took it over (v1.10;
      // configs written before it get the default)
      leftThresholdDays: positive.default(14),
    }),
    championLeft: z.strictObject({ ...alerting, severity, scorePenalty: share }),
    stakeholderAlignment: z.strictObject({
      ...alerting,
      // by destination state: decision makers silent while users work, detractors concentrated in one role
      severity: z.strictObject({ silent: severity, divided: severity }),
      minActiveUsers7d: z.int().min(1),
      silenceDays: positive,
      rhythmFactor: z.number().finite().nonnegative(),
      maxSilenceDays: positive,
      npsLookbackDays: z.int().min(1).max(730),
      detractorMax: z.int().min(0).max(9),
      minRoleDetractors: z.int().min(1),
      maxRoleNps: z.number().finite().min(-100).max(100),
      minNpsGap: z.number().finite().gt(0).max(200),
      minOtherAnswers: z.int().min(1),
    }),
    stakeholders: z.strictObject({
      silenceFullDays: z.strictObject({
        EXECUTIVE_SPONSOR: positive,
        ECONOMIC_BUYER: positive,
        TECHNICAL_OWNER: positive,
        DAILY_USER: positive,
      }),
    }),
    ticketFlood: z.strictObject({
      ...alerting,
      severity,
      margin,
      threshold: positive,
      windowDays: z.int().min(1).max(14),
      scorePenalty: score,
      // v1.7: the window's tickets must also be unlikely at the account's usual rate (Poisson
      // chance at most this); 1 = no such test, as configs written before v1.7 meant
      maxChance: z.number().finite().gt(0).max(1).default(1),
    }),
    supportPressure: z.strictObject({
      ...alerting,
      margin,
      severity: z.strictObject({ elevated: severity, high: severity }),
      elevated: score,
      high: score,
      // the baseline window ends 14 days back and must stay inside the 90-day retention
      baselineDays: z.int().min(14).max(76),
      baselineFloorTickets14d: positive,
      ticketRatioFull: z.number().finite().gt(1),
      escalationsFull: positive,
      reopeningsFull: positive,
      lowCsatShareFull: z.number().finite().gt(0).max(1),
      csatWindowDays: z.int().min(1).max(90),
      weights: weights(['tickets', 'escalations', 'reopenings', 'lowCsat'] as const),
    }),
    milestoneMissed: z.strictObject({
      ...alerting,
      severity,
      lookbackDays: positive,
      // UTC days after the due day that still count as in time (see signals/outcomes.ts); configs before have none
      graceDays: z.int().min(0).max(7).default(0),
    }),
    npsDetractor: z.strictObject({
      ...alerting,
      severity,
      margin,
      detractorMax: z.int().min(0).max(9),
      // v1.7: the named stakeholders' own answers in the look-back, not the latest answer of anyone;
      // defaults for configs written before
      lookbackDays: z.int().min(1).max(730).default(180),
      namedRoles: z.array(z.enum(['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION', 'DAILY_USER'])).min(1).default(['EXECUTIVE_SPONSOR', 'ECONOMIC_BUYER', 'TECHNICAL_OWNER', 'CHAMPION']),
    }),
    detractorShare: z.strictObject({
      ...alerting,
      severity,
      lookbackDays: z.int().min(1).max(730),
      detractorMax: z.int().min(0).max(9),
      baseShare: z.number().finite().gt(0).lt(1),
      maxChance: z.number().finite().gt(0).lt(1),
      minDetractors: z.int().min(1),
    }),
    relationship: z.strictObject({
      csatWindowDays: z.int().min(1).max(90),
      // v1.7: CSAT counts in relationship quality from this many answers in the window; 1 as before
      minCsatAnswers: z.int().min(1).default(1),
      weights: weights(['nps', 'csat'] as const),
    }),
    adoption: z.strictObject({
      ...alerting,
      margin,
      severity: z.strictObject({ moderate: severity, shallow: severity }),
      deep: score,
      moderate: score,
      powerUserMinActiveDays: z.int().min(1).max(28),
      targets: z.strictObject({
        features: positive,
        workflows: positive,
        integrations: positive,
        teams: positive,
        powerUserShare: z.number().finite().gt(0).max(1),
      }),
      weights: weights(['features', 'workflows', 'integrations', 'teams', 'powerUsers'] as const),
    }),
    valueLockIn: z.strictObject({
      ...alerting,
      severity,
      margin,
      weak: z.number().finite().min(0).max(10),
      strong: z.number().finite().min(0).max(10),
      minComponents: z.int().min(1).max(3),
      weights: weights(['usageDepth', 'outcomes', 'relationship'] as const),
    }),
    health: z.strictObject({
      dwellDays: days,
      margin,
      tiers: z.strictObject({ green: score, yellow: score, orange: score }),
      // by destination tier; a change for the better is always INFO
      severity: z.strictObject({ YELLOW: severity, ORANGE: severity, RED: severity }),
      weights: weights([
        'adoption',
        'seatUtilisation',
        'loginTrend',
        'activity',
        'stakeholders',
        'support',
        'outcomes',
        'relationship',
      ] as const),
    }),
    renewal: z.strictObject({
      windows: z
        .array(z.strictObject({ withinDays: z.int().nonnegative(), raiseBy: z.int().min(0).max(2), minSeverity: severity }))
        .max(10),
    }),
  })
  // Cross-field rules run even when other fields are broken (`when`), so one
  // round of fixes is enough; they only compare what is already a number.
  .refine(...ordered(['health', 'tiers', 'green'], ['health', 'tiers', 'yellow'], 'lower', 'must be below tiers.green'))
  .refine(...ordered(['health', 'tiers', 'yellow'], ['health', 'tiers', 'orange'], 'lower', 'must be below tiers.yellow'))
  .refine(...ordered(['adoption', 'deep'], ['adoption', 'moderate'], 'lower', 'must be below adoption.deep'))
  .refine(...ordered(['supportPressure', 'high'], ['supportPressure', 'elevated'], 'upper', 'must be above supportPressure.elevated'))
  .refine(...ordered(['valueLockIn', 'strong'], ['valueLockIn', 'weak'], 'upper', 'must be above valueLockIn.weak'))
  .refine(
    (c: unknown) => {
      const windows = at(c, ['renewal', 'windows']);
      if (!Array.isArray(windows)) return true;
      const days = windows.map((w) => at(w, ['withinDays']));
      return new Set(days).size === days.length;
    },
    { when: () => true, path: ['renewal', 'windows'], message: 'each window needs its own withinDays' },
  );

/** A refinement that `upper` > `lower`, reported at one of them. */
function ordered(upper: string[], lower: string[], reportAt: 'upper' | 'lower', message: string) {
  return [
    (c: unknown) => {
      const u = at(c, upper);
      const l = at(c, lower);
      return typeof u !== 'number' || typeof l !== 'number' || u > l;
    },
    { when: () => true, path: reportAt === 'upper' ? upper : lower, message },
  ] as const;
}

function at(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/** Severities an alert rule can be configured with. */
export type ConfiguredSeverity = z.output<typeof severity>;

/** A hysteresis margin, absolute or relative to its threshold. */
export type Margin = z.output<typeof margin>;

/** Every parameter of the model as it applies to one segment (base merged with that segment's overrides). */
export type SegmentConfig = z.output<typeof scoringParamsSchema>;

/** Segments that can carry overrides. `UNKNOWN` or no segment uses the base. */
export const OVERRIDABLE_SEGMENTS = ['ENTERPRISE', 'MID_MARKET', 'SMB'] as const;

/** A segment with its own overrides. */
export type OverridableSegment = (typeof OVERRIDABLE_SEGMENTS)[number];

/** Every field optional, at any depth; arrays are replaced whole, never merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A partial config deep-merged over the base for one segment; `model_version` is never overridden. */
export type SegmentOverride = DeepPartial<Omit<SegmentConfig, 'model_version'>>;

/**
 * The versioned scoring config: the base parameters plus per-segment partial
 * overrides. Build it with {@link parseScoringConfig} (or start from
 * `DEFAULT_SCORING_CONFIG`); resolve one segment with `configForSegment`.
 */
export type ScoringConfig = SegmentConfig & {
  segments: Partial<Record<OverridableSegment, SegmentOverride>>;
};
