import { describe, expect, it } from 'vitest';
import { kafkaConnectFailure } from './connect-failure.js';

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

describe('kafkaConnectFailure', () => {
  it('names the SASL variables when the login is refused, and is not retriable', () => {
    const failure = kafkaConnectFailure(named('KafkaJSSASLAuthenticationError', 'SASL PLAIN authentication failed: Authentication failed'), ['b:9094']);
    expect(failure.message).toBe('Kafka at b:9094 refused the login (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD): SASL PLAIN authentication failed: Authentication failed');
    expect(failure.retriable).toBe(false);
  });

  it.each([
    ['a Node TLS code on the cause', named('KafkaJSConnectionError', 'Connection error', { cause: Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) })],
    ["kafkajs' copy of the socket message", named('KafkaJSNonRetriableError', 'self-signed certificate in certificate chain')],
  ])('names KAFKA_SSL_CA_FILE for an untrusted certificate (%s)', (_label, err) => {
    const failure = kafkaConnectFailure(err, ['b:9094']);
    expect(failure.message).toMatch(/^the certificate of Kafka at b:9094 is not trusted \(KAFKA_SSL_CA_FILE\): /);
    expect(failure.hint).toBe('set KAFKA_SSL_CA_FILE to the CA that signed the broker certificate');
  });

  it('names the client certificate variables when the broker refuses the certificate', () => {
    const err = named('KafkaJSNumberOfRetriesExceeded', 'Connection error: 80FC…:error:0A000416:SSL routines:ssl3_read_bytes:sslv3 alert certificate unknown:…:SSL alert number 46');
    const failure = kafkaConnectFailure(err, ['b:9094']);
    expect(failure.message).toMatch(/^Kafka at b:9094 refused the client certificate \(KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE\): Connection error: /);
    expect(failure.retriable).toBe(false);
  });

  it('names KAFKA_BROKERS for anything else, retriable', () => {
    const failure = kafkaConnectFailure(named('KafkaJSConnectionError', 'connect ECONNREFUSED 127.0.0.1:1'), ['a:1', 'b:2']);
    expect(failure.message).toBe('cannot reach Kafka at a:1,b:2 (KAFKA_BROKERS): connect ECONNREFUSED 127.0.0.1:1');
    expect(failure.hint).toBe('start the local stack with: npx valuepulse stack up');
    expect(failure.retriable).toBe(true);
  });
});
