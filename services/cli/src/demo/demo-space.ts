import { join } from 'node:path';
import { stackDir } from '@valuepulse/config';

/**
 * Where the demo lives: its own topic prefix, consumer groups, Redis key
 * prefix and ClickHouse database, so it never mixes with anything else on
 * the stack, and a folder under the stack's for its logs, pids and labels.
 */
export interface DemoSpace {
  topicPrefix: string;
  redisKeyPrefix: string;
  database: string;
  scorerGroup: string;
  sinkGroup: string;
  dir: string;
}

/** The demo's names (fixed, so the commands it prints stay valid between runs). */
export function demoSpace(env: NodeJS.ProcessEnv): DemoSpace {
  const base = stackDir(env) ?? join(process.cwd(), '.stack');
  return {
    topicPrefix: 'demo.',
    redisKeyPrefix: 'demo:',
    database: 'valuepulse_demo',
    scorerGroup: 'demo-health-scorer',
    sinkGroup: 'demo-history-sink',
    dir: join(base, 'demo'),
  };
}
