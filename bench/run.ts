import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { importPKCS8, KeyLike } from 'jose';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { Purpose, Role } from '../policies/roles';
import { AGENCY_CHECK_FIELDS as AGENCY_FIELDS } from '../policies/tiers';
import {
  ACCESS_CONTEXT_HEADER,
  signForwardedAccess,
  SubgraphOperation,
} from '../schema/forwardedAccess';
import type { AccessContext } from '../policies/accessContext';
import { generatePopulation } from '../synthetic/population';
import { requestHeaders } from '../test/graphqlClient';
import { LoadResult, round, runLoad, timeSequential } from './load';
import { residentMegabytes } from '../service/residentMemory';
import { managerAccess } from './managerAccess';
import { markdownReport } from './report';

/**
 * `npm run bench`: what the gateway costs and how it scales, measured the same way every time.
 * Starts the agencies' subgraphs on the embedded database with a generated population (its own
 * process), and each gateway under test in its own process; drives them with autocannon; writes
 * `bench/results/latest.json` and `latest.md` and compares with the run before.
 *
 *   --people 10000,100000   people in the synthetic population, one run per size
 *   --large                 adds 1,000,000 (minutes to seed, several GB)
 *   --duration 5            seconds per load run
 *   --concurrency 1,8,32    requests in flight
 *   --out bench/results     where the results go
 *   --postgres              the subgraphs on PostgreSQL (MASH_POSTGRES_URL), not the embedded database
 *   --quick                 a tiny run that only shows the benchmark works (the test suite's)
 */
const QUICK = { people: '600', duration: '1', concurrency: '1,4' };

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string };
  options: {
    people: number[];
    durationSeconds: number;
    concurrency: number[];
    database: 'embedded' | 'postgres';
  };
  sizes: ScaleRow[];
  layers: Layers | null;
  memory: Record<string, { idleMb: number; underLoadMb: number }> | null;
}

export interface ScaleRow {
  people: number;
  families: number;
  peoplePerAgency: Record<string, number>;
  seededSeconds: number;
  /** The agency-check query for a household of 6 through the full gateway, at concurrency 8. */
  check: LoadResult;
  /** One subject's demographic match and records at one agency (police), asked directly. */
  match: { medianMs: number; p95Ms: number };
  /** Database statements per request in each subgraph, by household size. */
  queriesPerRequest: Record<number, Record<string, number>>;
  /** The agencies that found someone in each household (they then load records as well). */
  agenciesThatFound: Record<number, string[]>;
}

export interface Layers {
  people: number;
  /** Each subgraph request of the plan, timed directly (sequential), and the critical path. */
  subgraphs: { name: string; medianMs: number }[];
  criticalPathMs: number;
  /** Every subgraph request one after another: the floor when all subgraphs share one process. */
  serialSumMs: number;
  runs: (LoadResult & { target: Target })[];
}

export type Target = 'bare' | 'full' | 'hive';
const TARGETS: Target[] = ['bare', 'full', 'hive'];

