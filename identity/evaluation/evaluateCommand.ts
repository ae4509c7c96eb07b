import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SUBGRAPHS } from '../../subgraphs';
import {
  DEFAULT_POPULATION,
  generatePopulation,
  SyntheticFamily,
} from '../../synthetic/population';
import { estimateMatchModel } from '../matchModel';
import { agencyIndex, modelDataOf } from './agencyIndexes';
import { AgencyEvaluation, evaluateAgency, EvaluatedSubject } from './evaluateMatching';

/**
 * `npm run matching:evaluate -- --people 100000[,1000000] [--seed N] [--json file]`: builds the
 * synthetic population, builds every agency's person index with the agency's own seed function,
 * runs the agency's matching for every referred subject (the same blocking keys the database
 * indexes, looked up in memory, and the same scoring) and prints, per agency and band, how often
 * it was right, wrong and missed, against the truth the generator keeps.
 */
export interface MatchingEvaluation {
  people: number;
  families: number;
  seed: number;
  subjects: number;
  generatedSeconds: number;
  agencies: AgencyEvaluation[];
}

const AGENCIES = SUBGRAPHS.filter((s) => s.name !== 'mash' && s.name !== 'audit');

export async function evaluateMatching(
  people: number,
  seed: number,
  options: { defaultModel?: boolean } = {},
): Promise<MatchingEvaluation> {
  const started = performance.now();
  const population = populationOf(people, seed);
  const generatedSeconds = (performance.now() - started) / 1000;
  const subjects: EvaluatedSubject[] = population.flatMap((f) => f.referral?.subjects ?? []);
  const agencies: AgencyEvaluation[] = [];
  for (const definition of AGENCIES) {
    const index = await agencyIndex(definition, population);
    // Each agency scores with the model estimated from its own records, as its subgraph does.
    const model = options.defaultModel ? undefined : estimateMatchModel(modelDataOf(index));
    agencies.push(evaluateAgency(index, subjects, model));
  }
  return {
    people: population.reduce((n, f) => n + f.members.length, 0),
    families: population.length,
    seed,
    subjects: subjects.length,
    generatedSeconds,
    agencies,
  };
}

/** Enough families for about `people` people (family sizes vary with the seed). */
function populationOf(people: number, seed: number): SyntheticFamily[] {
  const sample = generatePopulation({ seed, families: 500 });
  const perFamily = sample.reduce((n, f) => n + f.members.length, 0) / sample.length;
  return generatePopulation({ seed, families: Math.max(1, Math.round(people / perFamily)) });
}

export function formatEvaluation(evaluation: MatchingEvaluation): string {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    `Identity matching at ${evaluation.people.toLocaleString('en-GB')} people ` +
      `(${evaluation.families.toLocaleString('en-GB')} families, seed ${evaluation.seed}), ` +
      `${evaluation.subjects.toLocaleString('en-GB')} referred subjects checked by each agency; ` +
      `population built in ${evaluation.generatedSeconds.toFixed(1)} s.`,
    '',
    '| agency | records | held | certain right | certain wrong | possible right | possible wrong | missed | certain precision | wrong certain per 10k | recall | certain share | candidates/subject mean (p95, max) | µs/subject |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const a of evaluation.agencies) {
    lines.push(
      `| ${a.agency} | ${a.people} | ${a.held} | ${a.bands.CERTAIN.right} | ${a.bands.CERTAIN.wrong} | ` +
        `${a.bands.POSSIBLE.right} | ${a.bands.POSSIBLE.wrong} | ${a.missed} | ${pct(a.certainPrecision)} | ` +
        `${a.certainWrongPer10k.toFixed(2)} | ${pct(a.recall)} | ${pct(a.certainShare)} | ` +
        `${a.candidatesPerSubject.mean.toFixed(2)} (${a.candidatesPerSubject.p95}, ${a.candidatesPerSubject.max}) | ` +
        `${a.microsecondsPerSubject.toFixed(0)} |`,
    );
  }
  lines.push('', 'Calibration (predicted probability → observed share right), all agencies:', '');
  lines.push('| predicted | matches | mean predicted | observed right |', '|---|---|---|---|');
  const ranges = evaluation.agencies[0]?.calibration.map((c) => c.range) ?? [];
  for (const range of ranges) {
    const rows = evaluation.agencies.map((a) => a.calibration.find((c) => c.range === range)!);
    const matches = rows.reduce((n, r) => n + r.matches, 0);
    const weighted = (field: 'meanPredicted' | 'observedRight') =>
      matches === 0 ? 0 : rows.reduce((s, r) => s + r[field] * r.matches, 0) / matches;
    lines.push(
      `| ${range} | ${matches} | ${weighted('meanPredicted').toFixed(3)} | ${weighted('observedRight').toFixed(3)} |`,
    );
  }
  lines.push('', '| agency | band | mean predicted | observed right |', '|---|---|---|---|');
  for (const a of evaluation.agencies) {
    for (const band of ['CERTAIN', 'POSSIBLE'] as const) {
      const c = a.bandCalibration[band];
      lines.push(
        `| ${a.agency} | ${band} | ${c.meanPredicted.toFixed(3)} | ${c.observedRight.toFixed(3)} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main() {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '100000' },
      seed: { type: 'string', default: String(DEFAULT_POPULATION.seed) },
      json: { type: 'string' },
      'default-model': { type: 'boolean', default: false },
    },
  });
  const sizes = values.people.split(',').map((s) => Number(s.replace(/_/g, '')));
  const seed = Number(values.seed);
  if (sizes.some((n) => !Number.isInteger(n) || n < 100) || !Number.isInteger(seed)) {
    throw new Error('Usage: npm run matching:evaluate -- --people 100000[,1000000] [--seed N]');
  }
  const results: MatchingEvaluation[] = [];
  for (const people of sizes) {
    const evaluation = await evaluateMatching(people, seed, {
      defaultModel: values['default-model'],
    });
    results.push(evaluation);
    console.log(formatEvaluation(evaluation));
    console.log('');
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(results, null, 2));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
