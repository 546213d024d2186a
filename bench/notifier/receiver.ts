import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';

/** What the receiver saw: requests by path, distinct idempotency keys, bad signatures. */
export interface ReceiverCounts {
  requests: number;
  byPath: Record<string, number>;
  distinctKeys: number;
  badSignatures: number;
}

export interface BenchReceiver {
  url(path: string): string;
  counts(): ReceiverCounts;
  close(): Promise<void>;
}

/**
 * A local webhook receiver that answers 200 at once and checks each webhook's
 * signature with `secret` (requests with a signature header), as a real
 * receiver must; the check is part of its cost, not the notifier's.
 */
export async function startBenchReceiver(secret: string): Promise<BenchReceiver> {
  const byPath: Record<string, number> = {};
  const keys = new Set<string>();
  let requests = 0;
  let badSignatures = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests += 1;
      const path = req.url ?? '/';
      byPath[path] = (byPath[path] ?? 0) + 1;
      keys.add(`${path} ${String(req.headers['idempotency-key'])}`);
      const signature = req.headers['x-valuepulse-signature'];
      if (signature !== undefined) {
        const body = Buffer.concat(chunks).toString('utf8');
        const expected = `v1=${createHmac('sha256', secret).update(`${String(req.headers['x-valuepulse-timestamp'])}.${body}`).digest('hex')}`;
        if (signature !== expected) badSignatures += 1;
      }
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    counts: () => ({ requests, byPath: { ...byPath }, distinctKeys: keys.size, badSignatures }),
    close: () => new Promise((done) => server.close(() => done())),
  };
}
