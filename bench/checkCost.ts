import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { generateKeyPair } from 'jose';
import { openEmbeddedAgencyDatabase, analyse } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import { blockingQuery } from '../identity/blocking';
import type { AccessContext } from '../policies/accessContext';
import { ConsentState } from '../policies/consent';
import { Purpose, Role } from '../policies/roles';
import {
  operationDigest,
  SeenAccessContexts,
  signForwardedAccess,
  verifyForwardedAccess,
} from '../schema/forwardedAccess';
import { AGENCIES } from '../subgraphs/agencies';
import { generatePopulation } from '../synthetic/population';

/**
 * The CPU one agency check costs in-process, without HTTP or GraphQL: each agency's check loader
 * (blocking, the person-index search, matching, records) for a household of 6 on the embedded
 * database, and the pieces every fetch pays (blocking keys, the operation digest, signing and
 * verifying the forwarded access context). CPU time (`process.cpuUsage`), so it holds up better
 * than latency on a shared machine; run it on two builds, alternately, to compare them.
 *
 *   node dist/bench/checkCost.js --families 5000 --runs 300 --agencies police,education,health
 */
async function main() {
  const { values } = parseArgs({
    options: {
      families: { type: 'string', default: '5000' },
      runs: { type: 'string', default: '300' },
      agencies: { type: 'string', default: 'police,education,health' },
    },
  });
  const runs = Number(values.runs);
  const population = generatePopulation({ seed: 20261123, families: Number(values.families) });
  const known = population
    .filter((f) => !f.newToArea && f.concern !== 'NONE')
    .flatMap((f) => f.members);
  const household = known.slice(0, 6).map((p, i) => ({
    __typename: 'Subject',
    id: `subject-${i}`,
    givenName: p.givenName,
    familyName: p.familyName,
    dateOfBirth: p.dateOfBirth,
    sex: p.sex,
    postcode: p.postcode,
    matchingPostcode: p.postcode,
    nhsNumber: i % 2 ? p.nhsNumber : null, // half the referrals know it
    matchDecisions: [],
  }));
  const access: AccessContext = {
    caller: { userId: 'manager.bench', role: Role.MASH_MANAGER, agency: null, team: 'bench' },
    purpose: Purpose.AGENCY_CHECK,
    declaredCase: 'MASH-BENCH',
    case: {
      id: 'bench',
      reference: 'MASH-BENCH',
      externalReference: null,
      externalSystem: null,
      status: 'OPEN',
      teams: ['bench'],
      consent: ConsentState.GIVEN,
      grounds: [],
      threshold: null,
      decision: null,
    },
  };
  const cpuPer = async (count: number, work: () => Promise<unknown> | unknown) => {
    const started = process.cpuUsage();
    for (let i = 0; i < count; i++) await work();
    const used = process.cpuUsage(started);
    return (used.user + used.system) / count; // µs
  };
  const results: Record<string, number> = {};

  const embedded = await EmbeddedPostgres.start();
  try {
    for (const name of values.agencies.split(',')) {
      const agency = AGENCIES.find((a) => a.name === name);
      if (!agency) throw new Error(`No agency ${name}.`);
      const database = await openEmbeddedAgencyDatabase(embedded, name, agency.entities);
      await agency.seed(database.dataSource, population);
      await analyse(database.dataSource);
      const loaderOf = (context: object) =>
        Object.values(context).find(
          (v): v is { loadMany(keys: unknown[]): Promise<unknown[]> } =>
            typeof (v as { loadMany?: unknown })?.loadMany === 'function',
        )!;
      const check = () =>
        loaderOf(agency.createContext(database.dataSource, { kind: 'request', access })).loadMany(
          household,
        );
      await cpuPer(30, check); // warm up: the match model, the JIT
      results[`${name} check, ms`] = (await cpuPer(runs, check)) / 1000;
      await database.dataSource.destroy();
    }
  } finally {
    await embedded.close();
  }

  const operation = {
    query:
      'query($representations:[_Any!]!){_entities(representations:$representations){...on Subject{police{status}}}}',
    variables: { representations: household },
  };
  results['blocking keys of the household, µs'] = await cpuPer(20_000, () =>
    blockingQuery(household),
  );
  results['operation digest, µs'] = await cpuPer(20_000, () => operationDigest(operation));
  const keys = await generateKeyPair('ES256');
  const tokens: string[] = [];
  const binding = { subgraph: 'police', operation, requestId: 'bench' };
  const sign = () => signForwardedAccess({ kind: 'request', access }, keys.privateKey, binding);
  await cpuPer(200, sign);
  results['signing one fetch, µs'] = await cpuPer(3000, async () => tokens.push(await sign()));
  const seen = new SeenAccessContexts();
  const body = JSON.parse(JSON.stringify(operation)) as unknown;
  let next = 0;
  results['verifying it, µs'] = await cpuPer(3000, () =>
    verifyForwardedAccess(
      tokens[next++],
      keys.publicKey,
      { subgraph: 'police', method: 'POST', body },
      seen,
    ),
  );
  for (const [what, value] of Object.entries(results))
    console.log(`${what.padEnd(36)} ${value.toFixed(what.endsWith('ms') ? 2 : 1)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
