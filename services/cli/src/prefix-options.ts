import { UsageError } from './usage-error.js';

// One flag per concept, named like the environment variable the services
// read: --topic-prefix (TOPIC_PREFIX) for Kafka topics and their registry
// subjects, --key-prefix (REDIS_KEY_PREFIX) for Redis keys. `--prefix` was
// the topic prefix's first name; it stays as an alias so scripts keep working.

/** `parseArgs` options of a command that reads or writes valuepulse topics. */
export const TOPIC_PREFIX_OPTIONS = {
  'topic-prefix': { type: 'string' },
  prefix: { type: 'string' },
} as const;

/** `--help` line of {@link TOPIC_PREFIX_OPTIONS}. */
export const TOPIC_PREFIX_HELP = {
  '--topic-prefix P': 'use the topics P<topic> and the subjects P<topic>-value (TOPIC_PREFIX; default none); alias --prefix',
} as const;

/** `parseArgs` options of a command that reads valuepulse state in Redis. */
export const KEY_PREFIX_OPTIONS = {
  'key-prefix': { type: 'string' },
} as const;

/** `--help` line of {@link KEY_PREFIX_OPTIONS}. */
export const KEY_PREFIX_HELP = {
  '--key-prefix P': 'read the Redis keys P… (REDIS_KEY_PREFIX; default vp:)',
} as const;

/**
 * The topic prefix a command runs under: `--topic-prefix`, else its alias
 * `--prefix`, else TOPIC_PREFIX, else none.
 *
 * @throws UsageError when `--topic-prefix` and `--prefix` are both given and differ.
 */
export function topicPrefix(values: { 'topic-prefix'?: string | undefined; prefix?: string | undefined }, env: NodeJS.ProcessEnv): string {
  const { 'topic-prefix': canonical, prefix: alias } = values;
  if (canonical !== undefined && alias !== undefined && canonical !== alias) {
    throw new UsageError(`--topic-prefix '${canonical}' and --prefix '${alias}' disagree (--prefix is the old name of --topic-prefix): give one`);
  }
  return canonical ?? alias ?? env.TOPIC_PREFIX ?? '';
}

/** The Redis key prefix a command reads: `--key-prefix`, else REDIS_KEY_PREFIX, else `vp:` (the services' default). */
export function keyPrefix(values: { 'key-prefix'?: string | undefined }, env: NodeJS.ProcessEnv): string {
  return values['key-prefix'] ?? env.REDIS_KEY_PREFIX ?? 'vp:';
}
