import {
  COMPARISONS,
  ComparableIdentity,
  ComparisonName,
  compareIdentities,
  DateOfBirthLevel,
  GivenNameLevel,
  LevelOf,
  NhsNumberLevel,
} from './comparisons';
import { MATCH_CONFIG, MatchConfig, validateMatchConfig } from './matchConfig';
import { normaliseName } from './normaliseName';

/** A level's probability among true matches (m) and among different people (u). */
export interface LevelProbabilities {
  m: number;
  u: number;
}

/** Every level but MISSING, which is no evidence (a Bayes factor of 1, as Splink treats nulls). */
export type ComparisonTable<C extends ComparisonName> = Record<
  Exclude<LevelOf<C>, 'MISSING'>,
  LevelProbabilities
>;

/**
 * A Fellegi–Sunter model of one agency's records, as Splink builds one: for each comparison level
 * the probability of seeing it between records of the same person (m) and of different people (u);
 * the pair's match weight is the prior log-odds plus log2(m/u) over its levels.
 *
 * - **m** are documented defaults (`DEFAULT_M`), set from the error rates of real referrals against
 *   agency records (not estimated by EM: an agency's own data holds no known matches to train on,
 *   and EM on blocked pairs is left for later).
 * - **u** are estimated from the agency's own records by random pair sampling
 *   (`estimateMatchModel`, Splink's `estimate_u_using_random_sampling`), smoothed towards defaults.
 * - **Term frequencies**: an exact agreement of a name weighs m / (share of the agency's records with
 *   that name), so "Oliver Smith" counts for less than a rare name.
 * - **Same household**: when family names agree and postcodes are equal the pair is most likely
 *   the same household, where independence fails (twins share a date of birth, a family name and a
 *   postcode). Postcode agreement then counts only what it adds to the family name, and date of
 *   birth, given name and NHS number are weighed against other members of a household (`household`).
 * - **Prior** λ = `presence / total`: the chance one record of the agency is the subject.
 */
export interface MatchModel {
  /** Records the agency holds. */
  total: number;
  /** Share of referred subjects the agency is expected to hold (see matchConfig.ts). */
  presence: number;
  certainProbability: number;
  possibleProbability: number;
  comparisons: { [C in ComparisonName]: ComparisonTable<C> };
  household: {
    /** Expected other records at one postcode with the same family name (a household). */
    sharers: number;
    givenName: Record<Exclude<GivenNameLevel, 'MISSING'>, number>;
    /** Given names of twins (one household, one date of birth): often alike (Jack and Jake). */
    twinGivenName: Record<Exclude<GivenNameLevel, 'MISSING'>, number>;
    dateOfBirth: Record<Exclude<DateOfBirthLevel, 'MISSING'>, number>;
    nhsNumber: Partial<Record<Exclude<NhsNumberLevel, 'MISSING'>, number>>;
  };
  /** Normalised name → share of the agency's records with it (term frequency). */
  givenNameFrequency: ReadonlyMap<string, number>;
  familyNameFrequency: ReadonlyMap<string, number>;
  /** How the u probabilities were found: defaults only, or random pairs of the agency's records. */
  estimatedFrom: { sampledRecords: number; sampledPairs: number };
}

/**
 * m: the share of true matches at each level. From the rates at which a referral's details differ
 * from an agency's record of the same person: a given name as a nickname or variant about 1 in 25,
 * a family name changed (adoption, step-parent, marriage) about 1 in 15, a date of birth wrong about
 * 1 in 20, an address out of date about 1 in 5, an NHS number mistyped about 1 in 100.
 */
export const DEFAULT_M: { [C in ComparisonName]: Record<Exclude<LevelOf<C>, 'MISSING'>, number> } =
  {
    givenName: {
      EXACT: 0.87,
      SWAPPED: 0.005,
      NICKNAME: 0.04,
      PHONETIC: 0.03,
      JARO_WINKLER_92: 0.02,
      PART: 0.02,
      JARO_WINKLER_88: 0.005,
      DIFFERENT: 0.01,
    },
    familyName: {
      EXACT: 0.85,
      SWAPPED: 0.005, // weight 0: the swap is counted once, on the given name
      PHONETIC: 0.03,
      JARO_WINKLER_92: 0.02,
      PART: 0.03,
      JARO_WINKLER_88: 0.005,
      DIFFERENT: 0.06,
    },
    dateOfBirth: {
      EXACT: 0.95,
      DAY_MONTH_SWAPPED: 0.01,
      ONE_DIGIT: 0.02,
      SAME_YEAR: 0.008,
      DIFFERENT: 0.012,
    },
    postcode: { EXACT: 0.8, SECTOR: 0.03, DISTRICT: 0.04, DIFFERENT: 0.13 },
    nhsNumber: { EXACT: 0.985, ONE_TYPO: 0.008, ONE_INVALID: 0.005, DIFFERENT: 0.002 },
    sex: { EQUAL: 0.97, DIFFERENT: 0.03 },
  };

