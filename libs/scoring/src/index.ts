export {
  CSAT_ANSWERS_KEPT,
  DAY_MS,
  NPS_ANSWERS_KEPT,
  ROLE_DAYS_KEPT,
  ROLE_DAYS_ROLES,
  SUB_ACCOUNT_KEYS_KEPT,
  dayOf,
  isChurned,
  unitDaysOf,
  unitEventsOn,
  type AccountState,
  type ContractFacts,
  type DayCounters,
  type EmittedState,
  type Milestone,
  type NpsAnswer,
  type SignalMemory,
  type SurveyAnswer,
  type UnitDays,
} from './account-state.js';
export {
  OVERRIDABLE_SEGMENTS,
  scoringParamsSchema,
  type ConfiguredSeverity,
  type DeepPartial,
  type Margin,
  type OverridableSegment,
  type ScoringConfig,
  type SegmentConfig,
  type SegmentOverride,
} from './scoring-config.js';
export { DEFAULT_SCORING_CONFIG } from './default-scoring-config.js';
export { parseScoringConfig } from './parse-scoring-config.js';
export { ScoringConfigError } from './scoring-config-error.js';
export { configForSegment } from './config-for-segment.js';
export { computeSignals, computeSegmentSignals, type Signals } from './signals/compute-signals.js';
export { computeActivity, type ActivitySignals } from './signals/activity.js';
export { computeLoginDrop, type LoginDrop } from './signals/login-drop.js';
export { computeUsageBreadth, type UsageBreadth } from './signals/usage-breadth.js';
export { ADOPTION_BANDS, computeAdoptionDepth, type AdoptionBand, type AdoptionDepth } from './signals/adoption-depth.js';
export { computeSeatUtilisation, type SeatUtilisation } from './signals/seat-utilisation.js';
export {
  computeStakeholders,
  SILENCE_ROLES,
  type DepartedChampion,
  type SilenceRole,
  type StakeholderSignals,
} from './signals/stakeholders.js';
export { computeSupportPressure, PRESSURE_BANDS, type PressureBand, type SupportPressure } from './signals/support-pressure.js';
export { computeTicketFlood, NO_FEATURE, type FeatureTickets, type TicketFlood } from './signals/ticket-flood.js';
export { computeOutcomes, type MilestoneOutcome, type MilestoneStatus, type Outcomes } from './signals/outcomes.js';
export { computeRelationship, type Relationship } from './signals/relationship.js';
export { computeValueLockIn, type LockInBand, type LockInInputs, type ValueLockIn } from './signals/value-lock-in.js';
export { computeHealthScore, HEALTH_TIERS, tierOf, type HealthInputs, type HealthScore, type ScoredTier } from './signals/health-score.js';
export {
  computeStakeholderAlignment,
  type RoleCsat,
  type RoleNps,
  type StakeholderAlignment,
} from './signals/stakeholder-alignment.js';
export { computeTeamContraction, type TeamContraction, type UnitContraction } from './signals/team-contraction.js';
export { computeRenewal, renewalWindow, type Renewal, type RenewalWindow } from './signals/renewal.js';
export type { WeightedPart } from './math.js';
export { dayRows, type DayRow } from './windows.js';
export { alertId } from './alerts/alert-id.js';
export { isScoringKey, SIGNAL_KEYS } from './alerts/observation.js';
export { roleName } from './alerts/evidence.js';
export { evaluate, type Evaluation } from './evaluate.js';
