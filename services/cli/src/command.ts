import type { Readable, Writable } from 'node:stream';

/** Where a command reads and writes; the process streams unless a test passes its own. */
export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** One `valuepulse` sub-command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** `valuepulse <name> --help`: each option as written in `usage` → what it does. */
  options?: Readonly<Record<string, string>>;
  /** The command answers `--help` itself (it forwards its arguments to a service). */
  handlesHelp?: boolean;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(args: string[], io?: CommandIo): Promise<number>;
}

/** The process's own streams and environment. */
export function processIo(): CommandIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Writes `text` and waits for the stream to drain when its buffer is full (bounded memory on big outputs). */
export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}
