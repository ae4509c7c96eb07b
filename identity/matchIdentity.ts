import { MatchBasis } from '../schema/agencyCheck';
import {
  ComparisonName,
  ComparisonVector,
  compareIdentities,
  PreparedIdentity,
  prepareIdentity,
} from './comparisons';
import { DEFAULT_MATCH_MODEL, LevelProbabilities, MatchModel } from './matchModel';

export { DEFAULT_MATCH_MODEL, estimateMatchModel } from './matchModel';
export type { MatchModel, MatchModelData } from './matchModel';

/** The identifying details on either side of a match: a referral's subject or an agency's record. */
export interface Identity {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: string | null;
  postcode: string | null;
  nhsNumber: string | null;
}

/**
 * CERTAIN: shared as the policies allow. POSSIBLE: identity only, until a person confirms it.
 * NO_MATCH: not reported.
 */
export type MatchBand = 'CERTAIN' | 'POSSIBLE' | 'NO_MATCH';

export interface IdentityMatchResult {
  /** The calibrated probability that the record is the subject, to 3 decimal places (never 1). */
  confidence: number;
  basis: MatchBasis;
  band: Exclude<MatchBand, 'NO_MATCH'>;
  needsVerification: boolean;
  /** What differs, in plain words. A postcode is never repeated: an address may be a refuge. */
  differences: string[];
}

/** A pair scored: its comparison levels, each level's log2 Bayes factor, and the total weight. */
export interface MatchExplanation {
  vector: ComparisonVector;
  /** log2(m/u) per comparison (0 for MISSING). */
  weights: Record<ComparisonName, number>;
  /** Prior log2-odds plus every comparison's weight. */
  matchWeight: number;
  probability: number;
  sameHousehold: boolean;
}

// A swap is not counted as a household: its evidence is both names at once, on the given name.
const HOUSEHOLD_FAMILY_LEVELS = new Set([
  'EXACT',
  'PHONETIC',
  'JARO_WINKLER_92',
  'PART',
  'JARO_WINKLER_88',
]);

/**
 * The Fellegi–Sunter match weight of a pair: prior log2-odds (λ = presence / total records) plus
 * log2(m/u) for each comparison's level, with term-frequency adjusted u for an exact name, and u
 * among household members when the pair looks like one household (see MatchModel).
 */
export function explainMatch(
  subject: Identity,
  record: Identity,
  model: MatchModel = DEFAULT_MATCH_MODEL,
): MatchExplanation {
  const vector = compareIdentities(subject, record);
  const r = prepareIdentity(record);
  const c = model.comparisons;
  const sameHousehold =
    vector.postcode === 'EXACT' && HOUSEHOLD_FAMILY_LEVELS.has(vector.familyName);

  const familyU =
    vector.familyName === 'EXACT'
      ? termFrequency(model.familyNameFrequency, r.familyName.full, c.familyName.EXACT.u, model)
      : vector.familyName === 'MISSING'
        ? 1
        : level(c.familyName, vector.familyName).u;
  const weights: Record<ComparisonName, number> = {
    familyName:
      vector.familyName === 'MISSING' || vector.familyName === 'SWAPPED'
        ? 0
        : Math.log2(level(c.familyName, vector.familyName).m / familyU),
    givenName: givenNameWeight(vector, r, model, sameHousehold),
    dateOfBirth:
      vector.dateOfBirth === 'MISSING'
        ? 0
        : Math.log2(
            level(c.dateOfBirth, vector.dateOfBirth).m /
              (sameHousehold
                ? model.household.dateOfBirth[vector.dateOfBirth]
                : level(c.dateOfBirth, vector.dateOfBirth).u),
          ),
    postcode: postcodeWeight(vector, familyU, model, sameHousehold),
    nhsNumber:
      vector.nhsNumber === 'MISSING'
        ? 0
        : Math.log2(
            level(c.nhsNumber, vector.nhsNumber).m /
              ((sameHousehold ? model.household.nhsNumber[vector.nhsNumber] : undefined) ??
                level(c.nhsNumber, vector.nhsNumber).u),
          ),
    sex:
      vector.sex === 'MISSING'
        ? 0
        : Math.log2(level(c.sex, vector.sex).m / level(c.sex, vector.sex).u),
  };
  const lambda = Math.min(model.presence / model.total, 0.5);
  let matchWeight = Math.log2(lambda / (1 - lambda));
  for (const weight of Object.values(weights)) matchWeight += weight;
  return {
    vector,
    weights,
    matchWeight,
    probability: probabilityOf(matchWeight),
    sameHousehold,
  };
}

