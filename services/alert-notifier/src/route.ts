import type { AlertSeverity, HealthAlert, Segment } from '@valuepulse/contracts';
import type { Endpoint, RouteMatch, Routing } from './routes-file.js';

/** What routing knows of an alert's account beyond the alert: from the scorer's state. */
export interface AccountFacts {
  owner: string | null;
  segment: Segment | null;
}

const RANK: Record<AlertSeverity, number> = { UNKNOWN: 0, INFO: 1, WARNING: 2, CRITICAL: 3 };

/** Whether `alert` (with its account's facts) satisfies every criterion of `match`. */
export function matches(match: RouteMatch, alert: HealthAlert, facts: AccountFacts): boolean {
  if (match.severity && !match.severity.includes(alert.severity as Exclude<AlertSeverity, 'UNKNOWN'>)) return false;
  if (match.minSeverity && RANK[alert.severity] < RANK[match.minSeverity]) return false;
  if (match.signal && !match.signal.includes(alert.signal)) return false;
  if (match.segment && (facts.segment === null || !match.segment.includes(facts.segment as Exclude<Segment, 'UNKNOWN'>))) return false;
  if (match.owner && (facts.owner === null || !match.owner.includes(facts.owner))) return false;
  return true;
}

/**
 * The endpoints an alert goes to: the union of the `to` lists of every
 * matching route, each endpoint once, in file order.
 */
export function route(routing: Routing, alert: HealthAlert, facts: AccountFacts): Endpoint[] {
  const names = new Set<string>();
  for (const r of routing.routes) if (matches(r.match, alert, facts)) for (const to of r.to) names.add(to);
  return [...names].map((n) => routing.endpoints.get(n) as Endpoint);
}
