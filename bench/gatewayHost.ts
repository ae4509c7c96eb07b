import { randomUUID } from 'node:crypto';
import 'reflect-metadata';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importPKCS8 } from 'jose';
import { openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import { AgencyDataSource } from '../gateway/agencyDataSource';
import { DEFAULT_CIRCUIT } from '../gateway/agencyResilience';
import { DEVELOPMENT_AUTHENTICATION } from '../gateway/authentication';
import type { GatewayContext } from '../gateway/requestAccess';
import { startGateway } from '../gateway/server';
import { composeSupergraph } from '../gateway/supergraph';
import { UnavailableAgency } from '../gateway/unavailableAgency';
import {
  ACCESS_CONTEXT_HEADER,
  signForwardedAccess,
  SubgraphOperation,
} from '../schema/forwardedAccess';
import { SUBGRAPHS } from '../subgraphs';
import { AuditRecord } from '../subgraphs/audit/entities';
import { managerAccess } from './managerAccess';

/**
 * One gateway under test, in its own process, in front of the benchmark's subgraphs:
 *  - `full`: the mash-gateway as deployed: token, policies, audit (its audit store an embedded
 *    database of its own);
 *  - `bare`: the same composed Apollo gateway with none of that, forwarding the access context
 *    for the benchmark's case (signed per fetch, as the full gateway does); it prints the
 *    subgraph requests of its first operation (`BENCH_CAPTURE`), so the driver can time the
 *    subgraphs directly;
 *  - `hive`: Hive Gateway (The Guild) serving the same supergraph, signing the same access
 *    context for each fetch, with its in-flight request deduplication off (see below).
 * Prints `BENCH_READY {"url": …}`.
 */
interface HostConfig {
  subgraphs: { name: string; url: string }[];
  accessSigningKeyPem: string;
  caseReference: string;
  team: string;
}

async function main() {
  const kind = process.argv[2];
  const config = JSON.parse(process.env.BENCH_CONFIG!) as HostConfig;
  const key = await importPKCS8(config.accessSigningKeyPem, 'ES256');
  const subgraphs = await Promise.all(
    config.subgraphs.map(async ({ name, url }) => ({
      name,
      url,
      sdl: (await SUBGRAPHS.find((s) => s.name === name)!.buildSchema()).sdl,
    })),
  );
  const timeoutMs = 10_000;
  let url: string;
  if (kind === 'full') {
    const auditDatabase = await EmbeddedPostgres.start();
    const audit = await openEmbeddedAgencyDatabase(auditDatabase, 'audit', [AuditRecord]);
    const gateway = await startGateway({
      subgraphs,
      port: 0,
      subgraphTimeoutMs: timeoutMs,
      authentication: DEVELOPMENT_AUTHENTICATION,
      accessSigningKey: key,
      auditStore: audit.dataSource,
      exampleQuery: () => '{ __typename }',
    });
    url = gateway.url;
  } else if (kind === 'bare') {
    const mash = subgraphs.find((s) => s.name === 'mash')!;
    const access = await managerAccess(mash.url, key, config.caseReference, config.team);
    const sdl = new Map(subgraphs.map((s) => [s.name, s.sdl]));
    let captured: { name: string; query: string; variables: unknown }[] | null = [];
    const server = new ApolloServer<GatewayContext>({
      gateway: new ApolloGateway({
        supergraphSdl: composeSupergraph(subgraphs),
        buildService: ({ name, url: subgraphUrl }) =>
          new (class extends AgencyDataSource {
            override async willSendRequest(
              options: Parameters<AgencyDataSource['willSendRequest']>[0],
            ) {
              await super.willSendRequest(options);
              captured?.push({
                name,
                query: options.request.query!,
                variables: options.request.variables,
              });
            }
          })(
            name,
            subgraphUrl!,
            { timeoutMs, retryReads: true, circuit: DEFAULT_CIRCUIT },
            new UnavailableAgency(name, sdl.get(name)!),
            key,
          ),
      }),
      plugins: [
        {
          async requestDidStart() {
            return {
              async willSendResponse() {
                if (!captured) return;
                process.stdout.write(`BENCH_CAPTURE ${JSON.stringify(captured)}\n`);
                captured = null;
              },
            };
          },
        },
      ],
    });
    ({ url } = await startStandaloneServer(server, {
      listen: { port: 0, host: '127.0.0.1' },
      context: async () => ({ requestId: randomUUID(), access }),
    }));
  } else if (kind === 'hive') {
    const mash = subgraphs.find((s) => s.name === 'mash')!;
    const access = await managerAccess(mash.url, key, config.caseReference, config.team);
    const subgraphAt = new Map(subgraphs.map((s) => [new URL(s.url).href, s.name]));
    const runtime = createGatewayRuntime({
      supergraph: composeSupergraph(subgraphs),
      logging: false,
      // Like for like: Hive Gateway by default merges identical subgraph requests in flight. The
      // benchmark sends identical requests; in production each carries its own signed access
      // context, so nothing would merge. Off, every request reaches the subgraphs, as with Apollo.
      transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
      // Like for like again: each fetch carries a context signed for it alone, as the full
      // gateway's fetches do (the subgraphs refuse anything else).
      plugins: () => [
        {
          async onFetch({ url, options, setOptions }) {
            const operation = JSON.parse(String(options.body)) as SubgraphOperation;
            const signed = await signForwardedAccess({ kind: 'request', access }, key, {
              subgraph: subgraphAt.get(new URL(url).href)!,
              operation,
              requestId: randomUUID(),
            });
            const headers = new Headers(options.headers as HeadersInit);
            headers.set(ACCESS_CONTEXT_HEADER, signed);
            setOptions({ ...options, headers: Object.fromEntries(headers) });
          },
        },
      ],
    });
    const http = createServer(runtime);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
  } else {
    throw new Error('Usage: gatewayHost.ts full|bare|hive');
  }
  process.stdout.write(`BENCH_READY ${JSON.stringify({ url })}\n`);
  process.once('SIGTERM', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