function givenNameWeight(
  vector: ComparisonVector,
  r: PreparedIdentity,
  model: MatchModel,
  sameHousehold: boolean,
): number {
  const given = vector.givenName;
  if (given === 'MISSING') return 0;
  const { m, u } = level(model.comparisons.givenName, given);
  if (sameHousehold) {
    const twins = vector.dateOfBirth === 'EXACT';
    return Math.log2(
      m / (twins ? model.household.twinGivenName[given] : model.household.givenName[given]),
    );
  }
  if (given === 'EXACT') {
    return Math.log2(m / termFrequency(model.givenNameFrequency, r.givenName.full, u, model));
  }
  return Math.log2(m / u);
}

/**
 * In one household a shared postcode adds only what the family name has not already said: u is the
 * chance another person with this family name lives at this postcode (household members, or chance).
 */
function postcodeWeight(
  vector: ComparisonVector,
  familyU: number,
  model: MatchModel,
  sameHousehold: boolean,
): number {
  if (vector.postcode === 'MISSING') return 0;
  const { m, u } = level(model.comparisons.postcode, vector.postcode);
  if (!sameHousehold) return Math.log2(m / u);
  const uGivenFamily = Math.min(1, model.household.sharers / (model.total * familyU) + u);
  return Math.log2(m / uGivenFamily);
}

/** u of an exact agreement on this name: its share of the agency's records (Splink's TF adjustment). */
function termFrequency(
  frequencies: ReadonlyMap<string, number>,
  name: string,
  averageU: number,
  model: MatchModel,
): number {
  if (frequencies.size === 0) return averageU;
  return Math.max(frequencies.get(name) ?? 0, 1 / model.total);
}

function level<L extends string>(table: Record<L, LevelProbabilities>, name: string) {
  return table[name as L];
}

function probabilityOf(matchWeight: number): number {
  return 1 / (1 + 2 ** -matchWeight);
}

/**
 * The given-name evidence a CERTAIN match needs, whatever the probability (policy, not a veto: the
 * match is still offered as POSSIBLE for a person to confirm): twins share a family name, a date of
 * birth, a postcode and, when one is mis-filed, an NHS number; only the given name tells them apart.
 * So a given name that differs outright, or is missing or a placeholder ("Baby"), leaves a match
 * POSSIBLE.
 */
/**
 * What a CERTAIN match needs besides its probability (a policy, not a veto: the match is still
 * POSSIBLE and a person can confirm it). A probability built from names alone leans on how rare
 * the names are in one agency's records, and names cluster (a community, a family naming a child
 * after a parent), so certainty needs the person's own identifiers to agree:
 * - a given name on both that agrees (twins and siblings share everything else; "Baby Smith"),
 * - and either the NHS number, or the date of birth (exact, day and month swapped, or one typing
 *   error) together with a family name that is not different (a parent and child of the same name,
 *   a surname change, or a namesake in another family are for a person to judge);
 * - and, at a different address with no NHS number agreeing, every name and the date of birth
 *   exactly equal: two children of alike names born the same day in one city are not rare where
 *   names cluster (measured by `npm run matching:evaluate`: this rule took the wrong-person certain
 *   matches at 100,000 people from 5 to 2, at the cost of 1–4 points of certain share).
 * Returns why the match is not certain, or null when it may be.
 */
