// A local webhook receiver for the notifier's tests and bench: a plain node
// http server that records every request and answers per path — 200, a
// fixed failure status, or nothing at all while it is "down" (the port
// closed, every open connection destroyed).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** One request as received. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Unix seconds when it arrived. */
  at: number;
}

export interface Receiver {
  /** `http://127.0.0.1:<port><path>` */
  url(path: string): string;
  received: Received[];
  /** What requests to `path` answer (default 200). */
  answer(path: string, status: number): void;
  /** Closes the port and drops every connection: senders see connection refused. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiver on an ephemeral port of 127.0.0.1. */
export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const status = new Map<string, number>();
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server | undefined;

  const listen = async () => {
    const s = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Math.floor(Date.now() / 1000) });
        const code = status.get(path) ?? 200;
        res.writeHead(code, { 'content-type': 'text/plain' }).end(code === 200 ? 'ok' : 'receiver says no');
      });
    });
    s.keepAliveTimeout = 30_000;
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as { port: number }).port;
    server = s;
  };
  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  await listen();
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    answer: (path, code) => void status.set(path, code),
    down: stop,
    up: listen,
    close: stop,
  };
}
