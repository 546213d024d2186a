import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '@valuepulse/log';

export interface KafkaClientOptions {
  /** `host:port` list, as parsed from `KAFKA_BROKERS`. */
  brokers: string[];
  /** Shows up in broker logs and quotas; use the service name. */
  clientId: string;
  /** kafkajs log lines are forwarded to this logger (component `kafkajs`). */
  logger?: Logger;
  /** Connection timeout per broker, ms (kafkajs default 1000 is tight for a cold JVM). */
  connectionTimeoutMs?: number;
  /** No kafkajs log output at all (CLI tools, which report errors themselves). */
  quiet?: boolean;
  /** Overrides for kafkajs' own retry of requests. */
  retry?: KafkaConfig['retry'];
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function pinoLogCreator(logger: Logger): logCreator {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, ...extra } = entry;
      log[LEVELS[level] ?? 'info']({ namespace, ...extra }, message);
    };
}

/**
 * Creates a kafkajs client. Every other package reaches Kafka through this
 * one, so swapping the client library touches only `@valuepulse/kafka`.
 * Without a logger kafkajs prints only errors to stderr; `quiet` silences it.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    retry: options.retry ?? { initialRetryTime: 300, retries: 8 },
    logLevel: options.quiet ? KafkaLogLevel.NOTHING : options.logger ? KafkaLogLevel.INFO : KafkaLogLevel.ERROR,
    ...(options.logger ? { logCreator: pinoLogCreator(options.logger) } : {}),
  });
}
