import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EnvIssueParams } from './env-field.js';

/** The SASL mechanisms `KAFKA_SASL_MECHANISM` accepts (any case). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** One of {@link KAFKA_SASL_MECHANISMS}. */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * TLS towards the brokers. An empty object means TLS with the system's CAs;
 * `ca`, `cert` and `key` are PEM text read from the `*_FILE` variables at start.
 */
export interface KafkaTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** SASL credentials for the brokers. */
export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/** HTTP basic auth credentials (the schema registry). */
export interface BasicAuth {
  username: string;
  password: string;
}

/**
 * The raw security variables, optional one by one. Spread into the endpoints
 * object schema; {@link securedConnections} checks how they combine.
 */
export const SECURED_CONNECTION_FIELDS = {
  KAFKA_SSL: optionalEnv('one of true, false, 1, 0, yes, no', parseBool),
  KAFKA_SSL_CA_FILE: optionalEnv('a file path', (raw) => raw),
  KAFKA_SSL_CERT_FILE: optionalEnv('a file path', (raw) => raw),
  KAFKA_SSL_KEY_FILE: optionalEnv('a file path', (raw) => raw),
  KAFKA_SASL_MECHANISM: optionalEnv(`one of ${KAFKA_SASL_MECHANISMS.join(', ')}`, (raw) =>
    KAFKA_SASL_MECHANISMS.find((m) => m === raw.trim().toLowerCase()),
  ),
  KAFKA_SASL_USERNAME: optionalEnv('a non-empty string', (raw) => raw),
  KAFKA_SASL_PASSWORD: optionalEnv('a non-empty string', (raw) => raw),
  SCHEMA_REGISTRY_BASIC_AUTH: optionalEnv('user:secret (the user not empty)', parseUserSecret),
  CLICKHOUSE_TLS_CA_FILE: optionalEnv('a file path', (raw) => raw),
};

/** The parsed security variables, plus the two URLs they interact with. */
export type SecuredConnectionVars = { [K in keyof typeof SECURED_CONNECTION_FIELDS]: z.output<(typeof SECURED_CONNECTION_FIELDS)[K]> } & {
  SCHEMA_REGISTRY_URL: string;
  CLICKHOUSE_URL: string;
};

/** What {@link securedConnections} adds to the endpoints. */
export interface SecuredConnections {
  /** TLS towards Kafka, or undefined for plaintext. */
  kafkaSsl: KafkaTls | undefined;
  /** SASL towards Kafka, or undefined for none. */
  kafkaSasl: KafkaSasl | undefined;
  /** `SCHEMA_REGISTRY_URL` without any `user:password@`. */
  schemaRegistryUrl: string;
  /** From `SCHEMA_REGISTRY_BASIC_AUTH` or the URL's userinfo, or undefined. */
  schemaRegistryAuth: BasicAuth | undefined;
  /** PEM text of `CLICKHOUSE_TLS_CA_FILE`, for an https server with a private CA. */
  clickhouseCaCert: string | undefined;
}

/**
 * Checks how the security variables combine and reads the files they name,
 * once, at start. Each problem is added to `ctx` under the variable to fix,
 * so `loadConfig` reports it in one line naming that variable; secrets are
 * never part of a message.
 *
 * @returns the TLS, SASL and basic-auth settings (undefined where unused).
 */
