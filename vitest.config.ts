import { defineConfig } from 'vitest/config';

// Two projects: `unit` (no network, runs anywhere) and `integration`
// (`*.int.test.ts`, talks to the real local stack). Tests import workspace
// packages through the `valuepulse-source` export condition, so they run
// against src/ without a build.
export default defineConfig({
  resolve: { conditions: ['valuepulse-source'] },
  ssr: { resolve: { conditions: ['valuepulse-source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{libs,services}/*/src/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', '**/dist/**'],
          environment: 'node',
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
