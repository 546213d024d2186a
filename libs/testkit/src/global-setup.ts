import type { TestProject } from 'vitest/node';
import { describeRedisEndpoint, withoutUserinfo, type Endpoints } from '@valuepulse/config';
import { describeFailures, probeEndpoints } from './probe.js';
import { testEndpoints } from './endpoints.js';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: Endpoints;
  }
}

/**
 * vitest globalSetup of the integration project: resolves the endpoints once
 * (env, else the local stack, else testcontainers when TEST_STACK=containers),
 * fails fast with one line per unreachable part, and provides the endpoints
 * to every test file (`inject('endpoints')`, see `stackEndpoints`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let stopContainers: (() => Promise<void>) | undefined;
  if (process.env.TEST_STACK === 'containers') {
    const { startContainers } = await import('./containers.js');
    const containers = await startContainers();
    Object.assign(process.env, containers.env);
    stopContainers = containers.stop;
  }
  const endpoints = testEndpoints();
  const failures = describeFailures(await probeEndpoints(endpoints));
  if (failures.length > 0) {
    await stopContainers?.();
    throw new Error(`integration tests need the real stack:\n  ${failures.join('\n  ')}`);
  }
  process.stdout.write(
    `integration stack: kafka ${endpoints.kafkaBrokers.join(',')}, registry ${endpoints.schemaRegistryUrl}, ` +
      `redis ${describeRedisEndpoint(endpoints.redis)}, clickhouse ${withoutUserinfo(endpoints.clickhouseUrl)}\n`,
  );
  project.provide('endpoints', endpoints);
  return async () => {
    await stopContainers?.();
  };
}