/**
 * u before any data: what random pairs of a UK agency's records of `total` people show. Used as
 * the model when an agency has no data, and as the prior the sampled u are smoothed towards.
 */
export function defaultU(total: number): {
  [C in ComparisonName]: Record<Exclude<LevelOf<C>, 'MISSING'>, number>;
} {
  const perPostcode = 5; // records an agency holds at one postcode
  return {
    givenName: {
      EXACT: 0.01,
      SWAPPED: 1e-6,
      NICKNAME: 0.002,
      PHONETIC: 0.005,
      JARO_WINKLER_92: 0.003,
      PART: 0.001,
      JARO_WINKLER_88: 0.01,
      DIFFERENT: 0.969,
    },
    familyName: {
      EXACT: 0.003,
      SWAPPED: 1e-6,
      PHONETIC: 0.003,
      JARO_WINKLER_92: 0.002,
      PART: 0.0005,
      JARO_WINKLER_88: 0.01,
      DIFFERENT: 0.98,
    },
    dateOfBirth: {
      EXACT: 1 / (365 * 40),
      DAY_MONTH_SWAPPED: 1 / (365 * 40 * 12),
      ONE_DIGIT: 0.003,
      SAME_YEAR: 0.025,
      DIFFERENT: 0.97,
    },
    postcode: {
      EXACT: Math.min(0.01, perPostcode / total),
      SECTOR: Math.min(0.05, (perPostcode * 300) / total),
      DISTRICT: 0.01,
      DIFFERENT: 0.98,
    },
    nhsNumber: {
      EXACT: Math.min(0.001, 1 / total),
      ONE_TYPO: 1e-7,
      ONE_INVALID: 0.005,
      DIFFERENT: 0.995,
    },
    sex: { EQUAL: 0.5, DIFFERENT: 0.5 },
  };
}

/**
 * u among other members of one household (same family name, same postcode), where the agency's
 * random pairs say nothing: twins (about 3 in 100 children in the UK) share a date of birth, and
 * parents often give them alike names (Jack and Jake, Amelia and Amelie); a
 * father and son, or a mother and daughter, can share a given name; a family's records are where
 * an NHS number is mis-filed.
 */
export const DEFAULT_HOUSEHOLD: MatchModel['household'] = {
  sharers: 1.5,
  givenName: {
    EXACT: 0.005,
    SWAPPED: 0.0005,
    NICKNAME: 0.005,
    PHONETIC: 0.01,
    JARO_WINKLER_92: 0.02,
    PART: 0.01,
    JARO_WINKLER_88: 0.03,
    DIFFERENT: 0.92,
  },
  twinGivenName: {
    EXACT: 0.002,
    SWAPPED: 0.0001,
    NICKNAME: 0.01,
    PHONETIC: 0.08,
    JARO_WINKLER_92: 0.05,
    PART: 0.02,
    JARO_WINKLER_88: 0.05,
    DIFFERENT: 0.7879,
  },
  dateOfBirth: {
    EXACT: 0.015,
    DAY_MONTH_SWAPPED: 0.001,
    ONE_DIGIT: 0.01,
    SAME_YEAR: 0.05,
    DIFFERENT: 0.924,
  },
  nhsNumber: { EXACT: 0.002, ONE_TYPO: 0.0005 },
};

/** How many of an agency's records carry each name (any spelling: they are normalised here). */
export type NameCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

export interface MatchModelData {
  /** A random sample of the agency's records (a few thousand is plenty; all of them is fine). */
  sample: readonly ComparableIdentity[];
  /** Records the agency holds; default: the sample's size. */
  total?: number;
  /** Records per given / family name, over all the agency's records; default: counted in the sample. */
  givenNameCounts?: NameCounts;
  familyNameCounts?: NameCounts;
  /** Random pairs to draw (default 50,000, or every pair of a small sample). */
  pairs?: number;
  /** Seed of the pair sampler, so one agency's data always gives one model. */
  seed?: number;
  config?: MatchConfig;
}

/** Pseudo-pairs of the default u mixed into the sampled counts, so a level never seen is not u = 0. */
const SMOOTHING_PAIRS = 1000;

/**
 * The model of one agency's records: u from random pairs of its records, term frequencies from its
 * name counts, m and the household table from the documented defaults. About a second for the
 * default 50,000 pairs on a busy two-core machine. Call once per process (or when the agency's records change a lot).
 */
