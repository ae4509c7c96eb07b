import jaroWinkler from 'talisman/metrics/jaro-winkler';
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { MatchBasis } from '../schema/agencyCheck';
import { areNicknameVariants } from './nicknames';

/** The identifying details on either side of a match: a referral's subject or an agency's record. */
export interface Identity {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: string | null;
  postcode: string | null;
  nhsNumber: string | null;
}

export interface IdentityMatchResult {
  confidence: number;
  basis: MatchBasis;
  needsVerification: boolean;
  differences: string[];
}

/** Below this a candidate is not reported at all; anything reported below certainty is "possible". */
export const MINIMUM_CONFIDENCE = 0.6;

// Weights of each element in a demographic match; date of birth discriminates most.
const WEIGHT = { familyName: 0.25, givenName: 0.2, dateOfBirth: 0.35, postcode: 0.2 };
const DEMOGRAPHIC_CEILING = 0.97; // an all-equal demographic match is still short of an NHS number
const SEX_MISMATCH_FACTOR = 0.7;

/**
 * How sure we are that an agency record is the subject. A wrong-person match is a data breach and
 * a safeguarding risk, so every match says how it was made and what differs, and anything short of
 * an agreeing NHS number or identical name, date of birth and postcode needs a person to verify it.
 * Returns null when the record is not this subject.
 */
export function matchIdentity(subject: Identity, record: Identity): IdentityMatchResult | null {
  if (subject.nhsNumber && record.nhsNumber) {
    // Different valid NHS numbers are different people, whatever the demographics say.
    return subject.nhsNumber === record.nhsNumber ? matchOnNhsNumber(subject, record) : null;
  }
  return matchOnDemographics(subject, record);
}

function matchOnNhsNumber(subject: Identity, record: Identity): IdentityMatchResult {
  const family = compareName(subject.familyName, record.familyName);
  const dateOfBirth = compareDateOfBirth(subject.dateOfBirth, record.dateOfBirth);
  const differences = [...family.differences, ...dateOfBirth.differences];
  const agrees = family.score > 0 && dateOfBirth.score >= 0.7;
  return agrees
    ? { confidence: 0.99, basis: MatchBasis.NHS_NUMBER, needsVerification: false, differences }
    : {
        confidence: 0.7,
        basis: MatchBasis.NHS_NUMBER,
        needsVerification: true,
        differences: ['NHS number equal but demographics disagree', ...differences],
      };
}

function matchOnDemographics(subject: Identity, record: Identity): IdentityMatchResult | null {
  const given = compareGivenName(subject.givenName, record.givenName);
  const family = compareName(subject.familyName, record.familyName);
  const dateOfBirth = compareDateOfBirth(subject.dateOfBirth, record.dateOfBirth);
  const postcode = comparePostcode(subject.postcode, record.postcode);

  // A different given name or a different date of birth is a different person (twins, siblings).
  if (given.score === 0 || dateOfBirth.score === 0) return null;

  let score =
    WEIGHT.familyName * family.score +
    WEIGHT.givenName * given.score +
    WEIGHT.dateOfBirth * dateOfBirth.score +
    WEIGHT.postcode * postcode.score;
  const differences = [
    ...given.differences,
    ...family.differences,
    ...dateOfBirth.differences,
    ...postcode.differences,
  ];
  if (subject.sex && record.sex && subject.sex !== record.sex && subject.sex !== 'UNKNOWN') {
    score *= SEX_MISMATCH_FACTOR;
    differences.push('sex differs');
  }
  const confidence = round(score * DEMOGRAPHIC_CEILING);
  if (confidence < MINIMUM_CONFIDENCE) return null;

  const namesAndDateEqual = given.score === 1 && family.score === 1 && dateOfBirth.score === 1;
  const basis = !namesAndDateEqual
    ? MatchBasis.APPROXIMATE_DEMOGRAPHICS
    : postcode.score === 1
      ? MatchBasis.NAME_DOB_POSTCODE
      : MatchBasis.NAME_DOB;
  return {
    confidence,
    basis,
    needsVerification: basis !== MatchBasis.NAME_DOB_POSTCODE || differences.length > 0,
    differences,
  };
}

