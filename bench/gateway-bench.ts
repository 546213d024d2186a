// `npm run bench:gateway [-- --records N --batch N --concurrency N --paced-rate N --paced-seconds N --paced-batch N --accounts N --seed N --passes N]`
//
// The ingest-gateway against the running local stack: records/s accepted end
// to end (each request answered 200 only once Kafka acknowledged its
// records) with batched requests, next to a raw kafkajs producer ceiling
// measured in the same run, and request latency at a paced rate. A script
// that prints figures, not a test. Needs the stack up; creates its own
// prefixed topics and subjects and removes them.
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { TOPICS } from '@valuepulse/contracts';
import { testEndpoints } from '@valuepulse/testkit';
import { commandLine, parseFlags } from './common/cli.js';
import { endOffsets } from './common/offsets.js';
import { runInfo } from './common/report.js';
import { publishResults } from './common/results.js';
import { elapsed, log, measureBackground, runBench, stackReady, withCleanup } from './common/run.js';
import { createSandbox } from './common/sandbox.js';
import { startServiceProcess } from './common/service-process.js';
import { measureProducerCeiling } from './gateway/ceiling.js';
import { closedLoop, paced } from './gateway/load.js';
import { consoleTable, markdown, verdicts, type GatewayBenchResult } from './gateway/report.js';
import { bodies, usageItems } from './gateway/workload.js';

const SCRIPT = 'bench:gateway';
const RESULTS_DIR = resolve(import.meta.dirname, 'results');
const WRITE_KEY = 'bench-key';
const PRODUCE_BATCH = 5000;
const PRODUCE_TIMEOUT_MS = 10_000;

const flags = parseFlags(SCRIPT, {
  records: { type: 'count', default: 200_000 },
  batch: { type: 'count', default: 500 },
  concurrency: { type: 'count', default: 8 },
  'paced-rate': { type: 'count', default: 2000 },
  'paced-seconds': { type: 'count', default: 20 },
  'paced-batch': { type: 'count', default: 20 },
  accounts: { type: 'count', default: 2000 },
  seed: { type: 'count', default: 1 },
  passes: { type: 'count', default: 3 },
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const cpuSeconds = async (pid: number): Promise<number> => {
  const { readFile } = await import('node:fs/promises');
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

async function main(): Promise<number> {
  const endpoints = testEndpoints();
  if (!(await stackReady(SCRIPT, endpoints))) return 1;
  const endsAt = Date.now();
  const pacedRecords = flags['paced-rate'] * flags['paced-seconds'];
  let t = performance.now();
  const items = usageItems(flags.records + pacedRecords, { accounts: flags.accounts, seed: flags.seed, endsAt });
  const throughputBodies = bodies(items.slice(0, flags.records), flags.batch);
  const pacedBodies = bodies(items.slice(flags.records), flags['paced-batch']);
  const avgBodyBytes = throughputBodies.reduce((n, b) => n + b.body.length, 0) / throughputBodies.length;
  log(`generated ${items.length} records, ${throughputBodies.length} + ${pacedBodies.length} request bodies in ${elapsed(t)}`);

  const sandbox = await createSandbox(endpoints);
  log(`sandbox ${sandbox.prefix}`);
  return withCleanup(() => sandbox.cleanup(), async () => {
    const topic = sandbox.topic(TOPICS.usageEvents);
    const background = await measureBackground();

    t = performance.now();
    const ceiling = await measureProducerCeiling(sandbox, topic, items.slice(0, flags.records).map((i) => i.value), { chunk: PRODUCE_BATCH, passes: flags.passes });
    log(`ceiling: ${Math.round(ceiling.recordsPerSecond)} records/s, median of ${ceiling.passes.map(Math.round).join(', ')} (${elapsed(t)})`);
    const afterCeiling = await endOffsets(sandbox.admin, [topic]);

    const apiPort = await freePort();
    const gateway = await startServiceProcess('ingest-gateway', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: sandbox.prefix,
      GATEWAY_PORT: String(apiPort),
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_WRITE_KEYS: `bench:${WRITE_KEY}`,
      GATEWAY_RATE_LIMIT: '1000000',
      GATEWAY_RATE_BURST: '1000000',
      GATEWAY_PRODUCE_BATCH: String(PRODUCE_BATCH),
      GATEWAY_PRODUCE_TIMEOUT: `${PRODUCE_TIMEOUT_MS}ms`,
    });
    const done = sandbox.whileRunning(() => gateway.stop());
    const url = `http://127.0.0.1:${apiPort}/v1/events`;
    const auth = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
    try {
      // warm-up: connections, the schema id lookup, JIT; not counted
      await closedLoop(url, auth, bodies(usageItems(2000, { accounts: 10, seed: flags.seed + 1, endsAt }), flags.batch), 2);
      const sendsBefore = await gateway.metric('valuepulse_gateway_produce_records_count');
      const recordsBefore = await gateway.metric('valuepulse_gateway_produce_records_sum');
      const cpuBefore = await cpuSeconds(gateway.pid);
      const clientBefore = process.cpuUsage();
      t = performance.now();
      const throughput = await closedLoop(url, auth, throughputBodies, flags.concurrency);
      const gatewayCpu = (await cpuSeconds(gateway.pid)) - cpuBefore;
      const clientUsage = process.cpuUsage(clientBefore);
      const clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
      log(`gateway: ${Math.round(throughput.recordsPerSecond)} records/s accepted end to end, ${throughput.failed} failed (${elapsed(t)})`);
      const sends = (await gateway.metric('valuepulse_gateway_produce_records_count')) - sendsBefore;
      const sent = (await gateway.metric('valuepulse_gateway_produce_records_sum')) - recordsBefore;

      t = performance.now();
      const pacedResult = await paced(url, auth, pacedBodies, flags['paced-rate']);
      log(`paced ${flags['paced-rate']} records/s: p50 ${pacedResult.latencyMs.p50.toFixed(1)} ms, p99 ${pacedResult.latencyMs.p99.toFixed(1)} ms (${elapsed(t)})`);

      const stored = (await endOffsets(sandbox.admin, [topic])) - afterCeiling;
      const expected = throughput.records + pacedResult.achievedRecordsPerSecond * pacedResult.seconds + 2000;
      if (Math.round(stored) !== Math.round(expected)) throw new Error(`the topic holds ${stored} records from the gateway, ${Math.round(expected)} were acknowledged`);

      const ratio = throughput.recordsPerSecond / ceiling.recordsPerSecond;
      const run = runInfo(commandLine(`npm run ${SCRIPT}`));
      const result: GatewayBenchResult = {
        bench: 'gateway',
        ...run,
        workload: { records: flags.records, accounts: flags.accounts, seed: flags.seed, recordsPerRequest: flags.batch, concurrency: flags.concurrency, avgBodyBytes, pacedRecordsPerRequest: flags['paced-batch'], pacedSeconds: flags['paced-seconds'] },
        gatewaySettings: { produceBatch: PRODUCE_BATCH, produceTimeoutMs: PRODUCE_TIMEOUT_MS },
        background: background.cores,
        ceiling, throughput, ratio, paced: pacedResult,
        gateway: { produceSends: sends, recordsPerSend: sends > 0 ? sent / sends : Number.NaN, cpuCores: gatewayCpu / throughput.seconds, clientCpuCores: clientCpu / throughput.seconds },
        verdicts: verdicts(throughput, ratio, pacedResult),
      };
      publishResults(RESULTS_DIR, result, { markdown: markdown(result), table: consoleTable(result) });
      return 0;
    } finally {
      await gateway.stop();
      done();
    }
  });
}

runBench(SCRIPT, main);
