import type { Writable } from 'node:stream';
import type { Endpoints } from '@valuepulse/config';
import { createSimulation, type Simulation } from '@valuepulse/simulation';
import type { EventSink } from './event-sink.js';
import { createJsonlSink } from './jsonl-sink.js';
import { createKafkaSink, type KafkaSink } from './kafka-sink.js';
import { writeLabels } from './labels-file.js';
import type { SimulatorOptions } from './options.js';
import { createPacer } from './pacer.js';
import { createProgress } from './progress.js';

/** What a run needs from its surroundings (the process's, or a test's). */
export interface SimulatorDeps {
  stderr: Writable;
  /** Needed when `options.kafka`. */
  endpoints?: Endpoints;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Aborting stops after the day (or send) in hand; the run then rejects. */
  signal?: AbortSignal;
}

/** What a run did. */
export interface SimulatorSummary {
  accounts: number;
  atRisk: number;
  events: { usage: number; support: number; account: number; total: number };
  /** Events the broker acknowledged (0 without Kafka). */
  produced: number;
  seconds: number;
  simulation: Simulation;
}

/**
 * Runs one scenario: writes the labels file first (the ground truth exists
 * even if production is interrupted), then streams the days into the sinks
 * (JSON Lines files with `options.out`, Kafka with `options.kafka`) with a
 * progress line on stderr every 2 s, and a summary at the end.
 *
 * @throws when a sink fails (topic missing, schema not registered, broker
 *   down) or the run was aborted; sinks are closed either way.
 */
export async function runSimulator(options: SimulatorOptions, deps: SimulatorDeps): Promise<SimulatorSummary> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  const simulation = createSimulation(options.simulation);
  const { labels } = simulation;
  await writeLabels(options.labels, labels);

  const sinks: EventSink[] = [];
  let kafka: KafkaSink | undefined;
  const events = { usage: 0, support: 0, account: 0, total: 0 };
  try {
    if (options.out !== null) sinks.push(await createJsonlSink(options.out));
    if (options.kafka) {
      if (!deps.endpoints) throw new Error('Kafka endpoints are required to produce');
      kafka = await createKafkaSink({ endpoints: deps.endpoints, topicPrefix: options.topicPrefix, batchSize: options.batchSize, pacer: createPacer(options.rate, now, sleep) });
      sinks.push(kafka);
    }
    const progress = createProgress(deps.stderr, 'simulate', now);
    const { days } = simulation.options;
    for (const day of simulation.days()) {
      if (deps.signal?.aborted) throw new Error(`interrupted on day ${day.day} of ${days}, after ${events.total} events`);
      for (const sink of sinks) await sink.write(day);
      events.usage += day.usage.length;
      events.support += day.support.length;
      events.account += day.account.length;
      events.total = events.usage + events.support + events.account;
      progress.tick(() => `day ${day.day + 1}/${days}, ${events.total} events${kafka ? `, ${kafka.produced()} acknowledged, ${rate(kafka.produced(), started, now())} events/s` : ''}`);
    }
  } finally {
    const closing = await Promise.allSettled(sinks.map((s) => s.close()));
    const failed = closing.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
  const seconds = (now() - started) / 1000;
  const summary: SimulatorSummary = { accounts: labels.length, atRisk: labels.filter((l) => l.at_risk).length, events, produced: kafka?.produced() ?? 0, seconds, simulation };
  const where = [options.out !== null ? `files in ${options.out}` : null, kafka ? `${summary.produced} produced to Kafka${options.topicPrefix ? ` (prefix ${options.topicPrefix})` : ''}` : null].filter(Boolean).join(', ');
  deps.stderr.write(
    `simulate: ${summary.accounts} accounts (${summary.atRisk} at risk), ${simulation.options.days} days to ${new Date(simulation.options.endsAt).toISOString().slice(0, 10)}: ` +
      `${events.usage} usage, ${events.support} support, ${events.account} account events; ${where}; labels in ${options.labels}; ${seconds.toFixed(1)} s\n`,
  );
  return summary;
}

function rate(count: number, startedMs: number, nowMs: number): number {
  return Math.round(count / Math.max((nowMs - startedMs) / 1000, 0.001));
}
