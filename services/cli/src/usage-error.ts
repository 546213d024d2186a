import { ValuepulseError } from '@valuepulse/errors';

/** A command line that cannot run as given; `main` prints it with the command's usage and exits 2. */
export class UsageError extends ValuepulseError {
  constructor(message: string) {
    super(message, { code: 'USAGE' });
  }
}

/** Whether `err` is a usage error: ours, or one of `util.parseArgs`. */
export function isUsageError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'USAGE' || code.startsWith('ERR_PARSE_ARGS'));
}
