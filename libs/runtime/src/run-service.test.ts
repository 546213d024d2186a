import { createServer } from 'node:net';
import { createLogger } from '@valuepulse/log';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App, ServiceContext } from './app.js';
import { runService, type RunServiceOptions } from './run-service.js';

/** A process whose signals the test raises and whose exit is recorded. */
function fakeProcess() {
  const handlers = new Map<string, (signal: NodeJS.Signals) => void>();
  return {
    on: (event: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void) => void handlers.set(event, listener),
    exit: vi.fn<(code: number) => void>(),
    raise: (signal: 'SIGTERM' | 'SIGINT') => handlers.get(signal)?.(signal),
    handlers,
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeApp(overrides: Partial<App> = {}) {
  let ready = false;
  return {
    start: vi.fn(async () => void (ready = true)),
    stop: vi.fn(async () => void (ready = false)),
    ready: vi.fn(() => ready),
    ...overrides,
  };
}

const logLines: Array<Record<string, unknown>> = [];
const logger = createLogger({
  name: 'svc',
  level: 'debug',
  destination: { write: (line) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
});
const messages = (): unknown[] => logLines.map((line) => line['msg']);

const running: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((stop) => stop()));
  logLines.length = 0;
  vi.restoreAllMocks();
});

async function run(overrides: Partial<RunServiceOptions> & { app?: App } = {}) {
  const { app: givenApp, ...options } = overrides;
  const proc = fakeProcess();
  const app = givenApp ?? fakeApp();
  const create = vi.fn(options.create ?? (async () => app));
  const service = await runService({ name: 'svc', logger, httpPort: 0, httpHost: '127.0.0.1', process: proc, ...options, create });
  running.push(service.stop);
  const url = (path: string): string => `http://127.0.0.1:${service.port}${path}`;
  return { proc, app, create, service, url };
}

