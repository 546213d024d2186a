import { TOPICS, type AccountEvent, type SupportEvent, type UsageEvent } from '@valuepulse/contracts';
import type { Message, Producer } from '@valuepulse/kafka';
import type { Simulation } from '@valuepulse/simulation';
import type { Sandbox } from '../common/sandbox.js';

type Kind = 'usage' | 'support' | 'account';
type AnyEvent = UsageEvent | SupportEvent | AccountEvent;
const TOPIC_OF: Record<Kind, string> = { usage: TOPICS.usageEvents, support: TOPICS.supportEvents, account: TOPICS.accountEvents };

export interface ProduceOptions {
  /**
   * Prepended to every account id and event id: a second scenario in the same
   * sandbox gets accounts of its own instead of a second history for the first one's.
   */
  accountPrefix?: string;
  /** Events per second of wall time; null: as fast as the broker acknowledges. */
  rate: number | null;
  /** Stop after this much wall time (ms), whatever is left of the scenario. */
  maxMs?: number;
  /** Polled before each send: true stops production (a signal, cleanup). */
  stopped?: () => boolean;
}

export interface ProduceResult {
  events: number;
  byTopic: Record<Kind, number>;
  /** Bytes of Avro values. */
  bytes: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Produces a simulated scenario to the sandbox's input topics as the
 * simulator does (`services/simulator`: each day's events merged in event-time
 * order, Avro via the registry, key = account id, idempotent producer with
 * acks=all, one send in flight while the next is encoded), optionally paced:
 * at `rate` the n-th event is due n ÷ rate seconds after the first, in sends
 * of 1/20 s worth of events, so the load is steady rather than a burst a second.
 */
export async function produceScenario(sandbox: Sandbox, simulation: Simulation, opts: ProduceOptions): Promise<ProduceResult> {
  const prefix = opts.accountPrefix ?? '';
  const sendSize = opts.rate === null ? 4000 : Math.max(1, Math.round(opts.rate / 20));
  const producer = sandbox.kafka.producer({ idempotent: true });
  await producer.connect();
  const byTopic: Record<Kind, number> = { usage: 0, support: 0, account: 0 };
  let bytes = 0;
  const started = performance.now();
  const pace = pacer(opts.rate);
  const out = createOrderedSender(producer);
  let batch = new Map<string, Message[]>();
  let count = 0;
  const expired = () => (opts.maxMs !== undefined && performance.now() - started >= opts.maxMs) || (opts.stopped?.() ?? false);
  try {
    produce: for (const day of simulation.days()) {
      for (const [kind, event] of mergeByTime(day)) {
        const value = prefix === '' ? event : { ...event, account_id: prefix + event.account_id, event_id: prefix + event.event_id };
        const topic = sandbox.topic(TOPIC_OF[kind]);
        const encoded = await sandbox.codec.encode(topic, value);
        bytes += encoded.length;
        byTopic[kind] += 1;
        const list = batch.get(topic) ?? [];
        list.push({ key: value.account_id, value: encoded });
        batch.set(topic, list);
        count += 1;
        if (count >= sendSize) {
          if (expired()) break produce;
          await pace(count);
          await out.send(batch);
          batch = new Map();
          count = 0;
        }
      }
    }
    if (count > 0 && !expired()) {
      await pace(count);
      await out.send(batch);
    } else {
      // the unsent rest is not counted
      for (const [topic, messages] of batch) byTopic[kindOf(sandbox, topic)] -= messages.length;
    }
    await out.flush();
  } finally {
    await producer.disconnect();
  }
  const seconds = (performance.now() - started) / 1000;
  const events = byTopic.usage + byTopic.support + byTopic.account;
  return { events, byTopic, bytes, seconds, eventsPerSecond: events / seconds };
}

function kindOf(sandbox: Sandbox, topic: string): Kind {
  return (Object.keys(TOPIC_OF) as Kind[]).find((k) => sandbox.topic(TOPIC_OF[k]) === topic) as Kind;
}

/** The day's three lists merged by event time; ties: account before support before usage. */
function* mergeByTime(day: { usage: UsageEvent[]; support: SupportEvent[]; account: AccountEvent[] }): Generator<[Kind, AnyEvent]> {
  const cursor: Record<Kind, number> = { usage: 0, support: 0, account: 0 };
  for (;;) {
    let next: Kind | null = null;
    for (const kind of ['account', 'support', 'usage'] as const) {
      const candidate = day[kind][cursor[kind]];
      if (candidate && (next === null || candidate.occurred_at < (day[next][cursor[next]] as AnyEvent).occurred_at)) next = kind;
    }
    if (next === null) return;
    yield [next, day[next][cursor[next]] as AnyEvent];
    cursor[next] += 1;
  }
}

/** At `rate` events/s: waits until `count` more events are due; null never waits. */
function pacer(rate: number | null): (count: number) => Promise<void> {
  let started: number | undefined;
  let admitted = 0;
  return async (count) => {
    if (rate === null) return;
    started ??= performance.now();
    const wait = started + (admitted * 1000) / rate - performance.now();
    admitted += count;
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
  };
}

/** One send in flight at a time, so each account's events stay in order on its partition. */
function createOrderedSender(producer: Producer) {
  let inFlight: Promise<unknown> = Promise.resolve();
  return {
    async send(batch: Map<string, Message[]>) {
      await inFlight;
      inFlight = producer.sendBatch({ acks: -1, topicMessages: [...batch].map(([topic, messages]) => ({ topic, messages })) });
      inFlight.catch(() => undefined);
    },
    flush: () => inFlight,
  };
}
