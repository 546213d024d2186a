// `npm run decline-candidates -- [--seed N --accounts N --days N] | [--dir DIR]`
//
// How fast could a slow decline be seen, and at what price in false alarms?
// Replays a labelled scenario as `npm run quality` does (the simulator's, or
// JSON Lines files plus labels.jsonl in DIR, e.g. from bench/heldout) and, once
// per account and settled day, computes candidate decline statistics from the
// account's own state with the model's rhythm machinery (weekday medians,
// month phase, pauses, late window, dispersion-widened z); then, for each
// candidate rule, prints when it would first have held: the median delay
// after the onset on the declining archetypes, how many accounts it held on
// before their onset, and how many healthy accounts it ever held on (no
// dwell, no cooldown: a rule that holds once on a healthy account would have
// alerted it). A script that prints figures, for choosing a rule; the model's
// own figures come from `npm run quality`.
import { configForSegment, dayRows, DEFAULT_SCORING_CONFIG } from '@valuepulse/scoring';
import { replayInMemory } from '@valuepulse/state';
import { judgeWindow } from '../libs/scoring/src/signals/login-drop.js';
import { median } from '../libs/scoring/src/math.js';
import { usageRhythm } from '../libs/scoring/src/signals/usage-rhythm.js';
import { accountStartDay } from '../libs/scoring/src/windows.js';
import { parseFlags } from './common/cli.js';
import { scenarioFromDir, simulatedScenario } from './common/labelled-scenario.js';
import { textTable } from './common/report.js';

const DAY_MS = 86_400_000;
// not judged before the account's 42nd day (what usage_decline needs: a 14-day window, a 14-day gap, 14 baseline days)
const MIN_AGE_DAYS = 42;
const DECLINING = new Set(['slow_decay', 'mild_decline', 'decline_5pct', 'unit_leaves', 'unit_leaves_20', 'sudden_drop']);

const flags = parseFlags('decline-candidates', {
  seed: { type: 'count', default: 1 },
  accounts: { type: 'count', default: 200 },
  days: { type: 'count', default: 120 },
  'ends-at': { type: 'string', default: '2026-12-06' },
  dir: { type: 'string' },
});

/** The candidate statistics of one account on one settled day (NaN: not assessable). */
interface Day {
  at: number;
  /** The last 7 settled days against the 28 days ending `gap` days before them: drop % and z, for gaps 7, 14, 21. */
  week: Record<7 | 14 | 21, { pct: number; z: number; prevPct: number }>;
  /** The model's usage_decline: drop %, z, still sliding. */
  decline: { pct: number; z: number; continuing: boolean };
  /** users_lost: regulars silent a week or more. */
  lost: number;
}

const { labels, events, to } = flags.dir
  ? scenarioFromDir(flags.dir)
  : simulatedScenario({ seed: flags.seed, accounts: flags.accounts, days: flags.days, endsAt: flags['ends-at'] });
const days = new Map<string, Day[]>();
const lastSettled = new Map<string, number>();
replayInMemory(events, {
  config: DEFAULT_SCORING_CONFIG,
  until: to,
  onEvaluation: (id, now, e, state) => {
    if ((e.signals.accountAgeDays ?? 0) < MIN_AGE_DAYS) return;
    const config = configForSegment(DEFAULT_SCORING_CONFIG, state.contract.segment);
    const rows = dayRows(state.days);
    const rhythm = usageRhythm(config, now, rows, accountStartDay(state, rows));
    if (lastSettled.get(id) === rhythm.settledDay) return; // nothing settled since: the same judgment
    lastSettled.set(id, rhythm.settledDay);
    const judged = (w: ReturnType<typeof judgeWindow>) => ({ pct: w.assessable && w.pct !== null ? w.pct : Number.NaN, z: w.z ?? Number.NaN });
    const week = {} as Day['week'];
    for (const gap of [7, 14, 21] as const) {
      const now7 = judged(judgeWindow(rhythm, config, 7, 28, gap));
      const before = judged(judgeWindow({ ...rhythm, settledDay: rhythm.settledDay - 7 }, config, 7, 28, gap));
      week[gap] = { ...now7, prevPct: before.pct };
    }
    const d = e.signals.usageDecline;
    const list = days.get(id) ?? [];
    list.push({ at: now, week, decline: { pct: d.assessable && d.pct !== null ? d.pct : Number.NaN, z: d.z ?? Number.NaN, continuing: d.continuing }, lost: e.signals.usersLost.lost });
    days.set(id, list);
  },
});

type Rule = (d: Day) => boolean;
const model: Rule = (d) => d.decline.pct >= 20 && d.decline.z >= 3 && d.decline.continuing;
const rules: [string, Rule][] = [['usage_decline as shipped (14 d, gap 14, ≥ 20 %, z ≥ 3, sliding)', model]];
for (const gap of [7, 14, 21] as const) {
  for (const z of [2, 3]) {
    rules.push([`7 d, gap ${gap}, ≥ 15 %, z ≥ ${z}`, (d) => d.week[gap].pct >= 15 && d.week[gap].z >= z]);
    rules.push([`7 d, gap ${gap}, ≥ 15 %, z ≥ ${z}, week before ≥ 7.5 %`, (d) => d.week[gap].pct >= 15 && d.week[gap].z >= z && d.week[gap].prevPct >= 7.5]);
  }
}
for (const z of [2, 2.5]) {
  rules.push([`usage_decline, or ≥ 12 %, z ≥ ${z}, sliding, ≥ 2 regulars lost`, (d) => model(d) || (d.decline.pct >= 12 && d.decline.z >= z && d.decline.continuing && d.lost >= 2)]);
}

const archetypes = [...new Set(labels.filter((l) => DECLINING.has(l.archetype)).map((l) => l.archetype))].sort();
const healthy = labels.filter((l) => !l.at_risk);
const table: string[][] = [];
for (const [name, rule] of rules) {
  const row = [name];
  for (const archetype of archetypes) {
    const delays: number[] = [];
    let early = 0;
    const accounts = labels.filter((l) => l.archetype === archetype && l.onset_at !== null);
    for (const label of accounts) {
      const onset = label.onset_at as number;
      const held = (days.get(label.account_id) ?? []).filter(rule);
      if (held.some((d) => d.at < onset - DAY_MS)) early += 1;
      const first = held.find((d) => d.at >= onset);
      if (first) delays.push((first.at - onset) / DAY_MS);
    }
    row.push(`${delays.length}/${accounts.length}, ${medianDays(delays)}${early > 0 ? `, ${early} early` : ''}`);
  }
  const alarmed = healthy.filter((l) => (days.get(l.account_id) ?? []).some(rule));
  row.push(`${alarmed.length}/${healthy.length}${alarmed.length > 0 ? ` (${[...new Set(alarmed.map((l) => l.archetype))].join(', ')})` : ''}`);
  table.push(row);
}
console.log(
  textTable(
    `decline-candidates — ${labels.length} accounts${flags.dir ? ` from ${flags.dir}` : `, seed ${flags.seed}`}`,
    'per declining archetype: accounts it held on after the onset / accounts, the median days from the onset to the first time, accounts it held on before the onset',
    [['rule', ...archetypes, 'healthy accounts it ever held on'], ...table],
  ),
);

function medianDays(values: number[]): string {
  return values.length === 0 ? '–' : `${median(values).toFixed(1)} d`;
}
