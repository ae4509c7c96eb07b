import { CpuProfile, packageOf, summariseProfile } from '../profileSummary';

const ROOT = '/repo';
const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
  columnNumber: 0,
  scriptId: '0',
});

/**
 * Samples 1 ms apart: node 2 (graphql, called by node 3) ×3, node 3 (project) ×1, idle ×4, node 4
 * (GC) ×2.
 */
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [3, 4, 5] },
    {
      id: 2,
      callFrame: frame('execute', 'file:///repo/node_modules/graphql/execution/execute.js', 9),
    },
    {
      id: 3,
      callFrame: frame('evaluate', 'file:///repo/dist/gateway/policyPruning.js', 41),
      children: [2],
    },
    { id: 4, callFrame: frame('(garbage collector)', '') },
    { id: 5, callFrame: frame('(idle)', '') },
  ],
  startTime: 1_000_000,
  endTime: 1_010_000,
  samples: [3, 2, 2, 5, 5, 5, 5, 2, 4, 4],
  timeDeltas: [0, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000],
};

test('self time by package and by function, idle left out, a sample lasting until the next', () => {
  const summary = summariseProfile(PROFILE, { root: ROOT });
  // Ten samples 1 ms apart; the last lasts until endTime (1 ms): 4 of the 10 ms are idle.
  expect(summary.totalMs).toBe(6);
  expect(summary.packages).toEqual([
    { name: 'graphql', selfMs: 3, share: 50 },
    { name: '(garbage collector)', selfMs: 2, share: 33.3 },
    { name: 'project: gateway/', selfMs: 1, share: 16.7 },
  ]);
  expect(summary.functions[0]).toEqual({
    name: 'execute',
    where: 'graphql/execution/execute.js:10',
    package: 'graphql',
    selfMs: 3,
    share: 50,
  });
  // evaluate ran 1 ms itself and called graphql's execute for 3.
  expect(summary.projectTotals).toEqual([
    { name: 'evaluate', where: 'dist/gateway/policyPruning.js:42', totalMs: 4, share: 66.7 },
  ]);
});

test('--skip leaves out the start of the profile', () => {
  // From 5 ms on: samples at 5, 6 (idle), 7 (graphql), 8, 9 (GC).
  const summary = summariseProfile(PROFILE, { root: ROOT, skipMs: 5 });
  expect(summary.packages.map((p) => [p.name, p.selfMs])).toEqual([
    ['(garbage collector)', 2],
    ['graphql', 1],
  ]);
  expect(summary.wallMs).toBe(5);
});

test.each([
  ['file:///repo/node_modules/@apollo/gateway/dist/index.js', '@apollo/gateway'],
  ['/repo/node_modules/a/node_modules/jose/dist/node/cjs/x.js', 'jose'],
  ['node:internal/streams/readable', 'node:streams'],
  ['node:http', 'node:http'],
  ['node:internal/deps/undici/undici', 'node:undici'],
  ['wasm:/wasm/0002f80e', '(wasm)'],
  ['file:///repo/subgraphs/police/resolver.ts', 'project: subgraphs/'],
  ['file:///elsewhere/x.js', 'other'],
])('%s belongs to %s', (url, expected) => {
  expect(packageOf(url, 'f', ROOT)).toBe(expected);
});
