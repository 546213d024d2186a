import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@valuepulse/errors';
import { describe, expect, it } from 'vitest';
import { clickhouseConnection, kafkaConnection, registryConnection, registryEnv } from './connections.js';
import { endpointsSchema } from './endpoints.js';
import { loadConfig } from './load-config.js';
import { withoutUserinfo } from './secured-connections.js';

const dir = mkdtempSync(join(tmpdir(), 'vp-secured-'));
const pem = (name: string, body: string) => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const CA = pem('ca.pem', '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');
const CERT = pem('client.pem', '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n');
const KEY = pem('client.key', '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n');
const MISSING = join(dir, 'nope.pem');
const SECRET = 'pa55-w0rd:with@odd/chars';

/** The lines of the ConfigError `env` raises (header dropped); fails the test when it does not throw. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(endpointsSchema, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    expect(message).not.toContain(SECRET);
    return message.split('\n').slice(1).map((line) => line.trim());
  }
  throw new Error(`no ConfigError for ${JSON.stringify(Object.keys(env))}`);
}

describe('secured connections: defaults', () => {
  it('uses no TLS, SASL or registry auth when nothing is set', () => {
    const e = loadConfig(endpointsSchema, {});
    expect(kafkaConnection(e)).toEqual({ brokers: ['127.0.0.1:9092'], ssl: undefined, sasl: undefined });
    expect(registryConnection(e)).toEqual({ url: 'http://127.0.0.1:8081/apis/ccompat/v7', auth: undefined });
    expect(clickhouseConnection(e)).toEqual({ url: 'http://127.0.0.1:8123', username: 'default', password: '', caCert: undefined });
  });
});

describe('secured connections: Kafka TLS', () => {
  it('KAFKA_SSL=true alone means TLS with the system CAs', () => {
    expect(loadConfig(endpointsSchema, { KAFKA_SSL: 'true' }).kafkaSsl).toEqual({});
  });

  it('a CA file implies TLS and is read at start', () => {
    expect(loadConfig(endpointsSchema, { KAFKA_SSL_CA_FILE: CA }).kafkaSsl).toEqual({ ca: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n' });
  });

  it('reads a client certificate with its key', () => {
    const ssl = loadConfig(endpointsSchema, { KAFKA_SSL: 'yes', KAFKA_SSL_CA_FILE: CA, KAFKA_SSL_CERT_FILE: CERT, KAFKA_SSL_KEY_FILE: KEY }).kafkaSsl;
    expect(ssl?.cert).toContain('CLIENT');
    expect(ssl?.key).toContain('PRIVATE KEY');
    expect(ssl?.ca).toContain('CA');
  });

  it('KAFKA_SSL=false leaves TLS off', () => {
    expect(loadConfig(endpointsSchema, { KAFKA_SSL: 'false' }).kafkaSsl).toBeUndefined();
  });

  it.each([
    [{ KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: CA }, 'KAFKA_SSL: expected true or unset when KAFKA_SSL_CA_FILE is set, got "false"'],
    [{ KAFKA_SSL: 'maybe' }, 'KAFKA_SSL: expected one of true, false, 1, 0, yes, no, got "maybe"'],
    [{ KAFKA_SSL_CERT_FILE: CERT }, 'KAFKA_SSL_KEY_FILE: is required (expected a file path, set together with KAFKA_SSL_CERT_FILE (a client certificate needs its key))'],
    [{ KAFKA_SSL_KEY_FILE: KEY }, 'KAFKA_SSL_CERT_FILE: is required (expected a file path, set together with KAFKA_SSL_KEY_FILE (a client certificate needs its key))'],
    [{ KAFKA_SSL_CA_FILE: MISSING }, `KAFKA_SSL_CA_FILE: expected a readable file (ENOENT), got ${JSON.stringify(MISSING)}`],
    [{ KAFKA_SSL_CA_FILE: dir }, `KAFKA_SSL_CA_FILE: expected a readable file (EISDIR), got ${JSON.stringify(dir)}`],
  ])('fails in one line naming the variable: %j', (env, line) => {
    expect(problems(env)).toEqual([line]);
  });

  it('never echoes the key file path (a KEY variable is masked)', () => {
    expect(problems({ KAFKA_SSL_CERT_FILE: CERT, KAFKA_SSL_KEY_FILE: MISSING })).toEqual(['KAFKA_SSL_KEY_FILE: expected a readable file (ENOENT), got "***"']);
  });
});

describe('secured connections: Kafka SASL', () => {
  it.each(['plain', 'scram-sha-256', 'SCRAM-SHA-512'])('takes mechanism %s with username and password', (mechanism) => {
    const e = loadConfig(endpointsSchema, { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: SECRET });
    expect(e.kafkaSasl).toEqual({ mechanism: mechanism.toLowerCase(), username: 'svc', password: SECRET });
    expect(e.kafkaSsl).toBeUndefined();
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: SECRET }, ['KAFKA_SASL_USERNAME: is required (expected a non-empty string when KAFKA_SASL_MECHANISM is set)']],
    [{ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'svc' }, ['KAFKA_SASL_PASSWORD: is required (expected a non-empty string when KAFKA_SASL_MECHANISM is set)']],
    [{ KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: SECRET }, ['KAFKA_SASL_MECHANISM: is required (expected one of plain, scram-sha-256, scram-sha-512 when KAFKA_SASL_USERNAME is set)']],
    [{ KAFKA_SASL_PASSWORD: SECRET }, ['KAFKA_SASL_MECHANISM: is required (expected one of plain, scram-sha-256, scram-sha-512 when KAFKA_SASL_PASSWORD is set)']],
    [{ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'svc', KAFKA_SASL_PASSWORD: SECRET }, ['KAFKA_SASL_MECHANISM: expected one of plain, scram-sha-256, scram-sha-512, got "gssapi"']],
  ])('fails in one line naming the variable, never the password: %j', (env, lines) => {
    expect(problems(env)).toEqual(lines);
  });
});

describe('secured connections: schema registry basic auth', () => {
  it('takes SCHEMA_REGISTRY_BASIC_AUTH as user:secret (the secret may hold colons)', () => {
    const e = loadConfig(endpointsSchema, { SCHEMA_REGISTRY_URL: 'https://sr.example.com', SCHEMA_REGISTRY_BASIC_AUTH: `KEY123:${SECRET}` });
    expect(registryConnection(e)).toEqual({ url: 'https://sr.example.com', auth: { username: 'KEY123', password: SECRET } });
  });

  it('moves credentials from the URL userinfo into auth and strips them from the URL', () => {
    const e = loadConfig(endpointsSchema, { SCHEMA_REGISTRY_URL: `https://KEY123:${encodeURIComponent(SECRET)}@sr.example.com/apis/ccompat/v7` });
    expect(registryConnection(e)).toEqual({ url: 'https://sr.example.com/apis/ccompat/v7', auth: { username: 'KEY123', password: SECRET } });
  });

  it('refuses both at once, naming SCHEMA_REGISTRY_BASIC_AUTH and echoing neither', () => {
    const lines = problems({ SCHEMA_REGISTRY_URL: `https://a:${encodeURIComponent(SECRET)}@sr.example.com`, SCHEMA_REGISTRY_BASIC_AUTH: `b:${SECRET}` });
    expect(lines).toEqual(['SCHEMA_REGISTRY_BASIC_AUTH: expected unset when SCHEMA_REGISTRY_URL carries user:password@ (use one of the two), got "***"']);
  });

  it('refuses a value without user:, masked', () => {
    expect(problems({ SCHEMA_REGISTRY_BASIC_AUTH: SECRET.replaceAll(':', '') })).toEqual(['SCHEMA_REGISTRY_BASIC_AUTH: expected user:secret (the user not empty), got "***"']);
  });
});

describe('secured connections: ClickHouse CA', () => {
  it('reads CLICKHOUSE_TLS_CA_FILE for an https URL', () => {
    const e = loadConfig(endpointsSchema, { CLICKHOUSE_URL: 'https://ch.example.com:8443', CLICKHOUSE_TLS_CA_FILE: CA });
    expect(clickhouseConnection(e).caCert).toContain('CA');
  });

  it('refuses it for an http URL', () => {
    expect(problems({ CLICKHOUSE_TLS_CA_FILE: CA })).toEqual([`CLICKHOUSE_TLS_CA_FILE: expected unset unless CLICKHOUSE_URL starts with https://, got ${JSON.stringify(CA)}`]);
  });
});

describe('withoutUserinfo', () => {
  it.each([
    ['https://u:p@h:1/x', 'https://h:1/x'],
    ['https://u@h', 'https://h'],
    ['http://h:8081/apis/ccompat/v7', 'http://h:8081/apis/ccompat/v7'],
    ['http://h/a@b', 'http://h/a@b'],
  ])('%s → %s', (url, expected) => {
    expect(withoutUserinfo(url)).toBe(expected);
  });
});

describe('registryEnv', () => {
  it('hands a child the URL without userinfo and the credentials as SCHEMA_REGISTRY_BASIC_AUTH, which parse back to the same', () => {
    const parent = loadConfig(endpointsSchema, { SCHEMA_REGISTRY_URL: `https://KEY123:${encodeURIComponent(SECRET)}@sr.example.com/v1` });
    const env = registryEnv(parent);
    expect(env).toEqual({ SCHEMA_REGISTRY_URL: 'https://sr.example.com/v1', SCHEMA_REGISTRY_BASIC_AUTH: `KEY123:${SECRET}` });
    expect(registryConnection(loadConfig(endpointsSchema, env))).toEqual(registryConnection(parent));
  });

  it('is the URL alone without auth', () => {
    expect(registryEnv(loadConfig(endpointsSchema, {}))).toEqual({ SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7' });
  });
});
