import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, KeyLike } from 'jose';
import { Client } from 'pg';
import {
  databaseNameFor,
  databaseUrl,
  dataSourceFor,
  dropDatabase,
  sharedPoolSize,
} from '../database/postgres';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { CASE_HEADER } from '../gateway/requestAccess';
import { Purpose, Role } from '../policies/roles';
import { AGENCY_CHECK_FIELDS as AGENCY_FIELDS } from '../policies/tiers';
import {
  ACCESS_CONTEXT_HEADER,
  signForwardedAccess,
  SubgraphOperation,
} from '../schema/forwardedAccess';
import type { AccessContext } from '../policies/accessContext';
import { SUBGRAPHS } from '../subgraphs';
import { AGENCIES } from '../subgraphs/agencies';
import { generatePopulation } from '../synthetic/population';
import { requestHeaders } from '../test/graphqlClient';
import { setUpDatabases } from '../service/databaseSetup';
import { CURRENT_RUNTIME, nodeEntry, Runtime } from '../service/nodeEntry';
import { residentMegabytes } from '../service/residentMemory';
import { BENCH_TEAM, openBenchCases } from './benchCases';
import { checkChronologyPage, chronologyPageBody } from './chronologyPage';
import { LoadResult, round, runLoad, timeSequential } from './load';
import { managerAccess } from './managerAccess';
import { cpuMilliseconds } from './processStats';
import { markdownReport } from './report';

/**
 * `npm run bench`: what the gateway costs and how it scales, measured the same way every time.
 * Two layouts:
 *  - embedded (the quick default): the agencies' subgraphs in one process on the embedded
 *    database with a generated population, each gateway under test in its own process;
 *  - distributed (`--distributed`, the production shape, as `npm run start:distributed`): each
 *    subgraph its own process (`service/main.ts`) on its own PostgreSQL database, the mash-gateway
 *    service (`service/main.ts gateway`, audit on PostgreSQL), and the bare and Hive gateways in
 *    their own processes.
 * Drives the gateways with autocannon and reads every process's own CPU counters across each
 * load run (CPU ms per check, by process) and its resident memory; writes
 * `bench/results/latest.json` and `latest.md` and compares with the run before of the same layout.
 * Every process runs compiled (`dist/`, `npm run bench` builds it) unless the driver itself runs
 * from the sources; `--swc` runs them through the run-time compiler, to measure what that costs.
 *
 *   --people 10000,100000   people in the synthetic population, one run per size
 *   --large                 adds 1,000,000 (minutes to seed, several GB)
 *   --duration 5            seconds per load run
 *   --concurrency 1,8,32    requests in flight
 *   --out bench/results     where the results go
 *   --postgres              embedded layout, but the subgraphs on PostgreSQL (MASH_POSTGRES_URL)
 *   --distributed           the distributed layout, on PostgreSQL (MASH_POSTGRES_URL)
 *   --swc                   every process through @swc-node/register instead of dist/
 *   --profile <dir>         a CPU profile (node --cpu-prof) of the mash-gateway and the police
 *                           subgraph (the subgraphs' one process when embedded), written into
 *                           <dir> (e.g. bench/results/profiles, git-ignored) as they stop;
 *                           `npm run profile:summary` summarises one
 *   --quick                 a tiny run that only shows the benchmark works (the test suite's)
 */
const DEFAULTS = { people: '10000,100000', duration: '5', concurrency: '1,8,32' };
/** `--quick`'s sizes; a flag given as well still counts. */
const QUICK = { people: '600', duration: '1', concurrency: '1,4' };

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  options: {
    people: number[];
    durationSeconds: number;
    concurrency: number[];
    layout: Layout;
    database: 'embedded' | 'postgres';
    /** How the processes ran TypeScript: compiled (dist/) or through the run-time compiler. */
    runtime: Runtime;
  };
  /** The machine's load average (1, 5, 15 minutes) as the run started and ended: it is shared. */
  loadAverage: { start: number[]; end: number[] };
  sizes: ScaleRow[];
  layers: Layers | null;
  /** Resident memory of every process of the layout, idle (before any load) and peak under load. */
  memory: Record<string, { idleMb: number; underLoadMb: number }> | null;
}

export type Layout = 'embedded' | 'distributed';