function certainNeeds(vector: ComparisonVector): string | null {
  if (vector.givenName === 'DIFFERENT')
    return 'given names differ: a person must confirm (twins and siblings share everything else)';
  if (vector.givenName === 'MISSING')
    return 'no given name on both to tell twins apart: a person must confirm';
  if (vector.nhsNumber === 'EXACT') return null;
  const dateAgrees = CERTAIN_DATE_LEVELS.has(vector.dateOfBirth);
  if (!dateAgrees)
    return 'neither the NHS number nor the date of birth agrees: a person must confirm';
  if (vector.familyName === 'DIFFERENT' || vector.familyName === 'MISSING')
    return 'family names differ and no NHS number agrees: a person must confirm';
  const moved = vector.postcode !== 'EXACT' && vector.postcode !== 'MISSING';
  const allExact =
    vector.givenName === 'EXACT' && vector.familyName === 'EXACT' && vector.dateOfBirth === 'EXACT';
  if (moved && !allExact)
    return 'a different address, no agreeing NHS number and not every detail equal: a person must confirm';
  return null;
}

const CERTAIN_DATE_LEVELS = new Set<ComparisonVector['dateOfBirth']>([
  'EXACT',
  'DAY_MONTH_SWAPPED',
  'ONE_DIGIT',
]);

function bandOf(probability: number, vector: ComparisonVector, model: MatchModel): MatchBand {
  if (probability < model.possibleProbability) return 'NO_MATCH';
  if (probability >= model.certainProbability && !certainNeeds(vector)) return 'CERTAIN';
  return 'POSSIBLE';
}

/**
 * How sure we are that an agency record is the subject: a calibrated probability from a
 * Fellegi–Sunter model, its band, how it was made and what differs. A wrong-person match is a data
 * breach and a safeguarding risk, so anything short of CERTAIN needs a person to verify it.
 * Returns null when the record is not this subject (below the POSSIBLE band).
 */
export function matchIdentity(
  subject: Identity,
  record: Identity,
  model: MatchModel = DEFAULT_MATCH_MODEL,
): IdentityMatchResult | null {
  const explanation = explainMatch(subject, record, model);
  return resultOf(explanation, explanation.probability, record, model, []);
}

function resultOf(
  explanation: MatchExplanation,
  probability: number,
  record: Identity,
  model: MatchModel,
  extraDifferences: string[],
): IdentityMatchResult | null {
  const { vector } = explanation;
  const band = bandOf(probability, vector, model);
  if (band === 'NO_MATCH') return null;
  const differences = [...describeDifferences(vector, record), ...extraDifferences];
  const reason = probability >= model.certainProbability ? certainNeeds(vector) : null;
  if (reason) differences.push(reason);
  return {
    confidence: Math.floor(probability * 1000) / 1000,
    basis: basisOf(vector),
    band,
    needsVerification: band !== 'CERTAIN',
    differences,
  };
}

function basisOf(vector: ComparisonVector): MatchBasis {
  if (vector.nhsNumber === 'EXACT') return MatchBasis.NHS_NUMBER;
  const namesAndDate =
    vector.givenName === 'EXACT' && vector.familyName === 'EXACT' && vector.dateOfBirth === 'EXACT';
  if (!namesAndDate) return MatchBasis.APPROXIMATE_DEMOGRAPHICS;
  return vector.postcode === 'EXACT' ? MatchBasis.NAME_DOB_POSTCODE : MatchBasis.NAME_DOB;
}

