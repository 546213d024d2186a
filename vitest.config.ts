import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests run against src/, not dist/: every workspace export is aliased to the
// file its `valuepulse-source` condition names, so no build is needed first
// (global setup files included, which export conditions do not reach).
function sourceAliases(): { find: string; replacement: string }[] {
  const aliases: { find: string; replacement: string }[] = [];
  for (const group of ['libs', 'services']) {
    for (const dir of readdirSync(group)) {
      const pkgDir = resolve(group, dir);
      let pkg: { name: string; exports?: Record<string, Record<string, string>> };
      try {
        pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      for (const [subpath, conditions] of Object.entries(pkg.exports ?? {})) {
        const source = conditions['valuepulse-source'];
        if (source) aliases.push({ find: join(pkg.name, subpath), replacement: join(pkgDir, source) });
      }
    }
  }
  // longest first, so `@valuepulse/testkit/vitest` wins over `@valuepulse/testkit`
  return aliases.sort((a, b) => b.find.length - a.find.length).map((a) => ({ ...a, find: `${a.find}` }));
}

const aliases = sourceAliases().map(({ find, replacement }) => ({
  find: new RegExp(`^${find.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
  replacement,
}));

// Two projects: `unit` (no network, runs anywhere) and `integration`
// (`*.int.test.ts`, talks to the real local stack).
export default defineConfig({
  resolve: { alias: aliases },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{libs,services}/*/src/**/*.test.ts', 'deploy/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          environment: 'node',
          // a hang guard, not a speed bound: the property and simulation tests take 5–15 s
          // on a loaded 2-core machine, past vitest's default 5 s
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{libs,services}/*/src/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          environment: 'node',
          globalSetup: ['libs/testkit/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // The stack is one machine: keep integration files from fighting over two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