export interface ScaleRow {
  people: number;
  families: number;
  peoplePerAgency: Record<string, number>;
  seededSeconds: number;
  /** The agency-check query for a household of 6 through the full gateway, at concurrency 8. */
  check: LoadResult;
  /**
   * One subject's demographic match and records at each agency, asked directly, by agency: a
   * subject of the household of 6 the agency finds.
   */
  match: Record<string, { medianMs: number; p95Ms: number }>;
  /** Database statements per request in each subgraph, by household size (embedded layout only). */
  queriesPerRequest: Record<number, Record<string, number>>;
  /** The agencies that found someone in each household (they then load records as well). */
  agenciesThatFound: Record<number, string[]>;
  /**
   * The household of 6's chronology, a page of 50 events, through the full gateway one request at
   * a time: its latency, the events on the page (and in the household) and the database
   * statements per request in each subgraph (embedded layout only).
   */
  chronology: {
    events: number;
    totalEvents: number;
    page: LoadResult;
    statementsPerRequest: Record<string, number> | null;
  };
}

export interface Layers {
  people: number;
  /** Each subgraph request of the plan, timed directly (sequential), and the critical path. */
  subgraphs: { name: string; medianMs: number }[];
  criticalPathMs: number;
  /** Every subgraph request one after another: the floor when all subgraphs share one process. */
  serialSumMs: number;
  runs: LoadRun[];
}

export interface LoadRun extends LoadResult {
  target: Target;
  /** The machine's 1-minute load average as the run started. */
  loadAverage: number;
  /**
   * CPU ms per check for each process that served it (`gateway`: the one under test; then the
   * subgraphs' processes; `postgres`: the server's backends for the benchmark's databases, where
   * readable), from each process's own counters before and after the run.
   */
  cpuMsPerCheck: Record<string, number>;
}

export type Target = 'bare' | 'full' | 'hive';
const TARGETS: Target[] = ['bare', 'full', 'hive'];

