// `node --conditions=valuepulse-source --import tsx bench/evaluate-bench.ts --dir DIR [--every N] [--rounds N]`
//
// CPU time of `evaluate` alone, on states a replay of DIR (JSON Lines files,
// as `valuepulse simulate --out` writes them) read: every Nth evaluation's
// state and time are kept, then evaluated again `rounds` times. The replay's
// other costs (reading files, applying events, the state read) are left out,
// so a change to libs/scoring shows undiluted. Prints figures, asserts nothing.
import { DEFAULT_SCORING_CONFIG, evaluate, type AccountState } from '@valuepulse/scoring';
import { replayInMemory } from '@valuepulse/state';
import { parseFlags } from './common/cli.js';
import { scenarioFromDir } from './common/labelled-scenario.js';

const flags = parseFlags('evaluate-bench', { dir: { type: 'string' }, every: { type: 'count', default: 10 }, rounds: { type: 'count', default: 5 } });
if (!flags.dir) throw new Error('--dir DIR is required');
const { events, to } = scenarioFromDir(flags.dir);
const kept: { state: AccountState; now: number }[] = [];
let n = 0;
replayInMemory(events, {
  config: DEFAULT_SCORING_CONFIG,
  until: to,
  onEvaluation: (_id, now, _e, state) => {
    if (n++ % flags.every === 0) kept.push({ state: structuredClone(state), now });
  },
});
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let round = 0; round < flags.rounds; round += 1) {
  const started = cpuMs();
  let alerts = 0;
  for (const { state, now } of kept) alerts += evaluate(state, DEFAULT_SCORING_CONFIG, now).alerts.length;
  const ms = cpuMs() - started;
  console.log(`round ${round + 1}: ${kept.length} evaluations, ${alerts} alerts, ${ms.toFixed(0)} ms CPU, ${((ms * 1000) / kept.length).toFixed(1)} µs per evaluation`);
}
