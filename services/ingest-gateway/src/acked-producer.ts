import { DependencyUnavailableError } from '@valuepulse/errors';
import type { Logger } from '@valuepulse/log';
import type { Producer } from '@valuepulse/kafka';

/** One record on its way to a topic. */
export interface OutMessage {
  topic: string;
  key: string;
  value: Buffer;
}

/** Options of {@link createAckedProducer}. */
export interface AckedProducerOptions {
  /** Makes a fresh idempotent producer (after a failure the old one is dropped). */
  newProducer: () => Producer;
  /** How long a record may wait for Kafka's acknowledgement before its request gets 503. */
  timeoutMs: number;
  /** At most this many records per Kafka request (several requests' records share one). */
  maxBatch: number;
  logger: Logger;
  /** Called with the duration (s) of each acknowledged send. */
  onSent?: (seconds: number, records: number) => void;
}

/** Sends records with acks=all, coalescing concurrent requests. */
export interface AckedProducer {
  /**
   * Resolves once Kafka has acknowledged every one of `messages` (acks=all).
   * @throws DependencyUnavailableError (dependency `kafka`) when Kafka did not
   *   acknowledge them within the timeout: some may still be stored, so the
   *   caller retries with the same event ids.
   */
  send(messages: readonly OutMessage[]): Promise<void>;
  /** Whether the last send succeeded (or none failed yet) and a producer is connected. */
  healthy(): boolean;
  /**
   * {@link healthy}, or else whether a fresh producer connects within the
   * timeout (then healthy again): a replica taken out of traffic after a
   * failure gets no request that could show Kafka is back, so readiness asks.
   */
  recover(): Promise<boolean>;
  connect(): Promise<void>;
  /** Waits for what is in flight, then disconnects. */
  close(): Promise<void>;
}

interface Pending {
  messages: readonly OutMessage[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * One send in flight at a time; the records of the requests that arrive
 * meanwhile go together in the next one (up to `maxBatch`), so throughput
 * grows with concurrency while each request waits for at most one round trip
 * before its own. A send that fails or times out fails every request in it
 * and drops the producer: the next send starts on a fresh connection and
 * producer id (kafkajs' idempotent producer does not recover its sequence
 * numbers from a broker restart). Duplicates this may cause carry the same
 * event ids, which the consumers count once.
 */
export function createAckedProducer(options: AckedProducerOptions): AckedProducer {
  const { timeoutMs, maxBatch, logger } = options;
  const queue: Pending[] = [];
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;
  let inFlight: Promise<void> | undefined;
  let lastOk = true;
  let closed = false;
  let recovering: Promise<boolean> | undefined;

  const current = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const p = options.newProducer();
      try {
        await p.connect();
      } catch (err) {
        await p.disconnect().catch(() => undefined);
        throw err;
      } finally {
        connecting = undefined;
      }
      producer = p;
      return p;
    })();
    return connecting;
  };

  const drop = (p: Producer | undefined): void => {
    if (p && producer === p) producer = undefined;
    // in the background: a dead broker makes disconnect slow, and nothing waits for it
    if (p) void p.disconnect().catch(() => undefined);
  };

  const take = (): Pending[] => {
    const batch: Pending[] = [];
    let records = 0;
    while (queue.length > 0 && (batch.length === 0 || records + (queue[0] as Pending).messages.length <= maxBatch)) {
      const next = queue.shift() as Pending;
      records += next.messages.length;
      batch.push(next);
    }
    return batch;
  };

  const sendBatch = async (batch: Pending[]): Promise<void> => {
    const byTopic = new Map<string, { key: string; value: Buffer }[]>();
    let records = 0;
    for (const { messages } of batch) {
      for (const m of messages) {
        let list = byTopic.get(m.topic);
        if (!list) byTopic.set(m.topic, (list = []));
        list.push({ key: m.key, value: m.value });
        records += 1;
      }
    }
    const started = performance.now();
    let used: Producer | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no acknowledgement from Kafka within ${timeoutMs} ms`)), timeoutMs);
      });
      const send = (async () => {
        used = await current();
        await used.sendBatch({ acks: -1, timeout: timeoutMs, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      })();
      send.catch(() => undefined); // the timeout may win; the loser's rejection is expected
      await Promise.race([send, timeout]);
      lastOk = true;
      options.onSent?.((performance.now() - started) / 1000, records);
      for (const p of batch) p.resolve();
    } catch (err) {
      if (lastOk) logger.warn({ err, records }, 'Kafka did not acknowledge: answering 503 until it does');
      lastOk = false;
      drop(used ?? producer);
      const failure = new DependencyUnavailableError(`Kafka did not acknowledge the records: ${(err as Error).message}`, { dependency: 'kafka', cause: err });
      for (const p of batch) p.reject(failure);
    } finally {
      clearTimeout(timer);
    }
  };

  const pump = (): void => {
    if (inFlight || queue.length === 0) return;
    const batch = take();
    inFlight = sendBatch(batch).finally(() => {
      inFlight = undefined;
      pump();
    });
  };

  return {
    send(messages) {
      if (messages.length === 0) return Promise.resolve();
      if (closed) return Promise.reject(new DependencyUnavailableError('the gateway is stopping', { dependency: 'kafka' }));
      const parts: Promise<void>[] = [];
      // a large request is split so no Kafka request outgrows maxBatch
      for (let i = 0; i < messages.length; i += maxBatch) {
        const slice = messages.slice(i, i + maxBatch);
        parts.push(new Promise<void>((resolve, reject) => queue.push({ messages: slice, resolve, reject })));
      }
      pump();
      return Promise.all(parts).then(() => undefined);
    },
    healthy: () => lastOk && producer !== undefined,
    recover() {
      if (lastOk && producer !== undefined) return Promise.resolve(true);
      if (closed) return Promise.resolve(false);
      recovering ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
          });
          const connected = current();
          connected.catch(() => undefined);
          await Promise.race([connected, timeout]);
          if (!lastOk) logger.info('Kafka answers again: ready');
          lastOk = true;
          return true;
        } catch {
          return false;
        } finally {
          clearTimeout(timer);
          recovering = undefined;
        }
      })();
      return recovering;
    },
    async connect() {
      await current();
    },
    async close() {
      closed = true;
      while (inFlight) await inFlight;
      const p = producer;
      producer = undefined;
      await p?.disconnect();
    },
  };
}
