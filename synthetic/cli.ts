import { parseArgs } from 'node:util';
import { IDENTITY_NOISE, IdentityNoiseKind } from './identityNoise';
import { caseStudyHouseholds, DEFAULT_POPULATION, generatePopulation } from './population';
import { measureRealism } from './realism';

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

  const generationStarted = Date.now();
  const population = generatePopulation({ seed, families });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(population, null, 2)}\n`);
    return;
  }
  const started = Date.now();
  const realism = measureRealism(population);
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const referred = population.filter((f) => f.referral);
  console.log(`Synthetic population, seed ${seed}:
  families          ${realism.families} (${population.filter((f) => f.newToArea).length} new to the area)
  people            ${realism.people} (${realism.children} children)
  referred cases    ${referred.length}, naming ${realism.referralSubjects} subjects
  twins, triplets   ${pct(realism.childrenInMultipleBirths)} of children (${realism.multipleBirthSets} sets; UK about 3%)
  postcodes         ${realism.postcodes} in ${realism.sectors} sectors, ${realism.districts} districts; ${realism.householdsPerPostcode.toFixed(1)} households, ${realism.peoplePerPostcode.toFixed(1)} people per postcode (UK about 15 households)
  top surnames      ${realism.topSurnames.map(([name, share]) => `${name} ${pct(share)}`).join(', ')} (UK: Smith about 1.1%)
  names             ${pct(realism.shares.notBritishOrigin)} of other origins, ${pct(realism.shares.nameInScript)} with a name in another script, ${pct(realism.shares.hyphenatedSurname)} hyphenated or double-barrelled, ${pct(realism.shares.formerSurname)} with a former surname
  NHS numbers       ${realism.uniqueNhsNumbers ? 'all unique' : 'NOT UNIQUE'} and valid by construction
  noise applied     kind: share of referral subjects / of a typical agency's records it could apply to (documented rates)`);
  for (const kind of Object.keys(IDENTITY_NOISE) as IdentityNoiseKind[]) {
    const rate = IDENTITY_NOISE[kind];
    console.log(
      `    ${kind.padEnd(26)} ${pct(realism.noise.referral[kind]).padStart(7)} / ${pct(realism.noise.agency[kind]).padStart(7)}   (${rate.referral} / ${rate.agency}${rate.typing ? ', scaled by error habit' : ''})`,
    );
  }
  console.log(
    `  nicknames         ${pct(realism.nicknamesOutsideMatcher)} of the nicknames used are outside the matcher's list`,
  );
  // The published MASH case studies, by household, to find in the demo (README: the case studies).
  const studies = caseStudyHouseholds(population);
  console.log(
    `  case studies      ${studies.length ? studies.map((f) => `${f.caseStudy.kind} ${f.familyKey}${f.referral ? ' (referred)' : ''}`).join(', ') : 'none in so few families'}`,
  );
  console.log(
    `  generated in ${started - generationStarted} ms, measured in ${Date.now() - started} ms`,
  );
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
