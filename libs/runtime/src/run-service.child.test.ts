import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fixture = fileURLToPath(new URL('./run-service.fixture.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

type Child = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<{ code: number | null; signal: string | null }> };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startFixture(env: Record<string, string> = {}): Child {
  // tsx is resolved from the repository root; the condition makes workspace packages load from src/.
  const child = spawn(process.execPath, ['--conditions=valuepulse-source', '--import', 'tsx', fixture], {
    cwd: repoRoot,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function portOf(fixtureChild: Child): Promise<number> {
  return vi.waitFor(
    () => {
      const match = /^port (\d+)$/m.exec(fixtureChild.stdout());
      if (!match) throw new Error(`no port yet; stderr so far:\n${fixtureChild.stderr()}`);
      return Number(match[1]);
    },
    { timeout: 15_000, interval: 50 },
  );
}

describe('runService in a real process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves probes, then on %s stops the app and exits 0',
    async (signal) => {
      const fixtureChild = startFixture();
      const port = await portOf(fixtureChild);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      fixtureChild.child.kill(signal);
      expect(await fixtureChild.exited).toEqual({ code: 0, signal: null });
      expect(fixtureChild.stdout()).toMatch(/^stopped$/m);
      const logs = fixtureChild.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logs).toContainEqual(expect.objectContaining({ service: 'fixture', msg: 'signal received', signal }));
      expect(logs).toContainEqual(expect.objectContaining({ msg: 'stopped', clean: true }));
    },
    30_000,
  );

  it('exits 1 when stop() hangs past the shutdown timeout', async () => {
    const fixtureChild = startFixture({ FIXTURE_STOP: 'hang' });
    await portOf(fixtureChild);
    fixtureChild.child.kill('SIGTERM');
    expect(await fixtureChild.exited).toEqual({ code: 1, signal: null });
    expect(fixtureChild.stdout()).not.toMatch(/^stopped$/m);
    expect(fixtureChild.stderr()).toContain('shutdown timed out, exiting');
  }, 30_000);
});
