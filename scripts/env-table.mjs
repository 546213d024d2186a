#!/usr/bin/env node
// Prints the environment-variable table of docs/deploying.md, generated from
// the code (deploy/env-catalog.ts: the services' config schemas, the init
// commands' and the simulator's help). Needs the TypeScript sources' loader:
//
//   npm run env-table                  print the table
//   npm run env-table -- --write       update docs/deploying.md in place
//   npm run env-table -- --check       exit 1 when docs/deploying.md differs
//
// The meaning column is kept from the document; a variable new to the code
// gets its help text, else "TODO: describe" (the docs test fails until it is
// described).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readEnvTable, renderEnvTable } from '../deploy/env-catalog.ts';

const docPath = fileURLToPath(new URL('../docs/deploying.md', import.meta.url));
const mode = process.argv[2] ?? '--print';
if (!['--print', '--write', '--check'].includes(mode)) {
  process.stderr.write(`usage: npm run env-table [-- --write | --check]\n`);
  process.exit(2);
}
const doc = readFileSync(docPath, 'utf8');
const { block, meanings } = readEnvTable(doc);
const table = renderEnvTable(meanings);
if (mode === '--print') {
  process.stdout.write(`${table}\n`);
} else if (mode === '--write') {
  if (table === block) {
    process.stdout.write('docs/deploying.md: the environment table is up to date\n');
  } else {
    writeFileSync(docPath, doc.replace(block, () => table));
    process.stdout.write('docs/deploying.md: environment table updated\n');
  }
} else if (table !== block) {
  process.stderr.write('docs/deploying.md: the environment table differs from the code: run `npm run env-table -- --write`\n');
  process.exit(1);
}
