import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The sink's Prometheus metrics (prefixed valuepulse_sink_). */
export interface SinkMetrics {
  records: Counter<'topic'>;
  rowsInserted: Counter<'table'>;
  insertSeconds: Histogram<'table'>;
  insertRows: Histogram<'table'>;
  insertRetries: Counter<'table'>;
  refusedRows: Counter<'table'>;
  flushSeconds: Histogram;
  commitFailures: Counter;
  dlq: Counter<'code'>;
  lag: Gauge<'topic' | 'partition'>;
  paused: Gauge;
}

/** Live figures the gauges read at scrape time. */
export interface BufferGauges {
  bufferedRows: number;
  bufferedBytes: number;
  peakRows: number;
  peakBytes: number;
}

/** Registers the sink's metrics; the buffer gauges read `buffer()` when scraped. */
export function createSinkMetrics(registry: Registry, buffer: () => BufferGauges): SinkMetrics {
  const registers = [registry];
  const gauge = (name: string, help: string, read: (b: BufferGauges) => number) =>
    new Gauge({
      name, help, registers,
      collect() {
        this.set(read(buffer()));
      },
    });
  gauge('valuepulse_sink_buffered_rows', 'Rows held in memory: waiting for a flush plus being inserted', (b) => b.bufferedRows);
  gauge('valuepulse_sink_buffered_bytes', 'JSON bytes held in memory: waiting plus being inserted', (b) => b.bufferedBytes);
  gauge('valuepulse_sink_buffered_rows_peak', 'Highest valuepulse_sink_buffered_rows since start', (b) => b.peakRows);
  gauge('valuepulse_sink_buffered_bytes_peak', 'Highest valuepulse_sink_buffered_bytes since start', (b) => b.peakBytes);
  return {
    records: new Counter({ name: 'valuepulse_sink_records_total', help: 'Records read, by topic (rows and dead-lettered)', labelNames: ['topic'], registers }),
    rowsInserted: new Counter({ name: 'valuepulse_sink_rows_inserted_total', help: 'Rows acknowledged by ClickHouse, by table', labelNames: ['table'], registers }),
    insertSeconds: new Histogram({
      name: 'valuepulse_sink_insert_seconds',
      help: 'Duration of one successful INSERT, by table',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    insertRows: new Histogram({
      name: 'valuepulse_sink_insert_rows',
      help: 'Rows per INSERT (batch size), by table',
      labelNames: ['table'],
      buckets: [1, 10, 100, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000],
      registers,
    }),
    insertRetries: new Counter({ name: 'valuepulse_sink_insert_retries_total', help: 'Failed INSERT attempts that were retried, by table', labelNames: ['table'], registers }),
    refusedRows: new Counter({
      name: 'valuepulse_sink_refused_rows_total',
      help: 'Rows ClickHouse refused for good (a value it cannot parse or convert), by table: their records went to the DLQ',
      labelNames: ['table'],
      registers,
    }),
    flushSeconds: new Histogram({
      name: 'valuepulse_sink_flush_seconds',
      help: 'Duration of one flush: every table inserted (retries included), then the offsets committed',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    commitFailures: new Counter({ name: 'valuepulse_sink_commit_failures_total', help: 'Offset commits that failed (retried with the next flush)', registers }),
    dlq: new Counter({ name: 'valuepulse_sink_dlq_total', help: 'Records sent to the DLQ, by error code', labelNames: ['code'], registers }),
    lag: new Gauge({ name: 'valuepulse_sink_consumer_lag', help: 'High watermark minus the next offset to read, per partition', labelNames: ['topic', 'partition'], registers }),
    paused: new Gauge({ name: 'valuepulse_sink_paused', help: '1 while fetching is paused because the buffer is full', registers }),
  };
}
