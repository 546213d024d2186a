import { endpointsSchema, loadConfig, withLocalStackEnv, type Endpoints } from '@valuepulse/config';

/**
 * Endpoints for tests: each variable from the environment, else from the local
 * stack's `endpoints.env`, else the local-stack default.
 *
 * @throws ConfigError naming the variable when a value is malformed.
 */
export function testEndpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  return loadConfig(endpointsSchema, withLocalStackEnv(env));
}
