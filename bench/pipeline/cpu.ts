import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackDir } from '@valuepulse/config';
import { machineTicks } from '../common/stats.js';

/** CPU seconds (user + system) a process has used, from /proc; NaN when it cannot be read. */
export function pidCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of the whole line) in clock ticks of 1/100 s on Linux
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The pid of a part of the local stack (`.stack/run/<part>.pid`), when the stack runs it. */
export function stackPid(part: 'kafka' | 'registry' | 'redis' | 'clickhouse'): number | undefined {
  try {
    const dir = stackDir();
    if (!dir) return undefined;
    const pid = Number(readFileSync(join(dir, 'run', `${part}.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export type CpuParts = Record<string, number | undefined>;

export interface CpuReading {
  at: number;
  machine: { busy: number; total: number };
  parts: Record<string, number>;
}

/** Cores busy on average between two readings: the machine, each part, and everything else. */
export interface CpuShares {
  machine: number;
  parts: Record<string, number>;
  others: number;
}

/** Reads the CPU seconds of every part (by pid; this process by `process.cpuUsage`) and of the machine. */
export function readCpu(parts: CpuParts): CpuReading {
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(parts)) out[name] = pid === process.pid ? cpuOfThisProcess() : pidCpuSeconds(pid);
  return { at: performance.now(), machine: machineTicks(), parts: out };
}

const cpuOfThisProcess = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export function cpuShares(from: CpuReading, to: CpuReading, cores: number): CpuShares {
  const seconds = (to.at - from.at) / 1000;
  const total = to.machine.total - from.machine.total;
  const machine = total > 0 ? ((to.machine.busy - from.machine.busy) / total) * cores : Number.NaN;
  const parts: Record<string, number> = {};
  let known = 0;
  for (const name of Object.keys(to.parts)) {
    const cores = ((to.parts[name] ?? Number.NaN) - (from.parts[name] ?? Number.NaN)) / seconds;
    parts[name] = cores;
    if (Number.isFinite(cores)) known += cores;
  }
  return { machine, parts, others: Math.max(0, machine - known) };
}
