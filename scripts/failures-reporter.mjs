// A vitest reporter that writes every failure with its error, one JSON line
// each, to the file named by VALUEPULSE_FAILURES_FILE: failed tests, and the
// errors the JSON report loses — a failed beforeAll/afterAll (its tests show
// only as skipped), an import that threw, an unhandled error.
// scripts/test-summary.mjs prints them at the end of `npm test`.
import { appendFileSync } from 'node:fs';

const firstLine = (error) => {
  const line = String(error?.message ?? error ?? '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const name = error?.name && error.name !== 'Error' ? `${error.name}: ` : '';
  return `${name}${line}`.slice(0, 300);
};

export default class FailuresReporter {
  onTestRunEnd(testModules, unhandledErrors) {
    const file = process.env.VALUEPULSE_FAILURES_FILE;
    if (!file) return;
    const lines = [];
    const add = (file, where, error) => lines.push(JSON.stringify({ file, where, error: firstLine(error) }));
    for (const module of testModules) {
      const name = module.relativeModuleId ?? module.moduleId;
      for (const error of module.errors()) add(name, `${name} (at import or in a file-level hook)`, error);
      for (const suite of module.children.allSuites()) {
        for (const error of suite.errors()) add(name, `${name} > ${suite.fullName} (in a hook)`, error);
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'failed') add(name, `${name} > ${test.fullName}`, result.errors?.[0]);
      }
    }
    for (const error of unhandledErrors) add(null, 'unhandled error', error);
    if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
  }
}
