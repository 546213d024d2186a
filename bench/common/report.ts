import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/** The machine a run measured. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
}

/** The commit a run measured; `dirty` when tracked files had uncommitted changes. */
export interface GitInfo {
  commit: string;
  dirty: boolean;
}

/** What every result records of its run. */
export interface RunInfo {
  startedAt: string;
  command: string;
  git: GitInfo;
  machine: MachineInfo;
}

/** {@link RunInfo} for a run of `command` (see `commandLine`) started at `startedAt`. */
export function runInfo(command: string, startedAt: string = new Date().toISOString()): RunInfo {
  return { startedAt, command, git: gitInfo(), machine: machineInfo() };
}

export function machineInfo(): MachineInfo {
  return { cores: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** The short commit of HEAD and whether the tree is dirty; `unknown` outside a git checkout. */
export function gitInfo(): GitInfo {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim().length > 0;
    return { commit, dirty };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

// figures as the tables print them; n/a where a value could not be measured
export const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const ms = (n: number): string => (!Number.isFinite(n) ? 'n/a' : n >= 100 ? int(n) : n.toFixed(1));
export const pct = (n: number): string => `${(n * 100).toFixed(1)} %`;
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
export const cores = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? 'n/a' : n.toFixed(2));

/** A table row: label, value, then notes; a label indented by two spaces is a detail of the row above. */
export type Row = string[];

/**
 * The console table: labels padded right, values padded left, middle
 * columns padded right, the last column as it is.
 */
export function textTable(title: string, settings: string, rows: readonly Row[]): string {
  const width = (i: number) => Math.max(...rows.map((row) => row[i]?.length ?? 0));
  const widths = (rows[0] ?? []).slice(0, -1).map((_, i) => width(i));
  const line = (row: Row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : i === 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [title, settings, ...rows.map(line)].join('\n');
}

/**
 * The Markdown page of a run: title, how and where it ran (`stack` names the
 * local stack's parts), the settings, the table with `header`, then `notes`
 * one a line.
 */
export function markdownReport(r: RunInfo, page: { title: string; settings: string; stack?: string; header: string[]; rows: readonly Row[]; notes?: string[] }): string {
  const m = r.machine;
  const notes = page.notes ?? [];
  return [
    `# ${page.title}`,
    '',
    `Run ${r.startedAt} at ${r.git.commit}${r.git.dirty ? ' (uncommitted changes)' : ''}: \`${r.command}\`, with the whole local stack (${page.stack ?? 'Kafka, registry, Redis, ClickHouse'}) on the same machine — ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
    '',
    `${page.settings}.`,
    '',
    `| ${page.header.join(' | ')} |`,
    `|${page.header.map(() => ' --- |').join('')}`,
    ...page.rows.map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|').replace(/^ {2}/, '↳ ')).join(' | ')} |`),
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
  ].join('\n');
}

export type Verdict = 'meets goal' | 'below goal';

/** Whether a figure reached its goal (at least `goal`). */
export const verdict = (value: number, goal: number): Verdict => (value >= goal ? 'meets goal' : 'below goal');