export function estimateMatchModel(data: MatchModelData): MatchModel {
  const config = validateMatchConfig(data.config ?? MATCH_CONFIG);
  const sample = data.sample;
  const total = Math.max(data.total ?? sample.length, 1);
  const uDefault = defaultU(total);
  const counts = Object.fromEntries(
    Object.entries(COMPARISONS).map(([name, levels]) => [
      name,
      Object.fromEntries(levels.map((level) => [level, 0])),
    ]),
  ) as Record<ComparisonName, Record<string, number>>;

  const n = sample.length;
  const allPairs = (n * (n - 1)) / 2;
  const wanted = Math.min(data.pairs ?? 50_000, allPairs);
  let drawn = 0;
  const tally = (a: ComparableIdentity, b: ComparableIdentity) => {
    const vector = compareIdentities(a, b);
    for (const name of Object.keys(counts) as ComparisonName[]) counts[name][vector[name]]++;
    drawn++;
  };
  if (wanted === allPairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) tally(sample[i], sample[j]);
  } else {
    const random = mulberry32(data.seed ?? 14);
    while (drawn < wanted) {
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      if (i !== j) tally(sample[i], sample[j]);
    }
  }

  const comparisons = {} as Record<ComparisonName, Record<string, LevelProbabilities>>;
  for (const name of Object.keys(COMPARISONS) as ComparisonName[]) {
    const table: Record<string, LevelProbabilities> = {};
    const observed = drawn - counts[name].MISSING; // u is among pairs where both sides are known
    for (const [level, m] of Object.entries(DEFAULT_M[name]) as [string, number][]) {
      const prior = (uDefault[name] as Record<string, number>)[level];
      const u = (counts[name][level] + SMOOTHING_PAIRS * prior) / (observed + SMOOTHING_PAIRS);
      table[level] = { m, u };
    }
    comparisons[name] = table;
  }

  return {
    total,
    presence: config.presence,
    certainProbability: config.certainProbability,
    possibleProbability: config.possibleProbability,
    comparisons: comparisons as MatchModel['comparisons'],
    household: DEFAULT_HOUSEHOLD,
    givenNameFrequency: frequencies(
      data.givenNameCounts ?? countNames(sample, 'givenName'),
      data.givenNameCounts ? total : n,
    ),
    familyNameFrequency: frequencies(
      data.familyNameCounts ?? countNames(sample, 'familyName'),
      data.familyNameCounts ? total : n,
    ),
    estimatedFrom: { sampledRecords: n, sampledPairs: drawn },
  };
}

/** The model with no data: default m and u for an agency of 100,000 records, no term frequencies. */
export function defaultMatchModel(total = 100_000, config: MatchConfig = MATCH_CONFIG): MatchModel {
  validateMatchConfig(config);
  const uDefault = defaultU(total);
  const comparisons = Object.fromEntries(
    (Object.keys(COMPARISONS) as ComparisonName[]).map((name) => [
      name,
      Object.fromEntries(
        Object.entries(DEFAULT_M[name]).map(([level, m]) => [
          level,
          { m, u: (uDefault[name] as Record<string, number>)[level] },
        ]),
      ),
    ]),
  ) as unknown as MatchModel['comparisons'];
  return {
    total,
    presence: config.presence,
    certainProbability: config.certainProbability,
    possibleProbability: config.possibleProbability,
    comparisons,
    household: DEFAULT_HOUSEHOLD,
    givenNameFrequency: new Map(),
    familyNameFrequency: new Map(),
    estimatedFrom: { sampledRecords: 0, sampledPairs: 0 },
  };
}

export const DEFAULT_MATCH_MODEL: MatchModel = defaultMatchModel();

/** One row per comparison level: m, u and the match weight log2(m/u), to print or review. */
export function describeMatchModel(
  model: MatchModel,
): { comparison: ComparisonName; level: string; m: number; u: number; weight: number }[] {
  return (Object.keys(model.comparisons) as ComparisonName[]).flatMap((comparison) =>
    Object.entries(model.comparisons[comparison] as Record<string, LevelProbabilities>).map(
      ([level, { m, u }]) => ({ comparison, level, m, u, weight: Math.log2(m / u) }),
    ),
  );
}

function countNames(
  sample: readonly ComparableIdentity[],
  field: 'givenName' | 'familyName',
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const identity of sample) {
    const name = identity[field];
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

function frequencies(counts: NameCounts, total: number): Map<string, number> {
  const entries = counts instanceof Map ? [...counts] : Object.entries(counts);
  const byName = new Map<string, number>();
  for (const [name, count] of entries) {
    const key = normaliseName(name);
    if (key) byName.set(key, (byName.get(key) ?? 0) + count);
  }
  for (const [key, count] of byName) byName.set(key, count / Math.max(total, 1));
  return byName;
}

/** A small, fast, seedable generator (public domain), so sampling is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
