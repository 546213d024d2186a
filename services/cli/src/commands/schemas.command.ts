import { registryConnection } from '@valuepulse/config';
import { parseArgs } from 'node:util';
import { createRegistry, defaultTopicContracts, registerSchemas } from '@valuepulse/codec';
import { cliEndpoints } from '../clients.js';
import { processIo, write, type Command } from '../command.js';
import { TOPIC_PREFIX_HELP, TOPIC_PREFIX_OPTIONS, topicPrefix } from '../prefix-options.js';

const FIX =
  'make the change BACKWARD compatible (add fields with defaults; do not remove, rename or retype a field that has no default), ' +
  'or publish the incompatible record on a new topic version (e.g. .v2)';

/**
 * `valuepulse schemas [--topic-prefix P]`: registers every schema of schemas/avro
 * under its TopicNameStrategy subject. Idempotent; exit 1 when the registry
 * refuses a changed schema as not BACKWARD compatible.
 */
export const schemasCommand: Command = {
  name: 'schemas',
  summary: 'register every Avro schema under <topic>-value (BACKWARD compatibility enforced)',
  usage: 'schemas [--topic-prefix P]',
  options: { ...TOPIC_PREFIX_HELP },
  async run(args, io = processIo()) {
    const { values } = parseArgs({ args, options: TOPIC_PREFIX_OPTIONS, strict: true });
    const prefix = topicPrefix(values, io.env);
    const endpoints = cliEndpoints(io.env);
    const registry = createRegistry(registryConnection(endpoints));
    const outcomes = await registerSchemas(registry, defaultTopicContracts(prefix));
    const width = Math.max(...outcomes.map((o) => o.subject.length));
    for (const o of outcomes) {
      const detail = o.status === 'incompatible' ? `INCOMPATIBLE: ${o.reason}` : `${o.status} (id ${o.id})`;
      await write(io.stdout, `${o.subject.padEnd(width)}  ${detail}\n`);
    }
    const refused = outcomes.filter((o) => o.status === 'incompatible');
    if (refused.length > 0) {
      await write(io.stderr, `valuepulse schemas: ${refused.length} schema(s) refused by the registry — fix: ${FIX}\n`);
      return 1;
    }
    return 0;
  },
};