const GIVEN_NAME_WORDS: Record<string, (name: string) => string> = {
  SWAPPED: () => 'given and family names recorded the other way round',
  NICKNAME: (name) => `given name recorded as "${name}" (short form or variant)`,
  PHONETIC: (name) => `given name spelt "${name}" (sounds the same)`,
  JARO_WINKLER_92: (name) => `given name spelt "${name}"`,
  PART: (name) => `given name recorded as "${name}" (one of the names agrees)`,
  JARO_WINKLER_88: (name) => `given name spelt "${name}"`,
  DIFFERENT: (name) => `given name differs ("${name}")`,
  MISSING: () => 'given name not known on both (missing or a placeholder such as "Baby")',
};
const FAMILY_NAME_WORDS: Record<string, (name: string) => string> = {
  PHONETIC: (name) => `family name spelt "${name}" (sounds the same)`,
  JARO_WINKLER_92: (name) => `family name spelt "${name}"`,
  PART: (name) => `family name recorded as "${name}" (one part agrees)`,
  JARO_WINKLER_88: (name) => `family name spelt "${name}"`,
  DIFFERENT: (name) => `family name differs ("${name}")`,
  MISSING: () => 'family name not known on both',
};

/** What differs, in a person's words; postcodes are described, never repeated (refuges). */
function describeDifferences(vector: ComparisonVector, record: Identity): string[] {
  const differences: string[] = [];
  const given = GIVEN_NAME_WORDS[vector.givenName];
  if (given) differences.push(given(record.givenName));
  const family = FAMILY_NAME_WORDS[vector.familyName];
  if (family) differences.push(family(record.familyName));
  const dob = record.dateOfBirth;
  switch (vector.dateOfBirth) {
    case 'MISSING':
      differences.push('date of birth not known on both');
      break;
    case 'DAY_MONTH_SWAPPED':
      differences.push(`date of birth recorded as ${dob} (day and month swapped)`);
      break;
    case 'ONE_DIGIT':
      differences.push(`date of birth recorded as ${dob} (one digit different)`);
      break;
    case 'SAME_YEAR':
    case 'DIFFERENT':
      differences.push(`date of birth differs (${dob})`);
      break;
  }
  switch (vector.postcode) {
    case 'MISSING':
      differences.push('postcode not known on both');
      break;
    case 'SECTOR':
    case 'DISTRICT':
      differences.push('postcode differs, same district');
      break;
    case 'DIFFERENT':
      differences.push('postcode differs (moved, or a different person)');
      break;
  }
  switch (vector.nhsNumber) {
    case 'ONE_TYPO':
      differences.push('NHS number differs by one typing error (one fails its check digit)');
      break;
    case 'ONE_INVALID':
      differences.push('NHS number differs, and one fails its check digit');
      break;
    case 'DIFFERENT':
      differences.push('NHS number differs');
      break;
  }
  if (vector.sex === 'DIFFERENT') differences.push('sex differs');
  return differences;
}

/**
 * The best-matching record. Records are never merged, and several close candidates make each less
 * likely: assuming at most one of them is the subject, the best one's probability is its odds over
 * one (none of them) plus every candidate's odds.
 */
export function bestMatch<R extends Identity>(
  subject: Identity,
  records: readonly R[],
  model: MatchModel = DEFAULT_MATCH_MODEL,
): { record: R; match: IdentityMatchResult; otherCandidates: number } | null {
  if (records.length === 0) return null;
  const scored = records.map((record) => ({
    record,
    explanation: explainMatch(subject, record, model),
  }));
  let best = scored[0];
  for (const s of scored) if (s.explanation.matchWeight > best.explanation.matchWeight) best = s;
  const top = best.explanation.matchWeight;
  let denominator = 2 ** -top + 1;
  let others = 0;
  for (const s of scored) {
    if (s === best) continue;
    denominator += 2 ** (s.explanation.matchWeight - top);
    if (s.explanation.probability >= model.possibleProbability) others++;
  }
  const probability = 1 / denominator;
  const note = others > 0 ? [`${others} other record(s) also match`] : [];
  const match = resultOf(best.explanation, probability, best.record, model, note);
  return match ? { record: best.record, match, otherCandidates: others } : null;
}
