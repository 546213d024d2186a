import { setTimeout as sleep } from 'node:timers/promises';
import { describeTopicConfigs, updateTopicConfigs, type Admin } from '@valuepulse/kafka';
import { findDrift, isFixable, type Drift, type TopicState } from './topic-drift.js';
import type { TopicDeclaration, TopicsDeclaration } from './topics-file.js';

/** Options of {@link applyTopics}. */
export interface ApplyTopicsOptions {
  /** Prepended to every declared name (tests apply the real declaration under random names). */
  prefix?: string;
  /** Increase partitions and set declared configs where they drifted. */
  fix?: boolean;
  /** How long a fix may take to show in the broker's metadata before it counts as not applied. Default 15 s. */
  settleTimeoutMs?: number;
}

/** What happened to one topic. */
export interface TopicOutcome {
  topic: string;
  /** `fixed`: had drift that `--fix` repaired; `drift`: still differs from its declaration. */
  status: 'created' | 'ok' | 'drift' | 'fixed';
  /** What still differs (status `drift`). */
  drift: Drift[];
  /** What `--fix` repaired. */
  fixed: Drift[];
  /** Why a fix was refused by the broker, if it was. */
  fixError?: string;
}

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * Creates the declared topics that are missing (with their partitions and
 * configs) and compares the others with their declaration; with `fix`,
 * repairs what Kafka allows. Running it twice changes nothing the second time.
 *
 * @returns one outcome per declared topic, in declaration order.
 * @throws Error when a prefixed name is not a valid topic name; the kafkajs
 *   error when the broker cannot be reached or refuses to create a topic.
 */
export async function applyTopics(
  admin: Admin,
  declaration: TopicsDeclaration,
  options: ApplyTopicsOptions = {},
): Promise<TopicOutcome[]> {
  const { prefix = '', fix = false, settleTimeoutMs = 15_000 } = options;
  const declared = declaration.topics.map((t) => ({ ...t, name: `${prefix}${t.name}` }));
  const badName = declared.find((t) => !TOPIC_NAME.test(t.name));
  if (badName) throw new Error(`"${badName.name}" is not a valid topic name (check --topic-prefix)`);

  const existing = new Set(await admin.listTopics());
  const missing = declared.filter((t) => !existing.has(t.name));
  // false: another run created some of them meanwhile; those are then checked like any existing topic.
  const createdAll = missing.length > 0 && (await createMissing(admin, missing));
  const created = new Set(createdAll ? missing.map((t) => t.name) : []);
  const toCheck = declared.filter((t) => !created.has(t.name));

  const states = await readStates(admin, toCheck.map((t) => t.name));
  const outcomes = new Map<string, TopicOutcome>();
  for (const t of declared) {
    if (created.has(t.name)) {
      outcomes.set(t.name, { topic: t.name, status: 'created', drift: [], fixed: [] });
      continue;
    }
    const drift = findDrift(t, stateOf(states, t.name));
    outcomes.set(t.name, { topic: t.name, status: drift.length === 0 ? 'ok' : 'drift', drift, fixed: [] });
  }
  if (fix) await fixDrift(admin, declared, outcomes, settleTimeoutMs);
  return declared.map((t) => outcomes.get(t.name) as TopicOutcome);
}

async function createMissing(admin: Admin, topics: TopicDeclaration[]): Promise<boolean> {
  return admin.createTopics({
    waitForLeaders: true,
    topics: topics.map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      // kafkajs sends -1 when absent: the broker's default.replication.factor.
      ...(t.replicationFactor === undefined ? {} : { replicationFactor: t.replicationFactor }),
      configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
    })),
  });
}

async function readStates(admin: Admin, topics: string[]): Promise<Map<string, TopicState>> {
  const states = new Map<string, TopicState>();
  if (topics.length === 0) return states;
  const [metadata, configs] = await Promise.all([admin.fetchTopicMetadata({ topics }), describeTopicConfigs(admin, topics)]);
  for (const { name, partitions } of metadata.topics) {
    const entries = configs.get(name) ?? new Map();
    states.set(name, { partitions: partitions.length, configs: new Map([...entries].map(([k, e]) => [k, e.value])) });
  }
  return states;
}

function stateOf(states: Map<string, TopicState>, topic: string): TopicState {
  const state = states.get(topic);
  if (!state) throw new Error(`the broker returned no metadata for topic ${topic}`);
  return state;
}

async function fixDrift(
  admin: Admin,
  declared: TopicDeclaration[],
  outcomes: Map<string, TopicOutcome>,
  settleTimeoutMs: number,
): Promise<void> {
  const attempted: TopicDeclaration[] = [];
  for (const t of declared) {
    const outcome = outcomes.get(t.name);
    const fixable = outcome?.drift.filter(isFixable) ?? [];
    if (!outcome || fixable.length === 0) continue;
    try {
      await repair(admin, t.name, fixable);
      attempted.push(t);
    } catch (err) {
      outcome.fixError = err instanceof Error ? err.message : String(err);
    }
  }
  if (attempted.length === 0) return;

  // Changes reach the broker's metadata a moment after the controller accepts
  // them; report `fixed` only once they are visible, so the next run agrees.
  const deadline = Date.now() + settleTimeoutMs;
  for (;;) {
    const states = await readStates(admin, attempted.map((t) => t.name));
    const unsettled = attempted.filter((t) => findDrift(t, stateOf(states, t.name)).some(isFixable));
    if (unsettled.length === 0 || Date.now() >= deadline) {
      for (const t of attempted) {
        const outcome = outcomes.get(t.name) as TopicOutcome;
        const remaining = findDrift(t, stateOf(states, t.name));
        const still = new Set(remaining.map(key));
        outcome.fixed = outcome.drift.filter((d) => !still.has(key(d)));
        outcome.drift = remaining;
        outcome.status = remaining.length === 0 ? 'fixed' : 'drift';
      }
      return;
    }
    await sleep(200);
  }
}

async function repair(admin: Admin, topic: string, drift: Drift[]): Promise<void> {
  for (const d of drift) {
    if (d.kind === 'partitions') await admin.createPartitions({ topicPartitions: [{ topic, count: d.declared }] });
  }
  const configs = Object.fromEntries(drift.flatMap((d) => (d.kind === 'config' ? [[d.name, d.declared]] : [])));
  if (Object.keys(configs).length > 0) await updateTopicConfigs(admin, topic, configs);
}

function key(drift: Drift): string {
  return drift.kind === 'partitions' ? 'partitions' : `config:${drift.name}`;
}
