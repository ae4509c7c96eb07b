import { NICKNAMES } from '../identity/nicknames';
import { IDENTITY_NOISE, IdentityNoiseKind } from './identityNoise';
import { otherSpellings } from './names';
import { GOES_BY } from './nicknames';
import { postcodeDistrict, postcodeSector } from './postcodes';
import {
  ageOn,
  RecordedIdentity,
  recordIdentity,
  REFERENCE_DATE,
  RecordingHabits,
  SyntheticFamily,
  SyntheticPerson,
} from './population';
import { Random } from './random';

/** The figures that say how much the synthetic population looks like a real one. */
export interface PopulationRealism {
  families: number;
  people: number;
  children: number;
  /** Share of children born as twins or triplets (UK: about 3%). */
  childrenInMultipleBirths: number;
  multipleBirthSets: number;
  postcodes: number;
  sectors: number;
  districts: number;
  /** Households per unit postcode in use (UK: about 15). */
  householdsPerPostcode: number;
  peoplePerPostcode: number;
  /** The five commonest surnames and their shares of all people (UK: Smith about 1.1%). */
  topSurnames: [string, number][];
  /** Share of people whose name has another script, another origin, a changed surname… */
  shares: Record<
    'nameInScript' | 'notBritishOrigin' | 'formerSurname' | 'hyphenatedSurname',
    number
  >;
  uniqueNhsNumbers: boolean;
  /**
   * Per kind of noise: the share of the records it could apply to that it was applied to
   * (referrals, and a typical agency), comparable with `IDENTITY_NOISE`'s rates.
   */
  noise: Record<'referral' | 'agency', Record<IdentityNoiseKind, number>>;
  /** How many records each kind could apply to (the denominators of `noise`). */
  eligible: Record<'referral' | 'agency', Record<IdentityNoiseKind, number>>;
  referralSubjects: number;
  /** Of the nicknames recorded, the share the matcher's own list (identity/nicknames.ts) lacks. */
  nicknamesOutsideMatcher: number;
}

/** A typical agency's habits, for the report (each seed file states its own). */
export const TYPICAL_AGENCY: RecordingHabits = {
  nhsNumberKnown: 0.8,
  error: 0.1,
  oldAddress: 0.25,
};

export function measureRealism(population: SyntheticFamily[]): PopulationRealism {
  const people = population.flatMap((f) => f.members);
  const children = people.filter((p) => ageOn(p.dateOfBirth) < 18);
  const households = new Map<string, number>();
  for (const family of population) {
    const postcode = family.members[0].postcode;
    households.set(postcode, (households.get(postcode) ?? 0) + 1);
  }
  const surnames = new Map<string, number>();
  for (const person of people)
    surnames.set(person.familyName, (surnames.get(person.familyName) ?? 0) + 1);
  const share = (count: number, of = people.length) => (of ? count / of : 0);

  const truth = new Map(people.map((p) => [p.personKey, p]));
  const subjects = population.flatMap((f) => f.referral?.subjects ?? []);
  const agencyRecords = people.map((person) =>
    recordIdentity(person, new Random('realism-agency', person.personKey), TYPICAL_AGENCY),
  );
  return {
    families: population.length,
    people: people.length,
    children: children.length,
    childrenInMultipleBirths: share(
      children.filter((c) => c.multipleBirth).length,
      children.length,
    ),
    multipleBirthSets: new Set(people.map((p) => p.multipleBirth).filter(Boolean)).size,
    postcodes: households.size,
    sectors: new Set([...households.keys()].map(postcodeSector)).size,
    districts: new Set([...households.keys()].map(postcodeDistrict)).size,
    householdsPerPostcode: share(population.length, households.size),
    peoplePerPostcode: share(people.length, households.size),
    topSurnames: [...surnames.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([name, count]) => [name, share(count)]),
    shares: {
      nameInScript: share(people.filter((p) => p.nameInScript).length),
      notBritishOrigin: share(people.filter((p) => p.origin !== 'BRITISH').length),
      formerSurname: share(people.filter((p) => p.formerFamilyName).length),
      hyphenatedSurname: share(people.filter((p) => /[- ]/.test(p.familyName)).length),
    },
    uniqueNhsNumbers: new Set(people.map((p) => p.nhsNumber)).size === people.length,
    noise: {
      referral: noiseShares(subjects, truth).shares,
      agency: noiseShares(agencyRecords, truth).shares,
    },
    eligible: {
      referral: noiseShares(subjects, truth).eligible,
      agency: noiseShares(agencyRecords, truth).eligible,
    },
    referralSubjects: subjects.length,
    nicknamesOutsideMatcher: outsideMatcher([...subjects, ...agencyRecords], people),
  };
}

function outsideMatcher(records: RecordedIdentity[], people: SyntheticPerson[]): number {
  const truth = new Map(people.map((p) => [p.personKey, p]));
  const nicknamed = records.filter((r) => r.noise?.includes('NICKNAME'));
  const unknown = nicknamed.filter((r) => {
    const formal = truth.get(r.personKey)!.givenName.toLowerCase();
    return !(NICKNAMES[formal] ?? []).includes(r.givenName.toLowerCase());
  });
  return nicknamed.length ? unknown.length / nicknamed.length : 0;
}

/** Who each kind of noise can apply to (the table's rates are among these). */
const ELIGIBLE: Partial<
  Record<IdentityNoiseKind, (p: SyntheticPerson, r: RecordedIdentity) => boolean>
> = {
  NICKNAME: (p) => p.givenName in GOES_BY,
  OTHER_SPELLING: (p) =>
    otherSpellings(p.givenName).length + otherSpellings(p.familyName).length > 0,
  HYPHENATION: (p) => /[-' ’]|^Mc/.test(p.familyName),
  FORMER_SURNAME: (p) => p.formerFamilyName !== null,
  SURNAME_OTHER_GENDER_FORM: (p) => p.origin === 'POLISH' && /(ska|cka)$/.test(p.familyName),
  ORIGINAL_SCRIPT: (p) => p.nameInScript !== null,
  BABY_NAME: (p) => ageOn(p.dateOfBirth) === 0 && daysOld(p.dateOfBirth) < 42,
  NHS_NUMBER_TRANSPOSED: (_, r) => r.nhsNumber !== null,
  NHS_NUMBER_DIGIT_TYPO: (_, r) => r.nhsNumber !== null,
  NHS_NUMBER_SPACED: (_, r) => r.nhsNumber !== null,
  OLD_ADDRESS: (p) => p.previousPostcode !== null,
};

function daysOld(dateOfBirth: string): number {
  return (REFERENCE_DATE.getTime() - Date.parse(`${dateOfBirth}T00:00:00Z`)) / 86_400_000;
}

function noiseShares(
  records: RecordedIdentity[],
  truth: Map<string, SyntheticPerson>,
): { shares: Record<IdentityNoiseKind, number>; eligible: Record<IdentityNoiseKind, number> } {
  const shares = {} as Record<IdentityNoiseKind, number>;
  const eligible = {} as Record<IdentityNoiseKind, number>;
  for (const kind of Object.keys(IDENTITY_NOISE) as IdentityNoiseKind[]) {
    const canApply = ELIGIBLE[kind];
    const among = canApply ? records.filter((r) => canApply(truth.get(r.personKey)!, r)) : records;
    eligible[kind] = among.length;
    shares[kind] = among.length
      ? among.filter((r) => r.noise?.includes(kind)).length / among.length
      : 0;
  }
  return { shares, eligible };
}
