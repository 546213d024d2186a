#!/usr/bin/env node
// The `valuepulse` bin. npm links bins during `npm ci`, before the root
// `prepare` script builds dist/, and skips a bin whose target is missing: so
// the bin is this committed file, which loads the built CLI when it runs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bin.js', import.meta.url);

if (!existsSync(entry)) {
  process.stderr.write(`valuepulse: the CLI is not built (${fileURLToPath(entry)} is missing): run \`npm run build\`\n`);
  process.exit(1);
}
try {
  await import(entry.href);
} catch (err) {
  // half a build: dist/bin.js is there, a workspace package it imports is not
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  process.stderr.write(`valuepulse: ${err.message.split('\n')[0]} — run \`npm run build\` (\`npm ci\` if a dependency is missing)\n`);
  process.exit(1);
}
