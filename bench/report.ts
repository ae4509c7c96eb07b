import type { BenchResults, LoadRun, Target } from './run';

const TARGET_NAMES: Record<Target, string> = {
  bare: 'bare Apollo gateway (no token, policies or audit)',
  full: 'mash-gateway (token, policies, audit)',
  hive: 'Hive Gateway, same supergraph (peer, no request merging)',
};

/** The results as Markdown tables, with the targets checked and the change since the last run. */
export function markdownReport(results: BenchResults, previous: BenchResults | null): string {
  const { machine, options } = results;
  const out: string[] = [
    `# mash-gateway benchmark, ${results.startedAt}`,
    '',
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}; ` +
      `load average ${results.loadAverage.start.join(' ')} at the start, ${results.loadAverage.end.join(' ')} at the end (1, 5, 15 min). ` +
      `${options.durationSeconds} s per load run (autocannon). ` +
      (options.layout === 'distributed'
        ? 'Distributed layout: every subgraph its own process on its own PostgreSQL database, the mash-gateway service auditing to PostgreSQL; '
        : `Embedded layout: the subgraphs in one process on ${options.database === 'postgres' ? 'PostgreSQL (a database each)' : 'the embedded database'}, the mash-gateway's audit store an embedded database in its process; `) +
      `every gateway in its own process; every process ${options.runtime === 'compiled' ? 'compiled (dist/)' : 'through the run-time compiler (@swc-node/register)'}.`,
    '',
  ];
  const layers = results.layers;
  if (layers) {
    out.push(
      `## The agency-check query for a household of 6, every agency (${layers.people.toLocaleString('en-GB')} people)`,
      '',
      '| gateway | concurrency | median ms | p95 ms | p99 ms | requests/s | errors | CPU ms per check, all processes | load average |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...layers.runs.map(
        (r) =>
          `| ${TARGET_NAMES[r.target]} | ${r.concurrency} | ${r.medianMs} | ${r.p95Ms} | ${r.p99Ms} | ${r.requestsPerSecond} | ${r.errors} | ${totalCpu(r)} | ${r.loadAverage} |`,
      ),
      '',
      '## CPU ms per check, by process',
      '',
      "From each process's own counters (user + system time in /proc/<pid>/stat) across the load run, divided by the requests sent. `postgres`: the server's backends serving the benchmark's databases. Comparable across machines as work done, unlike latency on a shared machine.",
      '',
      ...cpuTable(layers.runs),
      '',
      '## What each layer costs (medians)',
      '',
      `Subgraphs asked directly, one request at a time: ${layers.subgraphs.map((s) => `${s.name} ${s.medianMs} ms`).join(', ')}. ` +
        `Critical path (the hub, then the slowest agency, as with one process per agency): **${layers.criticalPathMs} ms**; ` +
        `all of them one after another (what one process holding every subgraph can do at best): **${layers.serialSumMs} ms**.`,
      '',
      'Hive Gateway by default merges identical subgraph requests in flight; the benchmark sends identical requests, which production (a signed access context per request) never does, so merging is off here.',
      '',
      '| concurrency | bare ÷ critical path | bare ÷ serial sum | mash-gateway ÷ bare | mash-gateway ÷ Hive Gateway | Hive ÷ bare |',
      '|---:|---:|---:|---:|---:|---:|',
      ...options.concurrency.map((c) => {
        const run = (t: Target) => layers.runs.find((r) => r.target === t && r.concurrency === c)!;
        return `| ${c} | ${c === 1 ? ratio(run('bare').medianMs, layers.criticalPathMs) : '—'} | ${c === 1 ? ratio(run('bare').medianMs, layers.serialSumMs) : '—'} | ${ratio(run('full').medianMs, run('bare').medianMs)} | ${ratio(run('full').medianMs, run('hive').medianMs)} | ${ratio(run('hive').medianMs, run('bare').medianMs)} |`;
      }),
      '',
    );
  }
  const matchAgencies = [...new Set(results.sizes.flatMap((s) => Object.keys(s.match)))];
  out.push(
    '## Scale',
    '',
    '| people | people per agency (police) | seeded in s | check at concurrency 8: median / p95 / p99 ms | requests/s |',
    '|---:|---:|---:|---:|---:|',
    ...results.sizes.map(
      (s) =>
        `| ${s.people.toLocaleString('en-GB')} | ${(s.peoplePerAgency.police ?? 0).toLocaleString('en-GB')} | ${s.seededSeconds} | ${s.check.medianMs} / ${s.check.p95Ms} / ${s.check.p99Ms} | ${s.check.requestsPerSecond} |`,
    ),
    '',
    '### One demographic match at each agency, asked directly (median / p95 ms)',
    '',
    `| people | ${matchAgencies.join(' | ')} |`,
    `|---:|${matchAgencies.map(() => '---:').join('|')}|`,
    ...results.sizes.map(
      (s) =>
        `| ${s.people.toLocaleString('en-GB')} | ${matchAgencies.map((a) => (s.match[a] ? `${s.match[a].medianMs} / ${s.match[a].p95Ms}` : '—')).join(' | ')} |`,
    ),
    '',
    'A subject of the household of 6 whom the agency finds (its records are loaded too), one request at a time; people per agency: ' +
      Object.entries(results.sizes[results.sizes.length - 1].peoplePerAgency)
        .map(([agency, n]) => `${agency} ${n.toLocaleString('en-GB')}`)
        .join(', ') +
      '.',
    '',
    '### Database statements per request, by household size',
    '',
  );
  const subgraphs = Object.keys(Object.values(results.sizes[0].queriesPerRequest)[0] ?? {});
  if (subgraphs.length === 0)
    out.push('Not counted in this layout (each subgraph is a process of its own).', '');
  else
    out.push(
      `| people | household | ${subgraphs.join(' | ')} |`,
      `|---:|---:|${subgraphs.map(() => '---:').join('|')}|`,
      ...results.sizes.flatMap((s) =>
        Object.entries(s.queriesPerRequest).map(
          ([household, counts]) =>
            `| ${s.people.toLocaleString('en-GB')} | ${household} | ${subgraphs.map((n) => `${counts[n]}${s.agenciesThatFound[Number(household)].includes(n) ? ' (found)' : ''}`).join(' | ')} |`,
        ),
      ),
      '',
      "(found): the agency found someone in the household and loaded their records too. The hub (mash) count includes the gateway reading the case's access facts; the full gateway's own audit store is in its own process and not counted here.",
      '',
    );
  out.push(
    '### A chronology page (household of 6, 50 events a page)',
    '',
    '| people | events on the page (household) | one at a time: median / p95 / p99 ms | requests/s | database statements per request |',
    '|---:|---:|---:|---:|---|',
    ...results.sizes.map(({ people, chronology: c }) =>
      c
        ? `| ${people.toLocaleString('en-GB')} | ${c.events} (${c.totalEvents}) | ${c.page.medianMs} / ${c.page.p95Ms} / ${c.page.p99Ms} | ${c.page.requestsPerSecond} | ${
            c.statementsPerRequest
              ? Object.entries(c.statementsPerRequest)
                  .map(([name, n]) => `${name} ${n}`)
                  .join(', ')
              : 'not counted in this layout'
          } |`
        : `| ${people.toLocaleString('en-GB')} | not measured in this run | | | |`,
    ),
    '',
  );
  if (results.memory) {
    out.push(
      '## Resident memory (MB)',
      '',
      `| process (${options.layout} layout) | idle | under load (peak) |`,
      '|---|---:|---:|',
      ...Object.entries(results.memory).map(
        ([name, m]) =>
          `| ${PROCESS_NAMES[name] ?? `${name} subgraph`} | ${m.idleMb} | ${m.underLoadMb} |`,
      ),
      '',
    );
  }
  out.push('## Targets', '', ...targets(results).map((t) => `- ${t}`), '');
  if (previous)
    out.push('## Since the last run', '', ...changes(results, previous).map((l) => `- ${l}`), '');
  return out.join('\n');
}

