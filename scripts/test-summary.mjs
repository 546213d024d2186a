#!/usr/bin/env node
// Reads vitest JSON reports and prints one line per project as "N passed,
// N failed[, N skipped]", then one "FAILED project: file > test: first line of
// the error" per failing test or file, and the total last. Exit 1 when a
// report is missing, a test failed, or no test ran at all. Where
// scripts/failures-reporter.mjs wrote `<project>.failures.jsonl` beside the
// report, the FAILED lines come from it (they carry hook and import errors).
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
// failing tests and files, listed last so the tail of a CI log names them
const failures = [];
const firstLine = (text) => String(text ?? '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) ?? '';
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
  // the failures reporter's file, when present, has every failure with its
  // error (the JSON report loses hook errors); else the JSON report's view
  const failuresFile = file.replace(/\.json$/, '.failures.jsonl');
  if (existsSync(failuresFile)) {
    for (const line of readFileSync(failuresFile, 'utf8').split('\n').filter(Boolean)) {
      const { where, error } = JSON.parse(line);
      failures.push(`${project}: ${where}: ${error}`);
    }
  } else {
    for (const result of report.testResults ?? []) {
      const name = result.name?.startsWith(process.cwd()) ? result.name.slice(process.cwd().length + 1) : result.name;
      const failedTests = (result.assertionResults ?? []).filter((a) => a.status === 'failed');
      for (const a of failedTests) {
        failures.push(`${project}: ${name} > ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`);
      }
      if (result.status === 'failed' && failedTests.length === 0) {
        failures.push(`${project}: ${name} (failed outside its tests, in a hook or at import): ${firstLine(result.message) || 'the error is in the log above'}`);
      }
    }
  }
  console.log(`${project}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
  passed += p;
  failed += f;
  skipped += s;
  if (!report.success) ok = false;
}
for (const f of failures) console.log(`FAILED ${f}`);
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (!ok || failed > 0 || passed === 0) process.exit(1);
