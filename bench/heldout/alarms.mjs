#!/usr/bin/env node
// Which healthy accounts a scoring config alarms on, across many held-out sets at once.
//
//   node bench/heldout/alarms.mjs [--config F] [--signal S] [--quiet] DIR...
//
// Replays each DIR (written by heldout-generator.mjs, or `valuepulse simulate --out`) with
// `valuepulse backtest --from-dir DIR --alerts-out …` (the built-in config, and the candidate
// --config F beside it), then prints per config: every healthy account with a warning (its
// signals, days and values), every at-risk account warned before its onset, and the totals —
// healthy accounts alarmed, and per at-risk archetype how many were warned by one of their
// expected signals after the onset, with the median delay. --signal counts one signal only;
// --quiet prints the totals alone. Runs from the sources (no build needed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const args = process.argv.slice(2);
let config = null;
let signal = null;
let quiet = false;
const dirs = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--config') config = path.resolve(args[++i] ?? '');
  else if (args[i] === '--signal') signal = args[++i] ?? null;
  else if (args[i] === '--quiet') quiet = true;
  else if (args[i]?.startsWith('--')) usage(`unknown option ${args[i]}`);
  else dirs.push(path.resolve(args[i]));
}
if (dirs.length === 0) usage('no DIR given');

function usage(why) {
  process.stderr.write(`alarms: ${why}\nusage: node bench/heldout/alarms.mjs [--config F] [--signal S] [--quiet] DIR...\n`);
  process.exit(2);
}

const day = (t) => new Date(t).toISOString().slice(0, 10);
const onsetOf = (label) => (typeof label.onset_at === 'number' ? label.onset_at : Date.parse(label.onset_at));
const configs = config ? ['baseline', 'candidate'] : ['baseline'];
const totals = Object.fromEntries(configs.map((c) => [c, { alarmed: 0, healthy: 0, early: 0, delays: {} }]));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'alarms-'));

for (const dir of dirs) {
  const out = path.join(scratch, `${path.basename(dir)}.jsonl`);
  execFileSync(
    process.execPath,
    ['--conditions=valuepulse-source', '--import', 'tsx', 'services/cli/src/bin.ts', 'backtest', '--from-dir', dir, '--alerts-out', out, '--json', ...(config ? ['--config', config] : [])],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const labels = fs.readFileSync(path.join(dir, 'labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const alerts = fs
    .readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((a) => a.severity !== 'INFO' && a.kind !== 'RECOVERED' && (signal === null || a.signal === signal));
  for (const cfg of configs) {
    const t = totals[cfg];
    const show = (what, label, list) => {
      if (!quiet) console.log(cfg, path.basename(dir), what, label.account_id, label.archetype, list.map((a) => `${a.signal}@${day(a.evaluated_at)}=${a.value}`).join(' '));
    };
    for (const label of labels) {
      const mine = alerts.filter((a) => a.config === cfg && a.account_id === label.account_id);
      if (!label.at_risk) {
        t.healthy += 1;
        if (mine.length > 0) {
          t.alarmed += 1;
          show('HEALTHY', label, mine);
        }
        continue;
      }
      const onset = onsetOf(label);
      const before = mine.filter((a) => a.evaluated_at < onset);
      if (before.length > 0) {
        t.early += 1;
        show('BEFORE-ONSET', label, before);
      }
      const expected = new Set(label.expected_signals);
      const first = mine.find((a) => a.evaluated_at >= onset && expected.has(a.signal));
      (t.delays[label.archetype] ??= []).push(first ? (first.evaluated_at - onset) / 86_400_000 : null);
    }
  }
}
fs.rmSync(scratch, { recursive: true, force: true });

const median = (xs) => {
  const v = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return v.length === 0 ? '-' : `${v[Math.floor((v.length - 1) / 2)].toFixed(1)} d`;
};
for (const [cfg, t] of Object.entries(totals)) {
  const archetypes = Object.entries(t.delays).map(([k, v]) => `${k} ${v.filter((x) => x !== null).length}/${v.length} (median ${median(v)})`);
  console.log(`${cfg}: healthy alarmed ${t.alarmed}/${t.healthy}; at-risk warned before the onset ${t.early}; warned after it: ${archetypes.join(', ')}`);
}
