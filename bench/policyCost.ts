import 'reflect-metadata';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { AgencyDataSource } from '../gateway/agencyDataSource';
import { startEmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { caseFactsFrom } from '../gateway/requestAccess';
import { composeSupergraph } from '../gateway/supergraph';
import { UnavailableAgency } from '../gateway/unavailableAgency';
import { Purpose, Role } from '../policies/roles';
import { signForwardedAccess } from '../schema/forwardedAccess';
import { requestHeaders } from '../test/graphqlClient';

/**
 * `npm run bench:policy`: what authentication and policy enforcement add to the example agency-check
 * query. The same query, on the same data and subgraphs, through (a) the full gateway and (b) a bare
 * composed gateway with no authentication and no policies that forwards a fixed, pre-signed access
 * context. Sequential requests after a warm-up; prints median and p95 of each and the difference.
 */
const RUNS = Number(process.env.RUNS ?? 500);
const WARM_UP = 50;

async function main() {
  const system = await startEmbeddedSystem({
    port: 0,
    seed: 20261123,
    families: 60,
    subgraphTimeoutMs: 5000,
  });
  const caseRef = system.exampleCaseReference;
  const query = JSON.stringify({ query: agencyCheckQuery(caseRef) });
  const headers = await requestHeaders(
    { userId: 'manager.bench', role: Role.MASH_MANAGER, team: system.exampleTeam },
    Purpose.AGENCY_CHECK,
    caseRef,
  );

  // The bare gateway: the same supergraph and data sources, no plugins, one access context for all.
  const { subgraphs, accessSigningKey, subgraphTimeoutMs } = system.gatewayOptions;
  const mash = subgraphs.find((s) => s.name === 'mash')!;
  const access = {
    caller: {
      userId: 'manager.bench',
      role: Role.MASH_MANAGER,
      agency: null,
      team: system.exampleTeam,
    },
    purpose: Purpose.AGENCY_CHECK,
    declaredCase: caseRef,
    case: await caseFactsFrom(mash.url, accessSigningKey, subgraphTimeoutMs)(caseRef),
  };
  const forwardedAccess = signForwardedAccess({ kind: 'request', access }, accessSigningKey);
  const sdl = new Map(subgraphs.map((s) => [s.name, s.sdl]));
  const bare = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: composeSupergraph(subgraphs),
      buildService: ({ name, url }) =>
        new AgencyDataSource(url!, subgraphTimeoutMs, new UnavailableAgency(name, sdl.get(name)!)),
    }),
  });
  const { url: bareUrl } = await startStandaloneServer(bare, {
    listen: { port: 0 },
    context: async () => ({ access, forwardedAccess }),
  });

  const time = async (url: string, extraHeaders: Record<string, string>) => {
    const run = async () => {
      const started = performance.now();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...extraHeaders },
        body: query,
      });
      const body = (await response.json()) as {
        data?: { caseByReference?: { subjects: unknown[] } };
      };
      if (!body.data?.caseByReference?.subjects.length)
        throw new Error(`No picture came back from ${url}`);
      return performance.now() - started;
    };
    for (let i = 0; i < WARM_UP; i++) await run();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await run());
    return times.sort((a, b) => a - b);
  };
  // Interleave the two so machine noise falls on both alike.
  const full: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < 5; round++) {
    plain.push(...(await time(bareUrl, {})));
    full.push(...(await time(system.gateway.url, headers)));
  }
  const stat = (t: number[]) => {
    const s = [...t].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
  };
  const f = stat(full);
  const p = stat(plain);
  console.log(
    `Example agency-check query for ${caseRef} (${RUNS * 5} sequential requests each, after warm-up):`,
  );
  console.log(
    `  bare gateway (no authentication, no policies)   median ${p.median.toFixed(2)} ms   p95 ${p.p95.toFixed(2)} ms`,
  );
  console.log(
    `  full gateway (token, case facts, shield rules)  median ${f.median.toFixed(2)} ms   p95 ${f.p95.toFixed(2)} ms`,
  );
  console.log(
    `  policy enforcement adds                         median ${(f.median - p.median).toFixed(2)} ms (${((f.median / p.median - 1) * 100).toFixed(0)}%)`,
  );
  await bare.stop();
  await system.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
