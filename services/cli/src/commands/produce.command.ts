import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { recordForTopic, validateRecord } from '@valuepulse/contracts';
import { assertTopicsExist, type Producer } from '@valuepulse/kafka';
import { cliCodec, cliEndpoints, cliKafka } from '../clients.js';
import { processIo, write, type Command } from '../command.js';
import { TOPIC_PREFIX_HELP, TOPIC_PREFIX_OPTIONS, topicPrefix } from '../prefix-options.js';
import { createProgress, ratePerSecond } from '../progress.js';

type Message = { key: string; value: Buffer };

/**
 * `valuepulse produce --topic T [--file F]`: JSON Lines in (file or stdin),
 * each line validated against the topic's contract, encoded with the
 * registered schema and produced with the account id as key. Bad lines are
 * reported with their number and reason and never produced; the good ones
 * are. Exit 1 if any line was bad. Streams: memory stays bounded on big files.
 */
export const produceCommand: Command = {
  name: 'produce',
  summary: 'JSON Lines (file or stdin) → validated → Avro → Kafka; bad lines reported, exit 1 if any',
  usage: 'produce --topic T [--file F] [--topic-prefix P] [--batch-size N]',
  options: {
    '--topic T': 'one of usage.events.v1, support.events.v1, account.events.v1, health.alerts.v1, health.snapshots.v1',
    '--file F': 'the JSON Lines to produce (default: stdin)',
    ...TOPIC_PREFIX_HELP,
    '--batch-size N': 'records per Kafka request (default 1000)',
  },
  async run(args, io = processIo()) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        topic: { type: 'string' },
        file: { type: 'string' },
        ...TOPIC_PREFIX_OPTIONS,
        'batch-size': { type: 'string', default: '1000' },
      },
    });
    const record = values.topic ? recordForTopic(values.topic) : undefined;
    const batchSize = Number(values['batch-size']);
    if (!values.topic || !record || !Number.isInteger(batchSize) || batchSize < 1) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n  --topic: one of usage.events.v1, support.events.v1, account.events.v1, health.alerts.v1, health.snapshots.v1\n`);
      return 2;
    }
    const prefix = topicPrefix(values, io.env);
    const topic = `${prefix}${values.topic}`;
    const endpoints = cliEndpoints(io.env);
    const codec = cliCodec(endpoints, prefix);
    const kafka = cliKafka(endpoints);
    await assertTopicsExist(kafka, [topic]);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();

    const input = values.file ? createReadStream(values.file) : io.stdin;
    const lines = createInterface({ input, crlfDelay: Infinity });
    const progress = createProgress(io.stderr, 'produce');
    const started = Date.now();
    const badLines: number[] = [];
    let lineNo = 0;
    let produced = 0;
    let batch: Message[] = [];
    // one send in flight while the next batch is read and encoded: overlap without reordering
    let inFlight: Promise<void> = Promise.resolve();
    const flush = (messages: Message[]): Promise<void> => {
      const previous = inFlight;
      inFlight = previous.then(() => send(producer, topic, messages)).then(() => void (produced += messages.length));
      inFlight.catch(() => undefined); // awaited by the next flush or at the end; no unhandled rejection meanwhile
      return previous;
    };

    try {
      for await (const line of lines) {
        lineNo += 1;
        if (line.trim() === '') continue;
        const problem = await toMessage(line, record, topic, codec, batch);
        if (problem) {
          badLines.push(lineNo);
          await write(io.stderr, `line ${lineNo}: ${problem}\n`);
        }
        if (batch.length >= batchSize) {
          await flush(batch);
          batch = [];
        }
        progress.tick(() => `${lineNo} lines read, ${produced} produced, ${badLines.length} bad, ${ratePerSecond(produced, started)} records/s`);
      }
      await flush(batch);
      await inFlight;
    } finally {
      await producer.disconnect();
    }

    const rate = ratePerSecond(produced, started);
    await write(io.stderr, `produce: ${produced} record(s) to ${topic}, ${badLines.length} bad line(s)${badLines.length ? ` (${summarise(badLines)})` : ''}, ${rate} records/s\n`);
    return badLines.length > 0 ? 1 : 0;
  },
};

/** Validates and encodes one line into `batch`; returns the reason when the line is bad. */
async function toMessage(
  line: string,
  record: NonNullable<ReturnType<typeof recordForTopic>>,
  topic: string,
  codec: ReturnType<typeof cliCodec>,
  batch: Message[],
): Promise<string | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  const result = validateRecord(record, json);
  if (!result.ok) return result.issues.join('; ');
  const value = await codec.encode(topic, result.value);
  batch.push({ key: (result.value as { account_id: string }).account_id, value });
  return undefined;
}

async function send(producer: Producer, topic: string, messages: Message[]): Promise<void> {
  if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
}

/** "2, 5, 9" — or the first 20 and a count, so the summary stays one line. */
function summarise(lines: number[]): string {
  const shown = lines.slice(0, 20).join(', ');
  return lines.length > 20 ? `lines ${shown} and ${lines.length - 20} more` : `line${lines.length > 1 ? 's' : ''} ${shown}`;
}