async function main() {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '10000,100000' },
      large: { type: 'boolean', default: false },
      duration: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '1,8,32' },
      out: { type: 'string', default: path.join('bench', 'results') },
      quick: { type: 'boolean', default: false },
      postgres: { type: 'boolean', default: false },
    },
  });
  if (values.postgres && !process.env.MASH_POSTGRES_URL)
    throw new Error(
      '--postgres needs MASH_POSTGRES_URL (bash scripts/postgres.sh starts a server).',
    );
  const settings = values.quick ? { ...values, ...QUICK } : values;
  const people = [
    ...settings.people.split(',').map(Number),
    ...(values.large ? [1_000_000] : []),
  ].sort((a, b) => a - b);
  const durationSeconds = Number(settings.duration);
  const concurrency = settings.concurrency.split(',').map(Number);
  if ([...people, durationSeconds, ...concurrency].some((n) => !(n > 0)))
    throw new Error('--people, --duration and --concurrency take positive numbers.');

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
      database: values.postgres ? 'postgres' : 'embedded',
    },
    sizes: [],
    layers: null,
    memory: null,
  };
  const perFamily = averageHousehold();
  for (const size of people) {
    const isLast = size === people[people.length - 1];
    console.log(`\n== ${size.toLocaleString('en-GB')} people ==`);
    results.sizes.push(
      await measureSize(size, Math.ceil(size / perFamily), isLast, {
        durationSeconds,
        concurrency,
        results,
        sequentialRuns: values.quick ? 20 : 200,
      }),
    );
  }

  mkdirSync(values.out, { recursive: true });
  const jsonFile = path.join(values.out, 'latest.json');
  const previous = existsSync(jsonFile)
    ? (JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchResults)
    : null;
  if (previous)
    writeFileSync(path.join(values.out, 'previous.json'), JSON.stringify(previous, null, 2));
  const markdown = markdownReport(results, previous);
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(values.out, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written: ${jsonFile} and latest.md in ${values.out}.`);
}

async function measureSize(
  people: number,
  families: number,
  withLayers: boolean,
  options: {
    durationSeconds: number;
    concurrency: number[];
    results: BenchResults;
    sequentialRuns: number;
  },
): Promise<ScaleRow> {
  const agencies = host('subgraphs', 'subgraphHost.ts', [], {
    BENCH_FAMILIES: String(families),
    ...(options.results.options.database === 'postgres'
      ? { BENCH_POSTGRES_URL: process.env.MASH_POSTGRES_URL! }
      : {}),
  });
  const started: Host[] = [agencies];
  try {
    console.log(`seeding ${families.toLocaleString('en-GB')} families…`);
    const ready = JSON.parse(await agencies.waitFor('BENCH_READY', 30 * 60_000)) as {
      subgraphs: { name: string; url: string }[];
      accessSigningKeyPem: string;
      cases: Record<number, string>;
      team: string;
      peoplePerAgency: Record<string, number>;
      seededSeconds: number;
      controlUrl: string;
    };
    const key = await importPKCS8(ready.accessSigningKeyPem, 'ES256');
    const mashUrl = ready.subgraphs.find((s) => s.name === 'mash')!.url;
    const gatewayConfig = JSON.stringify({ ...ready, caseReference: ready.cases[6] });
    const full = host('full', 'gatewayHost.ts', ['full'], { BENCH_CONFIG: gatewayConfig });
    started.push(full);
    const fullUrl = JSON.parse(await full.waitFor('BENCH_READY', 120_000)).url as string;
    const manager = (caseRef: string) =>
      requestHeaders(
        { userId: 'manager.bench', role: Role.MASH_MANAGER, team: ready.team },
        Purpose.AGENCY_CHECK,
        caseRef,
      );
    const body = (caseRef: string) => JSON.stringify({ query: agencyCheckQuery(caseRef) });

    // The scale row: the check at concurrency 8, one demographic match, queries per household size.
    await verify(fullUrl, body(ready.cases[6]), await manager(ready.cases[6]), 6);
    console.log('agency check at concurrency 8…');
    const check = await runLoad({
      url: fullUrl,
      body: body(ready.cases[6]),
      headers: await manager(ready.cases[6]),
      concurrency: 8,
      durationSeconds: options.durationSeconds,
    });
    const match = await timeDemographicMatch(ready, key, options.sequentialRuns);
    const queriesPerRequest: ScaleRow['queriesPerRequest'] = {};
    const agenciesThatFound: ScaleRow['agenciesThatFound'] = {};
    for (const [size, caseRef] of Object.entries(ready.cases)) {
      agenciesThatFound[Number(size)] = await verify(
        fullUrl,
        body(caseRef),
        await manager(caseRef),
        Number(size),
      );
      const before = await statementCounts(ready.controlUrl);
      const repeats = 3;
      for (let i = 0; i < repeats; i++)
        await verify(fullUrl, body(caseRef), await manager(caseRef), Number(size));
      const after = await statementCounts(ready.controlUrl);
      queriesPerRequest[Number(size)] = Object.fromEntries(
        Object.keys(after).map((name) => [name, round((after[name] - before[name]) / repeats)]),
      );
    }

    if (withLayers) {
      const bare = host('bare', 'gatewayHost.ts', ['bare'], { BENCH_CONFIG: gatewayConfig });
      const hive = host('hive', 'gatewayHost.ts', ['hive'], { BENCH_CONFIG: gatewayConfig });
      started.push(bare, hive);
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

      const processes: Record<string, Host> = { subgraphs: agencies, full, bare, hive };
      const idle = Object.fromEntries(
        Object.entries(processes).map(([n, h]) => [n, residentMegabytes(h.pid)]),
      );
      const peak: Record<string, number> = { ...idle };
      const runs: Layers['runs'] = [];
      for (const c of options.concurrency) {
        for (const target of TARGETS) {
          await verify(urls[target], body(caseRef), await headersFor(target), 6);
          console.log(`${target} gateway at concurrency ${c}…`);
          const watch = watchMemory(processes, peak);
          const result = await runLoad({
            url: urls[target],
            body: body(caseRef),
            headers: await headersFor(target),
            concurrency: c,
            durationSeconds: options.durationSeconds,
          });
          clearInterval(watch);
          runs.push({ target, ...result });
        }
      }
      // Here every subgraph shares one process, so the agencies' "parallel" fetches queue on one
      // thread: the sum of all is what this topology can do at best.
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
    return {
      people,
      families,
      peoplePerAgency: ready.peoplePerAgency,
      seededSeconds: ready.seededSeconds,
      check,
      match,
      queriesPerRequest,
      agenciesThatFound,
    };
  } finally {
    await Promise.all(started.map((h) => h.stop()));
  }
}

/** One subject's match at the police, asked directly, as the gateway would ask it. */
async function timeDemographicMatch(
  ready: {
    subgraphs: { name: string; url: string }[];
    cases: Record<number, string>;
    team: string;
  },
  key: KeyLike,
  runs: number,
) {
  const mashUrl = ready.subgraphs.find((s) => s.name === 'mash')!.url;
  const policeUrl = ready.subgraphs.find((s) => s.name === 'police')!.url;
  const caseRef = ready.cases[1];
  const access = await managerAccess(mashUrl, key, caseRef, ready.team);
  const subjects = {
    query: `{ caseByReference(reference: "${caseRef}") { subjects { id givenName familyName dateOfBirth sex postcode nhsNumber } } }`,
  };
  const subject = (
    (await post(
      mashUrl,
      JSON.stringify(subjects),
      await signedFor(access, key, 'mash', subjects),
    )) as { data: { caseByReference: { subjects: Record<string, unknown>[] } } }
  ).data.caseByReference.subjects[0];
  const match = {
    query:
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { police { status match { confidence basis } incidents { type occurredAt } arrests { offence } } } } }',
    variables: { r: [{ __typename: 'Subject', ...subject }] },
  };
  const payload = JSON.stringify(match);
  return timeSequential(async () => {
    const header = await signedFor(access, key, 'police', match);
    const answer = (await post(policeUrl, payload, header)) as {
      errors?: { extensions?: { rule?: string } }[];
    };
    // A policy's own denial (a possible match shares no records) is an answer; anything else fails.
    const failures = answer.errors?.filter((e) => !e.extensions?.rule) ?? [];
    if (failures.length)
      throw new Error(`The police match failed: ${JSON.stringify(answer.errors)}`);
  }, runs);
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
  waitFor(prefix: string, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/** A benchmark process (`bench/<script>`), whose tagged output lines the driver waits for. */
function host(label: string, script: string, args: string[], env: Record<string, string>): Host {
  const child: ChildProcess = spawn(
    process.execPath,
    // The largest populations need more heap than Node's default (about 4 GB).
    ['--max-old-space-size=16384', '-r', '@swc-node/register', path.join('bench', script), ...args],
    { env: { ...process.env, ...env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  const waiting: { prefix: string; resolve: (payload: string) => void }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
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
