import { quantile } from '../common/stats.js';

/** How one request went. */
interface Answer {
  status: number;
  accepted: number;
  ms: number;
}

async function post(url: string, auth: string, body: string): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body });
  const json = (await res.json()) as { accepted?: number };
  return { status: res.status, accepted: json.accepted ?? 0, ms: performance.now() - started };
}

/** What a closed-loop run measured. */
export interface ThroughputResult {
  records: number;
  requests: number;
  concurrency: number;
  seconds: number;
  recordsPerSecond: number;
  /** Answers other than 200 (a complete run has none). */
  failed: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/**
 * Sends every body, `concurrency` requests at a time (each client sends its
 * next body when the previous one is answered), and measures from the first
 * request to the last answer: each 200 means Kafka acknowledged its records.
 */
export async function closedLoop(url: string, auth: string, requests: readonly { body: string; records: number }[], concurrency: number): Promise<ThroughputResult> {
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        const request = requests[i];
        if (!request) return;
        const a = await post(url, auth, request.body);
        latencies.push(a.ms);
        if (a.status === 200) accepted += a.accepted;
        else failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    records: accepted, requests: requests.length, concurrency, seconds,
    recordsPerSecond: accepted / seconds,
    failed,
    latencyMs: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(...latencies) },
  };
}

/** What a paced run measured. */
export interface PacedResult {
  targetRecordsPerSecond: number;
  recordsPerRequest: number;
  requests: number;
  seconds: number;
  achievedRecordsPerSecond: number;
  failed: number;
  /** From each request's scheduled time to its answer (a late start counts against the gateway). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
}

/**
 * Open loop: request `i` is due at `i / rate` seconds and is sent then
 * whether or not earlier ones were answered; its latency runs from when it
 * was due, so a stalled gateway cannot hide its queue (no coordinated omission).
 */
export async function paced(url: string, auth: string, requests: readonly { body: string; records: number }[], recordsPerSecond: number): Promise<PacedResult> {
  const perRequest = requests[0]?.records ?? 1;
  const interval = (perRequest / recordsPerSecond) * 1000;
  const latencies: number[] = [];
  let failed = 0;
  let accepted = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < requests.length; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const request = requests[i] as { body: string };
    inFlight.push(
      post(url, auth, request.body).then((a) => {
        latencies.push(performance.now() - due);
        if (a.status === 200) accepted += a.accepted;
        else failed += 1;
      }),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  return {
    targetRecordsPerSecond: recordsPerSecond, recordsPerRequest: perRequest, requests: requests.length, seconds,
    achievedRecordsPerSecond: accepted / seconds, failed,
    latencyMs: { p50: quantile(latencies, 0.5), p90: quantile(latencies, 0.9), p99: quantile(latencies, 0.99), max: Math.max(...latencies) },
  };
}
