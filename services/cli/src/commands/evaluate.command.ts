import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { TOPICS, type HealthAlert } from '@valuepulse/contracts';
import { assertTopicsExist } from '@valuepulse/kafka';
import { detectionQuality, formatOutcomeTable, formatQualityTable, labelOutcomes, outcomeQuality, parseLabels, shortfalls, type AccountLabel, type Period } from '@valuepulse/quality';
import { cliCodec, cliEndpoints, cliKafka } from '../clients.js';
import { processIo, write, type Command } from '../command.js';
import { TOPIC_PREFIX_HELP, TOPIC_PREFIX_OPTIONS, topicPrefix } from '../prefix-options.js';
import { readTopic } from '../read-topic.js';

const DAY_MS = 86_400_000;

/**
 * `valuepulse evaluate --labels F`: detection quality of the alerts on
 * `health.alerts.v1` against a labelled scenario (the simulator's labels
 * file): recall and onset-to-alert delay per at-risk archetype, false
 * positives and noise on healthy accounts, each row judged against the
 * goals; then, when the labels record renewal outcomes, the share of
 * churned/downgraded ARR warned before the outcome and the lead time from
 * the first warning (and first non-green tier). Exit 0 when every
 * detection goal is met, 1 when some is not.
 */
export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'detection quality of the alerts against a labelled scenario (recall, delay, false positives, noise) and against its renewal outcomes',
  usage: 'evaluate --labels F [--days N] [--json] [--topic-prefix P] [--timeout S]',
  options: {
    '--labels F': "the scenario's labels file (JSON Lines, as `valuepulse simulate` writes it)",
    '--days N': "the scenario's length (default: from the labels' onsets to the last alert)",
    '--json': 'the report as JSON',
    ...TOPIC_PREFIX_HELP,
    '--timeout S': 'give up reading the alerts after S seconds (default 60)',
  },
  async run(args, io = processIo()) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        labels: { type: 'string' },
        days: { type: 'string' },
        json: { type: 'boolean', default: false },
        ...TOPIC_PREFIX_OPTIONS,
        timeout: { type: 'string', default: '60' },
      },
    });
    const prefix = topicPrefix(values, io.env);
    const days = values.days === undefined ? undefined : Number(values.days);
    const timeoutMs = Number(values.timeout) * 1000;
    if (!values.labels || (days !== undefined && !(Number.isInteger(days) && days > 0)) || !(timeoutMs > 0)) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n  --days N: the scenario's length (default: from the labels' onsets to the last alert)\n`);
      return 2;
    }
    const labels = parseLabels(await readFile(values.labels, 'utf8'));
    const endpoints = cliEndpoints(io.env);
    const kafka = cliKafka(endpoints);
    const topic = `${prefix}${TOPICS.healthAlerts}`;
    await assertTopicsExist(kafka, [topic]);
    const alerts = await readTopic<HealthAlert>(kafka, cliCodec(endpoints, prefix), topic, timeoutMs);
    const period = scenarioPeriod(labels, alerts, days);
    const report = detectionQuality(labels, alerts, period);
    // the calibration view: renewal outcomes the labels record, against the same alerts (no scores here: no AUC)
    const outcomes = outcomeQuality({ outcomes: labelOutcomes(labels), alerts, accounts: labels.length, period });

    if (values.json) {
      await write(io.stdout, `${JSON.stringify({ ...report, outcomes }, null, 2)}\n`);
    } else {
      const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
      await write(io.stdout, `detection quality: ${labels.length} accounts, ${alerts.length} alerts, ${iso(period.from)} – ${iso(period.to - 1)}\n\n${formatQualityTable(report)}\n`);
      await write(io.stdout, `\nrenewal outcomes (labels): lost ARR warned, lead time from the first warning\n\n${formatOutcomeTable([{ name: 'alerts', report: outcomes }])}\n`);
    }
    const rows = [...report.archetypes, report.healthy];
    return rows.some((r) => r.accounts > 0 && shortfalls(r).length > 0) ? 1 : 0;
  },
};

/**
 * The scenario's event-time span: day 0 is where the at-risk labels' onsets
 * point back to (onset time's UTC day minus `onset_day`); it ends `days`
 * later, or with the UTC day of the last alert.
 */
export function scenarioPeriod(labels: readonly AccountLabel[], alerts: readonly HealthAlert[], days?: number): Period {
  let from = Infinity;
  for (const l of labels) {
    if (l.onset_at !== null && l.onset_day !== null) from = Math.min(from, (Math.floor(l.onset_at / DAY_MS) - l.onset_day) * DAY_MS);
  }
  let lastAlert = -Infinity;
  for (const a of alerts) lastAlert = Math.max(lastAlert, a.evaluated_at);
  if (!Number.isFinite(from)) from = Number.isFinite(lastAlert) ? Math.floor(lastAlert / DAY_MS) * DAY_MS : 0;
  const to = days !== undefined ? from + days * DAY_MS : Math.max(from + DAY_MS, (Math.floor(lastAlert / DAY_MS) + 1) * DAY_MS);
  return { from, to };
}
