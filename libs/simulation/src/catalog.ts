// The simulated product: what accounts can use, who they are and what their
// success plans say. Plain names, so alerts and rows read like a real product.

/** A product feature and the product line it belongs to. */
export interface FeatureSpec {
  id: string;
  productLine: 'core' | 'analytics' | 'automation';
}

/** Features in rough order of popularity: accounts adopt from the top. */
export const FEATURES: readonly FeatureSpec[] = [
  { id: 'dashboards', productLine: 'analytics' },
  { id: 'reports', productLine: 'analytics' },
  { id: 'search', productLine: 'core' },
  { id: 'workspaces', productLine: 'core' },
  { id: 'comments', productLine: 'core' },
  { id: 'exports', productLine: 'core' },
  { id: 'alerts', productLine: 'automation' },
  { id: 'templates', productLine: 'core' },
  { id: 'imports', productLine: 'core' },
  { id: 'forecasting', productLine: 'analytics' },
  { id: 'scheduling', productLine: 'automation' },
  { id: 'approvals', productLine: 'automation' },
  { id: 'segments', productLine: 'analytics' },
  { id: 'notifications', productLine: 'core' },
  { id: 'playbooks', productLine: 'automation' },
  { id: 'data-sync', productLine: 'automation' },
  { id: 'audit-log', productLine: 'core' },
  { id: 'api-keys', productLine: 'core' },
  { id: 'webhooks', productLine: 'automation' },
  { id: 'sandbox', productLine: 'core' },
  { id: 'cohorts', productLine: 'analytics' },
  { id: 'sso', productLine: 'core' },
  { id: 'mobile', productLine: 'core' },
  { id: 'benchmarks', productLine: 'analytics' },
];

/** Departments; an account's teams are drawn from these. */
export const TEAMS: readonly string[] = [
  'sales', 'customer-success', 'finance', 'operations', 'marketing', 'support',
  'it', 'product', 'engineering', 'hr', 'legal', 'procurement',
];

/** The team executive sponsors and economic buyers sit in. */
export const LEADERSHIP_TEAM = 'leadership';

/** Third-party systems an account connects. */
export const INTEGRATIONS: readonly string[] = [
  'salesforce', 'slack', 'hubspot', 'jira', 'zendesk', 'snowflake', 'google-workspace',
  'microsoft-teams', 'netsuite', 'okta', 'github', 'bigquery',
];

/** Integrated workflows (automations that run on a schedule). */
export const WORKFLOWS: readonly string[] = [
  'weekly-digest', 'lead-routing', 'renewal-reminders', 'invoice-sync', 'ticket-triage', 'usage-export',
  'data-refresh', 'approval-chain', 'onboarding-checklist', 'escalation-alerts', 'forecast-rollup', 'qbr-pack',
];

/** Success-plan milestones, in the order they fall due. */
export const MILESTONES: readonly string[] = [
  'Kick-off complete',
  'Integrations live',
  'First team fully onboarded',
  'First business review',
  'Rollout to all teams',
  'Renewal value review',
];

/** Reports executives look at. */
export const EXECUTIVE_REPORTS: readonly string[] = ['weekly-summary', 'adoption-overview', 'roi-tracker', 'pipeline-health'];

/** Ticket categories with their weights; billing tickets name no feature. */
export const TICKET_CATEGORIES: readonly (readonly [string, number])[] = [
  ['how-to', 45], ['bug', 28], ['integration', 10], ['performance', 10], ['billing', 7],
];

/** Currencies with their weights. */
export const CURRENCIES: readonly (readonly [string, number])[] = [['USD', 55], ['EUR', 30], ['GBP', 15]];
