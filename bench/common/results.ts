import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `<dir>/<bench>-<startedAt>.json` (the result, indented) and `.md`
 * (its page) and returns the two paths.
 */
export function writeResults(dir: string, result: { bench: string; startedAt: string }, markdown: string): string[] {
  mkdirSync(dir, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const json = join(dir, `${result.bench}-${stamp}.json`);
  const md = join(dir, `${result.bench}-${stamp}.md`);
  writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(md, markdown);
  return [json, md];
}

/**
 * Writes the result (see {@link writeResults}) and prints, on stdout, the
 * console `table`, any `extra` text, the files written and the result as one
 * JSON line (the line a script comparing runs reads).
 */
export function publishResults(dir: string, result: { bench: string; startedAt: string }, page: { markdown: string; table: string; extra?: string }): void {
  const files = writeResults(dir, result, page.markdown);
  console.log(page.table);
  if (page.extra) console.log(`\n${page.extra}`);
  console.log(`\nwritten: ${files.join(', ')}`);
  console.log(JSON.stringify(result));
}
