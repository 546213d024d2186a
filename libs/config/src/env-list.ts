import { envField, type EnvField, type EnvFieldOptions } from './env-field.js';

/** How to validate each item of an {@link envList}. */
export type EnvListItem = {
  /** Follows "a comma-separated list of", e.g. `host:port`. */
  description: string;
  check: (item: string) => boolean;
};

/** Options of {@link envList}. */
export type EnvListOptions = EnvFieldOptions<string[]> & { item?: EnvListItem };

/**
 * A comma-separated list. Items are trimmed and empty items dropped, so
 * `a, b,` is `['a', 'b']`; a value with no item at all is invalid.
 * @returns a field outputting a non-empty array of strings.
 */
export function envList(options: EnvListOptions = {}): EnvField<string[]> {
  const { item } = options;
  return envField({
    default: options.default,
    expected: item ? `a comma-separated list of ${item.description}` : 'a comma-separated list of values',
    parse: (raw) => {
      const items = raw
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      if (items.length === 0) return undefined;
      if (item && !items.every((part) => item.check(part))) return undefined;
      return items;
    },
  });
}

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/** Whether `text` is `host:port` (IPv6 hosts in brackets) with a port of 1–65535. */
export function isHostPort(text: string): boolean {
  const match = HOST_PORT.exec(text);
  const port = Number(match?.[1]);
  return match !== null && port >= 1 && port <= 65_535;
}

/** A comma-separated list of `host:port`, e.g. Kafka bootstrap brokers. */
export function envHostPortList(options: EnvFieldOptions<string[]> = {}): EnvField<string[]> {
  return envList({ ...options, item: { description: 'host:port', check: isHostPort } });
}