interface Comparison {
  score: number; // 1 equal, 0 disagree, in between: similar
  differences: string[];
}

function compareGivenName(subject: string, record: string): Comparison {
  if (areNicknameVariants(normalise(subject), normalise(record))) {
    return { score: 0.85, differences: [`given name recorded as "${record}" (short form)`] };
  }
  return compareName(subject, record, 'given name');
}

function compareName(subject: string, record: string, label = 'family name'): Comparison {
  const a = normalise(subject);
  const b = normalise(record);
  if (a === b) return { score: 1, differences: [] };
  const soundsAlike = doubleMetaphone(a)[0] === doubleMetaphone(b)[0];
  if (soundsAlike || jaroWinkler(a, b) >= 0.9) {
    return { score: 0.8, differences: [`${label} spelt "${record}"`] };
  }
  return { score: 0, differences: [`${label} differs ("${record}")`] };
}

function compareDateOfBirth(subject: string | null, record: string | null): Comparison {
  if (!subject || !record) return { score: 0.5, differences: ['date of birth not known on both'] };
  if (subject === record) return { score: 1, differences: [] };
  const [sy, sm, sd] = subject.split('-');
  const [ry, rm, rd] = record.split('-');
  if (sy === ry && sm === rd && sd === rm) {
    return {
      score: 0.7,
      differences: [`date of birth recorded as ${record} (day and month swapped)`],
    };
  }
  return { score: 0, differences: [`date of birth differs (${record})`] };
}

function comparePostcode(subject: string | null, record: string | null): Comparison {
  if (!subject || !record) return { score: 0.5, differences: ['postcode not known on both'] };
  const a = subject.replace(/\s+/g, '').toUpperCase();
  const b = record.replace(/\s+/g, '').toUpperCase();
  if (a === b) return { score: 1, differences: [] };
  // Postcode values are not repeated here: an address can be confidential (a refuge).
  if (outwardCode(a) === outwardCode(b))
    return { score: 0.5, differences: ['postcode differs, same district'] };
  return { score: 0, differences: ['postcode differs (moved, or a different person)'] };
}

function outwardCode(compactPostcode: string): string {
  return compactPostcode.slice(0, -3);
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The best-matching record, with how many others matched too (they are never merged). */
export function bestMatch<R extends Identity>(
  subject: Identity,
  records: R[],
): { record: R; match: IdentityMatchResult; otherCandidates: number } | null {
  const scored = records
    .map((record) => ({ record, match: matchIdentity(subject, record) }))
    .filter((s): s is { record: R; match: IdentityMatchResult } => s.match !== null)
    .sort((x, y) => y.match.confidence - x.match.confidence);
  if (scored.length === 0) return null;
  const [best, ...others] = scored;
  const match =
    others.length > 0
      ? {
          ...best.match,
          needsVerification: true,
          differences: [...best.match.differences, `${others.length} other record(s) also match`],
        }
      : best.match;
  return { record: best.record, match, otherCandidates: others.length };
}

/** The values an agency searches its person index by, for a batch of subjects. */
export function blockingKeys(subjects: Identity[]) {
  const datesOfBirth = new Set<string>();
  for (const s of subjects) {
    if (!s.dateOfBirth) continue;
    datesOfBirth.add(s.dateOfBirth);
    const [y, m, d] = s.dateOfBirth.split('-');
    if (Number(d) <= 12) datesOfBirth.add(`${y}-${d}-${m}`);
  }
  return {
    nhsNumbers: unique(subjects.map((s) => s.nhsNumber)),
    datesOfBirth: [...datesOfBirth],
    postcodes: unique(subjects.map((s) => s.postcode)),
  };
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}
