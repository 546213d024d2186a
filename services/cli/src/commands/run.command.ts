import { processIo, write, type Command } from '../command.js';
import { runServiceProcess } from '../service-process.js';

/** The long-running services `run` can start. */
export const SERVICES = ['health-scorer', 'history-sink', 'ingest-gateway', 'health-api', 'alert-notifier'] as const;

/**
 * `valuepulse run <service>`: starts a service in the foreground as its own
 * Node process (services never import each other; the CLI does not either),
 * passing the environment through and forwarding SIGINT/SIGTERM so the
 * service shuts down gracefully. Exits with the service's exit code.
 */
export const runCommand: Command = {
  name: 'run',
  summary: `start a service in the foreground (${SERVICES.join(', ')})`,
  usage: `run <service>`,
  options: { '<service>': `${SERVICES.join(' or ')}; its configuration comes from the environment (docs/configuration.md)` },
  async run(args, io = processIo()) {
    const [service] = args;
    if (!service || !(SERVICES as readonly string[]).includes(service)) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n  services: ${SERVICES.join(', ')}\n`);
      return 2;
    }
    return runServiceProcess(service, [], { ...io, env: withServiceNodeOptions(service as Service, io.env) });
  },
};

export type Service = (typeof SERVICES)[number];

/**
 * V8 options a service runs with, added to NODE_OPTIONS unless it sets the
 * option already. The history-sink makes a young generation's worth of
 * short-lived rows per fetched batch: 64 MiB semi-spaces (instead of 16)
 * spare it about a fifth of its CPU in garbage collection (bench:sink). The
 * health-scorer's account states, read and decoded per evaluation, are the
 * same kind of garbage: an event-clock replay ran 10 % faster with 13 % less
 * CPU per event (bench:scorer, 2026-12-07; the wall clock within noise).
 */
const NODE_OPTIONS: Partial<Record<Service, string>> = { 'history-sink': '--max-semi-space-size=64', 'health-scorer': '--max-semi-space-size=64' };

/** `env` with the V8 options `service` runs with (see NODE_OPTIONS): for every way the CLI starts a service (`run`, the demo). */
export function withServiceNodeOptions(service: Service, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = NODE_OPTIONS[service];
  if (!options) return env;
  const current = env.NODE_OPTIONS ?? '';
  const name = options.split('=')[0] ?? options;
  return current.includes(name) ? env : { ...env, NODE_OPTIONS: `${current} ${options}`.trim() };
}
