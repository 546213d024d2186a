#!/usr/bin/env node
// Reads vitest JSON reports and prints one line per project plus the total as
// "N passed, N failed[, N skipped]". Exit 1 when a report is missing, a test
// failed, or no test ran at all.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (const file of process.argv.slice(2)) {
  const project = basename(file, '.json');
  if (!existsSync(file)) {
    console.log(`${project}: no report (the run did not finish)`);
    ok = false;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const p = report.numPassedTests ?? 0;
  // a file that failed outside its tests (a hook, an import) counts as one
  // failure: its tests may all have passed, and "0 failed" would hide it
  const fileErrors = (report.testResults ?? []).filter(
    (t) => t.status === 'failed' && !(t.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  const f = (report.numFailedTests ?? 0) + Math.max(report.numRuntimeErrorTestSuites ?? 0, fileErrors);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${project}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
  passed += p;
  failed += f;
  skipped += s;
  if (!report.success) ok = false;
}
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (!ok || failed > 0 || passed === 0) process.exit(1);
