/**
 * How long scoring one (subject, record) pair takes, and how long building a model takes.
 * Run: `node -r reflect-metadata -r @swc-node/register identity/matchBenchmark.ts [records]`.
 * Prints figures; asserts nothing (speed is measured here, never in a unit test).
 */
import { performance } from 'node:perf_hooks';
import { sampleAgency } from './__tests__/sampleAgency';
import { bestMatch, estimateMatchModel, explainMatch, Identity } from './matchIdentity';

const households = Math.max(1, Math.round(Number(process.argv[2] ?? 30_000) / 3));
const records = sampleAgency(households);

let start = performance.now();
const model = estimateMatchModel({ sample: records, pairs: 100_000 });
const buildMs = performance.now() - start;

// Referrals as they arrive: fresh objects (not yet normalised), with some noise.
const referral = (r: Identity, i: number): Identity => ({
  ...r,
  givenName: i % 7 === 0 ? r.givenName.slice(0, -1) : r.givenName,
  postcode: i % 5 === 0 ? 'M14 5RT' : r.postcode,
});

// Warm up the JIT and the per-record normalisation cache, as a running subgraph would have.
for (let i = 0; i < 20_000; i++)
  explainMatch(records[i % records.length], records[(i * 7) % records.length], model);

const pairs = 200_000;
start = performance.now();
let sink = 0;
for (let i = 0; i < pairs; i++) {
  const subject = referral(records[(i * 13) % records.length], i);
  sink += explainMatch(subject, records[(i * 31) % records.length], model).matchWeight;
}
const perPairUs = ((performance.now() - start) * 1000) / pairs;

// As an agency check runs: each request reads its candidates afresh (new objects, names seen before).
const subjects = 2_000;
start = performance.now();
for (let i = 0; i < subjects; i++) {
  const subject = referral(records[(i * 17) % records.length], i);
  const candidates = Array.from({ length: 20 }, (_, k) => ({
    ...records[(i * 17 + k * 101) % records.length],
  }));
  if (bestMatch(subject, candidates, model)) sink++;
}
const perSubjectMs = (performance.now() - start) / subjects;

console.log(
  `records ${records.length}; model built from 100,000 sampled pairs in ${buildMs.toFixed(0)} ms`,
);
console.log(`score one pair (fresh subject, normalised record): ${perPairUs.toFixed(2)} µs`);
console.log(
  `bestMatch over 20 candidates read afresh: ${(perSubjectMs * 1000).toFixed(1)} µs per subject`,
);
if (Number.isNaN(sink)) console.log('unreachable');
