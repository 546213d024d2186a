export { accountLabelSchema, outcomeLabelSchema, parseLabels, type AccountLabel, type OutcomeLabel } from './labels.js';
export { detectionQuality, isRelevant, isWarning, percentile, type ArchetypeQuality, type Period, type QualityAlert, type QualityReport } from './detection-quality.js';
export { formatQualityTable, QUALITY_GOALS, shortfalls } from './quality-goals.js';
