import { parseArgs } from 'node:util';
import { ageOn, DEFAULT_POPULATION, generatePopulation } from './population';

/**
 * `npm run generate -- --families N [--seed S] [--json]`: the synthetic population every subgraph
 * is seeded from, as a summary or as JSON (the ground truth and the referrals, noise included).
 */
function main() {
  const { values } = parseArgs({
    options: {
      families: { type: 'string', default: String(DEFAULT_POPULATION.families) },
      seed: { type: 'string', default: String(DEFAULT_POPULATION.seed) },
      json: { type: 'boolean', default: false },
    },
  });
  const families = Number(values.families);
  const seed = Number(values.seed);
  if (!Number.isInteger(families) || families < 1)
    throw new Error('--families must be a whole number of at least 1.');
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a whole number.');

  const population = generatePopulation({ seed, families });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(population, null, 2)}\n`);
    return;
  }
  const people = population.flatMap((f) => f.members);
  const referred = population.filter((f) => f.referral);
  const subjects = referred.flatMap((f) => f.referral!.subjects);
  const truth = new Map(people.map((p) => [p.personKey, p]));
  const differ = (key: 'givenName' | 'familyName' | 'dateOfBirth') =>
    subjects.filter((s) => s[key] !== truth.get(s.personKey)![key]).length;
  console.log(`Synthetic population, seed ${seed}:
  families          ${population.length} (${population.filter((f) => f.newToArea).length} new to the area)
  people            ${people.length} (${people.filter((p) => ageOn(p.dateOfBirth) < 18).length} children)
  referred cases    ${referred.length}, naming ${subjects.length} subjects
  referral noise    given name ${differ('givenName')}, family name ${differ('familyName')}, date of birth ${differ('dateOfBirth')}, no NHS number ${subjects.filter((s) => !s.nhsNumber).length}`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
