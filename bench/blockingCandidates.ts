import { parseArgs } from 'node:util';
import { BLOCKING_RULES, blockingKeysOf, blockingQuery } from '../identity/blocking';
import { agencyIdentity, generatePopulation } from '../synthetic/population';
import { Random } from '../synthetic/random';

/**
 * `node -r @swc-node/register bench/blockingCandidates.ts --people 100000,1000000`: how many
 * candidates the agency check fetches per subject as an agency's person index grows, with the
 * blocking rules the loader searches (identity/blocking.ts) and, for comparison, the old exact
 * NHS number / date of birth / postcode search.
 *
 * In memory: one map per rule from key to rows, and a subject's candidates are the union over the
 * rules of the rows holding one of its query values. That is what the loader's SQL asks for (one
 * indexed `IN (...)` per rule, OR'd), from the same `blockingKeysOf` and `blockingQuery`. The
 * agency holds every person of the population (habits as the health seed: NHS number always,
 * 5% recording errors, 20% an address from before a move); the subjects are the referrals'
 * subjects as the generator records them, one household at a time, as the gateway batches them.
 */
const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '100000,1000000' },
    subjects: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '20261202' },
  },
});

const AGENCY_HABITS = { nhsNumberKnown: 1, error: 0.05, oldAddress: 0.2 };

interface Row {
  personKey: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  postcode: string | null;
  nhsNumber: string | null;
}

function measure(people: number) {
  const families = generatePopulation({
    seed: Number(values.seed),
    families: Math.round(people / 4.45), // the generator averages about 4.45 people a family
  });
  const rows: Row[] = [];
  for (const family of families) {
    const random = new Random('blocking-bench', family.familyKey);
    for (const person of family.members)
      rows.push({ personKey: person.personKey, ...agencyIdentity(person, random, AGENCY_HABITS) });
  }

  const index = Object.fromEntries(
    BLOCKING_RULES.map((rule) => [rule, new Map<string, number[]>()]),
  ) as Record<(typeof BLOCKING_RULES)[number], Map<string, number[]>>;
  const old = {
    nhsNumber: new Map<string, number[]>(),
    dateOfBirth: new Map(),
    postcode: new Map(),
  };
  const put = (map: Map<string, number[]>, key: string | null, row: number) => {
    if (!key) return;
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  };
  rows.forEach((row, i) => {
    const keys = blockingKeysOf(row);
    for (const rule of BLOCKING_RULES) put(index[rule], keys[rule], i);
    put(old.nhsNumber, row.nhsNumber, i);
    put(old.dateOfBirth, row.dateOfBirth, i);
    put(old.postcode, row.postcode, i);
  });

  const subjectLimit = Number(values.subjects);
  const perSubject: number[] = [];
  const perSubjectOld: number[] = [];
  const perRule = Object.fromEntries(BLOCKING_RULES.map((rule) => [rule, 0])) as Record<
    (typeof BLOCKING_RULES)[number],
    number
  >;
  let truthFetched = 0;
  let truthHeld = 0;
  let elapsed = 0n;
  for (const family of families) {
    if (!family.referral || perSubject.length >= subjectLimit) continue;
    for (const subject of family.referral.subjects) {
      const started = process.hrtime.bigint();
      const query = blockingQuery([subject]);
      const candidates = new Set<number>();
      for (const rule of BLOCKING_RULES) {
        const byRule = new Set<number>();
        for (const value of query[rule])
          for (const row of index[rule].get(value) ?? []) byRule.add(row);
        perRule[rule] += byRule.size;
        for (const row of byRule) candidates.add(row);
      }
      elapsed += process.hrtime.bigint() - started;
      perSubject.push(candidates.size);
      truthHeld += 1;
      if ([...candidates].some((row) => rows[row].personKey === subject.personKey))
        truthFetched += 1;

      const oldCandidates = new Set<number>();
      const dates = subject.dateOfBirth
        ? [subject.dateOfBirth, ...swapped(subject.dateOfBirth)]
        : [];
      for (const [map, keys] of [
        [old.nhsNumber, subject.nhsNumber ? [subject.nhsNumber] : []],
        [old.dateOfBirth, dates],
        [old.postcode, subject.postcode ? [subject.postcode] : []],
      ] as const)
        for (const key of keys) for (const row of map.get(key) ?? []) oldCandidates.add(row);
      perSubjectOld.push(oldCandidates.size);
    }
  }
  return {
    people: rows.length,
    subjects: perSubject.length,
    candidates: summary(perSubject),
    oldCandidates: summary(perSubjectOld),
    // Rows each rule fetches per subject, before the union: which rule grows with the population.
    meanPerRule: Object.fromEntries(
      BLOCKING_RULES.map((rule) => [rule, Number((perRule[rule] / perSubject.length).toFixed(2))]),
    ),
    truePersonFetched: `${((100 * truthFetched) / truthHeld).toFixed(2)}%`,
    microsecondsPerSubject: Number(elapsed / 1000n) / perSubject.length,
  };
}

function swapped(dob: string): string[] {
  const [y, m, d] = dob.split('-');
  return Number(d) <= 12 && d !== m ? [`${y}-${d}-${m}`] : [];
}

function summary(counts: number[]) {
  const sorted = [...counts].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  return { mean: Number(mean.toFixed(2)), median: at(0.5), p95: at(0.95), max: sorted.at(-1) };
}

for (const people of values.people!.split(',').map(Number)) {
  const started = Date.now();
  const result = measure(people);
  console.log(
    JSON.stringify({ ...result, seconds: Number(((Date.now() - started) / 1000).toFixed(1)) }),
  );
}
