import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';

export interface ClickHouseOptions {
  /** HTTP interface, e.g. `http://127.0.0.1:8123`. */
  url: string;
  /** Default database for queries; must exist unless you only run DDL. */
  database?: string;
  username?: string;
  password?: string;
  /** PEM text of the CA of an https server with a private CA (`CLICKHOUSE_TLS_CA_FILE`). */
  caCert?: string | undefined;
  /** Per-request timeout, ms. Default 30 s. */
  requestTimeoutMs?: number;
  /** Silence the client's own error log lines (a CLI reports failures itself). Default false. */
  quiet?: boolean;
}

/**
 * Creates a ClickHouse HTTP client. Inserts must pass `format: 'JSONEachRow'`
 * (the client's default format is unknown to 18.16) and values must be
 * escaped with this package's helpers: old servers have no query parameters.
 */
export function createClickHouse(options: ClickHouseOptions): ClickHouseClient {
  return createClient({
    url: options.url,
    username: options.username ?? 'default',
    password: options.password ?? '',
    ...(options.database ? { database: options.database } : {}),
    ...(options.caCert ? { tls: { ca_cert: Buffer.from(options.caCert) } } : {}),
    request_timeout: options.requestTimeoutMs ?? 30_000,
    compression: { request: false, response: true },
    ...(options.quiet ? { log: { level: ClickHouseLogLevel.OFF } } : {}),
  });
}
