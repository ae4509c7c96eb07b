import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportPKCS8 } from 'jose';
import { startEmbeddedSystem } from '../gateway/embeddedSystem';
import { Role } from '../policies/roles';
import { AGENCY_CHECK_FIELDS } from '../policies/tiers';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { REFERENCE_DATE, SyntheticFamily, SyntheticPerson } from '../synthetic/population';
import { postGraphQL, requestHeaders } from '../test/graphqlClient';

/**
 * The benchmark's agencies: every subgraph on the embedded database (or, with BENCH_POSTGRES_URL,
 * each on its own PostgreSQL database), seeded with BENCH_FAMILIES
 * synthetic families, in this one process (the gateways under test run in their own). Opens a
 * case for each household size measured, through the hub's own intake, and prints on one line
 * what the driver needs: `BENCH_READY {json}`. GET <control>/queries gives each subgraph's count
 * of database statements so far.
 */
export const HOUSEHOLD_SIZES = [1, 6, 20];
export const BENCH_TEAM = MASH_TEAMS[0];

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
          databasePrefix: `mashgw_bench_${process.pid}`,
          dropOnStop: true,
        }
      : null,
  });
  const seededSeconds = (Date.now() - started) / 1000;
  const manager = await requestHeaders(
    { userId: 'manager.bench', role: Role.MASH_MANAGER, team: BENCH_TEAM },
    null,
    null,
  );
  const cases: Record<number, string> = {};
  for (const size of HOUSEHOLD_SIZES) {
    const { body } = await postGraphQL(
      system.gateway.url,
      'mutation ($r: ReferralInput!) { submitReferral(referral: $r) { caseReference } }',
      { r: benchReferral(householdOf(system.population, size)) },
      manager,
    );
    if (!body.data?.submitReferral)
      throw new Error(`Opening the household of ${size} failed: ${JSON.stringify(body.errors)}`);
    cases[size] = body.data.submitReferral.caseReference;
  }
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

/**
 * `size` people of families the agencies have reason to know (a concern, not new to the area),
 * whole families in turn, a child first (the referral is about them), so that every agency has
 * records to load, not only a person index to search.
 */
function householdOf(population: SyntheticFamily[], size: number): SyntheticPerson[] {
  // Domestic-abuse families first: the police, health and social care all hold records on them.
  const rank = (f: SyntheticFamily) => (f.concern === 'DOMESTIC_ABUSE' ? 0 : 1);
  const known = population
    .filter((f) => !f.newToArea && f.concern !== 'NONE')
    .sort((a, b) => rank(a) - rank(b) || a.index - b.index)
    .flatMap((f) => f.members);
  const child = known.find((p) => p.role === 'CHILD' && ageOn(p.dateOfBirth) < 17);
  if (!child || known.length < size)
    throw new Error(`The population is too small for a household of ${size}.`);
  return [child, ...known.filter((p) => p !== child).slice(0, size - 1)];
}

function ageOn(dateOfBirth: string): number {
  return (REFERENCE_DATE.getTime() - new Date(dateOfBirth).getTime()) / (365.25 * 86_400_000);
}

function benchReferral(people: SyntheticPerson[]) {
  return {
    referrerType: 'SCHOOL',
    referrerName: 'Benchmark',
    referrerOrganisation: 'Synthetic Primary School',
    referrerContact: 'bench@synthetic-primary.example',
    concerns: 'A synthetic referral opened by the benchmark to measure the agency checks.',
    immediateRisk: false,
    consentSought: true,
    consentGiven: true,
    consentNotes: 'Synthetic: consent given.',
    subjects: people.map((p, i) => ({
      // Only the first is the child referred; the others are named as household members.
      roleInHousehold: i === 0 ? 'CHILD' : p.role === 'CHILD' ? 'SIBLING' : p.role,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      addressLine: p.addressLine,
      postcode: p.postcode,
      nhsNumber: p.nhsNumber,
    })),
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
