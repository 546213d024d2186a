import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse } from './create-clickhouse.js';

// The local stack's ClickHouse (18.16) serves plain http only, so this checks
// what createClickHouse does with CLICKHOUSE_TLS_CA_FILE's text against a
// loopback https listener with a certificate from a private CA (made with
// openssl here), answering `/ping` as ClickHouse does.
let dir: string;
let server: Server;
let url: string;
let ca: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vp-ch-tls-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-subj', '/CN=test CA', '-days', '2');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  ca = readFileSync(join(dir, 'ca.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
    seen.push(req.headers);
    res.end('Ok.\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('createClickHouse over https with a private CA', () => {
  it('trusts the server with caCert and sends the credentials', async () => {
    seen.length = 0;
    const client = createClickHouse({ url, username: 'analyst', password: 's3cret', caCert: ca, quiet: true });
    try {
      expect((await client.ping()).success).toBe(true);
    } finally {
      await client.close();
    }
    const headers = seen[0] ?? {};
    const credentials = headers.authorization ?? `${String(headers['x-clickhouse-user'])}:${String(headers['x-clickhouse-key'])}`;
    expect([`Basic ${Buffer.from('analyst:s3cret').toString('base64')}`, 'analyst:s3cret']).toContain(credentials);
  });

  it('refuses the server without it', async () => {
    const client = createClickHouse({ url, quiet: true, requestTimeoutMs: 5_000 });
    try {
      const result = await client.ping();
      expect(result.success).toBe(false);
      expect(String(!result.success && result.error.message)).toMatch(/self[- ]signed certificate|unable to (get local issuer|verify)/i);
    } finally {
      await client.close();
    }
  });
});
