/**
 * A quick check of the matching model on a made-up agency, before the full evaluation on the
 * synthetic population: half the referred subjects are held by the agency (with referral noise),
 * half are not; candidates come from the blocking rules (in memory, `identity/blocking.ts`), the best
 * candidate from `bestMatch`. Prints wrong and right per band, and the share right per probability
 * band (calibration). The made-up agency is gentler and odder than a real one (households of three
 * with random birth dates and no twins; names from two Zipf lists), so its figures are a sanity
 * check, not the measurement.
 *
 * Run: `node -r reflect-metadata -r @swc-node/register identity/simulateMatching.ts [households] [subjects] [em]`
 * With `em`, also prints m fitted by EM to the pairs the date of birth + family name rule fetches.
 */
import { sampleAgency } from './__tests__/sampleAgency';
import { BLOCKING_RULES, blockingKeysOf, blockingQuery } from './blocking';
import { estimateMUsingEm } from './expectationMaximisation';
import { bestMatch, estimateMatchModel, Identity } from './matchIdentity';

const households = Number(process.argv[2] ?? 20_000);
const subjects = Number(process.argv[3] ?? 20_000);
const population = sampleAgency(2 * households);
type Held = Identity & { id: number };
const agency: Held[] = population.slice(0, 3 * households).map((p, id) => ({ ...p, id }));
const elsewhere = population.slice(3 * households);

let state = 99;
const random = () => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
};
const dropLetter = (name: string) => {
  const i = 1 + Math.floor(random() * (name.length - 2));
  return name.slice(0, i) + name.slice(i + 1);
};

/** A referral's copy: given name 10% misspelt, 5% another; family name 6% changed, 6% misspelt;
 * date of birth 3% one digit off, 2% day and month swapped, 2% missing; 15% moved, 5% no postcode. */
function referred(p: Identity): Identity {
  let r = random();
  const givenName = r < 0.85 ? p.givenName : r < 0.95 ? dropLetter(p.givenName) : 'Zinnia';
  r = random();
  const familyName = r < 0.88 ? p.familyName : r < 0.94 ? 'Okonkwo' : dropLetter(p.familyName);
  r = random();
  let dateOfBirth = p.dateOfBirth!;
  const [y, m, d] = dateOfBirth.split('-');
  if (r < 0.03) dateOfBirth = `${y}-${m}-${d[0]}${(Number(d[1]) + 3) % 10}`;
  else if (r < 0.05 && Number(d) <= 12) dateOfBirth = `${y}-${d}-${m}`;
  r = random();
  const postcode = r < 0.8 ? p.postcode : r < 0.95 ? 'M14 5RT' : null;
  return {
    ...p,
    givenName,
    familyName,
    dateOfBirth: random() < 0.02 ? null : dateOfBirth,
    postcode,
    sex: random() < 0.98 ? p.sex : p.sex === 'MALE' ? 'FEMALE' : 'MALE',
  };
}

const index = new Map(BLOCKING_RULES.map((rule) => [rule, new Map<string, Held[]>()]));
for (const person of agency) {
  const keys = blockingKeysOf(person);
  for (const rule of BLOCKING_RULES) {
    const key = keys[rule];
    if (key) index.get(rule)!.set(key, [...(index.get(rule)!.get(key) ?? []), person]);
  }
}
const candidatesOf = (subject: Identity, rules: readonly (typeof BLOCKING_RULES)[number][]) => {
  const query = blockingQuery([subject]);
  const found = new Set<Held>();
  for (const rule of rules)
    for (const key of query[rule]) for (const p of index.get(rule)!.get(key) ?? []) found.add(p);
  return [...found];
};

const model = estimateMatchModel({ sample: agency, pairs: 100_000 });
if (process.argv[4] === 'em') {
  const pairs: [Identity, Identity][] = [];
  for (let i = 0; i < 4000; i++) {
    const truth = i % 2 === 0 ? agency[Math.floor(random() * agency.length)] : null;
    const subject = referred(truth ?? elsewhere[Math.floor(random() * elsewhere.length)]);
    for (const c of candidatesOf(subject, ['birthFamilyKey'])) pairs.push([subject, c]);
  }
  const em = estimateMUsingEm(model, pairs, { blockedOn: ['dateOfBirth', 'familyName'] });
  for (const name of ['givenName', 'postcode', 'sex'] as const)
    console.log(`EM m ${name}:`, JSON.stringify(em.model.comparisons[name]));
}

const bands = { CERTAIN: { right: 0, wrong: 0 }, POSSIBLE: { right: 0, wrong: 0 } };
const calibration = new Map<string, { n: number; right: number }>();
let held = 0;
let found = 0;
let candidates = 0;
for (let i = 0; i < subjects; i++) {
  const truth = i % 2 === 0 ? agency[Math.floor(random() * agency.length)] : null;
  const subject = referred(truth ?? elsewhere[Math.floor(random() * elsewhere.length)]);
  const fetched = candidatesOf(subject, BLOCKING_RULES);
  candidates += fetched.length;
  if (truth) held++;
  const best = bestMatch(subject, fetched, model);
  if (!best) continue;
  const right = best.record.id === truth?.id;
  if (right) found++;
  bands[best.match.band][right ? 'right' : 'wrong']++;
  const p = best.match.confidence;
  const band = p >= 0.99 ? '≥ 0.99' : p >= 0.9 ? '0.9–0.99' : p >= 0.5 ? '0.5–0.9' : '< 0.5';
  const row = calibration.get(band) ?? { n: 0, right: 0 };
  row.n++;
  if (right) row.right++;
  calibration.set(band, row);
}
console.log(`agency ${agency.length} records; ${subjects} subjects, ${held} held by the agency`);
console.log(`candidates per subject ${(candidates / subjects).toFixed(1)}`);
console.log(`found (certain or possible, right record) ${((100 * found) / held).toFixed(1)}%`);
for (const [band, { right, wrong }] of Object.entries(bands))
  console.log(`${band}: right ${right}, wrong person ${wrong}`);
for (const [band, { n, right }] of [...calibration].sort())
  console.log(`predicted ${band}: ${n} matches, ${((100 * right) / n).toFixed(1)}% right`);
