import { DependencyUnavailableError } from '@valuepulse/errors';

// Node's codes for a broker certificate the client does not trust.
const TLS_TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// The broker's TLS alerts when it does not accept the client's certificate (or wants one).
const CLIENT_CERT_ALERT = /alert (certificate unknown|unknown ca|bad certificate|certificate required|certificate expired)/i;

/**
 * `err` from connecting a kafkajs client, as one error naming the variables
 * to fix: the SASL ones when the broker refused the login, the client
 * certificate ones when it refused ours, the CA when its certificate is not
 * trusted, `KAFKA_BROKERS` otherwise. Messages carry
 * kafkajs' and Node's text, never a credential (neither puts one there).
 *
 * @returns a DependencyUnavailableError (not retriable for a refused login or certificate).
 */
export function kafkaConnectFailure(err: unknown, brokers: readonly string[]): DependencyUnavailableError {
  const reason = err instanceof Error ? err.message : String(err);
  const at = brokers.join(',');
  if (err instanceof Error && err.name === 'KafkaJSSASLAuthenticationError') {
    return new DependencyUnavailableError(`Kafka at ${at} refused the login (KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD): ${reason}`, {
      dependency: 'kafka',
      retriable: false,
      hint: 'check the mechanism, user and password the cluster expects',
      cause: err,
    });
  }
  if (anyMessage(err, CLIENT_CERT_ALERT)) {
    return new DependencyUnavailableError(`Kafka at ${at} refused the client certificate (KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE): ${reason}`, {
      dependency: 'kafka',
      retriable: false,
      hint: 'use a client certificate signed by a CA the brokers trust',
      cause: err,
    });
  }
  if (hasTlsTrustCode(err)) {
    return new DependencyUnavailableError(`the certificate of Kafka at ${at} is not trusted (KAFKA_SSL_CA_FILE): ${reason}`, {
      dependency: 'kafka',
      retriable: false,
      hint: 'set KAFKA_SSL_CA_FILE to the CA that signed the broker certificate',
      cause: err,
    });
  }
  return new DependencyUnavailableError(`cannot reach Kafka at ${at} (KAFKA_BROKERS): ${reason}`, {
    dependency: 'kafka',
    hint: 'start the local stack with: npx valuepulse stack up',
    cause: err,
  });
}

function anyMessage(err: unknown, pattern: RegExp): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) if (pattern.test(e.message)) return true;
  return false;
}

function hasTlsTrustCode(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_TRUST_CODES.has(code)) return true;
    // kafkajs keeps only the message of the socket error it wraps
    if (/self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate|certificate has expired|Hostname\/IP does not match/i.test(e.message)) return true;
  }
  return false;
}
