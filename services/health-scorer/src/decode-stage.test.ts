import { describe, expect, it } from 'vitest';
import { decodeRecords } from './decode-stage.js';
import { jsonCodec, message } from './stage-fakes.fixture.js';

const batch = (n: number) => ({ topic: 'p.usage.events.v1', partition: 2, messages: Array.from({ length: n }, (_, i) => message(10 + i, i === 1 ? 'bad' : { account_id: `a${i}`, occurred_at: i })) });

describe('decode stage', () => {
  it('gives one result per message at its index: ok with the store event, or dlq with the failure and the original message', async () => {
    const b = batch(3);
    const records = decodeRecords(jsonCodec(), b, 'usage.events.v1', { chunk: 10 });
    const [r0, r1, r2, past] = [await records.at(0), await records.at(1), await records.at(2), await records.at(3)];
    expect(r0).toMatchObject({ ok: true, message: b.messages[0], value: { kind: 'usage', event: { account_id: 'a0' } } });
    expect(r1).toEqual({ ok: false, message: b.messages[1], failure: { code: 'NOT_WIRE_FORMAT', message: 'not JSON' } });
    expect(r2?.ok).toBe(true);
    expect(past).toBeUndefined();
    expect(records.results).toHaveLength(3);
  });

  it('decodes a chunk at a time, only as far as asked', async () => {
    const codec = jsonCodec();
    let chunks = 0;
    const records = decodeRecords(codec, batch(25), 'usage.events.v1', { chunk: 10, onChunk: () => (chunks += 1) });
    await records.at(0);
    expect([codec.decodes, chunks]).toEqual([10, 1]);
    await records.at(9);
    expect(codec.decodes).toBe(10);
    await records.at(10);
    expect([codec.decodes, chunks]).toEqual([20, 2]);
    expect(await records.at(99)).toBeUndefined();
    expect([codec.decodes, chunks, records.results.length]).toEqual([25, 3, 25]);
  });

  it('refuses a topic the scorer does not consume (a wiring error, not a bad record)', async () => {
    await expect(decodeRecords(jsonCodec(), batch(1), 'health.alerts.v1', { chunk: 10 }).at(0)).rejects.toThrow(/does not consume/);
  });
});
