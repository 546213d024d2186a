import { envField, type EnvField, type EnvFieldOptions } from './env-field.js';

/** Options of {@link envUrl}. */
export type EnvUrlOptions = EnvFieldOptions<string> & {
  /** Accepted schemes with their colon, e.g. `['redis:', 'rediss:']`. Defaults to http and https. */
  protocols?: readonly string[];
};

/**
 * An absolute URL with a host and one of the allowed protocols.
 * @returns a field outputting the trimmed value as written, not normalised:
 *   `new URL()` would add a trailing slash that breaks path joining.
 */
export function envUrl(options: EnvUrlOptions = {}): EnvField<string> {
  const protocols = options.protocols ?? ['http:', 'https:'];
  return envField({
    default: options.default,
    expected: `a URL starting with ${orList(protocols.map((protocol) => `${protocol}//`))}`,
    parse: (raw) => {
      const text = raw.trim();
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return undefined;
      }
      const slashed = text.toLowerCase().startsWith(`${url.protocol}//`);
      return slashed && protocols.includes(url.protocol) && url.hostname !== '' ? text : undefined;
    },
  });
}

function orList(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
