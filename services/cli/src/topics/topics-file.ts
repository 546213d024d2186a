import { readFile } from 'node:fs/promises';
import { z } from 'zod';

// Kafka's own rule (kafka.common.internals.Topic): at most 249 of these characters.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

const topicSchema = z.strictObject({
  name: z.string().regex(TOPIC_NAME, 'expected a Kafka topic name: 1–249 of letters, digits, ".", "_", "-"'),
  /** The Avro record of the values, or null for raw bytes (the DLQ). Documentation only here. */
  value: z.string().min(1).nullable(),
  partitions: z.number().int('expected a whole number ≥ 1').min(1, 'expected a whole number ≥ 1'),
  /** Absent: the broker's `default.replication.factor`, so one file fits a laptop and a cluster. */
  replicationFactor: z.number().int('expected a whole number ≥ 1').min(1, 'expected a whole number ≥ 1').optional(),
  /** Kafka topic configs; values are strings, as Kafka stores them. */
  config: z.record(z.string().min(1), z.string('expected a string (Kafka config values are strings, e.g. "604800000")')).default({}),
});

const fileSchema = z
  .object({
    $comment: z.string().optional(),
    topics: z.array(topicSchema).min(1),
  })
  .superRefine(({ topics }, ctx) => {
    const seen = new Set<string>();
    topics.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'name'], message: `declared twice: "${t.name}"` });
      seen.add(t.name);
    });
  });

/** One topic as declared in deploy/topics.json. */
export type TopicDeclaration = z.output<typeof topicSchema>;

/** The parsed topics file. */
export interface TopicsDeclaration {
  topics: TopicDeclaration[];
}

/**
 * Parses the contents of a topics file (`source` names it in messages).
 *
 * @throws Error naming the file and each bad entry, by index and topic name,
 *   e.g. `deploy/topics.json: topics[2] "account.events.v1": partitions: …`.
 */
export function parseTopicsFile(text: string, source: string): TopicsDeclaration {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = fileSchema.safeParse(raw);
  if (result.success) return { topics: result.data.topics };
  const problems = result.error.issues.map((issue) => `  ${where(issue.path, raw)}: ${issue.message}`);
  throw new Error([`${source}: invalid topics file:`, ...problems].join('\n'));
}

/**
 * Reads and parses a topics file.
 *
 * @throws Error when the file cannot be read, or as {@link parseTopicsFile}.
 */
export async function readTopicsFile(path: string): Promise<TopicsDeclaration> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read topics file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseTopicsFile(text, path);
}

/** `topics[2] "account.events.v1": partitions`, so the reader finds the entry without counting. */
function where(path: readonly PropertyKey[], raw: unknown): string {
  const [first, index, ...rest] = path;
  if (first !== 'topics' || typeof index !== 'number') return path.map(String).join('.') || '(file)';
  const entry = (raw as { topics?: unknown[] }).topics?.[index];
  const name = typeof entry === 'object' && entry !== null ? (entry as { name?: unknown }).name : undefined;
  const label = `topics[${index}]${typeof name === 'string' ? ` "${name}"` : ''}`;
  return rest.length === 0 ? label : `${label}: ${rest.map(String).join('.')}`;
}
