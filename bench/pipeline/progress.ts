import { quantile } from '../common/stats.js';
import type { Probe, ProbeAlert } from './probes.js';

/** Event-to-alert latency of a set of probes, ms. */
export interface LatencySummary {
  probes: number;
  alerted: number;
  /** Probes whose alert never arrived (should be 0: each is a defect or a timeout). */
  missing: string[];
  /** Alert record's Kafka timestamp − the probe's produce timestamp. */
  p50: number;
  p99: number;
  max: number;
  min: number;
  /** The same, to when the alert was consumed from the topic (adds the fetch of a reader). */
  consumedP50: number;
  consumedP99: number;
  /** Input records the scorer had not committed when each probe went out. */
  backlogAtProbe: { min: number; max: number };
}

export function summarizeLatency(probes: readonly Probe[], alerts: ReadonlyMap<string, ProbeAlert>): LatencySummary {
  const toTimestamp: number[] = [];
  const toConsumed: number[] = [];
  const missing: string[] = [];
  for (const p of probes) {
    const a = alerts.get(p.accountId);
    if (!a) {
      missing.push(p.accountId);
      continue;
    }
    toTimestamp.push(a.timestamp - p.producedAt);
    toConsumed.push(a.consumedAt - p.producedAt);
  }
  const backlogs = probes.map((p) => p.backlog);
  return {
    probes: probes.length,
    alerted: toTimestamp.length,
    missing,
    p50: quantile(toTimestamp, 0.5),
    p99: quantile(toTimestamp, 0.99),
    max: toTimestamp.length ? Math.max(...toTimestamp) : Number.NaN,
    min: toTimestamp.length ? Math.min(...toTimestamp) : Number.NaN,
    consumedP50: quantile(toConsumed, 0.5),
    consumedP99: quantile(toConsumed, 0.99),
    backlogAtProbe: { min: backlogs.length ? Math.min(...backlogs) : Number.NaN, max: backlogs.length ? Math.max(...backlogs) : Number.NaN },
  };
}
