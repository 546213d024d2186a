import { Readable, Writable } from 'node:stream';
import type { CommandIo } from './command.js';

/** A CommandIo whose output is collected in strings, for tests. */
export function captureIo(stdinText = '', env: NodeJS.ProcessEnv = process.env): CommandIo & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, callback) {
        append(chunk.toString());
        callback();
      },
    });
  return {
    stdin: Readable.from([stdinText]),
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    env,
    out: () => out,
    err: () => err,
  };
}
