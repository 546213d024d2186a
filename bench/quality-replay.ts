// `npm run quality -- [--seed N --accounts N --days N --mix M] | [--dir DIR] [--config F] [--details]`
//
// Detection quality of the scoring model in seconds, without the stack: a
// labelled scenario (the simulator's, or JSON Lines files plus labels.jsonl
// in DIR, e.g. from bench/heldout) is replayed in delivery order through
// in-memory account state and `evaluate` on the event clock
// (`replayInMemory` in @valuepulse/state, the scorer's semantics), then
// judged with `valuepulse evaluate`'s report. A script that prints figures;
// the real pipeline's figures come from `npm run demo` / `valuepulse evaluate`.
import { readFileSync } from 'node:fs';
import type { HealthAlert } from '@valuepulse/contracts';
import { detectionQuality, formatQualityTable, isRelevant, isWarning, type AccountLabel } from '@valuepulse/quality';
import { DEFAULT_SCORING_CONFIG, parseScoringConfig } from '@valuepulse/scoring';
import { replayInMemory } from '@valuepulse/state';
import { parseFlags } from './common/cli.js';
import { scenarioFromDir, simulatedScenario } from './common/labelled-scenario.js';

const DAY_MS = 86_400_000;
const flags = parseFlags('quality', {
  seed: { type: 'count', default: 1 },
  accounts: { type: 'count', default: 200 },
  days: { type: 'count', default: 120 },
  mix: { type: 'string' },
  'ends-at': { type: 'string' },
  'late-share': { type: 'number' },
  'duplicate-share': { type: 'number' },
  dir: { type: 'string' },
  config: { type: 'string' },
  details: { type: 'boolean' },
  json: { type: 'boolean' },
  trace: { type: 'string' },
  set: { type: 'list' },
});

const base = flags.config ? JSON.parse(readFileSync(flags.config, 'utf8')) : structuredClone(DEFAULT_SCORING_CONFIG);
// --set loginDrop.minEvidenceZ=2 (repeatable): try a parameter without writing a config file
for (const assignment of flags.set) {
  const [path = '', value = ''] = assignment.split('=');
  const keys = path.split('.');
  let target = base;
  for (const key of keys.slice(0, -1)) target = target[key] ??= {};
  target[keys[keys.length - 1] as string] = JSON.parse(value);
}
const config = flags.set.length > 0 || flags.config ? parseScoringConfig(base) : DEFAULT_SCORING_CONFIG;
const { labels, events, from, to } = flags.dir
  ? scenarioFromDir(flags.dir)
  : simulatedScenario({
      seed: flags.seed,
      accounts: flags.accounts,
      days: flags.days,
      ...(flags.mix ? { mix: flags.mix } : {}),
      ...(flags['ends-at'] ? { endsAt: flags['ends-at'] } : {}),
      ...(flags['late-share'] === undefined ? {} : { lateShare: flags['late-share'] }),
      ...(flags['duplicate-share'] === undefined ? {} : { duplicateShare: flags['duplicate-share'] }),
    });
const started = performance.now();
const { alerts, evaluations } = replayInMemory(events, {
  config,
  until: to,
  onEvaluation: (id, now, e) => {
    if (id !== flags.trace) return;
    const d = e.signals.loginDrop;
    const u = e.signals.usageDecline;
    const alerts = e.alerts.map((a) => `${a.signal}:${a.to_state}`).join(',');
    const teams = Object.values(e.signals.teamContraction.units)
      .filter((t) => t !== null && t.pct >= 50)
      .map((t) => `${t?.key} ${t?.recent}/${t?.expected} share ${t?.baselineSharePct}% z=${t?.z}${t?.people ? ` people ${t.people.silent}/${t.people.regulars}` : ''}${t?.significant ? ' sig' : ''}`)
      .join('; ');
    console.log(`${new Date(now).toISOString().slice(0, 16)} thru ${new Date(d.throughDay * DAY_MS).toISOString().slice(5, 10)} drop ${d.recentLogins}/${d.expected} ${d.pct}% z=${d.z} ${d.basis} sig=${d.significant} paused=${d.pausedDays} stop=${d.stoppedDays} | decline ${u.pct}% z=${u.z} phase ${d.phasePct} phi=${d.dispersion} | lost ${e.signals.usersLost.lost}/${e.signals.usersLost.regulars} ${alerts}${teams === '' ? '' : ` | teams ${teams}`}`);
  },
});
const seconds = (performance.now() - started) / 1000;
const report = detectionQuality(labels, alerts, { from, to });

if (flags.json) {
  console.log(JSON.stringify({ report, alerts: alerts.length }));
} else {
  console.log(`model ${config.model_version}: ${labels.length} accounts, ${alerts.length} alerts, ${evaluations} evaluations in ${seconds.toFixed(1)} s`);
  console.log(formatQualityTable(report));
  if (flags.details) printDetails(labels, alerts);
}

function printDetails(labels: AccountLabel[], alerts: HealthAlert[]): void {
  const byAccount = new Map<string, HealthAlert[]>();
  for (const a of alerts) byAccount.set(a.account_id, [...(byAccount.get(a.account_id) ?? []), a]);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (const label of labels) {
    const own = byAccount.get(label.account_id) ?? [];
    if (!label.at_risk) {
      const warnings = own.filter(isWarning);
      if (warnings.length > 0) console.log(`FALSE ALARM ${label.account_id} ${label.archetype}: ${warnings.map((a) => `${a.signal} ${a.from_state}>${a.to_state} ${day(a.evaluated_at)} value=${a.value}`).join('; ')}`);
    } else {
      const first = own.find((a) => isRelevant(a, label));
      const early = own.filter((a) => isWarning(a) && label.onset_at !== null && a.evaluated_at < label.onset_at - DAY_MS);
      const delay = first && label.onset_at !== null ? ((first.evaluated_at - label.onset_at) / DAY_MS).toFixed(1) : 'MISSED';
      console.log(`${label.archetype.padEnd(20)} ${label.account_id} onset ${label.onset_at === null ? '-' : day(label.onset_at)} delay ${delay}${first ? ` by ${first.signal}` : ''}${early.length ? `  BEFORE ONSET: ${early.map((a) => `${a.signal} ${day(a.evaluated_at)}`).join(', ')}` : ''}`);
    }
  }
}
