import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';

/** Options of {@link createLogger}. */
export type CreateLoggerOptions = {
  /** The service or tool name, written as `service` on every line. */
  name: string;
  /** A pino level name. Defaults to `LOG_LEVEL`, then (when unset or empty) `info`. */
  level?: string;
  /** Where JSON lines go. Defaults to stdout (synchronous, so nothing is lost on `process.exit`). */
  destination?: DestinationStream;
};

// Keys that may hold credentials, redacted wherever they sit in the first three levels of a log object.
const SECRET_KEYS = ['password', 'clickhousePassword', 'CLICKHOUSE_PASSWORD', 'secret', 'token', 'authorization'];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Creates the root logger of a process: JSON lines with `level` as a label,
 * an ISO `time`, `service`, `pid` and `hostname`, errors under `err` serialised
 * with their `cause` nested and their own fields (`code`, `retriable`, …) kept,
 * and password/secret/token fields redacted.
 *
 * Give each part of a service its own child, so every line says where it came from:
 *
 * ```ts
 * const logger = createLogger({ name: 'health-scorer' });
 * const consumerLog = logger.child({ component: 'usage-events.consumer' });
 * consumerLog.warn({ err, partition }, 'batch failed, retrying');
 * ```
 *
 * @returns a pino `Logger`.
 * @throws `RangeError` when `level` (or `LOG_LEVEL`) is not a pino level name.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  // An empty LOG_LEVEL means unset, as for every other variable (see @valuepulse/config).
  const level = options.level ?? (process.env['LOG_LEVEL'] || 'info');
  if (level !== 'silent' && !(level in pino.levels.values)) {
    const known = [...Object.keys(pino.levels.values), 'silent'].join(', ');
    throw new RangeError(`unknown log level "${level}"; expected one of ${known}`);
  }
  return pino(
    {
      level,
      base: { service: options.name, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Labels, not numbers: log pipelines and humans both filter on "error".
      formatters: { level: (label) => ({ level: label }) },
      // errWithCause nests the cause instead of gluing its message onto ours.
      serializers: { err: pino.stdSerializers.errWithCause, error: pino.stdSerializers.errWithCause },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}
