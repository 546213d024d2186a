// Run by run-service.child.test.ts in a real child process:
//   node --conditions=valuepulse-source --import tsx run-service.fixture.ts
// Prints "port <n>" once started and "stopped" when the app's stop() ran.
// FIXTURE_STOP=hang makes stop() never finish, to exercise the hard timeout.
import { createLogger } from '@valuepulse/log';
import { runService } from './run-service.js';

const hang = process.env['FIXTURE_STOP'] === 'hang';
let ready = false;

const { port } = await runService({
  name: 'fixture',
  logger: createLogger({ name: 'fixture', destination: process.stderr }),
  httpPort: 0,
  httpHost: '127.0.0.1',
  shutdownTimeoutMs: hang ? 300 : 10_000,
  create: async () => ({
    start: async () => {
      ready = true;
    },
    stop: async () => {
      ready = false;
      if (hang) await new Promise(() => undefined);
      process.stdout.write('stopped\n');
    },
    ready: () => ready,
  }),
});
process.stdout.write(`port ${port}\n`);
