import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchResults } from '../run';

/**
 * The benchmark runs, end to end, at a size CI can afford (`--quick`): every section is measured
 * and written. Its figures are not judged here: timing belongs to `npm run bench`, not to tests.
 */
test('npm run bench -- --quick measures every section and writes JSON and Markdown', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'mash-bench-'));
  try {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'bench/run.ts', '--quick', '--out', out],
      { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });

    const results = JSON.parse(readFileSync(path.join(out, 'latest.json'), 'utf8')) as BenchResults;
    const layers = results.layers!;
    expect(layers.runs.map((r) => `${r.target}@${r.concurrency}`).sort()).toEqual(
      ['bare@1', 'bare@4', 'full@1', 'full@4', 'hive@1', 'hive@4'].sort(),
    );
    for (const run of layers.runs) {
      expect(run.errors).toBe(0);
      expect(run.requests).toBeGreaterThan(0);
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.medianMs);
    }
    expect(layers.subgraphs.map((s) => s.name)).toContain('mash');
    expect(layers.criticalPathMs).toBeGreaterThan(0);
    const [size] = results.sizes;
    expect(Object.keys(size.queriesPerRequest)).toEqual(['1', '6', '20']);
    expect(size.queriesPerRequest[6].police).toBeGreaterThanOrEqual(1);
    expect(size.peoplePerAgency.police).toBeGreaterThan(0);
    // The chronology page: events on it, statements counted in the hub and an agency with events.
    expect(size.chronology.events).toBeGreaterThan(0);
    expect(size.chronology.page.errors).toBe(0);
    expect(size.chronology.statementsPerRequest!.mash).toBeGreaterThanOrEqual(1);
    expect(size.chronology.statementsPerRequest!.police).toBeGreaterThanOrEqual(1);
    expect(Object.keys(results.memory!)).toEqual(['subgraphs', 'full', 'bare', 'hive']);

    const markdown = readFileSync(path.join(out, 'latest.md'), 'utf8');
    for (const heading of [
      '## What each layer costs',
      '## Scale',
      '### A chronology page',
      '## Resident memory',
      '## Targets',
    ])
      expect(markdown).toContain(heading);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 180_000);