export function securedConnections(env: SecuredConnectionVars, ctx: z.RefinementCtx): SecuredConnections {
  const problem = (variable: string, expected: string) => ctx.addIssue({ code: 'custom', path: [variable], message: `expected ${expected}`, params: { expected } satisfies EnvIssueParams });
  const read = (variable: keyof typeof SECURED_CONNECTION_FIELDS, path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      problem(variable, `a readable file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      return undefined;
    }
  };

  const files = (['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const).filter((v) => env[v] !== undefined);
  if (env.KAFKA_SSL === false && files.length > 0) problem('KAFKA_SSL', `true or unset when ${files.join(', ')} is set`);
  if ((env.KAFKA_SSL_CERT_FILE === undefined) !== (env.KAFKA_SSL_KEY_FILE === undefined)) {
    const missing = env.KAFKA_SSL_CERT_FILE === undefined ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
    const other = missing === 'KAFKA_SSL_CERT_FILE' ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE';
    problem(missing, `a file path, set together with ${other} (a client certificate needs its key)`);
  }
  const ssl = env.KAFKA_SSL === true || files.length > 0 ? withoutUndefined({
    ca: read('KAFKA_SSL_CA_FILE', env.KAFKA_SSL_CA_FILE),
    cert: read('KAFKA_SSL_CERT_FILE', env.KAFKA_SSL_CERT_FILE),
    key: read('KAFKA_SSL_KEY_FILE', env.KAFKA_SSL_KEY_FILE),
  }) : undefined;

  let sasl: KafkaSasl | undefined;
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;
  if (mechanism !== undefined) {
    if (username === undefined) problem('KAFKA_SASL_USERNAME', `a non-empty string when KAFKA_SASL_MECHANISM is set`);
    if (password === undefined) problem('KAFKA_SASL_PASSWORD', `a non-empty string when KAFKA_SASL_MECHANISM is set`);
    if (username !== undefined && password !== undefined) sasl = { mechanism, username, password };
  } else if (username !== undefined || password !== undefined) {
    const set = username !== undefined ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD';
    problem('KAFKA_SASL_MECHANISM', `one of ${KAFKA_SASL_MECHANISMS.join(', ')} when ${set} is set`);
  }

  const fromUrl = urlUserinfo(env.SCHEMA_REGISTRY_URL);
  if (fromUrl && env.SCHEMA_REGISTRY_BASIC_AUTH) {
    problem('SCHEMA_REGISTRY_BASIC_AUTH', 'unset when SCHEMA_REGISTRY_URL carries user:password@ (use one of the two)');
  }

  let clickhouseCaCert: string | undefined;
  if (env.CLICKHOUSE_TLS_CA_FILE !== undefined) {
    if (!/^https:/i.test(env.CLICKHOUSE_URL)) problem('CLICKHOUSE_TLS_CA_FILE', 'unset unless CLICKHOUSE_URL starts with https://');
    else clickhouseCaCert = read('CLICKHOUSE_TLS_CA_FILE', env.CLICKHOUSE_TLS_CA_FILE);
  }

  return {
    kafkaSsl: ssl,
    kafkaSasl: sasl,
    schemaRegistryUrl: withoutUserinfo(env.SCHEMA_REGISTRY_URL),
    schemaRegistryAuth: env.SCHEMA_REGISTRY_BASIC_AUTH ?? fromUrl,
    clickhouseCaCert,
  };
}

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@?#]*)@/i;

/**
 * `url` with any `user:password@` removed, as written otherwise (no added
 * trailing slash). Use it before printing a URL that came from the environment.
 */
export function withoutUserinfo(url: string): string {
  return url.replace(USERINFO, '$1');
}

function urlUserinfo(url: string): BasicAuth | undefined {
  const userinfo = USERINFO.exec(url)?.[2];
  if (!userinfo) return undefined;
  const colon = userinfo.indexOf(':');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return colon < 0 ? { username: decode(userinfo), password: '' } : { username: decode(userinfo.slice(0, colon)), password: decode(userinfo.slice(colon + 1)) };
}

function parseUserSecret(raw: string): BasicAuth | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: raw.slice(0, colon), password: raw.slice(colon + 1) };
}

function parseBool(raw: string): boolean | undefined {
  const word = raw.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(word)) return true;
  if (['false', '0', 'no'].includes(word)) return false;
  return undefined;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * An optional variable: missing or empty gives undefined. Unlike the other env
 * helpers, an invalid value is not attached to the issue, since some of these
 * variables hold secrets.
 */
function optionalEnv<T>(expected: string, parse: (raw: string) => T | undefined) {
  const params: EnvIssueParams = { expected };
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value === '') return undefined;
      const parsed = typeof value === 'string' ? parse(value) : undefined;
      if (parsed === undefined) {
        ctx.addIssue({ code: 'custom', message: `expected ${expected}`, params });
        return z.NEVER;
      }
      return parsed;
    });
}
