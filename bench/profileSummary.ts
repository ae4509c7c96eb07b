import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * `npm run profile:summary -- <file.cpuprofile> [--skip 12] [--top 15]`: where a process spent
 * its CPU, from a V8 CPU profile (`node --cpu-prof`, or `npm run bench -- --profile <dir>`): the
 * top packages and the top functions by self time. `--skip` leaves out the first seconds of the
 * profile (a process's start-up: loading code, building schemas, seeding), so what remains is the
 * load the benchmark put on it. Idle time is not CPU and is left out of the totals.
 */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    children?: number[];
  }[];
  /** Microseconds, on the process's own monotonic clock. */
  startTime: number;
  endTime: number;
  samples: number[];
  /** Microseconds since the sample before (the first: since startTime). */
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** CPU sampled (idle left out), in ms. */
  totalMs: number;
  /** Wall time the summary covers, in ms. */
  wallMs: number;
  packages: { name: string; selfMs: number; share: number }[];
  functions: { name: string; where: string; package: string; selfMs: number; share: number }[];
  /**
   * The project's own functions by total time: their self time and that of everything they call
   * synchronously (an `await` ends a stack: what runs after it is counted where it resumes).
   */
  projectTotals: { name: string; where: string; totalMs: number; share: number }[];
}

/** The V8 names for time not spent in JavaScript. */
const IDLE = '(idle)';

/**
 * Self time by package and by function. A sample lasts until the next one (as Chrome's DevTools
 * counts it); samples before `skipMs` from the start are left out.
 */
export function summariseProfile(
  profile: CpuProfile,
  options: { skipMs?: number; top?: number; root?: string } = {},
): ProfileSummary {
  const top = options.top ?? 15;
  const from = profile.startTime + (options.skipMs ?? 0) * 1000;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let timestamp = profile.startTime;
  let firstCounted: number | null = null;
  for (let i = 0; i < profile.samples.length; i++) {
    timestamp += profile.timeDeltas[i];
    const next =
      i + 1 < profile.samples.length ? timestamp + profile.timeDeltas[i + 1] : profile.endTime;
    if (timestamp < from) continue;
    firstCounted ??= timestamp;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (next - timestamp));
  }
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parentOf.set(child, node.id);
  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; package: string; us: number }>();
  const totals = new Map<string, { name: string; where: string; us: number }>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === IDLE) continue;
    totalUs += us;
    const pkg = packageOf(frame.url, frame.functionName, options.root);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const where = frame.url ? `${shortPath(frame.url, options.root)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = functions.get(key) ?? {
      name: frame.functionName || '(anonymous)',
      where,
      package: pkg,
      us: 0,
    };
    entry.us += us;
    functions.set(key, entry);
    // Each of the project's functions on this sample's stack, once however deep it recurses.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const caller = byId.get(at)!.callFrame;
      if (!packageOf(caller.url, caller.functionName, options.root).startsWith('project:'))
        continue;
      const callerWhere = `${shortPath(caller.url, options.root)}:${caller.lineNumber + 1}`;
      const callerKey = `${caller.functionName}@${callerWhere}`;
      if (onStack.has(callerKey)) continue;
      onStack.add(callerKey);
      const total = totals.get(callerKey) ?? {
        name: caller.functionName || '(anonymous)',
        where: callerWhere,
        us: 0,
      };
      total.us += us;
      totals.set(callerKey, total);
    }
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => (totalUs ? Math.round((us / totalUs) * 1000) / 10 : 0);
  return {
    totalMs: ms(totalUs),
    wallMs: ms(profile.endTime - (firstCounted ?? profile.endTime)),
    packages: [...packages]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: ms(us), share: share(us) })),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ us, ...f }) => ({ ...f, selfMs: ms(us), share: share(us) })),
    projectTotals: [...totals.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(({ us, ...f }) => ({ ...f, totalMs: ms(us), share: share(us) })),
  };
}

/**
 * What a frame belongs to: an npm package (`graphql`, `@apollo/gateway`), a part of Node
 * (`node:http`), this project (`project: gateway/`), or V8's own work (`(garbage collector)`).
 */
export function packageOf(url: string, functionName = '', root = process.cwd()): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // WebAssembly compiled at run time (undici's HTTP parser, PGlite): no package in its URL.
  if (url.startsWith('wasm:')) return '(wasm)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  if (file.startsWith('node:')) {
    // node:internal/streams/readable → node:streams; node:internal/deps/undici/… → node:undici.
    const parts = file.slice('node:'.length).split('/');
    const inner = parts[0] === 'internal' ? parts.slice(1) : parts;
    const name = inner[0] === 'deps' && inner.length > 1 ? inner[1] : inner[0];
    return `node:${name.replace(/\.js$/, '')}`;
  }
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name] = file.slice(modules + '/node_modules/'.length).split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  const relative = path.relative(root, file);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
    const parts = relative.split(path.sep).filter((p) => p !== 'dist');
    return `project: ${parts.length > 1 ? `${parts[0]}/` : parts[0]}`;
  }
  return 'other';
}

function shortPath(url: string, root = process.cwd()): string {
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) return file.slice(modules + '/node_modules/'.length);
  const relative = path.relative(root, file);
  return relative.startsWith('..') ? file : relative;
}

/** The summary as Markdown tables. */
export function summaryMarkdown(summary: ProfileSummary, title: string): string {
  return [
    `### ${title}: ${summary.totalMs} ms of CPU sampled over ${summary.wallMs} ms`,
    '',
    '| package | self ms | share |',
    '|---|---:|---:|',
    ...summary.packages.map((p) => `| ${p.name} | ${p.selfMs} | ${p.share}% |`),
    '',
    '| function | where | self ms | share |',
    '|---|---|---:|---:|',
    ...summary.functions.map(
      (f) => `| ${f.name} | ${f.where || f.package} | ${f.selfMs} | ${f.share}% |`,
    ),
    '',
    "| the project's own function | where | total ms (with what it calls) | share |",
    '|---|---|---:|---:|',
    ...summary.projectTotals.map((f) => `| ${f.name} | ${f.where} | ${f.totalMs} | ${f.share}% |`),
    '',
  ].join('\n');
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      skip: { type: 'string', default: '0' },
      top: { type: 'string', default: '15' },
    },
  });
  if (positionals.length === 0)
    throw new Error(
      'Usage: npm run profile:summary -- <file.cpuprofile>… [--skip seconds] [--top N]',
    );
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const summary = summariseProfile(profile, {
      skipMs: Number(values.skip) * 1000,
      top: Number(values.top),
    });
    console.log(summaryMarkdown(summary, path.basename(file)));
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
