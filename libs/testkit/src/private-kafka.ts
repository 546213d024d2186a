import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findRepoRoot, stackDir } from '@valuepulse/config';
import { waitFor } from './wait-for.js';
import { startOrDestroy } from './private-server.js';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** A single-node KRaft broker of its own for one test: its own ports, data folder and process. */
export interface PrivateKafka {
  /** `127.0.0.1:<port>`: use as KAFKA_BROKERS. */
  broker: string;
  port: number;
  /** Its folder (config, data, logs) under the OS temp folder. */
  dir: string;
  /** Sends `signal` to the broker and resolves once the process is gone. */
  kill(signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and data (after `kill`); resolves once it answers. */
  start(): Promise<void>;
  /** Stops the broker if it runs and deletes its folder. Never throws. */
  destroy(): Promise<void>;
}

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** The Kafka 3.x jars the local stack resolved (`<stack>/kafka/libs-<version>`, complete). */
function stackKafkaLibs(): string {
  const dir = stackDir();
  const kafkaDir = dir ? join(dir, 'kafka') : undefined;
  const libs = kafkaDir && existsSync(kafkaDir) ? readdirSync(kafkaDir).filter((d) => /^libs-3\./.test(d) && existsSync(join(kafkaDir, d, '.complete'))) : [];
  const newest = libs.sort().at(-1);
  if (!kafkaDir || !newest) throw new Error(`startPrivateKafka: no resolved Kafka 3.x jars under ${kafkaDir ?? '(no stack folder)'}; run \`npx valuepulse stack up\` once (or set VALUEPULSE_STACK_DIR)`);
  return join(kafkaDir, newest);
}

/**
 * Starts a private Apache Kafka broker — the jars and log configuration the
 * local stack uses (`deploy/local/parts/kafka.sh`), KRaft combined mode,
 * plaintext — on two free ports with a fresh data folder, so a test can stop
 * and restart a broker without disturbing the shared one that other tests
 * use meanwhile. Call `destroy()` afterwards, also when the test failed.
 *
 * @throws Error with the broker's log when it does not come up.
 */
export async function startPrivateKafka(options: { heap?: string } = {}): Promise<PrivateKafka> {
  const root = findRepoRoot(new URL('.', import.meta.url).pathname);
  if (!root) throw new Error('startPrivateKafka: no repository (deploy/local/stack.sh) found');
  const libs = stackKafkaLibs();
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const dir = await mkdtemp(join(tmpdir(), 'vp-kafka-'));
  const port = await freePort();
  const controllerPort = await freePort();
  const broker = `127.0.0.1:${port}`;
  const config = join(dir, 'server.properties');
  await mkdir(join(dir, 'logs'), { recursive: true });
  await writeFile(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=1',
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  // a KRaft cluster id is 16 random bytes, base64url; never starting with '-', which StorageTool's
  // argument parser takes for an option (1 id in 64: a CI run failed "at import" on one). Kafka's own
  // Uuid.randomUuid() skips such ids the same way
  let clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-')) clusterId = randomBytes(16).toString('base64url');
  await run(java, ['-cp', `${libs}/*`, 'kafka.tools.StorageTool', 'format', '--ignore-formatted', '-t', clusterId, '-c', config], { timeout: 120_000 });

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const serverLog = join(dir, 'logs', 'server.log');

  const server: PrivateKafka = {
    broker, port, dir,
    async start() {
      if (child) return;
      await rm(serverLog, { force: true });
      const proc = spawn(
        java,
        [
          '-Xms128m', `-Xmx${options.heap ?? '512m'}`, '-XX:+UseG1GC', '-Djava.awt.headless=true',
          `-Dkafka.logs.dir=${join(dir, 'logs')}`, `-Dlog4j.configuration=file:${join(root, 'deploy', 'local', 'kafka', 'log4j.properties')}`,
          '-cp', `${libs}/*`, 'kafka.Kafka', config,
        ],
        { stdio: 'ignore' },
      );
      child = proc;
      exited = new Promise((resolve) => proc.once('exit', () => resolve()));
      void exited.then(() => {
        if (child === proc) child = undefined;
      });
      try {
        await waitFor(
          async () => {
            if (child !== proc) throw new Error('the broker exited');
            return (await portOpen(port)) && (await readFile(serverLog, 'utf8').catch(() => '')).includes('Kafka Server started');
          },
          { timeoutMs: 120_000, intervalMs: 200, description: `private Kafka on ${broker} started` },
        );
      } catch (err) {
        const log = await readFile(serverLog, 'utf8').catch(() => '(no server.log)');
        throw new Error(`private Kafka on ${broker} did not start:\n${log.split('\n').slice(-30).join('\n')}`, { cause: err });
      }
    },
    async kill(signal) {
      const proc = child;
      if (!proc) return;
      proc.kill(signal);
      await exited;
    },
    async destroy() {
      await server.kill('SIGKILL').catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
  return startOrDestroy(server);
}
