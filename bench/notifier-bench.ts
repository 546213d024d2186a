// `npm run bench:notifier [-- --alerts N --accounts N --chat]`
//
// The alert-notifier against the running local stack: deliveries/s to a
// local webhook receiver (node http, in this process, answering 200 and
// checking signatures). Alerts are produced first; the notifier runs as its
// own process (`valuepulse run alert-notifier` from source) with a fresh
// group and is measured from ready to the moment its group has committed
// every alert (every delivery acknowledged). A script that prints figures,
// not a test. Creates its own prefixed topics and subjects and removes them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TOPICS, validateRecord } from '@valuepulse/contracts';
import { testEndpoints } from '@valuepulse/testkit';
import { commandLine, parseFlags } from './common/cli.js';
import { caughtUp, endOffsets } from './common/offsets.js';
import { cores, int, runInfo } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, measureBackground, runBench, stackReady, withCleanup } from './common/run.js';
import { createSandbox } from './common/sandbox.js';
import { startServiceProcess } from './common/service-process.js';
import { startBenchReceiver } from './notifier/receiver.js';

const SCRIPT = 'bench:notifier';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const SECRET = 'bench-secret-0123456789abcdef';
const SEVERITIES = ['INFO', 'WARNING', 'CRITICAL'] as const;

const flags = parseFlags(SCRIPT, {
  alerts: { type: 'count', default: 20_000 },
  accounts: { type: 'count', default: 2000 },
  concurrency: { type: 'count', default: 16 },
  chat: { type: 'boolean' },
});

const cpuSeconds = async (pid: number): Promise<number> => {
  const { readFile } = await import('node:fs/promises');
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

async function main(): Promise<number> {
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) return 1;
  const sandbox = await createSandbox(endpoints);
  const dir = mkdtempSync(join(tmpdir(), 'vp-bench-notifier-'));
  const receiver = await startBenchReceiver(SECRET);
  log(`sandbox ${sandbox.prefix}`);
  return withCleanup(
    async () => {
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
      return sandbox.cleanup();
    },
    async () => {
      const topic = sandbox.topic(TOPICS.healthAlerts);
      let t = performance.now();
      const producer = sandbox.kafka.producer({ idempotent: true });
      await producer.connect();
      for (let from = 0; from < flags.alerts; from += 5000) {
        const messages = [];
        for (let i = from; i < Math.min(flags.alerts, from + 5000); i++) {
          const alert = validateRecord('HealthAlert', {
            alert_id: `bench-${i}`, account_id: `acct-${i % flags.accounts}`, signal: 'login_drop', kind: 'THRESHOLD_CROSSED',
            severity: SEVERITIES[i % 3], from_state: 'ok', to_state: 'breached', value: 41.5, threshold: 30, days_to_renewal: 60,
            evidence: [{ factor: 'logins_7d', value: 12, contribution: 0.7, detail: 'logins fell' }, { factor: 'active_users_7d', value: 4, contribution: 0.3, detail: null }],
            model_version: 'v1.1', evaluated_at: Date.now(), emitted_at: Date.now(),
          });
          if (!alert.ok) throw new Error(alert.issues.join('; '));
          messages.push({ key: `acct-${i % flags.accounts}`, value: await sandbox.codec.encode(topic, alert.value) });
        }
        await producer.send({ topic, acks: -1, messages });
      }
      await producer.disconnect();
      log(`produced ${int(await endOffsets(sandbox.admin, [topic]))} alerts in ${elapsed(t)}`);

      const routes = join(dir, 'routes.json');
      writeFileSync(routes, JSON.stringify({
        endpoints: {
          hook: { type: 'webhook', url: receiver.url('/hook'), secret: SECRET },
          ...(flags.chat ? { chat: { type: 'slack', url: receiver.url('/chat') } } : {}),
        },
        routes: [{ to: flags.chat ? ['hook', 'chat'] : ['hook'] }],
      }));
      const groupId = sandbox.group('notifier_bench');
      const background = await measureBackground();
      const notifier = await startServiceProcess('alert-notifier', {
        KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
        TOPIC_PREFIX: sandbox.prefix,
        NOTIFIER_GROUP_ID: groupId,
        NOTIFIER_ROUTES_FILE: routes,
        NOTIFIER_ENDPOINT_CONCURRENCY: String(flags.concurrency),
        HEALTH_API_PUBLIC_URL: 'http://localhost:8080',
        LOG_LEVEL: 'warn',
      });
      const done = sandbox.whileRunning(() => notifier.stop());
      const cpuBefore = await cpuSeconds(notifier.pid);
      t = performance.now();
      while (!(await caughtUp(sandbox.admin, groupId, [topic]))) await new Promise((r) => setTimeout(r, 50));
      const seconds = (performance.now() - t) / 1000;
      const cpu = (await cpuSeconds(notifier.pid)) - cpuBefore;
      const counts = receiver.counts();
      const dlq = await notifier.metric('valuepulse_notifier_dlq_total');
      await notifier.stop();
      done();

      const deliveriesPerSecond = counts.requests / seconds;
      const result = {
        bench: 'notifier',
        ...runInfo(commandLine('npm run bench:notifier')),
        alerts: flags.alerts,
        endpoints: flags.chat ? 2 : 1,
        endpointConcurrency: flags.concurrency,
        deliveries: counts.requests,
        distinctDeliveries: counts.distinctKeys,
        badSignatures: counts.badSignatures,
        dlq,
        seconds,
        deliveriesPerSecond,
        alertsPerSecond: flags.alerts / seconds,
        notifierCores: cpu / seconds,
        background,
      };
      const table = [
        `alerts                     ${int(flags.alerts)} (${flags.chat ? 'webhook + Slack' : 'webhook'}, ${flags.concurrency} requests in flight per endpoint)`,
        `deliveries                 ${int(counts.requests)} (${int(counts.distinctKeys)} distinct, ${counts.badSignatures} bad signatures, ${dlq} dead-lettered)`,
        `time to all committed      ${seconds.toFixed(2)} s`,
        `deliveries/s               ${int(deliveriesPerSecond)}`,
        `alerts/s                   ${int(flags.alerts / seconds)}`,
        `notifier CPU               ${cores(cpu / seconds)} cores`,
        `machine busy before run    ${cores(background.cores)} cores`,
      ].join('\n');
      publishResults(RESULTS_DIR, result, { table, markdown: `# bench:notifier\n\n\`\`\`\n${table}\n\`\`\`\n` });
      return counts.distinctKeys === counts.requests || counts.distinctKeys === flags.alerts * (flags.chat ? 2 : 1) ? 0 : 1;
    },
  );
}

runBench(SCRIPT, main);
