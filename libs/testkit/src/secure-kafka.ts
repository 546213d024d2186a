import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { stackDir } from '@valuepulse/config';

/** The local broker's SASL_SSL listener, as the stack wrote it to `<stack>/kafka/secure.env`. */
export interface SecureKafkaListener {
  /** `host:port` of the SASL_SSL listener. */
  brokers: string;
  /** PEM file of the stack's self-signed CA. */
  caFile: string;
  username: string;
  password: string;
  /** A client certificate and key (PEM files) signed by the CA: the broker accepts them. */
  client: { certFile: string; keyFile: string };
  /** A self-signed client certificate and key: the broker refuses them. */
  stranger: { certFile: string; keyFile: string };
}

const FIX = "restart the stack's broker with this checkout's scripts: `npx valuepulse stack down kafka && npx valuepulse stack up kafka` (or point VALUEPULSE_STACK_DIR at the stack that started it)";

/**
 * Reads the secured listener of the local stack and checks that it answers.
 * A test of secured connections calls this first, so a broker started
 * without the listener fails the test in one line with the fix, not with a
 * kafkajs retry loop.
 *
 * @throws Error naming the file or the port and the fix.
 */
export async function secureKafkaListener(env: NodeJS.ProcessEnv = process.env): Promise<SecureKafkaListener> {
  const dir = stackDir(env);
  const file = dir ? join(dir, 'kafka', 'secure.env') : '(no stack dir)';
  if (!dir || !existsSync(file)) {
    throw new Error(`no secured Kafka listener: ${file} is missing (the broker was not started by this stack, or by an older version of its scripts) — fix: ${FIX}`);
  }
  const vars = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  ) as Record<string, string | undefined>;
  const { KAFKA_SECURE_BROKERS: brokers, KAFKA_SSL_CA_FILE: caFile, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = vars;
  const { KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: keyFile, KAFKA_SECURE_STRANGER_CERT_FILE: strangerCert, KAFKA_SECURE_STRANGER_KEY_FILE: strangerKey } = vars;
  if (!brokers || !caFile || !username || !password || !certFile || !keyFile || !strangerCert || !strangerKey) {
    throw new Error(`${file} lacks the listener, the CA, the SASL credentials or the client certificates (written by an older stack script) — fix: ${FIX}`);
  }
  const colon = brokers.lastIndexOf(':');
  if (!(await answers(brokers.slice(0, colon), Number(brokers.slice(colon + 1))))) {
    throw new Error(`the secured Kafka listener ${brokers} (from ${file}) does not answer: the running broker was started without it — fix: ${FIX}`);
  }
  return { brokers, caFile, username, password, client: { certFile, keyFile }, stranger: { certFile: strangerCert, keyFile: strangerKey } };
}

/**
 * The variables a service reads to reach `listener` with `mechanism`, as an
 * operator would set them; with `clientCertificate`, also the client
 * certificate and key signed by the stack CA.
 */
export function secureKafkaEnv(
  listener: SecureKafkaListener,
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512',
  options: { clientCertificate?: boolean } = {},
): Record<string, string> {
  return {
    KAFKA_BROKERS: listener.brokers,
    KAFKA_SSL_CA_FILE: listener.caFile,
    ...(options.clientCertificate ? { KAFKA_SSL_CERT_FILE: listener.client.certFile, KAFKA_SSL_KEY_FILE: listener.client.keyFile } : {}),
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: listener.username,
    KAFKA_SASL_PASSWORD: listener.password,
  };
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}
