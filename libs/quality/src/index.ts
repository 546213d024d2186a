export { accountLabelSchema, labelOutcomes, outcomeLabelSchema, parseLabels, type AccountLabel, type OutcomeLabel } from './labels.js';
export { detectionQuality, isRelevant, isWarning, percentile, type ArchetypeQuality, type Period, type QualityAlert, type QualityReport } from './detection-quality.js';
export { formatQualityTable, QUALITY_GOALS, shortfalls } from './quality-goals.js';
export { createOutcomeCollector, type Outcome, type OutcomeCollector, type OutcomeKind, type OutcomeSourceEvent } from './outcomes.js';
export {
  AUC_DAYS,
  EARLY_LEAD_DAYS,
  leadTimes,
  MIN_AUC_OUTCOMES,
  nonGreenFromAlerts,
  outcomeQuality,
  rocAuc,
  type LeadTimes,
  type OutcomeInputs,
  type OutcomeReport,
  type ScoreAuc,
} from './outcome-quality.js';
export { formatOutcomeTable } from './outcome-table.js';
