import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A CPU profiler of this process (the service measured runs in-process), started and stopped around one phase. */
export interface Profiler {
  /** Stops, writes the profile to `file` and summarizes the samples within `window` (see {@link toMonotonicMicros}). */
  stop(file: string, window?: [number, number]): Promise<ProfileSummary>;
}

/** Starts a {@link Profiler} (sampling every 0.5 ms). */
export async function startProfiler(): Promise<Profiler> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file, window) {
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      return summarize(profile, window);
    },
  };
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by where the code lives: a workspace package, an npm package, node internals, GC, idle. */
  byArea: [string, number][];
  /** Self time by function, top 25. */
  byFunction: [string, number][];
}

function area(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'program (native, outside JS)';
  const workspace = /\/(libs|services)\/([^/]+)\/src\//.exec(url);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1] ?? url;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url.replace(/^file:\/\/.*\/(bench\/)/, '$1');
}

/**
 * Self time per sample, attributed to the sampled node's function and area;
 * with `window` (monotonic µs, the clock the profile uses) only samples in it.
 */
export function summarize(profile: CpuProfile, window?: [number, number]): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const [from, to] = window ?? [profile.startTime, profile.endTime];
  let at = profile.startTime;
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    at += profile.timeDeltas[i] ?? 0;
    if (!node || at < from || at > to) return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${a}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  });
  const sorted = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1]);
  return { totalMs, byArea: sorted(areas), byFunction: sorted(functions).slice(0, 25) };
}

/** The summary as text; `whose` names what was measured ("the scorer's"). */
export function formatSummary(s: ProfileSummary, whose: string): string {
  const line = ([name, ms]: [string, number]) => `  ${(ms / 1000).toFixed(2).padStart(7)} s  ${((ms / s.totalMs) * 100).toFixed(1).padStart(5)} %  ${name}`;
  return [`CPU profile of ${whose} measured window (${(s.totalMs / 1000).toFixed(1)} s, self time of the main thread):`, ' by area:', ...s.byArea.map(line), ' top functions:', ...s.byFunction.map(line)].join('\n');
}

/** performance.now() → the monotonic clock V8's CPU profiles use, in µs (to cut a profile to a measured window). */
export function toMonotonicMicros(performanceMs: number): number {
  return Number(process.hrtime.bigint() / 1000n) - (performance.now() - performanceMs) * 1000;
}

/**
 * Stops `profiler` when there is one, writes `<dir>/<bench>-<startedAt>.cpuprofile`
 * and returns its summary cut to `window`.
 */
export async function stopProfiler(profiler: Profiler | undefined, dir: string, run: { bench: string; startedAt: string }, window: [number, number], log: (line: string) => void): Promise<ProfileSummary | undefined> {
  if (!profiler) return undefined;
  const file = resolve(dir, `${run.bench}-${run.startedAt.replace(/[:.]/g, '-')}.cpuprofile`);
  const summary = await profiler.stop(file, window);
  log(`CPU profile written to ${file}`);
  return summary;
}