describe('runService', () => {
  it('builds the app with a logger, a registry and a live signal, and serves probes before start()', async () => {
    let healthDuringStart: number | undefined;
    let port = 0;
    const app = fakeApp({
      start: async () => {
        // The port is not returned yet: find it from the ops server's log line.
        port = logLines.find((line) => line['msg'] === 'ops server listening')?.['port'] as number;
        healthDuringStart = (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
      },
    });
    const { create, service } = await run({ app });
    const ctx = create.mock.calls[0]?.[0] as ServiceContext;
    expect(ctx.metrics).toBeInstanceOf(Registry);
    expect(ctx.signal.aborted).toBe(false);
    expect(typeof ctx.logger.child).toBe('function');
    expect(healthDuringStart).toBe(200);
    expect(service.port).toBe(port);
    expect(messages()).toContain('service started');
  });

  it('reports readiness from the app and metrics labelled with the service', async () => {
    const { url } = await run({ name: 'health-scorer' });
    expect((await fetch(url('/readyz'))).status).toBe(200);
    const text = await (await fetch(url('/metrics'))).text();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="health-scorer"\} /m);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s stops the app, aborts the signal, closes the server and exits 0', async (signal) => {
    const { proc, app, create, url } = await run();
    proc.raise(signal);
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalled());
    expect(proc.exit.mock.calls).toEqual([[0]]);
    expect(app.stop).toHaveBeenCalledTimes(1);
    expect((create.mock.calls[0]?.[0] as ServiceContext).signal.aborted).toBe(true);
    await expect(fetch(url('/healthz'))).rejects.toThrow();
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'signal received', signal }));
  });

  it('runs one shutdown for repeated signals and stop() calls', async () => {
    const { proc, app, service } = await run();
    proc.raise('SIGTERM');
    proc.raise('SIGINT');
    proc.raise('SIGTERM');
    await service.stop();
    await service.stop();
    expect(app.stop).toHaveBeenCalledTimes(1);
    expect(proc.exit.mock.calls).toEqual([[0]]);
  });

  it('answers 503 on /readyz and /healthz while the app is stopping', async () => {
    const gate = deferred();
    const stopping = deferred();
    const app = fakeApp({
      ready: () => true,
      stop: async () => {
        stopping.resolve();
        await gate.promise;
      },
    });
    const { proc, service, url } = await run({ app });
    expect((await fetch(url('/readyz'))).status).toBe(200);
    const stopped = service.stop();
    await stopping.promise;
    expect((await fetch(url('/readyz'))).status).toBe(503);
    expect((await fetch(url('/healthz'))).status).toBe(503);
    expect(proc.exit).not.toHaveBeenCalled();
    gate.resolve();
    await stopped;
    expect(proc.exit.mock.calls).toEqual([[0]]);
  });

  it('shuts down and exits 1 when the app calls ctx.fail, once however often it calls', async () => {
    const { proc, app, create } = await run();
    const ctx = create.mock.calls[0]?.[0] as ServiceContext;
    ctx.fail(new Error('consumer stopped for good'));
    ctx.fail(new Error('again'));
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalled());
    expect(app.stop).toHaveBeenCalledTimes(1);
    expect(proc.exit.mock.calls).toEqual([[1]]);
    expect(ctx.signal.aborted).toBe(true);
    expect(logLines.filter((l) => String(l['msg']).includes('cannot go on'))).toEqual([expect.objectContaining({ level: 'fatal', msg: 'svc cannot go on: stopping (exit 1)', err: expect.objectContaining({ message: 'consumer stopped for good' }) })]);
  });

  it('ignores ctx.fail once a shutdown has begun (exit 0 stays 0)', async () => {
    const { proc, create, service } = await run();
    const ctx = create.mock.calls[0]?.[0] as ServiceContext;
    await service.stop();
    ctx.fail(new Error('late'));
    expect(proc.exit.mock.calls).toEqual([[0]]);
  });

  it('exits 1 when app.stop() throws, still closing the server', async () => {
    const app = fakeApp({ stop: () => Promise.reject(new Error('flush failed')) });
    const { proc, service, url } = await run({ app });
    await service.stop();
    expect(proc.exit.mock.calls).toEqual([[1]]);
    await expect(fetch(url('/healthz'))).rejects.toThrow();
    expect(logLines).toContainEqual(expect.objectContaining({ msg: 'app failed to stop', err: expect.objectContaining({ message: 'flush failed' }) }));
  });

  it('exits 1 when shutdown outlasts shutdownTimeoutMs, with an unref\'d timer, and exits only once', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const gate = deferred();
    const app = fakeApp({ stop: () => gate.promise });
    const { proc, service } = await run({ app, shutdownTimeoutMs: 77 });
    const stopped = service.stop();
    await vi.waitFor(() => expect(proc.exit).toHaveBeenCalled());
    expect(proc.exit.mock.calls).toEqual([[1]]);
    expect(messages()).toContain('shutdown timed out, exiting');
    const call = setTimeoutSpy.mock.calls.findIndex((args) => args[1] === 77);
    expect((setTimeoutSpy.mock.results[call]?.value as NodeJS.Timeout).hasRef()).toBe(false);
    // A stop that finishes late must not exit a second time.
    gate.resolve();
    await stopped;
    expect(proc.exit.mock.calls).toEqual([[1]]);
  });

  it('logs, exits 1 and rethrows when create() fails', async () => {
    const proc = fakeProcess();
    const failure = new Error('cannot reach kafka');
    const pending = runService({ name: 'svc', logger, httpPort: 0, process: proc, create: () => Promise.reject(failure) });
    await expect(pending).rejects.toBe(failure);
    expect(proc.exit.mock.calls).toEqual([[1]]);
    expect(logLines).toContainEqual(
      expect.objectContaining({ level: 'fatal', msg: 'service failed to start', err: expect.objectContaining({ message: 'cannot reach kafka' }) }),
    );
  });

  it('stops what was built, exits 1 and rethrows when start() fails', async () => {
    const proc = fakeProcess();
    const failure = new Error('topic missing');
    const app = fakeApp({ start: () => Promise.reject(failure) });
    const pending = runService({ name: 'svc', logger, httpPort: 0, httpHost: '127.0.0.1', process: proc, create: async () => app });
    await expect(pending).rejects.toBe(failure);
    expect(app.stop).toHaveBeenCalledTimes(1);
    expect(proc.exit.mock.calls).toEqual([[1]]);
  });

  it('exits 1 when the ops port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const proc = fakeProcess();
      const app = fakeApp();
      const pending = runService({ name: 'svc', logger, httpPort: port, httpHost: '127.0.0.1', process: proc, create: async () => app });
      await expect(pending).rejects.toMatchObject({ code: 'OPS_LISTEN_FAILED' });
      expect(app.start).not.toHaveBeenCalled();
      expect(app.stop).toHaveBeenCalledTimes(1);
      expect(proc.exit.mock.calls).toEqual([[1]]);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('shuts down cleanly on a signal that arrives while the app is being created', async () => {
    const proc = fakeProcess();
    const create = vi.fn(
      (ctx: ServiceContext) =>
        new Promise<App>((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
        }),
    );
    const pending = runService({ name: 'svc', logger, httpPort: 0, process: proc, create });
    await vi.waitFor(() => expect(create).toHaveBeenCalled());
    proc.raise('SIGTERM');
    await expect(pending).rejects.toThrow('svc is stopping');
    expect(proc.exit.mock.calls).toEqual([[0]]);
    expect(messages()).not.toContain('service failed to start');
  });
});
