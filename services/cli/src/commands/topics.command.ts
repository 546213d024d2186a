import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { endpointsSchema, findRepoRoot, kafkaConnection, loadConfig, withLocalStackEnv } from '@valuepulse/config';
import { DependencyUnavailableError } from '@valuepulse/errors';
import { createKafka, kafkaConnectFailure } from '@valuepulse/kafka';
import { createLogger } from '@valuepulse/log';
import { processIo, type Command } from '../command.js';
import { TOPIC_PREFIX_HELP, TOPIC_PREFIX_OPTIONS, topicPrefix } from '../prefix-options.js';
import { applyTopics, type TopicOutcome } from '../topics/apply-topics.js';
import { describeDrift, isFixable, type Drift } from '../topics/topic-drift.js';
import { readTopicsFile } from '../topics/topics-file.js';

/**
 * `valuepulse topics [--file F] [--topic-prefix P] [--fix]`: makes the broker match
 * deploy/topics.json. Creates what is missing; reports drift on what exists,
 * and with --fix repairs what Kafka allows. Exit 1 while drift remains.
 */
export const topicsCommand: Command = {
  name: 'topics',
  summary: 'create the topics of deploy/topics.json and report drift (--fix repairs it)',
  usage: 'topics [--file F] [--topic-prefix P] [--fix]',
  options: {
    '--file F': 'the declaration to apply (default deploy/topics.json)',
    ...TOPIC_PREFIX_HELP,
    '--fix': 'also repair drift: increase partitions, set the declared configs',
  },
  async run(args, io = processIo()) {
    let values: { file?: string | undefined; fix?: boolean | undefined; 'topic-prefix'?: string | undefined; prefix?: string | undefined };
    let prefix: string;
    try {
      ({ values } = parseArgs({
        args,
        options: { file: { type: 'string' }, ...TOPIC_PREFIX_OPTIONS, fix: { type: 'boolean' } },
        strict: true,
        allowPositionals: false,
      }));
      prefix = topicPrefix(values, io.env);
    } catch (err) {
      io.stderr.write(`valuepulse topics: ${err instanceof Error ? err.message : String(err)}\nusage: valuepulse ${this.usage}\n`);
      return 2;
    }

    const declaration = await readTopicsFile(values.file === undefined ? defaultTopicsFile() : resolve(values.file));
    const endpoints = loadConfig(endpointsSchema, withLocalStackEnv(io.env));
    const kafka = createKafka({
      ...kafkaConnection(endpoints),
      clientId: 'valuepulse-cli',
      // kafkajs' own JSON error lines would bury the one-line message below.
      logger: createLogger({ name: 'valuepulse-cli', level: 'silent' }),
      retry: { initialRetryTime: 300, retries: 3 },
    });
    const admin = kafka.admin();
    try {
      await admin.connect();
    } catch (err) {
      const failure = kafkaConnectFailure(err, endpoints.kafkaBrokers);
      throw new DependencyUnavailableError(`${failure.message}; ${failure.hint ?? ''}`, { dependency: 'kafka', cause: err });
    }
    let outcomes: TopicOutcome[];
    try {
      outcomes = await applyTopics(admin, declaration, { prefix, fix: values.fix ?? false });
    } finally {
      await admin.disconnect();
    }

    const width = Math.max(...outcomes.map((o) => o.topic.length));
    for (const o of outcomes) io.stdout.write(`${o.topic.padEnd(width)}  ${formatOutcome(o)}\n`);
    const drifting = outcomes.filter((o) => o.status === 'drift');
    if (!values.fix && drifting.some((o) => o.drift.some(isFixable))) {
      io.stderr.write('valuepulse topics: run with --fix to increase partitions and apply the declared configs\n');
    }
    return drifting.length === 0 ? 0 : 1;
  },
};

function formatOutcome(outcome: TopicOutcome): string {
  const fixed = outcome.fixed.map(describeFix);
  if (outcome.status === 'fixed') return `fixed: ${fixed.join('; ')}`;
  if (outcome.status !== 'drift') return outcome.status;
  const parts = outcome.drift.map(describeDrift);
  if (fixed.length > 0) parts.push(`fixed: ${fixed.join(', ')}`);
  if (outcome.fixError !== undefined) parts.push(`fix failed: ${outcome.fixError}`);
  return `drift: ${parts.join('; ')}`;
}

function describeFix(drift: Drift): string {
  return drift.kind === 'partitions'
    ? `partitions ${drift.actual} → ${drift.declared}`
    : `${drift.name} ${drift.actual ?? '(unset)'} → ${drift.declared}`;
}

function defaultTopicsFile(): string {
  const root = findRepoRoot(process.cwd()) ?? findRepoRoot(fileURLToPath(new URL('.', import.meta.url)));
  if (!root) throw new Error('cannot find deploy/topics.json: run valuepulse from inside the repository, or pass --file');
  return join(root, 'deploy', 'topics.json');
}
