import 'reflect-metadata';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import { AgencyDataSource } from '../gateway/agencyDataSource';
import { startEmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { caseFactsFrom } from '../gateway/requestAccess';
import { composeSupergraph } from '../gateway/supergraph';
import { UnavailableAgency } from '../gateway/unavailableAgency';
import { Purpose, Role } from '../policies/roles';
import { signForwardedAccess } from '../schema/forwardedAccess';
import { appendAuditRecord } from '../subgraphs/audit/data';
import { AuditRecord } from '../subgraphs/audit/entities';
import { requestHeaders } from '../test/graphqlClient';

/**
 * `npm run bench:gateway`: what the gateway's own work adds to the example agency-check query. The
 * same query, on the same data and subgraphs, through (a) the full gateway (authentication,
 * policies, audit) and (b) a bare composed gateway with none of them that forwards a fixed,
 * pre-signed access context; then the audit append alone, in memory and on disk. Sequential
 * requests after a warm-up; prints medians and p95s.
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
    // Signed per request, as the full gateway does (the signature lives 60 s).
    context: async () => ({
      access,
      forwardedAccess: signForwardedAccess({ kind: 'request', access }, accessSigningKey),
    }),
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
      if (!body.data?.caseByReference?.subjects.length) {
        throw new Error(`No picture came back from ${url}: ${JSON.stringify(body).slice(0, 300)}`);
      }
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
    `  bare gateway (no authentication, policies, audit) median ${p.median.toFixed(2)} ms   p95 ${p.p95.toFixed(2)} ms`,
  );
  console.log(
    `  full gateway (token, policies, audit in memory)  median ${f.median.toFixed(2)} ms   p95 ${f.p95.toFixed(2)} ms`,
  );
  console.log(
    `  the gateway's own work adds                      median ${(f.median - p.median).toFixed(2)} ms (${((f.median / p.median - 1) * 100).toFixed(0)}%)`,
  );

  // The audit write alone: the same record appended again and again, to each kind of store.
  const appendTimes = async (store: DataSource) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS + WARM_UP; i++) {
      const started = performance.now();
      await appendAuditRecord(store, sampleEvent);
      if (i >= WARM_UP) times.push(performance.now() - started);
    }
    return stat(times);
  };
  const [sampleRecord] = await system.subgraphs
    .find((s) => s.name === 'audit')!
    .database.dataSource.getRepository(AuditRecord)
    .find({ order: { sequence: 'DESC' }, take: 1 });
  // The chain fields are the store's to assign; the rest is a realistic record to append.
  const { id, sequence, previousHash, hash, ...sampleEvent } = sampleRecord;
  const inMemory = await appendTimes(
    system.subgraphs.find((s) => s.name === 'audit')!.database.dataSource,
  );
  const onDiskDir = mkdtempSync(path.join(tmpdir(), 'mash-bench-audit-'));
  const onDiskDatabase = await EmbeddedPostgres.start(onDiskDir);
  const onDisk = await openEmbeddedAgencyDatabase(onDiskDatabase, 'audit', [AuditRecord]);
  const disk = await appendTimes(onDisk.dataSource);
  console.log(
    `  audit append alone, in memory                    median ${inMemory.median.toFixed(2)} ms   p95 ${inMemory.p95.toFixed(2)} ms`,
  );
  console.log(
    `  audit append alone, on disk (npm start)          median ${disk.median.toFixed(2)} ms   p95 ${disk.p95.toFixed(2)} ms`,
  );
  await onDisk.dataSource.destroy();
  await onDiskDatabase.close();
  rmSync(onDiskDir, { recursive: true, force: true });
  await bare.stop();
  await system.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
