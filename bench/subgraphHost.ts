import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportPKCS8 } from 'jose';
import { startEmbeddedSystem } from '../gateway/embeddedSystem';
import { AGENCY_CHECK_FIELDS } from '../policies/tiers';
import { BENCH_TEAM, openBenchCases } from './benchCases';

/**
 * The benchmark's agencies: every subgraph on the embedded database (or, with BENCH_POSTGRES_URL,
 * each on its own PostgreSQL database), seeded with BENCH_FAMILIES
 * synthetic families, in this one process (the gateways under test run in their own). Opens a
 * case for each household size measured, through the hub's own intake, and prints on one line
 * what the driver needs: `BENCH_READY {json}`. GET <control>/queries gives each subgraph's count
 * of database statements so far.
 */
async function main() {
  const started = Date.now();
  const system = await startEmbeddedSystem({
    port: 0,
    seed: Number(process.env.BENCH_SEED ?? 20261123),
    families: Number(process.env.BENCH_FAMILIES),
    subgraphTimeoutMs: 10_000,
    auditDataDir: null,
    // --postgres: each subgraph on its own database on a PostgreSQL server, as in production.
    postgres: process.env.BENCH_POSTGRES_URL
      ? {
          serverUrl: process.env.BENCH_POSTGRES_URL,
          databasePrefix: process.env.BENCH_DATABASE_PREFIX ?? `mashbench_${process.pid}`,
          dropOnStop: true,
        }
      : null,
  });
  const seededSeconds = (Date.now() - started) / 1000;
  const cases = await openBenchCases(system.gateway.url, system.population);
  const control = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        Object.fromEntries(system.subgraphs.map((s) => [s.name, s.database.queries.count])),
      ),
    );
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const peoplePerAgency: Record<string, number> = {};
  for (const agency of Object.values(AGENCY_CHECK_FIELDS)) {
    const subgraph = system.subgraphs.find((s) => s.name === agency)!;
    const personIndex = subgraph.database.dataSource.entityMetadatas.find((m) =>
      m.columns.some((c) => c.propertyName === 'nhsNumber'),
    )!;
    peoplePerAgency[agency] = await subgraph.database.dataSource
      .getRepository(personIndex.target)
      .count();
  }
  const ready = {
    subgraphs: system.subgraphs.map((s) => ({ name: s.name, url: s.url })),
    accessSigningKeyPem: await exportPKCS8(system.gatewayOptions.accessSigningKey),
    cases,
    team: BENCH_TEAM,
    people: system.population.reduce((n, f) => n + f.members.length, 0),
    peoplePerAgency,
    seededSeconds,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}/`,
  };
  process.stdout.write(`BENCH_READY ${JSON.stringify(ready)}\n`);
  process.once('SIGTERM', async () => {
    control.close();
    await system.stop();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
