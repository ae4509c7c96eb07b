import { NICKNAMES } from '../identity/nicknames';
import { IDENTITY_NOISE, IdentityNoiseKind } from './identityNoise';
import { postcodeDistrict, postcodeSector } from './postcodes';
import {
  ageOn,
  RecordedIdentity,
  recordIdentity,
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
  /** Per kind of noise: the share of records it was applied to (referrals, and a typical agency). */
  noise: Record<'referral' | 'agency', Record<IdentityNoiseKind, number>>;
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
    noise: { referral: noiseShares(subjects), agency: noiseShares(agencyRecords) },
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

function noiseShares(records: RecordedIdentity[]): Record<IdentityNoiseKind, number> {
  const counts = Object.fromEntries(Object.keys(IDENTITY_NOISE).map((k) => [k, 0])) as Record<
    IdentityNoiseKind,
    number
  >;
  for (const record of records) for (const kind of record.noise ?? []) counts[kind] += 1;
  for (const kind of Object.keys(counts) as IdentityNoiseKind[])
    counts[kind] = records.length ? counts[kind] / records.length : 0;
  return counts;
}
