#!/usr/bin/env node
// Reads vitest JSON reports (`<dir>/<project>.json`) and prints one line per
// project as "N passed, N failed[, N skipped]", then a FAILED line per failing
// test or file with the first line of its error, and the total last. Exit 1
// when a report is missing, a test failed, or no test ran at all.
//
// Beside a report, scripts/failures-reporter.mjs writes
// `<project>.failures.jsonl` (every failure with its error, hook and import
// errors included: the JSON report loses them). When scripts/test.sh ran the
// failed files of a project once more, their results are in
// `<project>.rerun.json` (+ `.rerun.failures.jsonl`): a file that passed on
// the re-run counts as passed and is listed as FLAKY with its first error; a
// file that failed again counts as failed.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const cwd = `${process.cwd()}/`;
const relative = (name) => (name?.startsWith(cwd) ? name.slice(cwd.length) : name);
const firstLine = (text) => String(text ?? '').split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 300) ?? '';
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);
const readLines = (file) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : undefined;

/** The failures of one file result as the JSON report tells them (no hook errors). */
function failuresFromReport(result) {
  const name = relative(result.name);
  const failedTests = (result.assertionResults ?? []).filter((a) => a.status === 'failed');
  const lines = failedTests.map((a) => ({ file: name, where: `${name} > ${a.fullName ?? a.title}`, error: firstLine(a.failureMessages?.[0]) }));
  if (result.status === 'failed' && failedTests.length === 0) {
    lines.push({ file: name, where: `${name} (failed outside its tests, in a hook or at import)`, error: firstLine(result.message) || 'the error is in the log above' });
  }
  return lines;
}

/** Failures of `report`: the reporter's lines when it wrote them, else the JSON report's view. */
function failuresOf(report, reporterLines) {
  return reporterLines ?? (report.testResults ?? []).flatMap(failuresFromReport);
}

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
// listed last, so the tail of a CI log names them
const failedLines = [];
const flakyLines = [];
for (const file of process.argv.slice(2)) {
  const project = basename(file, '.json');
  const report = readJson(file);
  if (!report) {
    console.log(`${project}: no report (the run did not finish)`);
    ok = false;
    continue;
  }
  const base = file.replace(/\.json$/, '');
  let results = report.testResults ?? [];
  let failures = failuresOf(report, readLines(`${base}.failures.jsonl`));
  let success = report.success;
  const rerun = readJson(`${base}.rerun.json`);
  if (rerun) {
    const again = new Map((rerun.testResults ?? []).map((r) => [relative(r.name), r]));
    const firstFailed = new Set(results.filter((r) => r.status === 'failed').map((r) => relative(r.name)));
    for (const name of [...firstFailed].filter((n) => again.get(n)?.status === 'passed')) {
      for (const f of failures.filter((f) => f.file === name)) flakyLines.push(`${project}: ${f.where}: ${f.error}`);
    }
    results = results.map((r) => again.get(relative(r.name)) ?? r);
    // what failed outside the re-run files (e.g. an unhandled error) stays
    failures = [...failures.filter((f) => !again.has(f.file)), ...failuresOf(rerun, readLines(`${base}.rerun.failures.jsonl`))];
    success = rerun.success && [...firstFailed].every((n) => again.has(n)) && !failures.some((f) => f.file === null);
  }
  const statuses = results.flatMap((r) => (r.assertionResults ?? []).map((a) => a.status));
  const p = statuses.filter((s) => s === 'passed').length;
  // a file that failed outside its tests (a hook, an import) counts as one
  // failure: its tests may all have passed, and "0 failed" would hide it
  const fileErrors = results.filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  const f = statuses.filter((s) => s === 'failed').length + fileErrors;
  const s = statuses.filter((s) => s === 'skipped' || s === 'pending' || s === 'todo').length;
  console.log(`${project}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}${rerun ? ' (failed files run once more)' : ''}`);
  for (const line of failures) failedLines.push(`${project}: ${line.where}: ${line.error}`);
  passed += p;
  failed += f;
  skipped += s;
  if (!success) ok = false;
}
for (const line of flakyLines) console.log(`FLAKY (failed, then passed when run once more) ${line}`);
for (const line of failedLines) console.log(`FAILED ${line}`);
console.log(`total: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
if (!ok || failed > 0 || passed === 0) process.exit(1);
