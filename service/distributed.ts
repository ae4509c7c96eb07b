import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { sharedPoolSize } from '../database/postgres';
import { subgraphFetch } from '../gateway/subgraphFetch';
import { SUBGRAPHS } from '../subgraphs';
import { DEFAULT_POPULATION } from '../synthetic/population';
import { setUpDatabases } from './databaseSetup';
import { nodeEntry } from './nodeEntry';
import { residentMegabytes } from './residentMemory';
import { throwawayCertificates } from './throwawayCertificates';

/**
 * `npm run start:distributed`: a realistic local deployment. Every subgraph and the gateway (or
 * several gateways, `--gateways N`) each in its own process, each agency on its own PostgreSQL
 * database (MASH_POSTGRES_URL; `bash scripts/postgres.sh` starts one). Databases are created and
 * migrated, and seeded with synthetic families when empty. Ctrl+C stops every process gracefully.
 * `--tls`: the subgraphs serve HTTPS with certificates from a throwaway private CA (made with the
 * openssl CLI), which the gateways trust (SUBGRAPH_CA_FILE), as between hosts in production.
 */
async function main() {
  const started = Date.now();
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '4000' },
      gateways: { type: 'string', default: '1' },
      families: {
        type: 'string',
        default: process.env.FAMILIES ?? String(DEFAULT_POPULATION.families),
      },
      prefix: { type: 'string', default: process.env.DATABASE_PREFIX ?? 'mashgw' },
      tls: { type: 'boolean', default: false },
    },
  });
  const serverUrl = process.env.MASH_POSTGRES_URL;
  if (!serverUrl) {
    throw new Error(
      'Set MASH_POSTGRES_URL to a PostgreSQL server whose login may create databases: bash scripts/postgres.sh starts one on this machine and prints the line to export.',
    );
  }
  const basePort = Number(values.port);
  const gatewayCount = Number(values.gateways);

  console.log('Databases (one per service):');
  const databases = await setUpDatabases(serverUrl, {
    prefix: values.prefix,
    families: Number(values.families),
    seed: DEFAULT_POPULATION.seed,
    log: (line) => console.log(`  ${line}`),
  });

  // Every service's pool on the one server: together within its max_connections.
  const poolSize = String(
    await sharedPoolSize(serverUrl, SUBGRAPHS.length + Number(values.gateways)),
  );

  // The gateways sign each request's access context; the subgraphs hold the public half.
  const keys = await generateKeyPair('ES256', { extractable: true });
  const publicKey = await exportSPKI(keys.publicKey);
  const privateKey = await exportPKCS8(keys.privateKey);

  const tls = values.tls ? throwawayCertificates('MASH trial CA', 30) : null;
  if (tls) console.log(`TLS to the subgraphs: a throwaway CA and certificate in ${tls.dir}`);
  const scheme = tls ? 'https' : 'http';
  const subgraphUrls: string[] = [];
  for (const [i, definition] of SUBGRAPHS.entries()) {
    const port = basePort + 1 + i;
    subgraphUrls.push(`${definition.name}=${scheme}://127.0.0.1:${port}/`);
    services.push(
      startService(definition.name, definition.name, port, {
        DATABASE_URL: databases[definition.name],
        DATABASE_POOL_SIZE: poolSize,
        ACCESS_SIGNING_PUBLIC_KEY: publicKey,
        ...(tls ? { TLS_CERT_FILE: tls.certFile, TLS_KEY_FILE: tls.keyFile } : {}),
      }),
    );
  }
  await Promise.all(services.map((s) => waitUntilReady(s, tls)));
  for (let g = 0; g < gatewayCount; g += 1) {
    const port = g === 0 ? basePort : basePort + SUBGRAPHS.length + g;
    services.push(
      startService(g === 0 ? 'gateway' : `gateway-${g + 1}`, 'gateway', port, {
        SUBGRAPH_URLS: subgraphUrls.join(','),
        AUDIT_DATABASE_URL: databases.audit,
        DATABASE_POOL_SIZE: poolSize,
        ACCESS_SIGNING_PRIVATE_KEY: privateKey,
        DEVELOPMENT_AUTHENTICATION: 'true',
        ...(tls ? { SUBGRAPH_CA_FILE: tls.caFile } : {}),
      }),
    );
  }
  await Promise.all(services.map((s) => waitUntilReady(s, tls)));

  console.log(`
mash-gateway is running distributed: ${services.length} processes on PostgreSQL, ready in ${((Date.now() - started) / 1000).toFixed(1)} s.
${services.map((s) => `  ${s.label.padEnd(12)} pid ${String(s.process.pid).padEnd(7)} started in ${s.startup?.toFixed(1)} s, ${`${residentMegabytes(s.process.pid!)} MB`.padStart(7)} resident  ${s.service === 'gateway' ? 'http' : scheme}://127.0.0.1:${s.port}${s.service === 'gateway' ? '/graphql' : '/'}  (ready: /health/ready)`).join('\n')}

Tokens: npm run token -- <role> [agency] (the development key pair; production takes AUTH_JWKS_URL).
Stop with Ctrl+C: every process finishes its in-flight requests and closes its pool.
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Gateways first, so nothing new reaches the subgraphs while they drain.
    const gateways = services.filter((s) => s.service === 'gateway');
    const subgraphs = services.filter((s) => s.service !== 'gateway');
    await Promise.all(gateways.map(stopService));
    await Promise.all(subgraphs.map(stopService));
    const failed = services.filter((s) => s.process.exitCode !== 0);
    console.log(
      failed.length
        ? `Stopped; ${failed.map((s) => `${s.label} exited ${s.process.exitCode ?? s.process.signalCode}`).join(', ')}.`
        : 'Every process stopped cleanly.',
    );
    process.exit(failed.length ? 1 : 0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  for (const service of services) {
    service.exited.then(() => {
      if (!stopping) {
        console.error(`${service.label} exited unexpectedly; stopping the rest.`);
        void stop();
      }
    });
  }
}

/** Every process started, so a failure part-way stops the ones already running. */
const services: Service[] = [];

interface Service {
  label: string;
  spawnedAt: number;
  /** Seconds from spawn to ready. */
  startup?: number;
  service: string;
  port: number;
  process: ChildProcess;
  exited: Promise<void>;
}

function startService(
  label: string,
  service: string,
  port: number,
  env: Record<string, string>,
): Service {
  // Compiled when this launcher runs compiled (npm run start:distributed), as production runs.
  const child = spawn(process.execPath, [...nodeEntry('service/main.ts'), service], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => (line.startsWith(`[${service}]`) ? line : `[${label}] ${line}`))
      .join('\n') + '\n';
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { label, spawnedAt: Date.now(), service, port, process: child, exited };
}

async function waitUntilReady(service: Service, tls: { caFile: string } | null): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  void service.exited.then(() => (exited = true));
  const overTls = tls !== null && service.service !== 'gateway';
  const get = subgraphFetch(overTls ? readFileSync(tls.caFile, 'utf8') : null);
  while (Date.now() < deadline && !exited) {
    const ready = await get(
      `${overTls ? 'https' : 'http'}://127.0.0.1:${service.port}/health/ready`,
    )
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) {
      service.startup = (Date.now() - service.spawnedAt) / 1000;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `${service.label} did not become ready${exited ? ' (it exited)' : ' within 60 s'}.`,
  );
}

async function stopService(service: Service): Promise<void> {
  if (service.process.exitCode !== null) return;
  service.process.kill('SIGTERM');
  await Promise.race([service.exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  if (service.process.exitCode === null) service.process.kill('SIGKILL');
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await Promise.all(services.map(stopService));
  process.exit(1);
});
