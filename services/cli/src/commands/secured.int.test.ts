import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepoRoot, kafkaConnection } from '@valuepulse/config';
import { createKafka, deleteTopics } from '@valuepulse/kafka';
import { secureKafkaEnv, secureKafkaListener, testEndpoints, uniqueName, type SecureKafkaListener } from '@valuepulse/testkit';

// The CLI reads the same security variables as the services. Run from
// source as a user would, against the stack's SASL_SSL listener.
const root = findRepoRoot() ?? '';
const execFileAsync = promisify(execFile);
const prefix = `${uniqueName('vp_cli_sasl')}.`;
let listener: SecureKafkaListener;

async function valuepulse(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = ['--conditions=valuepulse-source', '--import', 'tsx', join(root, 'services/cli/src/bin.ts'), ...args];
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, argv, { cwd: root, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  listener = await secureKafkaListener();
});

afterAll(async () => {
  if (!listener) return;
  const admin = createKafka({ ...kafkaConnection(testEndpoints({ ...process.env, ...secureKafkaEnv(listener, 'plain') })), clientId: 'vp-cli-sasl-test', quiet: true }).admin();
  await admin.connect();
  await deleteTopics(admin, (await admin.listTopics()).filter((t) => t.startsWith(prefix)));
  await admin.disconnect();
});

describe('valuepulse CLI over SASL_SSL', () => {
  it('creates the topics through the secured listener (SCRAM-SHA-256, client certificate) and prints no secret', { timeout: 60_000 }, async () => {
    const run = await valuepulse(secureKafkaEnv(listener, 'scram-sha-256', { clientCertificate: true }), 'topics', '--topic-prefix', prefix);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n').find((line) => line.startsWith(`${prefix}usage.events.v1 `))).toMatch(/ created$/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(listener.password);
  });

  it('says in one line that the login was refused, naming the SASL variables, when the password is wrong', { timeout: 60_000 }, async () => {
    const wrong = `not-${listener.password}`;
    const run = await valuepulse({ ...secureKafkaEnv(listener, 'scram-sha-512'), KAFKA_SASL_PASSWORD: wrong }, 'topics', '--topic-prefix', prefix);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^valuepulse topics: Kafka at 127\.0\.0\.1:\d+ refused the login \(KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD\): SASL SCRAM SHA512 authentication failed.*; check the mechanism, user and password the cluster expects$/),
    ]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrong);
    expect(`${run.stdout}${run.stderr}`).not.toContain(listener.password);
  });

  it('names KAFKA_SSL_CA_FILE when the broker certificate is not trusted', { timeout: 60_000 }, async () => {
    const { KAFKA_SSL_CA_FILE: _ca, ...withoutCa } = secureKafkaEnv(listener, 'plain');
    const run = await valuepulse({ ...withoutCa, KAFKA_SSL: 'true' }, 'topics', '--topic-prefix', prefix);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^valuepulse topics: the certificate of Kafka at 127\.0\.0\.1:\d+ is not trusted \(KAFKA_SSL_CA_FILE\): .*self[- ]signed certificate/);
  });

  it('names the client certificate variables when the broker refuses the certificate', { timeout: 60_000 }, async () => {
    const env = { ...secureKafkaEnv(listener, 'plain'), KAFKA_SSL_CERT_FILE: listener.stranger.certFile, KAFKA_SSL_KEY_FILE: listener.stranger.keyFile };
    const run = await valuepulse(env, 'topics', '--topic-prefix', prefix);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^valuepulse topics: Kafka at 127\.0\.0\.1:\d+ refused the client certificate \(KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE\): .*alert certificate unknown/);
  });

  it('refuses a mechanism without a password before connecting, naming the variable', async () => {
    const { KAFKA_SASL_PASSWORD: _password, ...env } = secureKafkaEnv(listener, 'plain');
    const run = await valuepulse({ ...env, KAFKA_SASL_PASSWORD: '' }, 'topics', '--topic-prefix', prefix);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('KAFKA_SASL_PASSWORD: is required (expected a non-empty string when KAFKA_SASL_MECHANISM is set)');
  });
});
