// A backtest shard in a worker thread: the replays of some accounts, one per
// config, fed by the main thread (see createBacktest's `threads`).
import { parentPort, workerData } from 'node:worker_threads';
import type { ScoringConfig } from '@valuepulse/scoring';
import type { StoreEvent } from '@valuepulse/state';
import { createConfigReplay } from './config-replay.js';

/** A message to a shard: events of its accounts and clock moves, in order; then the end. */
export type ShardItem = [0, StoreEvent, boolean] | [1, number];
export type ShardMessage = { items: ShardItem[] } | { end: true };
/** A shard's results, one per config, in plain form (structured clone). */
export type ShardReply = { evaluations: number; alerts: unknown[]; nonGreenAt: [string, number[]][]; scores: [string, number[], number[]][] }[];

const { configs, until } = workerData as { configs: ScoringConfig[]; until?: number };
const replays = configs.map((config) => createConfigReplay(config, until === undefined ? {} : { until }));
parentPort?.on('message', (message: ShardMessage) => {
  if ('items' in message) {
    for (const item of message.items) {
      if (item[0] === 0) for (const r of replays) r.push(item[1], item[2]);
      else for (const r of replays) r.advance(item[1]);
    }
    return;
  }
  const reply: ShardReply = replays.map((r) => {
    const out = r.end();
    return { evaluations: out.evaluations, alerts: out.alerts, nonGreenAt: [...out.nonGreenAt], scores: [...out.scores].map(([id, s]) => [id, s.days, s.values]) };
  });
  parentPort?.postMessage(reply);
});
