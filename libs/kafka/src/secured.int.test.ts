import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { secureKafkaListener, type SecureKafkaListener } from '@valuepulse/testkit';
import { createKafka, type KafkaSaslOptions, type KafkaTlsOptions } from './index.js';

// The local stack's broker serves SASL_SSL beside its plain listener
// (deploy/local/lib/kafka-secure.sh): a self-signed CA, one user for PLAIN,
// SCRAM-SHA-256 and SCRAM-SHA-512.
let listener: SecureKafkaListener;
let ca: string;

beforeAll(async () => {
  listener = await secureKafkaListener();
  ca = readFileSync(listener.caFile, 'utf8');
});

/** A client of the secured listener that does not retry, so a refusal surfaces at once. */
function secured(sasl: KafkaSaslOptions, ssl: KafkaTlsOptions = { ca }) {
  return createKafka({ brokers: [listener.brokers], ssl, sasl, clientId: 'valuepulse-secured-int', quiet: true, retry: { retries: 0 } });
}

describe('createKafka over the SASL_SSL listener', () => {
  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('connects with %s and the stack CA', async (mechanism) => {
    const admin = secured({ mechanism, username: listener.username, password: listener.password }).admin();
    await admin.connect();
    try {
      expect(Array.isArray(await admin.listTopics())).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('rejects a wrong %s password with an authentication error that does not echo it', async (mechanism) => {
    const wrong = `wrong-${listener.password}-x`;
    const admin = secured({ mechanism, username: listener.username, password: wrong }).admin();
    const error: unknown = await admin.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    await admin.disconnect();
    expect(error).toBeInstanceOf(Error);
    const text = `${(error as Error).name}: ${(error as Error).message}`;
    expect(text).toMatch(/SASL .*authentication failed/i);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(listener.password);
  });

  it('refuses the broker certificate without the stack CA', async () => {
    const admin = secured({ mechanism: 'scram-sha-512', username: listener.username, password: listener.password }, {}).admin();
    const error: unknown = await admin.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    await admin.disconnect();
    expect(String((error as Error | undefined)?.message)).toMatch(/self[- ]signed certificate/i);
  });
});

describe('createKafka with a client certificate (the listener requests one, verifies any it gets)', () => {
  const login = () => ({ mechanism: 'scram-sha-256' as const, username: listener.username, password: listener.password });

  it('connects with a certificate signed by the stack CA', async () => {
    const admin = secured(login(), { ca, cert: readFileSync(listener.client.certFile, 'utf8'), key: readFileSync(listener.client.keyFile, 'utf8') }).admin();
    await admin.connect();
    try {
      expect(Array.isArray(await admin.listTopics())).toBe(true);
    } finally {
      await admin.disconnect();
    }
  });

  it('is refused with a self-signed certificate, which proves the certificate is sent', async () => {
    const admin = secured(login(), { ca, cert: readFileSync(listener.stranger.certFile, 'utf8'), key: readFileSync(listener.stranger.keyFile, 'utf8') }).admin();
    const error: unknown = await admin.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    await admin.disconnect();
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/alert certificate unknown/);
  });
});
