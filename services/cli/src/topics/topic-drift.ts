import type { TopicDeclaration } from './topics-file.js';

/** One way an existing topic differs from its declaration. */
export type Drift =
  | { kind: 'partitions'; actual: number; declared: number }
  | { kind: 'config'; name: string; actual: string | undefined; declared: string };

/** What the broker says about an existing topic. */
export interface TopicState {
  partitions: number;
  /** Every config in force (inherited ones included), by name. */
  configs: ReadonlyMap<string, string>;
}

/**
 * The differences between a declared topic and the topic as it is. Configs the
 * declaration does not mention are not drift: operators may tune them.
 */
export function findDrift(declared: TopicDeclaration, actual: TopicState): Drift[] {
  const drift: Drift[] = [];
  if (actual.partitions !== declared.partitions) {
    drift.push({ kind: 'partitions', actual: actual.partitions, declared: declared.partitions });
  }
  for (const [name, value] of Object.entries(declared.config)) {
    const current = actual.configs.get(name);
    if (current !== value) drift.push({ kind: 'config', name, actual: current, declared: value });
  }
  return drift;
}

/** Whether `--fix` can repair it: Kafka can add partitions, never remove them. */
export function isFixable(drift: Drift): boolean {
  return drift.kind === 'config' || drift.actual < drift.declared;
}

/** One drift for a human: `partitions 3, declared 6`, `retention.ms 86400000, declared 1209600000`. */
export function describeDrift(drift: Drift): string {
  if (drift.kind === 'partitions') {
    const base = `partitions ${drift.actual}, declared ${drift.declared}`;
    return isFixable(drift) ? base : `${base} (partitions can only be increased: recreate the topic or declare ${drift.actual})`;
  }
  return `${drift.name} ${drift.actual ?? '(unknown to the broker)'}, declared ${drift.declared}`;
}
