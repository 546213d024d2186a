// `node --conditions=valuepulse-source --import tsx bench/replay-compare.ts --dir DIR --a CHECKOUT --b CHECKOUT [--rounds N]`
//
// CPU time of the in-memory replay (`replayInMemory`: the state read, applying
// events and `evaluate`, as `valuepulse backtest` runs them) from two
// checkouts of this repository (each with its own node_modules, as `git
// worktree add` + `npm ci` leave it), on the same events (DIR: JSON Lines
// files as `valuepulse simulate --out` writes them), rounds alternated A, B,
// A, B in one process. On a machine other work keeps busy, two processes run
// one after the other measure the neighbours as much as the change; here both
// sides share whatever the machine does. Prints figures, asserts nothing;
// the evaluations and alerts of both sides are printed so a difference shows.
import type { StoreEvent } from '@valuepulse/state';
import { DEFAULT_SCORING_CONFIG, type ScoringConfig } from '@valuepulse/scoring';
import { parseFlags } from './common/cli.js';
import { scenarioFromDir } from './common/labelled-scenario.js';

type Replay = (events: Iterable<StoreEvent>, options: { config: ScoringConfig; until?: number }) => { evaluations: number; alerts: unknown[] };

const flags = parseFlags('replay-compare', { dir: { type: 'string' }, a: { type: 'string' }, b: { type: 'string' }, rounds: { type: 'count', default: 4 } });
if (!flags.dir || !flags.a || !flags.b) throw new Error('--dir, --a and --b are required');
const sides: [string, Replay][] = [
  ['a', (await import(`${flags.a}/libs/state/src/index.ts`)).replayInMemory as Replay],
  ['b', (await import(`${flags.b}/libs/state/src/index.ts`)).replayInMemory as Replay],
];
const scenario = scenarioFromDir(flags.dir);
const events = [...scenario.events];
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const seconds = new Map<string, number[]>(sides.map(([name]) => [name, []]));
for (let round = 1; round <= flags.rounds; round += 1) {
  for (const [name, replay] of sides) {
    const started = cpuSeconds();
    const out = replay(events, { config: DEFAULT_SCORING_CONFIG, until: scenario.to });
    const s = cpuSeconds() - started;
    seconds.get(name)?.push(s);
    console.log(`${name} round ${round}: ${s.toFixed(2)} s CPU, ${out.evaluations} evaluations, ${out.alerts.length} alerts`);
  }
}
for (const [name, list] of seconds) {
  const sorted = [...list].sort((x, y) => x - y);
  const best = sorted[0] ?? Number.NaN;
  const median = sorted[sorted.length >> 1] ?? Number.NaN;
  console.log(`${name} (${name === 'a' ? flags.a : flags.b}): best ${best.toFixed(2)} s, median ${median.toFixed(2)} s CPU for ${events.length} events: ${Math.round(events.length / best)} events per CPU-second at best, ${Math.round(events.length / median)} at the median`);
}
