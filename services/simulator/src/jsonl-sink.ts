import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { TOPICS } from '@valuepulse/contracts';
import type { SimulatedDay } from '@valuepulse/simulation';
import type { EventSink } from './event-sink.js';

/** The files {@link createJsonlSink} writes, by topic. */
export function jsonlFiles(dir: string): { usage: string; support: string; account: string } {
  return {
    usage: join(dir, `${TOPICS.usageEvents}.jsonl`),
    support: join(dir, `${TOPICS.supportEvents}.jsonl`),
    account: join(dir, `${TOPICS.accountEvents}.jsonl`),
  };
}

/**
 * Writes each topic's events as JSON Lines to `<dir>/<topic>.jsonl`, one
 * record per line with the contract's field names and epoch-millisecond
 * timestamps — the input `valuepulse produce --topic <topic> --file …`
 * takes, so a scenario can be replayed. Creates `dir`; overwrites the files.
 */
export async function createJsonlSink(dir: string): Promise<EventSink> {
  await mkdir(dir, { recursive: true });
  const files = jsonlFiles(dir);
  const streams: Record<keyof typeof files, WriteStream> = {
    usage: createWriteStream(files.usage),
    support: createWriteStream(files.support),
    account: createWriteStream(files.account),
  };
  let closed: Promise<void> | undefined;
  return {
    async write(day: SimulatedDay) {
      for (const kind of ['account', 'support', 'usage'] as const) {
        const events = day[kind];
        if (events.length === 0) continue;
        // one write per topic and day: JSON.stringify is the cost, not the syscalls
        let text = '';
        for (const e of events) text += `${JSON.stringify(e)}\n`;
        if (!streams[kind].write(text)) await once(streams[kind], 'drain');
      }
    },
    close() {
      closed ??= Promise.all(
        Object.values(streams).map(async (s) => {
          s.end();
          await once(s, 'finish');
        }),
      ).then(() => undefined);
      return closed;
    },
  };
}
