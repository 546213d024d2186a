import type { Message } from 'kafkajs';
import type { ConsumerMessage, MessageHeaders } from './consumer-batch.js';

/** Longest `dlq.error.message` kept, in characters (code points): a reason, not a dump. */
export const DLQ_ERROR_MESSAGE_MAX_LENGTH = 1000;

/** The headers a DLQ record carries on top of the original record's own headers. */
export const DLQ_HEADERS = {
  errorCode: 'dlq.error.code',
  errorMessage: 'dlq.error.message',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  sourceTimestamp: 'dlq.source.timestamp',
  failedAt: 'dlq.failed_at',
} as const;

/** Where a failed record came from, as a consumer sees it. */
export interface DlqSource {
  topic: string;
  partition: number;
  offset: string;
  message: ConsumerMessage;
}

/** Why a record failed: a stable code (e.g. `DECODE_FAILED`) and a human reason. */
export interface DlqFailure {
  code: string;
  message: string;
}

/** One record to dead-letter. */
export interface DlqEntry {
  source: DlqSource;
  failure: DlqFailure;
}

/** The DLQ headers of a record, parsed back. */
export interface DlqInfo {
  code: string;
  message: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  /** The original record's timestamp, as Kafka gave it (ms since the epoch, a decimal string). */
  sourceTimestamp: string;
  /** ISO 8601 time the record failed. */
  failedAt: string;
}

/**
 * Builds the DLQ record for a record that failed: the original key and value
 * (the same bytes; `null` stays `null`) and headers, plus the `DLQ_HEADERS`
 * saying why and where from. The original bytes are kept so a fixed consumer
 * can replay the record exactly as it was first written.
 *
 * A `dlq.*` header the original already had (a replayed DLQ record failing
 * again) is replaced: the newest failure is the one to act on.
 *
 * @returns a kafkajs `Message` for `producer.send`. Never throws.
 */
export function buildDlqMessage(source: DlqSource, failure: DlqFailure, now: Date = new Date()): Message {
  const { message } = source;
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DLQ_HEADERS.errorCode]: failure.code,
      [DLQ_HEADERS.errorMessage]: truncate(failure.message, DLQ_ERROR_MESSAGE_MAX_LENGTH),
      [DLQ_HEADERS.sourceTopic]: source.topic,
      [DLQ_HEADERS.sourcePartition]: String(source.partition),
      [DLQ_HEADERS.sourceOffset]: source.offset,
      [DLQ_HEADERS.sourceTimestamp]: message.timestamp,
      [DLQ_HEADERS.failedAt]: now.toISOString(),
    },
  };
}

/**
 * Reads the DLQ headers of a record (as consumed, values are Buffers; as
 * built, strings).
 *
 * @returns the parsed headers, or `undefined` when `headers` is not a complete
 *   set of DLQ headers (any of them missing, or a partition that is not an
 *   integer). Never throws.
 */
export function readDlqHeaders(headers: MessageHeaders | undefined): DlqInfo | undefined {
  if (!headers) return undefined;
  const read = (name: string): string | undefined => headerText(headers[name]);
  const code = read(DLQ_HEADERS.errorCode);
  const message = read(DLQ_HEADERS.errorMessage);
  const sourceTopic = read(DLQ_HEADERS.sourceTopic);
  const partition = read(DLQ_HEADERS.sourcePartition);
  const sourceOffset = read(DLQ_HEADERS.sourceOffset);
  const sourceTimestamp = read(DLQ_HEADERS.sourceTimestamp);
  const failedAt = read(DLQ_HEADERS.failedAt);
  if (
    code === undefined ||
    message === undefined ||
    sourceTopic === undefined ||
    partition === undefined ||
    sourceOffset === undefined ||
    sourceTimestamp === undefined ||
    failedAt === undefined ||
    !/^\d+$/.test(partition)
  ) {
    return undefined;
  }
  return { code, message, sourceTopic, sourcePartition: Number(partition), sourceOffset, sourceTimestamp, failedAt };
}

function headerText(value: MessageHeaders[string]): string | undefined {
  // Kafka allows a header name more than once; the last one written wins.
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  if (last === undefined) return undefined;
  return typeof last === 'string' ? last : last.toString('utf8');
}

/** Cuts by code points, not UTF-16 units, so a surrogate pair is never split into invalid text. */
function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
