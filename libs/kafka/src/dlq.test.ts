import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { buildDlqMessage, DLQ_HEADERS, readDlqHeaders, type DlqSource } from './dlq.js';

// 0xc3 0x28 is an invalid two-byte UTF-8 sequence, 0xff never appears in UTF-8:
// any decode/encode round trip through a string would change these bytes.
const NOT_UTF8 = Buffer.from([0x00, 0xc3, 0x28, 0xff, 0xfe, 0x80, 0x0a]);
const NOW = new Date('2026-03-01T12:34:56.789Z');

function consumed(overrides: Partial<KafkaMessage> = {}): KafkaMessage {
  return {
    key: Buffer.from('acct-42'),
    value: Buffer.from(NOT_UTF8),
    timestamp: '1767225600000',
    attributes: 0,
    offset: '17',
    headers: { 'trace-id': Buffer.from('abc'), 'binary-header': Buffer.from([0xff, 0x00]) },
    ...overrides,
  } as KafkaMessage;
}

function source(message: KafkaMessage = consumed()): DlqSource {
  return { topic: 'usage.events.v1', partition: 4, offset: message.offset, message };
}

const failure = { code: 'DECODE_FAILED', message: 'unknown magic byte 0x00' };

describe('buildDlqMessage', () => {
  it('keeps the original key and value bytes and headers, and adds the DLQ headers', () => {
    const built = buildDlqMessage(source(), failure, NOW);
    expect(Buffer.isBuffer(built.value)).toBe(true);
    expect(Buffer.compare(built.value as Buffer, NOT_UTF8)).toBe(0);
    expect(Buffer.compare(built.key as Buffer, Buffer.from('acct-42'))).toBe(0);
    expect(built.headers).toEqual({
      'trace-id': Buffer.from('abc'),
      'binary-header': Buffer.from([0xff, 0x00]),
      'dlq.error.code': 'DECODE_FAILED',
      'dlq.error.message': 'unknown magic byte 0x00',
      'dlq.source.topic': 'usage.events.v1',
      'dlq.source.partition': '4',
      'dlq.source.offset': '17',
      'dlq.source.timestamp': '1767225600000',
      'dlq.failed_at': '2026-03-01T12:34:56.789Z',
    });
    expect(built.partition).toBeUndefined();
  });

  it('keeps a null key and a null value (tombstone) null', () => {
    const built = buildDlqMessage(source(consumed({ key: null, value: null })), failure, NOW);
    expect(built.key).toBeNull();
    expect(built.value).toBeNull();
  });

  it('works for a record without headers', () => {
    const message = consumed();
    delete (message as { headers?: unknown }).headers;
    const built = buildDlqMessage(source(message), failure, NOW);
    expect(Object.keys(built.headers ?? {}).sort()).toEqual(Object.values(DLQ_HEADERS).sort());
  });

  it('replaces DLQ headers left by an earlier failure of the same bytes', () => {
    const replayed = consumed({ headers: { [DLQ_HEADERS.errorCode]: Buffer.from('OLD'), keep: 'me' } });
    const built = buildDlqMessage(source(replayed), failure, NOW);
    expect(built.headers?.[DLQ_HEADERS.errorCode]).toBe('DECODE_FAILED');
    expect(built.headers?.['keep']).toBe('me');
  });

  it('does not modify the source message', () => {
    const message = consumed();
    const headersBefore = { ...message.headers };
    buildDlqMessage(source(message), failure, NOW);
    expect(message.headers).toEqual(headersBefore);
    expect(Buffer.compare(message.value as Buffer, NOT_UTF8)).toBe(0);
  });

  it('truncates the error message to 1000 characters, never splitting a character', () => {
    const long = '😀'.repeat(1500);
    const text = buildDlqMessage(source(), { code: 'X', message: long }, NOW).headers?.[DLQ_HEADERS.errorMessage] as string;
    const chars = Array.from(text);
    expect(chars).toHaveLength(1000);
    expect(chars.slice(0, 999).every((c) => c === '😀')).toBe(true);
    expect(chars[999]).toBe('…');
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);

    const exact = 'a'.repeat(1000);
    expect(buildDlqMessage(source(), { code: 'X', message: exact }, NOW).headers?.[DLQ_HEADERS.errorMessage]).toBe(exact);
  });

  it('stamps the current time when no time is given', () => {
    const before = Date.now();
    const failedAt = buildDlqMessage(source(), failure).headers?.[DLQ_HEADERS.failedAt] as string;
    expect(Date.parse(failedAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(failedAt)).toBeLessThanOrEqual(Date.now());
  });
});

describe('readDlqHeaders', () => {
  const expected = {
    code: 'DECODE_FAILED',
    message: 'unknown magic byte 0x00',
    sourceTopic: 'usage.events.v1',
    sourcePartition: 4,
    sourceOffset: '17',
    sourceTimestamp: '1767225600000',
    failedAt: '2026-03-01T12:34:56.789Z',
  };

  it('reads back what buildDlqMessage wrote (string values)', () => {
    expect(readDlqHeaders(buildDlqMessage(source(), failure, NOW).headers)).toEqual(expected);
  });

  it('reads Buffer values, as a consumer receives them', () => {
    const headers = Object.fromEntries(
      Object.entries(buildDlqMessage(source(), failure, NOW).headers ?? {}).map(([k, v]) => [k, Buffer.from(v as string)]),
    );
    expect(readDlqHeaders(headers)).toEqual(expected);
  });

  it('takes the last value of a repeated header', () => {
    const headers = { ...buildDlqMessage(source(), failure, NOW).headers, [DLQ_HEADERS.errorCode]: [Buffer.from('FIRST'), Buffer.from('LAST')] };
    expect(readDlqHeaders(headers)?.code).toBe('LAST');
  });

  it('keeps a non-ASCII error message intact', () => {
    const built = buildDlqMessage(source(), { code: 'VALIDATION_FAILED', message: 'account_id « ü » is empty' }, NOW);
    const headers = { ...built.headers, [DLQ_HEADERS.errorMessage]: Buffer.from('account_id « ü » is empty', 'utf8') };
    expect(readDlqHeaders(headers)?.message).toBe('account_id « ü » is empty');
  });

  it('returns undefined without headers, or when any DLQ header is missing or malformed', () => {
    expect(readDlqHeaders(undefined)).toBeUndefined();
    expect(readDlqHeaders({ 'trace-id': 'abc' })).toBeUndefined();
    const full = buildDlqMessage(source(), failure, NOW).headers ?? {};
    for (const name of Object.values(DLQ_HEADERS)) {
      const { [name]: _dropped, ...rest } = full;
      expect(readDlqHeaders(rest), name).toBeUndefined();
    }
    expect(readDlqHeaders({ ...full, [DLQ_HEADERS.sourcePartition]: 'four' })).toBeUndefined();
  });
});
