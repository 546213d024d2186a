import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS, validateRecord } from '@valuepulse/contracts';
import { javaPartitionOf } from '@valuepulse/kafka';
import type { StoreEvent } from '@valuepulse/state';
import { UsageError } from '../usage-error.js';

// file order breaks ties in delivery time, as `npm run quality -- --dir` merges them
const KINDS = [
  { kind: 'account', record: 'AccountEvent', file: `${TOPICS.accountEvents}.jsonl` },
  { kind: 'usage', record: 'UsageEvent', file: `${TOPICS.usageEvents}.jsonl` },
  { kind: 'support', record: 'SupportEvent', file: `${TOPICS.supportEvents}.jsonl` },
] as const;

/** The event files of a directory as `valuepulse simulate --out` writes them; at least one must exist. */
export function jsonlFilesIn(dir: string): { kind: StoreEvent['kind']; path: string; record: (typeof KINDS)[number]['record'] }[] {
  const files = KINDS.map((k) => ({ kind: k.kind, record: k.record, path: join(dir, k.file) })).filter((f) => existsSync(f.path));
  if (files.length === 0) throw new UsageError(`${dir} has none of ${KINDS.map((k) => k.file).join(', ')}`);
  return files;
}

/**
 * The events of a directory of JSON Lines files (usage/support/account
 * events, as `valuepulse simulate --out` writes them), each line validated
 * against its contract, in delivery order: each file is in its own delivery
 * order, and the files are merged by each one's running maximum event time
 * (a late record stays late; ties go account, usage, support events, then
 * line order) — the order `npm run quality -- --dir` replays. Streams: the
 * files are read a chunk at a time.
 *
 * @throws Error naming the file and line of the first invalid record.
 */
export function* readJsonlDir(dir: string, options: { lastOfPartition?: LastOfPartition } = {}): Generator<StoreEvent> {
  const last = options.lastOfPartition;
  const streams = jsonlFilesIn(dir).map((f) => ({ ...f, lines: readLines(f.path), max: Number.NEGATIVE_INFINITY, head: null as { delivered: number; input: StoreEvent } | null, lineNo: 0 }));
  const advance = (s: (typeof streams)[number]) => {
    for (;;) {
      const next = s.lines.next();
      if (next.done) {
        s.head = null;
        return;
      }
      s.lineNo += 1;
      if (next.value.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(next.value);
      } catch (err) {
        throw new Error(`${s.path} line ${s.lineNo}: not JSON (${(err as Error).message})`);
      }
      const valid = validateRecord(s.record, json);
      if (!valid.ok) throw new Error(`${s.path} line ${s.lineNo}: ${valid.issues.join('; ')}`);
      const input = { kind: s.kind, event: valid.value } as StoreEvent;
      if (last && last.lines.get(s.path)?.get(last.partitionOf(input.event.account_id)) === s.lineNo) last.records.add(input);
      if (input.event.occurred_at > s.max) s.max = input.event.occurred_at;
      s.head = { delivered: s.max, input };
      return;
    }
  };
  for (const s of streams) advance(s);
  for (;;) {
    let pick: (typeof streams)[number] | null = null;
    for (const s of streams) if (s.head !== null && (pick === null || s.head.delivered < (pick.head as { delivered: number }).delivered)) pick = s;
    if (pick === null) return;
    yield (pick.head as { input: StoreEvent }).input;
    advance(pick);
  }
}

const KEY = '"account_id":"';

/** The account id of a JSON line without parsing it, when the key occurs once and its value has no escape; else undefined. */
function plainAccountId(line: string): string | undefined {
  const at = line.indexOf(KEY);
  if (at === -1 || line.indexOf(KEY, at + 1) !== -1) return undefined;
  const end = line.indexOf('"', at + KEY.length);
  const value = line.slice(at + KEY.length, end);
  return end === -1 || value.includes('\\') ? undefined : value;
}

/** Which records of a directory are the last of their Kafka partition, had each file been produced to its topic with `partitions` partitions. */
export interface LastOfPartition {
  partitions: number;
  /** The partition of an account's records (memoised: the partitioner is costly per call). */
  partitionOf(accountId: string): number;
  /** File → partition → line number of its last record. */
  lines: Map<string, Map<number, number>>;
  /** Filled by {@link readJsonlDir} as it yields those records. */
  records: WeakSet<StoreEvent>;
}

/**
 * A first pass over the files: the line of each partition's last record,
 * each file produced to its topic with `partitions` partitions by the Java
 * partitioner (murmur2 of the account id, what valuepulse's producers use).
 * For a replay that judges as the scorer judges a backlog (see
 * `drainsSource` in @valuepulse/state's ReplayOptions).
 */
export function lastOfPartition(dir: string, partitions: number): LastOfPartition {
  const lines = new Map<string, Map<number, number>>();
  const known = new Map<string, number>();
  const partitionOf = (accountId: string) => {
    let p = known.get(accountId);
    if (p === undefined) known.set(accountId, (p = javaPartitionOf(accountId, partitions)));
    return p;
  };
  for (const f of jsonlFilesIn(dir)) {
    const byPartition = new Map<number, number>();
    let lineNo = 0;
    for (const line of readLines(f.path)) {
      lineNo += 1;
      if (line.trim() === '') continue;
      // the id without parsing the whole line when it is plain; JSON.parse when it has escapes or is elsewhere
      let accountId: unknown = plainAccountId(line);
      if (accountId === undefined) {
        try {
          accountId = (JSON.parse(line) as { account_id?: unknown }).account_id;
        } catch {
          continue; // the reading pass names the bad line
        }
      }
      if (typeof accountId === 'string') byPartition.set(partitionOf(accountId), lineNo);
    }
    lines.set(f.path, byPartition);
  }
  return { partitions, partitionOf, lines, records: new WeakSet() };
}

/** The lines of a UTF-8 file, read 1 MiB at a time. */
function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    let rest = '';
    const decoder = new TextDecoder('utf-8');
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const text = rest + decoder.decode(buffer.subarray(0, n), { stream: true });
      const lines = text.split('\n');
      rest = lines.pop() as string;
      yield* lines;
    }
    rest += decoder.decode();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}
