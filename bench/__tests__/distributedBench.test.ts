import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { databaseUrl } from '../../database/postgres';
import { SUBGRAPHS } from '../../subgraphs';
import type { BenchResults } from '../run';

/**
 * `npm run bench -- --distributed` at a size CI can afford (`--quick`), as a fresh clone runs it:
 * built first (`npm run build`), then every process compiled, each subgraph its own process on its
 * own PostgreSQL database. Checks the report's shape and that every process's own CPU counters
 * moved under load; the figures themselves belong to the benchmark, not to a test. Runs in the
 * PostgreSQL suite (`npm run test:postgres`, which CI runs).
 */
const serverUrl = process.env.MASH_POSTGRES_URL;
const onPostgres = process.env.MASH_TEST_DATABASE === 'postgres' && serverUrl;
if (!onPostgres)
  console.log(
    'The distributed benchmark test is SKIPPED: it runs in the PostgreSQL suite (npm run test:postgres, with MASH_POSTGRES_URL set).',
  );
const REPO = path.resolve(__dirname, '..', '..');

(onPostgres ? test : test.skip)(
  'npm run bench -- --distributed --quick: latency, CPU per check and memory for every process',
  async () => {
    const build = spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: REPO,
        encoding: 'utf8',
      },
    );
    expect({ status: build.status, output: build.stdout + build.stderr }).toEqual({
      status: 0,
      output: '',
    });

    const out = mkdtempSync(path.join(tmpdir(), 'mash-bench-distributed-'));
    try {
      const child = spawn(
        process.execPath,
        ['dist/bench/run.js', '--distributed', '--quick', '--duration', '3', '--out', out],
        { cwd: REPO, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
      // The load average is printed with each figure: the machine is shared.
      expect(output).toMatch(/distributed layout \(load average [\d.]+ [\d.]+ [\d.]+\)/);

      const results = JSON.parse(
        readFileSync(path.join(out, 'latest.json'), 'utf8'),
      ) as BenchResults;
      expect(results.options).toMatchObject({
        layout: 'distributed',
        database: 'postgres',
        runtime: 'compiled',
      });
      expect(results.loadAverage.start).toHaveLength(3);
      expect(results.loadAverage.end).toHaveLength(3);

      const layers = results.layers!;
      expect(layers.runs.map((r) => `${r.target}@${r.concurrency}`).sort()).toEqual(
        ['bare@1', 'bare@4', 'full@1', 'full@4', 'hive@1', 'hive@4'].sort(),
      );
      const agencies = SUBGRAPHS.map((s) => s.name).filter((n) => n !== 'audit');
      for (const run of layers.runs) {
        expect(run.errors).toBe(0);
        expect(run.requests).toBeGreaterThan(0);
        expect(run.sent).toBeGreaterThanOrEqual(run.requests);
        expect(run.p99Ms).toBeGreaterThanOrEqual(run.p95Ms);
        expect(run.p95Ms).toBeGreaterThanOrEqual(run.medianMs);
        expect(run.requestsPerSecond).toBeGreaterThan(0);
        expect(run.loadAverage).toBeGreaterThanOrEqual(0);
        // The gateway under test and every subgraph the check reaches, each in its own process,
        // did work for it (the audit subgraph serves IG's queries, not checks).
        const processes = Object.keys(run.cpuMsPerCheck).filter((p) => p !== 'postgres');
        expect(processes.sort()).toEqual(['gateway', ...agencies].sort());
        for (const name of processes)
          expect({ [name]: run.cpuMsPerCheck[name] > 0 }).toEqual({ [name]: true });
      }
      expect(Object.keys(results.memory!).sort()).toEqual(
        [...SUBGRAPHS.map((s) => s.name), 'full', 'bare', 'hive'].sort(),
      );
      for (const [name, memory] of Object.entries(results.memory!)) {
        expect({ [name]: memory.idleMb > 20 }).toEqual({ [name]: true });
        expect(memory.underLoadMb).toBeGreaterThanOrEqual(memory.idleMb);
      }
      expect(layers.criticalPathMs).toBeGreaterThan(0);
      expect(results.sizes[0].peoplePerAgency.police).toBeGreaterThan(0);

      const markdown = readFileSync(path.join(out, 'latest.md'), 'utf8');
      for (const heading of [
        '## CPU ms per check, by process',
        '## What each layer costs',
        '## Resident memory',
        '## Targets',
      ])
        expect(markdown).toContain(heading);

      // Its databases (named after the benchmark's process) are gone afterwards.
      const client = new Client({ connectionString: databaseUrl(serverUrl!, 'postgres') });
      await client.connect();
      try {
        const { rows } = await client.query(
          "SELECT datname FROM pg_database WHERE datname LIKE 'mashbench\\_' || $1 || '\\_%'",
          [String(child.pid)],
        );
        expect(rows).toEqual([]);
      } finally {
        await client.end();
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  600_000,
);
