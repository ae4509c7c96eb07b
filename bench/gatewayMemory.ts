import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { CURRENT_RUNTIME, nodeEntry, Runtime } from '../service/nodeEntry';

/**
 * `npm run bench:memory`: where an idle gateway's memory goes. Starts the mash-gateway (as the
 * `gateway` service runs it: audit store on PostgreSQL, MASH_POSTGRES_URL) and the bare Apollo
 * gateway step by step, each in a fresh process, compiled and through the run-time compiler, and
 * prints the memory after each step (after a full garbage collection, so it is what is kept):
 * resident, V8 heap used, compiled code, and memory outside the heap (buffers, WASM).
 * Its subgraphs are not running (the gateway starts and would answer UNAVAILABLE): idle is idle.
 */
type Kind = 'full' | 'bare';
interface Step {
  step: string;
  rssMb: number;
  heapUsedMb: number;
  codeMb: number;
  externalMb: number;
}

async function measure(kind: Kind): Promise<Step[]> {
  const steps: Step[] = [];
  const record = (step: string) => {
    for (let i = 0; i < 3; i++) global.gc!();
    const m = process.memoryUsage();
    const code = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'code_space');
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
    steps.push({
      step,
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      codeMb: mb(code?.space_used_size ?? 0),
      externalMb: mb(m.external),
    });
  };
  record('Node, this script');
  await import('reflect-metadata');
  await Promise.all([
    import('graphql'),
    import('@apollo/server'),
    import('@apollo/gateway'),
    import('@apollo/composition'),
    import('express'),
    import('jose'),
    ...(kind === 'full'
      ? [import('typeorm'), import('pg'), import('graphql-shield'), import('type-graphql')]
      : []),
  ]);
  record(
    kind === 'full'
      ? 'libraries loaded (graphql, Apollo, express, jose, TypeORM, pg, graphql-shield, type-graphql)'
      : 'libraries loaded (graphql, Apollo, express, jose)',
  );
  const { SUBGRAPHS } = await import('../subgraphs');
  const { composeSupergraph } = await import('../gateway/supergraph');
  const server = kind === 'full' ? await import('../gateway/server') : null;
  record("the project's code loaded (subgraph definitions, the gateway)");
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async (s, i) => ({
      name: s.name,
      // Nothing listens there: an idle gateway, its agencies unreachable.
      url: `http://127.0.0.1:${9 + i}/`,
      sdl: (await s.buildSchema()).sdl,
    })),
  );
  record('every subgraph schema built (type-graphql), their SDL kept');
  const supergraph = composeSupergraph(subgraphs);
  record(`the supergraph composed (${Math.round(supergraph.length / 1024)} KB of SDL)`);
  const { generateKeyPair } = await import('jose');
  const { privateKey } = await generateKeyPair('ES256');
  let stop: () => Promise<void>;
  if (server) {
    const serverUrl = process.env.MASH_POSTGRES_URL;
    if (!serverUrl)
      throw new Error('The mash-gateway needs its audit store: set MASH_POSTGRES_URL.');
    const { databaseNameFor, databaseUrl, dropDatabase, ensureDatabase, openPostgresDatabase } =
      await import('../database/postgres');
    const { audit } = await import('../subgraphs/audit');
    const { DEVELOPMENT_AUTHENTICATION } = await import('../gateway/authentication');
    const name = databaseNameFor('audit', `mashbench_memory_${process.pid}`);
    await ensureDatabase(serverUrl, name);
    const store = await openPostgresDatabase(databaseUrl(serverUrl, name), audit, {
      migrate: true,
    });
    const gateway = await server.startGateway({
      subgraphs,
      port: 0,
      subgraphTimeoutMs: 5000,
      authentication: DEVELOPMENT_AUTHENTICATION,
      accessSigningKey: privateKey,
      auditStore: store.dataSource,
      exampleQuery: () => '{ __typename }',
    });
    stop = async () => {
      await gateway.stop();
      await store.dataSource.destroy();
      await dropDatabase(serverUrl, name);
    };
  } else {
    const { ApolloGateway } = await import('@apollo/gateway');
    const { ApolloServer } = await import('@apollo/server');
    const { startStandaloneServer } = await import('@apollo/server/standalone');
    const apollo = new ApolloServer({
      gateway: new ApolloGateway({ supergraphSdl: supergraph }),
    });
    await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
    stop = () => apollo.stop();
  }
  record(
    kind === 'full'
      ? 'the gateway started (policies, audit store on PostgreSQL, HTTP server)'
      : 'the bare Apollo gateway started (HTTP server)',
  );
  await stop();
  return steps;
}

const KINDS: Record<Kind, string> = { full: 'mash-gateway', bare: 'bare Apollo gateway' };

function main() {
  const { values } = parseArgs({
    options: { kind: { type: 'string' }, runtime: { type: 'string' } },
  });
  if (values.kind) {
    void measure(values.kind as Kind).then(
      (steps) => {
        process.stdout.write(`MEMORY ${JSON.stringify(steps)}\n`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
    return;
  }
  const runtimes: Runtime[] = CURRENT_RUNTIME === 'compiled' ? ['compiled', 'swc'] : ['swc'];
  for (const kind of Object.keys(KINDS) as Kind[]) {
    for (const runtime of runtimes) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', ...nodeEntry('bench/gatewayMemory.ts', runtime), '--kind', kind],
        { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
      );
      const line = child.stdout.split('\n').find((l) => l.startsWith('MEMORY '));
      if (!line) throw new Error(`${KINDS[kind]} (${runtime}) failed:\n${child.stderr}`);
      const steps = JSON.parse(line.slice('MEMORY '.length)) as Step[];
      console.log(
        [
          `\n### ${KINDS[kind]}, ${runtime === 'compiled' ? 'compiled (dist/)' : 'through @swc-node/register'}`,
          '',
          '| step | resident MB | V8 heap used MB | compiled code MB | outside the heap MB |',
          '|---|---:|---:|---:|---:|',
          ...steps.map(
            (s) => `| ${s.step} | ${s.rssMb} | ${s.heapUsedMb} | ${s.codeMb} | ${s.externalMb} |`,
          ),
        ].join('\n'),
      );
    }
  }
}

main();
