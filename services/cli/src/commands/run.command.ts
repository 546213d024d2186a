import { processIo, write, type Command } from '../command.js';
import { runServiceProcess } from '../service-process.js';

/** The long-running services `run` can start. */
export const SERVICES = ['health-scorer', 'history-sink'] as const;

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
  async run(args, io = processIo()) {
    const [service] = args;
    if (!service || !(SERVICES as readonly string[]).includes(service)) {
      await write(io.stderr, `usage: valuepulse ${this.usage}\n  services: ${SERVICES.join(', ')}\n`);
      return 2;
    }
    return runServiceProcess(service, [], io);
  },
};
