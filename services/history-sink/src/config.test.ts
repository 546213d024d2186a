import { describe, expect, it } from 'vitest';
import { loadConfig } from '@valuepulse/config';
import { ConfigError } from '@valuepulse/errors';
import { sinkConfigSchema } from './config.js';

describe('sinkConfigSchema', () => {
  it('has production defaults', () => {
    expect(loadConfig(sinkConfigSchema, {})).toMatchObject({
      httpPort: 9465,
      groupId: 'history-sink',
      batchRows: 10_000,
      batchMs: 1000,
      maxBufferedRows: 100_000,
      maxBufferedBytes: 64 * 2 ** 20,
      retryMaxDelayMs: 5000,
      clickhouseUrl: 'http://127.0.0.1:8123',
      clickhouseDatabase: 'valuepulse',
      topicPrefix: '',
      shutdownTimeoutMs: 30_000,
    });
  });

  it('converts what it reads', () => {
    const config = loadConfig(sinkConfigSchema, { SINK_BATCH_ROWS: '500', SINK_BATCH_MS: '250ms', SINK_MAX_BUFFERED_ROWS: '2000', CLICKHOUSE_DATABASE: 'vp_test_1', SINK_GROUP_ID: 'g' });
    expect(config).toMatchObject({ batchRows: 500, batchMs: 250, maxBufferedRows: 2000, clickhouseDatabase: 'vp_test_1', groupId: 'g' });
  });

  it('names every bad variable and what it expects', () => {
    let err: unknown;
    try {
      loadConfig(sinkConfigSchema, { SINK_BATCH_ROWS: 'many', SINK_BATCH_MS: 'soon', CLICKHOUSE_DATABASE: 'vp-prod', CLICKHOUSE_URL: 'ftp://x', HTTP_PORT: '70000' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    for (const name of ['SINK_BATCH_ROWS', 'SINK_BATCH_MS', 'CLICKHOUSE_DATABASE', 'CLICKHOUSE_URL', 'HTTP_PORT']) expect(message).toContain(name);
  });

  it('refuses a buffer smaller than one batch', () => {
    expect(() => loadConfig(sinkConfigSchema, { SINK_BATCH_ROWS: '5000', SINK_MAX_BUFFERED_ROWS: '4000' })).toThrow(
      /SINK_MAX_BUFFERED_ROWS: expected an integer of at least SINK_BATCH_ROWS \(5000\)/,
    );
  });
});
