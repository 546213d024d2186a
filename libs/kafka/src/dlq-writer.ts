import type { Producer } from 'kafkajs';
import { DependencyUnavailableError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import { buildDlqMessage, type DlqEntry } from './dlq.js';

/** Options of {@link createDlqWriter}. */
export interface DlqWriterOptions {
  /** A connected producer; the writer neither connects nor disconnects it. */
  producer: Producer;
  /** The dead-letter topic, prefix included (`TOPICS.dlq` of @valuepulse/contracts names it). */
  topic: string;
  /** Gets one `warn` line per batch sent, naming each record and its failure code. */
  logger?: Logger;
}

/** Writes failed records to the dead-letter topic. */
export interface DlqWriter {
  /**
   * Sends all `entries` in one request, acknowledged by all in-sync replicas.
   * Resolves once the broker has them: only then may the caller commit the
   * source offsets, or a crash would lose the records. Empty input sends nothing.
   *
   * @throws {@link DependencyUnavailableError} (retriable) when the send fails;
   *   the caller must not commit the source offsets then.
   */
  send(entries: readonly DlqEntry[]): Promise<void>;
}

/**
 * Creates the DLQ writer a consumer hands its per-record failures to (see
 * {@link buildDlqMessage} for what each DLQ record holds).
 *
 * @returns a {@link DlqWriter}. Never throws; its `send` may.
 */
export function createDlqWriter(options: DlqWriterOptions): DlqWriter {
  const { producer, topic, logger } = options;
  return {
    async send(entries) {
      if (entries.length === 0) return;
      const now = new Date();
      const messages = entries.map(({ source, failure }) => buildDlqMessage(source, failure, now));
      try {
        await producer.send({ topic, acks: -1, messages });
      } catch (err) {
        throw new DependencyUnavailableError(`could not write ${entries.length} record(s) to the DLQ topic ${topic}`, {
          dependency: 'kafka',
          cause: err,
        });
      }
      logger?.warn(
        {
          dlqTopic: topic,
          count: entries.length,
          records: entries.map(({ source, failure }) => ({
            topic: source.topic,
            partition: source.partition,
            offset: source.offset,
            code: failure.code,
          })),
        },
        'records sent to the DLQ',
      );
    },
  };
}
