import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { recordForTopic, TOPICS } from '@valuepulse/contracts';
import { assertTopicsExist, readDlqHeaders, type KafkaMessage } from '@valuepulse/kafka';
import { cliCodec, cliEndpoints, cliKafka } from '../clients.js';
import { processIo, write, type Command } from '../command.js';
import { TOPIC_PREFIX_HELP, TOPIC_PREFIX_OPTIONS, topicPrefix } from '../prefix-options.js';
import { createProgress } from '../progress.js';

/**
 * `valuepulse consume --topic T [--from-beginning] [--max N] [--timeout S]`:
 * decoded records as JSON Lines (key, partition, offset, timestamp, value).
 * Uses a throw-away consumer group and commits nothing, so it never moves a
 * service's offsets. DLQ records print with their headers and the original
 * bytes in base64; a record that cannot be decoded prints with its error.
 */
export const consumeCommand: Command = {
  name: 'consume',
  summary: 'print decoded records as JSON Lines (DLQ records with their headers)',
  usage: 'consume --topic T [--from-beginning] [--max N] [--timeout S] [--topic-prefix P]',
  options: {
    '--topic T': 'the topic, e.g. health.alerts.v1 or valuepulse.dlq.v1',
    '--from-beginning': 'start at the oldest record (default: only new ones)',
    '--max N': 'stop after N records',
    '--timeout S': 'stop after S seconds without a new record (default: run until Ctrl-C)',
    ...TOPIC_PREFIX_HELP,
  },
  async run(args, io = processIo()) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        topic: { type: 'string' },
        'from-beginning': { type: 'boolean', default: false },
        max: { type: 'string' },
        timeout: { type: 'string' },
        ...TOPIC_PREFIX_OPTIONS,
      },
    });
    const max = values.max === undefined ? Infinity : Number(values.max);
    const timeoutMs = values.timeout === undefined ? Infinity : Number(values.timeout) * 1000;
    const isDlq = values.topic === TOPICS.dlq;
    if (!values.topic || (!isDlq && !recordForTopic(values.topic)) || !(max > 0) || !(timeoutMs > 0)) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n  --timeout S: stop after S seconds without a new record\n`);
      return 2;
    }
    const prefix = topicPrefix(values, io.env);
    const topic = `${prefix}${values.topic}`;
    const endpoints = cliEndpoints(io.env);
    const codec = isDlq ? undefined : cliCodec(endpoints, prefix);
    const kafka = cliKafka(endpoints);
    await assertTopicsExist(kafka, [topic]);
    const consumer = kafka.consumer({ groupId: `valuepulse-cli-${randomBytes(6).toString('hex')}` });
    const progress = createProgress(io.stderr, 'consume');

    let printed = 0;
    let lastActivity = Date.now();
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const onSignal = () => done();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: values['from-beginning'] });
      // the idle timer starts once partitions are assigned, not while joining the group
      consumer.on(consumer.events.GROUP_JOIN, () => void (lastActivity = Date.now()));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale() || printed >= max) break;
            const line = isDlq ? dlqLine(batch.partition, message) : await recordLine(codec!, topic, batch.partition, message);
            await write(io.stdout, `${JSON.stringify(line)}\n`);
            printed += 1;
            lastActivity = Date.now();
          }
          if (printed >= max) done();
          progress.tick(() => `${printed} records`);
        },
      });
      const idle = setInterval(() => {
        if (Date.now() - lastActivity >= timeoutMs) done();
      }, 100);
      await finished;
      clearInterval(idle);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await consumer.disconnect();
    }
    await write(io.stderr, `consume: ${printed} record(s) from ${topic}\n`);
    return 0;
  },
};

function base(partition: number, message: KafkaMessage): Record<string, unknown> {
  return {
    key: message.key?.toString('utf8') ?? null,
    partition,
    offset: message.offset,
    timestamp: new Date(Number(message.timestamp)).toISOString(),
  };
}

async function recordLine(codec: NonNullable<ReturnType<typeof cliCodec>>, topic: string, partition: number, message: KafkaMessage) {
  const result = await codec.decode(topic, message.value);
  if (result.ok) return { ...base(partition, message), value: result.value };
  return { ...base(partition, message), error: { code: result.error.code, message: result.error.message }, value_base64: message.value?.toString('base64') ?? null };
}

function dlqLine(partition: number, message: KafkaMessage) {
  return { ...base(partition, message), dlq: readDlqHeaders(message.headers) ?? null, value_base64: message.value?.toString('base64') ?? null };
}
