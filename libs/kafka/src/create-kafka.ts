import { Kafka, logLevel as KafkaLogLevel, type KafkaConfig, type LogEntry, type logCreator, type SASLOptions } from 'kafkajs';
import type { Logger } from '@valuepulse/log';

/** TLS towards the brokers: PEM text; an empty object means the system's CAs. */
export interface KafkaTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
}

/** SASL credentials; the mechanism names are kafkajs' own. */
export interface KafkaSaslOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

export interface KafkaClientOptions {
  /** `host:port` list, as parsed from `KAFKA_BROKERS`. */
  brokers: string[];
  /** TLS (`KAFKA_SSL*`); undefined for plaintext. */
  ssl?: KafkaTlsOptions | undefined;
  /** SASL (`KAFKA_SASL_*`); undefined for none. */
  sasl?: KafkaSaslOptions | undefined;
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

function saslConfig(sasl: KafkaSaslOptions): SASLOptions {
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * Creates a kafkajs client. Every other package reaches Kafka through this
 * one, so swapping the client library touches only `@valuepulse/kafka`.
 * Without a logger kafkajs prints only errors to stderr; `quiet` silences it.
 * `ssl` and `sasl` come from the endpoints (`kafkaConnection` of
 * `@valuepulse/config`); a wrong password makes `connect()` reject with
 * kafkajs' `KafkaJSSASLAuthenticationError`, which is not retried.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.ssl ? { ssl: { ...options.ssl } } : {}),
    // a fresh object: kafkajs keeps it, and nothing else should hold the caller's
    ...(options.sasl ? { sasl: saslConfig(options.sasl) } : {}),
    connectionTimeout: options.connectionTimeoutMs ?? 3000,
    retry: options.retry ?? { initialRetryTime: 300, retries: 8 },
    logLevel: options.quiet ? KafkaLogLevel.NOTHING : options.logger ? KafkaLogLevel.INFO : KafkaLogLevel.ERROR,
    ...(options.logger ? { logCreator: pinoLogCreator(options.logger) } : {}),
  });
}
