// `node --conditions=valuepulse-source --import tsx bench/eval-digest.ts --dir DIR [--out FILE]`
//
// A digest of every evaluation of a replay: each evaluation's full result
// (signals, score, tier, snapshot, alerts, emitted memory, next evaluation
// time) and the state it read, serialised with key order, -0 and NaN kept,
// hashed per evaluation and over all. Two versions of the scoring path that
// print the same digest produced the same outputs, including what the
// quality report does not print. A script that prints figures, not a test.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { replayInMemory } from '@valuepulse/state';
import { parseFlags } from './common/cli.js';
import { scenarioFromDir } from './common/labelled-scenario.js';

const flags = parseFlags('eval-digest', { dir: { type: 'string' }, out: { type: 'string' } });
if (!flags.dir) throw new Error('--dir DIR is required');
const { events, to } = scenarioFromDir(flags.dir);

/** JSON-like text that keeps what JSON.stringify blurs: -0, NaN, ±Infinity, undefined. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return 'fn';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Set) return `Set[${[...value].map(canonical).join(',')}]`;
  if (value instanceof Map) return `Map[${[...value].map(([k, v]) => `${canonical(k)}:${canonical(v)}`).join(',')}]`;
  return `{${Object.keys(value as object).map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const total = createHash('sha256');
const lines: string[] = [];
let n = 0;
const { alerts, evaluations } = replayInMemory(events, {
  config: DEFAULT_SCORING_CONFIG,
  until: to,
  onEvaluation: (id, now, e, state) => {
    const digest = createHash('sha256').update(canonical({ id, now, e, state })).digest('hex').slice(0, 16);
    total.update(digest);
    lines.push(`${n} ${id} ${now} ${digest}`);
    n += 1;
  },
});
const alertDigest = createHash('sha256').update(canonical(alerts)).digest('hex');
if (flags.out) writeFileSync(flags.out, `${lines.join('\n')}\n`);
console.log(`evaluations ${evaluations} alerts ${alerts.length}`);
console.log(`alerts ${alertDigest}`);
console.log(`all ${total.digest('hex')}`);
