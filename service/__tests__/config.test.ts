import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { SUBGRAPHS } from '../../subgraphs';
import { loadServiceConfig } from '../config';

/** Every subgraph of the release, each on its own host (police on 10.0.0.3, as a test reads). */
const ALL_SUBGRAPHS = SUBGRAPHS.map((s, i) => `${s.name}=http://10.0.0.${i + 1}:${4001 + i}/`).join(
  ',',
);

describe('service configuration', () => {
  let publicPem: string;
  let privatePem: string;
  beforeAll(async () => {
    const keys = await generateKeyPair('ES256', { extractable: true });
    publicPem = await exportSPKI(keys.publicKey);
    privatePem = await exportPKCS8(keys.privateKey);
  });

  it('reads a subgraph service, a PEM with escaped newlines included', async () => {
    const config = await loadServiceConfig('police', {
      DATABASE_URL: 'postgres://police:secret@db.police.example:5432/police',
      ACCESS_SIGNING_PUBLIC_KEY: publicPem.replace(/\n/g, '\\n'),
      PORT: '5003',
      HOST: '0.0.0.0',
    });
    expect(config).toMatchObject({ kind: 'subgraph', name: 'police', port: 5003, host: '0.0.0.0' });
  });

  it('sizes the database pool from DATABASE_POOL_SIZE, 10 when unset, and refuses a size that is not one', async () => {
    const police = (size?: string) =>
      loadServiceConfig('police', {
        DATABASE_URL: 'postgres://police@db.police.example/police',
        ACCESS_SIGNING_PUBLIC_KEY: publicPem,
        ...(size === undefined ? {} : { DATABASE_POOL_SIZE: size }),
      });
    expect((await police()).databasePoolSize).toBe(10);
    expect((await police('6')).databasePoolSize).toBe(6);
    for (const wrong of ['0', '-1', '2.5', 'ten', '1001'])
      await expect(police(wrong)).rejects.toThrow(
        `DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "${wrong}")`,
      );
  });

  it('reads a gateway with every subgraph located', async () => {
    const config = await loadServiceConfig('gateway', {
      SUBGRAPH_URLS: ALL_SUBGRAPHS,
      AUDIT_DATABASE_URL: 'postgres://audit@db.example/audit',
      ACCESS_SIGNING_PRIVATE_KEY: privatePem,
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    });
    expect(config).toMatchObject({ kind: 'gateway', port: 4000, subgraphTimeoutMs: 5000 });
    expect(config.kind === 'gateway' && config.subgraphUrls.police).toBe('http://10.0.0.3:4003/');
  });

  it('lists every problem at once, and never echoes a secret', async () => {
    const attempt = loadServiceConfig('gateway', {
      SUBGRAPH_URLS: 'mash=http://10.0.0.1:4001/,pollice=http://x/,health=ftp://x/',
      AUDIT_DATABASE_URL: 'mysql://root:hunter2@db/audit',
      ACCESS_SIGNING_PRIVATE_KEY: 'not a key',
      SUBGRAPH_TIMEOUT_MS: 'soon',
    });
    await expect(attempt).rejects.toThrow(
      new RegExp(
        [
          'pollice", which is not a subgraph',
          'health is not an http\\(s\\) URL',
          `does not say where ${SUBGRAPHS.slice(1)
            .map((s) => s.name)
            .join(', ')} answer`,
          'AUDIT_DATABASE_URL must be a postgres:// URL',
          'not an ES256 private key',
          'AUTH_JWKS_URL or AUTH_PUBLIC_KEY',
          'SUBGRAPH_TIMEOUT_MS',
        ].join('[\\s\\S]*'),
      ),
    );
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });

  describe('TLS between the gateway and the subgraphs', () => {
    let dir: string;
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const pem = (label: string) => `-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`;
    const police = (env: Record<string, string>) =>
      loadServiceConfig('police', {
        DATABASE_URL: 'postgres://police@db.police.example/police',
        ACCESS_SIGNING_PUBLIC_KEY: publicPem,
        ...env,
      });
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'mash-config-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('serves plain HTTP without a certificate, HTTPS with one and its key', async () => {
      expect(await police({})).toMatchObject({ tls: null, logReads: true });
      const config = await police({
        TLS_CERT_FILE: file('police.pem', pem('CERTIFICATE')),
        TLS_KEY_FILE: file('police.key', pem('EC PRIVATE KEY')),
        SUBGRAPH_READ_LOG: 'false',
      });
      expect(config).toMatchObject({
        tls: { cert: pem('CERTIFICATE'), key: pem('EC PRIVATE KEY') },
        logReads: false,
      });
    });

    it('refuses a certificate without its key, or a key without its certificate', async () => {
      await expect(police({ TLS_CERT_FILE: file('c.pem', pem('CERTIFICATE')) })).rejects.toThrow(
        /Set both TLS_CERT_FILE and TLS_KEY_FILE[^\n]*only TLS_CERT_FILE is set/,
      );
      await expect(police({ TLS_KEY_FILE: file('k.pem', pem('PRIVATE KEY')) })).rejects.toThrow(
        /only TLS_KEY_FILE is set/,
      );
    });

    it('names a file that is missing or is not PEM, never its content', async () => {
      const attempt = police({
        TLS_CERT_FILE: path.join(dir, 'nowhere.pem'),
        TLS_KEY_FILE: file('swapped.key', pem('CERTIFICATE')),
      });
      await expect(attempt).rejects.toThrow(/TLS_CERT_FILE: cannot read .*nowhere\.pem/);
      await expect(attempt).rejects.toThrow(
        /TLS_KEY_FILE: .*swapped\.key is not a PEM private key/,
      );
      await expect(attempt).rejects.not.toThrow(/MIIB/);
    });

    it("reads the gateway's private CA for the subgraphs' certificates", async () => {
      const gateway = (env: Record<string, string>) =>
        loadServiceConfig('gateway', {
          SUBGRAPH_URLS: ALL_SUBGRAPHS.replace(/http:/g, 'https:'),
          AUDIT_DATABASE_URL: 'postgres://audit@db.example/audit',
          ACCESS_SIGNING_PRIVATE_KEY: privatePem,
          AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
          ...env,
        });
      expect(await gateway({})).toMatchObject({ subgraphCaPem: null });
      const config = await gateway({ SUBGRAPH_CA_FILE: file('ca.pem', pem('CERTIFICATE')) });
      expect(config).toMatchObject({ subgraphCaPem: pem('CERTIFICATE') });
      expect(config.kind === 'gateway' && config.subgraphUrls.police).toBe(
        'https://10.0.0.3:4003/',
      );
      await expect(gateway({ SUBGRAPH_CA_FILE: path.join(dir, 'no-ca.pem') })).rejects.toThrow(
        /SUBGRAPH_CA_FILE: cannot read/,
      );
      // Node itself would only print a warning and carry on without the CA.
      await expect(gateway({ NODE_EXTRA_CA_CERTS: path.join(dir, 'no-ca.pem') })).rejects.toThrow(
        /NODE_EXTRA_CA_CERTS: cannot read/,
      );
    });

    it('serves /metrics only with a METRICS_TOKEN long enough to guess at no better than chance', async () => {
      const gateway = (env: Record<string, string>) =>
        loadServiceConfig('gateway', {
          SUBGRAPH_URLS: ALL_SUBGRAPHS,
          AUDIT_DATABASE_URL: 'postgres://audit@db.example/audit',
          ACCESS_SIGNING_PRIVATE_KEY: privatePem,
          AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
          ...env,
        });
      expect(await gateway({})).toMatchObject({ metricsToken: null });
      const token = 'f'.repeat(32);
      expect(await gateway({ METRICS_TOKEN: ` ${token} ` })).toMatchObject({ metricsToken: token });
      const short = gateway({ METRICS_TOKEN: 'secret-but-short' });
      await expect(short).rejects.toThrow(/METRICS_TOKEN must be at least 32 characters/);
      await expect(short).rejects.not.toThrow(/secret-but-short/);
    });
  });

  it('names the services when none or an unknown one is asked for', async () => {
    await expect(loadServiceConfig('fire-and-rescue', {})).rejects.toThrow(
      /one of gateway, mash, social-care/,
    );
  });

  it('stops the process with the message, not a stack trace', async () => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'service/main.ts', 'police'],
      {
        env: { PATH: process.env.PATH },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL is not set');
    expect(stderr).toContain('ACCESS_SIGNING_PUBLIC_KEY is not set');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