async function main() {
  const { values } = parseArgs({
    options: {
      people: { type: 'string' },
      large: { type: 'boolean', default: false },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      out: { type: 'string', default: path.join('bench', 'results') },
      quick: { type: 'boolean', default: false },
      postgres: { type: 'boolean', default: false },
      distributed: { type: 'boolean', default: false },
      swc: { type: 'boolean', default: false },
      profile: { type: 'string' },
    },
  });
  if ((values.postgres || values.distributed) && !process.env.MASH_POSTGRES_URL)
    throw new Error(
      `--${values.distributed ? 'distributed' : 'postgres'} needs MASH_POSTGRES_URL (bash scripts/postgres.sh starts a server).`,
    );
  const base = values.quick ? QUICK : DEFAULTS;
  const settings = {
    people: values.people ?? base.people,
    duration: values.duration ?? base.duration,
    concurrency: values.concurrency ?? base.concurrency,
  };
  const people = [
    ...settings.people.split(',').map(Number),
    ...(values.large ? [1_000_000] : []),
  ].sort((a, b) => a - b);
  const durationSeconds = Number(settings.duration);
  const concurrency = settings.concurrency.split(',').map(Number);
  if ([...people, durationSeconds, ...concurrency].some((n) => !(n > 0)))
    throw new Error('--people, --duration and --concurrency take positive numbers.');

  const layout: Layout = values.distributed ? 'distributed' : 'embedded';
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    options: {
      people,
      durationSeconds,
      concurrency,
      layout,
      database: values.postgres || values.distributed ? 'postgres' : 'embedded',
      runtime: values.swc ? 'swc' : CURRENT_RUNTIME,
    },
    loadAverage: { start: loadAverage(), end: [] },
    sizes: [],
    layers: null,
    memory: null,
  };
  const perFamily = averageHousehold();
  if (values.profile) mkdirSync(values.profile, { recursive: true });
  for (const size of people) {
    const isLast = size === people[people.length - 1];
    console.log(
      `\n== ${size.toLocaleString('en-GB')} people, ${layout} layout (load average ${loadAverage().join(' ')}) ==`,
    );
    results.sizes.push(
      await measureSize(size, Math.ceil(size / perFamily), isLast, {
        durationSeconds,
        concurrency,
        results,
        sequentialRuns: values.quick ? 20 : 200,
        profileDir: values.profile ? path.resolve(values.profile) : null,
      }),
    );
  }
  results.loadAverage.end = loadAverage();

  mkdirSync(values.out, { recursive: true });
  const jsonFile = path.join(values.out, 'latest.json');
  // The run before of the same layout: the layouts' figures are not comparable with each other.
  const previousFile = (l: Layout) => path.join(values.out, `latest-${l}.json`);
  const previous = existsSync(previousFile(layout))
    ? (JSON.parse(readFileSync(previousFile(layout), 'utf8')) as BenchResults)
    : null;
  if (previous)
    writeFileSync(path.join(values.out, 'previous.json'), JSON.stringify(previous, null, 2));
  writeFileSync(previousFile(layout), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = markdownReport(results, previous);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(values.out, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written: ${jsonFile} and latest.md in ${values.out}.`);
}

/** What the driver needs from the agencies' side of a layout. */
interface AgenciesReady {
  subgraphs: { name: string; url: string }[];
  accessSigningKeyPem: string;
  cases: Record<number, string>;
  team: string;
  peoplePerAgency: Record<string, number>;
  seededSeconds: number;
  /** Each subgraph's count of database statements so far (embedded layout only). */
  controlUrl: string | null;
}

/** A layout started: its subgraphs and its mash-gateway, every process of it by name. */
interface RunningLayout {
  ready: AgenciesReady;
  full: Host;
  fullUrl: string;
  /** The processes serving the subgraphs: `subgraphs` (embedded) or one per subgraph. */
  subgraphProcesses: Record<string, Host>;
  /** The PostgreSQL server's backends serving this run's databases (none when embedded). */
  databaseBackends(): Promise<number[]>;
}

interface SizeOptions {
  durationSeconds: number;
  concurrency: number[];
  results: BenchResults;
  sequentialRuns: number;
  profileDir: string | null;
}

async function measureSize(
  people: number,
  families: number,
  withLayers: boolean,
  options: SizeOptions,
): Promise<ScaleRow> {
  const started: Host[] = [];
  const cleanUp: (() => Promise<void>)[] = [];
  try {
    const layout =
      options.results.options.layout === 'distributed'
        ? await startDistributed(families, options, started, cleanUp)
        : await startEmbedded(families, options, started);
    const { ready, full, fullUrl } = layout;
    // Idle means before any load: the scale row's runs below go through the mash-gateway first.
    const idleAtStart = Object.fromEntries(
      Object.entries({ ...layout.subgraphProcesses, full }).map(([n, h]) => [
        n,
        residentMegabytes(h.pid),
      ]),
    );
    const key = await importPKCS8(ready.accessSigningKeyPem, 'ES256');
    const mashUrl = ready.subgraphs.find((s) => s.name === 'mash')!.url;
    const gatewayConfig = JSON.stringify({ ...ready, caseReference: ready.cases[6] });
    const manager = (caseRef: string) =>
      requestHeaders(
        { userId: 'manager.bench', role: Role.MASH_MANAGER, team: ready.team },
        Purpose.AGENCY_CHECK,
        caseRef,
      );
    const body = (caseRef: string) => JSON.stringify({ query: agencyCheckQuery(caseRef) });

    // The scale row: the check at concurrency 8, each agency's demographic match, queries per household size.
    await verify(fullUrl, body(ready.cases[6]), await manager(ready.cases[6]), 6);
    console.log(`agency check at concurrency 8 (load average ${loadAverage()[0]})…`);
    const loadStartedAt = Date.now();
    const check = await runLoad({
      url: fullUrl,
      body: body(ready.cases[6]),
      headers: await manager(ready.cases[6]),
      concurrency: 8,
      durationSeconds: options.durationSeconds,
    });
    const match = await timeDemographicMatches(ready, key, options.sequentialRuns);
    const queriesPerRequest: ScaleRow['queriesPerRequest'] = {};
    const agenciesThatFound: ScaleRow['agenciesThatFound'] = {};
    for (const [size, caseRef] of Object.entries(ready.cases)) {
      agenciesThatFound[Number(size)] = await verify(
        fullUrl,
        body(caseRef),
        await manager(caseRef),
        Number(size),
      );
      if (!ready.controlUrl) continue;
      const before = await statementCounts(ready.controlUrl);
      const repeats = 3;
      for (let i = 0; i < repeats; i++)
        await verify(fullUrl, body(caseRef), await manager(caseRef), Number(size));
      const after = await statementCounts(ready.controlUrl);
      queriesPerRequest[Number(size)] = Object.fromEntries(
        Object.keys(after).map((name) => [name, round((after[name] - before[name]) / repeats)]),
      );
    }

    const chronology = await measureChronologyPage(
      fullUrl,
      await manager(ready.cases[6]),
      ready.controlUrl,
      options.durationSeconds,
    );

    if (withLayers) {
      const runtime = options.results.options.runtime;
      const bare = host('bare', 'bench/gatewayHost.ts', ['bare'], runtime, {
        BENCH_CONFIG: gatewayConfig,
      });
      const hive = host('hive', 'bench/gatewayHost.ts', ['hive'], runtime, {
        BENCH_CONFIG: gatewayConfig,
      });
      started.push(bare, hive);
      const gateways: Record<Target, Host> = { full, bare, hive };
      const urls: Record<Target, string> = {
        full: fullUrl,
        bare: JSON.parse(await bare.waitFor('BENCH_READY', 120_000)).url,
        hive: JSON.parse(await hive.waitFor('BENCH_READY', 120_000)).url,
      };
      const caseRef = ready.cases[6];
      const access = await managerAccess(mashUrl, key, caseRef, ready.team);
      // The bare and Hive gateways sign each fetch's access context themselves, as the full one does.
      const headersFor = async (target: Target): Promise<Record<string, string>> =>
        target === 'full' ? manager(caseRef) : {};

      // The subgraph requests of the plan, as the bare gateway sent them, timed directly.
      await verify(urls.bare, body(caseRef), {}, 6);
      const plan = JSON.parse(await bare.waitFor('BENCH_CAPTURE', 10_000)) as {
        name: string;
        query: string;
        variables: unknown;
      }[];
      const subgraphTimes: Layers['subgraphs'] = [];
      for (const fetch of plan) {
        const url = ready.subgraphs.find((s) => s.name === fetch.name)!.url;
        const operation = {
          query: fetch.query,
          variables: fetch.variables as Record<string, unknown>,
        };
        const payload = JSON.stringify(operation);
        // A context is good for one fetch: each run signs its own, as the gateway does.
        const timing = await timeSequential(async () => {
          await post(url, payload, await signedFor(access, key, fetch.name, operation));
        }, options.sequentialRuns);
        subgraphTimes.push({ name: fetch.name, medianMs: timing.medianMs });
      }
      // The hub's fetch comes first; the agencies' fetches then run side by side.
      const criticalPathMs = round(
        subgraphTimes.filter((s) => s.name === 'mash').reduce((t, s) => t + s.medianMs, 0) +
          Math.max(0, ...subgraphTimes.filter((s) => s.name !== 'mash').map((s) => s.medianMs)),
      );

      const processes: Record<string, Host> = { ...layout.subgraphProcesses, ...gateways };
      // The processes a check reaches: the subgraphs of its plan (the audit subgraph, IG's view of
      // the trail, is not one of them: the gateway writes its audit store directly).
      const servingSubgraphs = Object.fromEntries(
        Object.entries(layout.subgraphProcesses).filter(
          ([name]) => name === 'subgraphs' || plan.some((f) => f.name === name),
        ),
      );
      const idle = Object.fromEntries(
        Object.entries(processes).map(([n, h]) => [n, idleAtStart[n] ?? residentMegabytes(h.pid)]),
      );
      const peak: Record<string, number> = { ...idle };
      const runs: Layers['runs'] = [];
      for (const c of options.concurrency) {
        for (const target of TARGETS) {
          await verify(urls[target], body(caseRef), await headersFor(target), 6);
          const load = loadAverage()[0];
          console.log(`${target} gateway at concurrency ${c} (load average ${load})…`);
          const serving: Record<string, Host> = { gateway: gateways[target], ...servingSubgraphs };
          const cpuBefore = await cpuCounters(serving, layout);
          const watch = watchMemory(processes, peak);
          const result = await runLoad({
            url: urls[target],
            body: body(caseRef),
            headers: await headersFor(target),
            concurrency: c,
            durationSeconds: options.durationSeconds,
          });
          clearInterval(watch);
          // Requests still in flight when the run stopped are served all the same: count them, once
          // every process has gone quiet.
          const cpuAfter = await settledCpuCounters(serving, layout);
          const cpuMsPerCheck = cpuPerCheck(cpuBefore, cpuAfter, result.sent);
          runs.push({ target, ...result, loadAverage: load, cpuMsPerCheck });
        }
      }
      // Embedded, every subgraph shares one process, so the agencies' "parallel" fetches queue on
      // one thread: the sum of all is what that layout can do at best.
      const serialSumMs = round(subgraphTimes.reduce((t, s) => t + s.medianMs, 0));
      options.results.layers = {
        people,
        subgraphs: subgraphTimes,
        criticalPathMs,
        serialSumMs,
        runs,
      };
      options.results.memory = Object.fromEntries(
        Object.keys(processes).map((n) => [n, { idleMb: idle[n], underLoadMb: peak[n] }]),
      );
    }
    if (options.profileDir)
      for (const h of [full, ...Object.values(layout.subgraphProcesses)].filter((h) => h.profiled))
        console.log(
          `CPU profile: ${path.relative(process.cwd(), path.join(options.profileDir, `${h.label}.cpuprofile`))} (written as it stops); the load began ${round((loadStartedAt - h.spawnedAt) / 1000)} s after it started: npm run profile:summary -- ${path.relative(process.cwd(), path.join(options.profileDir, `${h.label}.cpuprofile`))} --skip ${Math.floor((loadStartedAt - h.spawnedAt) / 1000)}`,
        );
    return {
      people,
      families,
      peoplePerAgency: ready.peoplePerAgency,
      seededSeconds: ready.seededSeconds,
      check,
      match,
      queriesPerRequest,
      agenciesThatFound,
      chronology,
    };
  } finally {
    // Gateways first, so nothing new reaches the subgraphs while they stop.
    for (const h of [...started].reverse()) await h.stop();
    for (const step of cleanUp) await step();
  }
}

/** The embedded layout: every subgraph in one process on the embedded database (or --postgres). */
async function startEmbedded(
  families: number,
  options: SizeOptions,
  started: Host[],
): Promise<RunningLayout> {
  const { runtime, database } = options.results.options;
  const prefix = `mashbench_${process.pid}`;
  const agencies = host(
    'subgraphs',
    'bench/subgraphHost.ts',
    [],
    runtime,
    {
      BENCH_FAMILIES: String(families),
      ...(database === 'postgres'
        ? { BENCH_POSTGRES_URL: process.env.MASH_POSTGRES_URL!, BENCH_DATABASE_PREFIX: prefix }
        : {}),
    },
    options.profileDir,
  );
  started.push(agencies);
  console.log(`seeding ${families.toLocaleString('en-GB')} families…`);
  const ready = JSON.parse(await agencies.waitFor('BENCH_READY', 30 * 60_000)) as AgenciesReady;
  const full = host(
    'full',
    'bench/gatewayHost.ts',
    ['full'],
    runtime,
    { BENCH_CONFIG: JSON.stringify({ ...ready, caseReference: ready.cases[6] }) },
    options.profileDir,
  );
  started.push(full);
  const fullUrl = JSON.parse(await full.waitFor('BENCH_READY', 120_000)).url as string;
  return {
    ready,
    full,
    fullUrl,
    subgraphProcesses: { subgraphs: agencies },
    databaseBackends: () =>
      database === 'postgres'
        ? postgresBackends(process.env.MASH_POSTGRES_URL!, prefix)
        : Promise.resolve([]),
  };
}

/** The agency profiled (with the gateway) under --profile. */
const PROFILED_AGENCY = 'police';

/**
 * The distributed layout, as `npm run start:distributed` runs it: each subgraph a service of its
 * own (`service/main.ts <name>`) on its own PostgreSQL database, created, migrated and seeded
 * here (and dropped afterwards); the mash-gateway service in front, auditing to PostgreSQL.
 */
async function startDistributed(
  families: number,
  options: SizeOptions,
  started: Host[],
  cleanUp: (() => Promise<void>)[],
): Promise<RunningLayout> {
  const serverUrl = process.env.MASH_POSTGRES_URL!;
  const runtime = options.results.options.runtime;
  const prefix = `mashbench_${process.pid}`;
  cleanUp.push(async () => {
    for (const s of SUBGRAPHS) await dropDatabase(serverUrl, databaseNameFor(s.name, prefix));
  });
  console.log(`seeding ${families.toLocaleString('en-GB')} families into PostgreSQL…`);
  const seedingStarted = Date.now();
  const databases = await setUpDatabases(serverUrl, {
    prefix,
    families,
    seed: BENCH_SEED,
    log: (line) => console.log(`  ${line}`),
  });
  const seededSeconds = round((Date.now() - seedingStarted) / 1000);
  const peoplePerAgency = await countPeople(databases);

  // Every subgraph's pool and the mash-gateway's audit store's, within the server's connections.
  const poolSize = String(await sharedPoolSize(serverUrl, SUBGRAPHS.length + 1));
  const keys = await generateKeyPair('ES256', { extractable: true });
  const subgraphProcesses: Record<string, Host> = {};
  for (const definition of SUBGRAPHS) {
    const service = host(
      definition.name,
      'service/main.ts',
      [definition.name],
      runtime,
      {
        DATABASE_URL: databases[definition.name],
        DATABASE_POOL_SIZE: poolSize,
        ACCESS_SIGNING_PUBLIC_KEY: await exportSPKI(keys.publicKey),
        PORT: '0',
        HOST: '127.0.0.1',
      },
      definition.name === PROFILED_AGENCY ? options.profileDir : null,
    );
    started.push(service);
    subgraphProcesses[definition.name] = service;
  }
  const subgraphs = await Promise.all(
    SUBGRAPHS.map(async ({ name }) => ({
      name,
      url: readyUrl(await subgraphProcesses[name].waitFor(`[${name}] ready at`, 120_000)),
    })),
  );
  const full = host(
    'full',
    'service/main.ts',
    ['gateway'],
    runtime,
    {
      SUBGRAPH_URLS: subgraphs.map((s) => `${s.name}=${s.url}`).join(','),
      AUDIT_DATABASE_URL: databases.audit,
      DATABASE_POOL_SIZE: poolSize,
      ACCESS_SIGNING_PRIVATE_KEY: await exportPKCS8(keys.privateKey),
      DEVELOPMENT_AUTHENTICATION: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
    },
    options.profileDir,
  );
  started.push(full);
  const fullUrl = readyUrl(await full.waitFor('[gateway] ready at', 120_000));
  const population = generatePopulation({ seed: BENCH_SEED, families });
  const cases = await openBenchCases(fullUrl, population);
  return {
    ready: {
      subgraphs,
      accessSigningKeyPem: await exportPKCS8(keys.privateKey),
      cases,
      team: BENCH_TEAM,
      peoplePerAgency,
      seededSeconds,
      controlUrl: null,
    },
    full,
    fullUrl,
    subgraphProcesses,
    databaseBackends: () => postgresBackends(serverUrl, prefix),
  };
}

/** The URL in a service's `ready at <url> in …` line, on the loopback address it listens on. */
function readyUrl(rest: string): string {
  return rest.split(' ')[0].replace('//localhost:', '//127.0.0.1:');
}

/** People in each agency's person index (the table its demographic match searches). */
async function countPeople(databases: Record<string, string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const agency of Object.values(AGENCY_FIELDS)) {
    const definition = SUBGRAPHS.find((s) => s.name === agency)!;
    const { dataSource } = dataSourceFor(databases[agency], definition);
    await dataSource.initialize();
    try {
      const personIndex = dataSource.entityMetadatas.find((m) =>
        m.columns.some((c) => c.propertyName === 'nhsNumber'),
      )!;
      counts[agency] = await dataSource.getRepository(personIndex.target).count();
    } finally {
      await dataSource.destroy();
    }
  }
  return counts;
}

/** The server processes (backends) connected to the databases named `<prefix>_…`. */
async function postgresBackends(serverUrl: string, prefix: string): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname LIKE $1 || '\\_%'",
      [prefix],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

/** Each serving process's CPU ms so far, and each database backend's, by its pid. */
interface CpuCounters {
  processes: Record<string, number>;
  backends: Map<number, number>;
}

async function cpuCounters(
  serving: Record<string, Host>,
  layout: RunningLayout,
): Promise<CpuCounters> {
  const processes = Object.fromEntries(
    Object.entries(serving).map(([name, h]) => [name, cpuMilliseconds(h.pid)]),
  );
  const backends = new Map(
    (await layout.databaseBackends())
      .map((pid) => [pid, cpuMilliseconds(pid)] as const)
      // Not shown by /proc: a server on another host, or a backend that has just closed.
      .filter(([, ms]) => !Number.isNaN(ms)),
  );
  return { processes, backends };
}

/**
 * CPU ms per check for each process across a run, from the counters before and after it.
 * `postgres`: every backend seen after the run (pools open and close connections: one that opened
 * during the run counts from zero).
 */
function cpuPerCheck(
  before: CpuCounters,
  after: CpuCounters,
  requests: number,
): Record<string, number> {
  const perCheck = Object.fromEntries(
    Object.entries(after.processes).map(([name, ms]) => [
      name,
      round((ms - before.processes[name]) / requests),
    ]),
  );
  if (after.backends.size > 0) {
    let backends = 0;
    for (const [pid, ms] of after.backends) backends += ms - (before.backends.get(pid) ?? 0);
    perCheck.postgres = round(backends / requests);
  }
  return perCheck;
}

/**
 * The counters once every process has finished the requests still in flight: read again until
 * nothing moves for half a second (10 s at most).
 */
async function settledCpuCounters(
  serving: Record<string, Host>,
  layout: RunningLayout,
): Promise<CpuCounters> {
  const total = (c: CpuCounters) => Object.values(c.processes).reduce((a, b) => a + b, 0);
  let last = await cpuCounters(serving, layout);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await cpuCounters(serving, layout);
    const settled = total(now) === total(last);
    last = now;
    if (settled) break;
  }
  return last;
}

function loadAverage(): number[] {
  return os.loadavg().map((l) => round(l));
}

const BENCH_SEED = 20261123;

/**
 * One subject's match and records at each agency, asked directly, as the gateway would ask it: the
 * first subject of the household of 6 that the agency finds (so its records are loaded too).
 */
async function timeDemographicMatches(
  ready: {
    subgraphs: { name: string; url: string }[];
    cases: Record<number, string>;
    team: string;
  },
  key: KeyLike,
  runs: number,
): Promise<ScaleRow['match']> {
  const mashUrl = ready.subgraphs.find((s) => s.name === 'mash')!.url;
  const caseRef = ready.cases[6];
  const access = await managerAccess(mashUrl, key, caseRef, ready.team);
  const subjectsQuery = {
    query: `{ caseByReference(reference: "${caseRef}") { subjects { id givenName familyName dateOfBirth sex postcode nhsNumber } } }`,
  };
  const subjects = (
    (await post(
      mashUrl,
      JSON.stringify(subjectsQuery),
      await signedFor(access, key, 'mash', subjectsQuery),
    )) as { data: { caseByReference: { subjects: Record<string, unknown>[] } } }
  ).data.caseByReference.subjects;
  const timings: ScaleRow['match'] = {};
  for (const { name, policy } of AGENCIES) {
    const url = ready.subgraphs.find((s) => s.name === name)!.url;
    const matchOf = (subject: Record<string, unknown>) => ({
      query: `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { ${policy.checkField} { status match { confidence basis } ${policy.exampleFields} } } } }`,
      variables: { r: [{ __typename: 'Subject', ...subject }] },
    });
    const ask = async (operation: ReturnType<typeof matchOf>) => {
      const header = await signedFor(access, key, name, operation);
      const answer = (await post(url, JSON.stringify(operation), header)) as {
        data?: { _entities: Record<string, { status?: string } | null>[] };
        errors?: { extensions?: { rule?: string } }[];
      };
      // A policy's own denial (a possible match shares no records) is an answer; anything else fails.
      const failures = answer.errors?.filter((e) => !e.extensions?.rule) ?? [];
      if (failures.length)
        throw new Error(`The ${name} match failed: ${JSON.stringify(answer.errors)}`);
      return answer.data?._entities[0]?.[policy.checkField]?.status;
    };
    let found = subjects[0];
    for (const subject of subjects) {
      if ((await ask(matchOf(subject))) !== 'FOUND') continue;
      found = subject;
      break;
    }
    const operation = matchOf(found);
    timings[name] = await timeSequential(async () => {
      await ask(operation);
    }, runs);
  }
  return timings;
}

/** The header of one fetch to one subgraph, signed as the gateway signs it: good for that fetch only. */
async function signedFor(
  access: AccessContext,
  key: KeyLike,
  subgraph: string,
  operation: SubgraphOperation,
): Promise<Record<string, string>> {
  const signed = await signForwardedAccess({ kind: 'request', access }, key, {
    subgraph,
    operation,
    requestId: `bench-${randomUUID()}`,
  });
  return { [ACCESS_CONTEXT_HEADER]: signed };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return response.json();
}

/**
 * One request, checked: the whole household back, every agency answering, and no error but a
 * field the policies withheld (the full gateway withholds e.g. clinical detail from this purpose).
 */
/**
 * The household of 6's chronology page: checked once, its statements counted over three requests,
 * then driven one request at a time (a case system pulling pages) for its latency.
 */
async function measureChronologyPage(
  url: string,
  headers: Record<string, string>,
  controlUrl: string | null,
  durationSeconds: number,
): Promise<ScaleRow['chronology']> {
  const caseReference = headers[CASE_HEADER];
  const body = chronologyPageBody(caseReference);
  const { events, total } = checkChronologyPage(await post(url, body, headers));
  let statementsPerRequest: Record<string, number> | null = null;
  if (controlUrl) {
    const before = await statementCounts(controlUrl);
    const repeats = 3;
    for (let i = 0; i < repeats; i++) checkChronologyPage(await post(url, body, headers));
    const after = await statementCounts(controlUrl);
    statementsPerRequest = Object.fromEntries(
      Object.keys(after).map((name) => [name, round((after[name] - before[name]) / repeats)]),
    );
  }
  console.log(`chronology page of ${events} events (household total ${total})…`);
  const page = await runLoad({ url, body, headers, concurrency: 1, durationSeconds });
  return { events, totalEvents: total, page, statementsPerRequest };
}

async function verify(
  url: string,
  body: string,
  headers: Record<string, string>,
  household: number,
): Promise<string[]> {
  const answer = (await post(url, body, headers)) as {
    data?: { caseByReference?: { subjects: Record<string, { status: string } | unknown>[] } };
    errors?: { extensions?: { rule?: string; code?: string } }[];
  };
  const subjects = answer.data?.caseByReference?.subjects ?? [];
  const status = (s: Record<string, unknown>, field: string) =>
    (s[field] as { status?: string } | null)?.status;
  const statuses = subjects.flatMap((s) => Object.keys(AGENCY_FIELDS).map((f) => status(s, f)));
  // Policy denials name their rule; past the gateway's bound, one TOO_MANY_DENIALS counts the rest.
  const unexpected = (answer.errors ?? []).filter(
    (e) => !e.extensions?.rule && e.extensions?.code !== 'TOO_MANY_DENIALS',
  );
  if (
    unexpected.length ||
    subjects.length !== household ||
    statuses.some((s) => !['FOUND', 'NONE_FOUND'].includes(s ?? ''))
  )
    throw new Error(
      `${url} did not answer the agency check properly (household ${subjects.length} of ${household}; statuses ${[...new Set(statuses)].join(', ')}; ${unexpected.length} unexpected errors): ${JSON.stringify(unexpected.length ? unexpected : answer).slice(0, 500)}`,
    );
  return Object.entries(AGENCY_FIELDS)
    .filter(([field]) => subjects.some((s) => status(s, field) === 'FOUND'))
    .map(([, agency]) => agency);
}

async function statementCounts(controlUrl: string): Promise<Record<string, number>> {
  return (await (await fetch(controlUrl)).json()) as Record<string, number>;
}

interface Host {
  pid: number;
  label: string;
  /** When it was started (ms since the epoch): where its CPU profile's clock begins, near enough. */
  spawnedAt: number;
  /** Node writes its CPU profile as it exits. */
  profiled: boolean;
  waitFor(prefix: string, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A process of the benchmark (`source`: its TypeScript entry file, run compiled or not as
 * `runtime` says), whose output lines the driver waits for. With `profileDir`, Node writes its CPU
 * profile there (`<label>.cpuprofile`) when it exits.
 */
function host(
  label: string,
  source: string,
  args: string[],
  runtime: Runtime,
  env: Record<string, string>,
  profileDir: string | null = null,
): Host {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // The embedded subgraphs of the largest populations need more heap than Node's default.
      ...(label === 'subgraphs' ? ['--max-old-space-size=16384'] : []),
      ...(profileDir
        ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}.cpuprofile`]
        : []),
      ...nodeEntry(source, runtime),
      ...args,
    ],
    {
      // The driver reads the services' `ready at` log lines: info level even under jest (silent).
      env: { ...process.env, LOG_LEVEL: 'info', ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const spawnedAt = Date.now();
  // Only the lines a driver may wait for are kept: a service logs a line per read it answers.
  const lines: string[] = [];
  const waiting: { prefix: string; resolve: (payload: string) => void }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete.map(asText)) {
      if (!line.includes(' read answered')) lines.push(line);
      for (const w of waiting.filter((w) => line.startsWith(`${w.prefix} `))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line.slice(w.prefix.length + 1));
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    label,
    spawnedAt,
    profiled: profileDir !== null,
    waitFor(prefix, timeoutMs) {
      const seen = lines.find((l) => l.startsWith(`${prefix} `));
      if (seen) return Promise.resolve(seen.slice(prefix.length + 1));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${label}: no ${prefix} within ${timeoutMs / 1000} s`)),
          timeoutMs,
        );
        void exited.then(() => reject(new Error(`${label} exited before ${prefix}`)));
        waiting.push({ prefix, resolve: (payload) => (clearTimeout(timer), resolve(payload)) });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/**
 * A service's structured log line (service/logger.ts: JSON with `service` and `msg`) as the
 * driver reads it, `[<service>] <msg>`; any other output line as it is.
 */
function asText(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as { service?: unknown; msg?: unknown };
    return typeof entry.service === 'string' && typeof entry.msg === 'string'
      ? `[${entry.service}] ${entry.msg}`
      : line;
  } catch {
    return line;
  }
}

/** Samples each process's resident memory while a load runs, keeping the highest. */
function watchMemory(
  processes: Record<string, Host>,
  peak: Record<string, number>,
): NodeJS.Timeout {
  return setInterval(() => {
    for (const [name, h] of Object.entries(processes))
      peak[name] = Math.max(peak[name], residentMegabytes(h.pid));
  }, 250);
}

/** People per family in the generator, so a size in people becomes a number of families. */
function averageHousehold(): number {
  const sample = generatePopulation({ seed: 20261123, families: 1000 });
  return sample.reduce((n, f) => n + f.members.length, 0) / sample.length;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