const PROCESS_NAMES: Record<string, string> = {
  subgraphs: 'every subgraph (one process; with the embedded database inside it unless --postgres)',
  full: 'mash-gateway',
  bare: 'bare Apollo gateway',
  hive: 'Hive Gateway',
};

/** Every process's CPU ms per check in one row per run, processes as columns. */
function cpuTable(runs: LoadRun[]): string[] {
  const processes = [...new Set(runs.flatMap((r) => Object.keys(r.cpuMsPerCheck)))];
  return [
    `| gateway | concurrency | ${processes.join(' | ')} | all |`,
    `|---|---:|${processes.map(() => '---:').join('|')}|---:|`,
    ...runs.map(
      (r) =>
        `| ${r.target} | ${r.concurrency} | ${processes.map((p) => r.cpuMsPerCheck[p] ?? '—').join(' | ')} | ${totalCpu(r)} |`,
    ),
  ];
}

function totalCpu(run: { cpuMsPerCheck: Record<string, number> }): number {
  return Math.round(Object.values(run.cpuMsPerCheck).reduce((a, b) => a + b, 0) * 100) / 100;
}

/** Issue 19's targets, each with what this run measured. */
function targets(results: BenchResults): string[] {
  const lines: string[] = [];
  const layers = results.layers;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const at = (t: Target, c: number) =>
    layers?.runs.find((r) => r.target === t && r.concurrency === c);
  for (const c of [1, 8]) {
    const full = at('full', c);
    const bare = at('bare', c);
    if (full && bare) {
      const r = full.medianMs / bare.medianMs;
      lines.push(
        `mash-gateway ≤ 1.1 × bare gateway (median, concurrency ${c}): ${r.toFixed(2)}× — ${met(r <= 1.1)}`,
      );
    }
  }
  const bare1 = at('bare', 1);
  if (bare1 && layers) {
    // One process per agency lets the agencies' fetches truly run side by side.
    const limit = results.options.layout === 'distributed' ? 1.5 : 2;
    const r = bare1.medianMs / layers.criticalPathMs;
    lines.push(
      `bare gateway ≤ ${limit} × the subgraphs' critical path (median, concurrency 1, ${results.options.layout} layout): ${r.toFixed(2)}× — ${met(r <= limit)}`,
    );
  }
  const full8 = at('full', 8);
  if (full8) {
    const cpu = totalCpu(full8);
    lines.push(
      `CPU per check, every process, ≤ 40 ms (half of issue 19's 80 ms; mash-gateway, concurrency 8): ${cpu} ms — ${met(cpu <= 40)}`,
    );
    const hive8 = at('hive', 8);
    if (hive8)
      lines.push(
        `mash-gateway throughput ≥ Hive Gateway's (concurrency 8): ${full8.requestsPerSecond} vs ${hive8.requestsPerSecond} requests/s — ${met(full8.requestsPerSecond >= hive8.requestsPerSecond)}`,
      );
  }
  const hundredK = results.sizes.find((s) => s.people >= 100_000);
  if (hundredK) {
    lines.push(
      `agency-check p95 < 100 ms at concurrency 8 with ${hundredK.people.toLocaleString('en-GB')} people: ${hundredK.check.p95Ms} ms — ${met(hundredK.check.p95Ms < 100)}`,
    );
  } else {
    lines.push('agency-check p95 at 100,000 people: not measured in this run (--people).');
  }
  // A subgraph that found nobody skips its record queries; beyond that, the statements an agency
  // runs must not depend on how many people the household has.
  if (results.sizes.every((s) => !s.queriesPerRequest[6])) return lines;
  const varying = results.sizes.flatMap((s) =>
    Object.keys(s.queriesPerRequest[6]).filter((name) => {
      const byOutcome = new Map<boolean, Set<number>>();
      for (const [household, counts] of Object.entries(s.queriesPerRequest)) {
        const found = s.agenciesThatFound[Number(household)].includes(name);
        byOutcome.set(found, (byOutcome.get(found) ?? new Set()).add(counts[name]));
      }
      return [...byOutcome.values()].some((counts) => counts.size > 1);
    }),
  );
  lines.push(
    varying.length === 0
      ? 'database statements per subgraph independent of household size (1, 6 and 20 people; an agency that found nobody skips its record queries): met'
      : `database statements per subgraph independent of household size: NOT met (${[...new Set(varying)].join(', ')})`,
  );
  return lines;
}

function changes(results: BenchResults, previous: BenchResults): string[] {
  const lines: string[] = [];
  for (const run of results.layers?.runs ?? []) {
    const before = previous.layers?.runs.find(
      (r) => r.target === run.target && r.concurrency === run.concurrency,
    );
    if (before)
      lines.push(
        `${TARGET_NAMES[run.target]}, concurrency ${run.concurrency}: median ${before.medianMs} → ${run.medianMs} ms, ${before.requestsPerSecond} → ${run.requestsPerSecond} requests/s`,
      );
  }
  for (const size of results.sizes) {
    const before = previous.sizes.find((s) => s.people === size.people);
    if (before)
      lines.push(
        `check at ${size.people.toLocaleString('en-GB')} people: p95 ${before.check.p95Ms} → ${size.check.p95Ms} ms`,
      );
  }
  return lines.length ? lines : ['No figure in common with the last run.'];
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}×`;
}
