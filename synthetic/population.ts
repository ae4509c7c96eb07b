import { Faker, base, en, en_GB } from '@faker-js/faker';
import { FEMALE_NICKNAMES, MALE_NICKNAMES } from '../identity/nicknames';
import { misspell, nickname, swapDayAndMonth } from './identityNoise';
import { syntheticNhsNumber } from './nhsNumber';
import { Random } from './random';

/** Every date in the synthetic world is relative to this day, so a seed always gives the same data. */
export const REFERENCE_DATE = new Date('2026-10-01T09:00:00Z');

export type HouseholdRole = 'CHILD' | 'SIBLING' | 'PARENT' | 'CARER' | 'PARTNER' | 'OTHER_ADULT';
export type FamilyConcern =
  'DOMESTIC_ABUSE' | 'NEGLECT' | 'PARENTAL_MENTAL_HEALTH' | 'SUBSTANCE_MISUSE' | 'NONE';
export type ReferrerType =
  'POLICE' | 'SCHOOL' | 'HEALTH' | 'GP' | 'SELF' | 'FAMILY' | 'ANONYMOUS' | 'OTHER';
export type RagRating = 'RED' | 'AMBER' | 'GREEN';

/** A synthetic person as they really are (the ground truth no single agency holds). */
export interface SyntheticPerson {
  personKey: string;
  familyKey: string;
  role: HouseholdRole;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: 'FEMALE' | 'MALE';
  nhsNumber: string;
  addressLine: string;
  postcode: string;
  /** Where the family lived before a recent move, if they moved. */
  previousPostcode: string | null;
}

/** A person as one agency (or a referrer) recorded them: possibly wrong, possibly incomplete. */
export interface RecordedIdentity {
  personKey: string; // ground truth, for tests and the benchmark; never stored by an agency
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: 'FEMALE' | 'MALE';
  addressLine: string | null;
  postcode: string | null;
  nhsNumber: string | null;
}

export type ReferralConsent = 'GIVEN' | 'REFUSED' | 'NOT_SOUGHT';

export interface SyntheticReferral {
  receivedAt: Date;
  referrerType: ReferrerType;
  concerns: string;
  rag: RagRating | null;
  /** Whether the referrer sought the family's consent to share, and the answer. */
  consent: ReferralConsent;
  subjects: (RecordedIdentity & { role: HouseholdRole; addressConfidential: boolean })[];
}

export interface SyntheticFamily {
  index: number;
  familyKey: string;
  members: SyntheticPerson[];
  concern: FamilyConcern;
  /** Just arrived in the area: no agency here knows them yet. */
  newToArea: boolean;
  referral: SyntheticReferral | null;
}

export interface PopulationOptions {
  seed: number;
  families: number;
}

export const DEFAULT_POPULATION: PopulationOptions = { seed: 20261123, families: 60 };

const CONCERNS: FamilyConcern[] = [
  'DOMESTIC_ABUSE',
  'NEGLECT',
  'PARENTAL_MENTAL_HEALTH',
  'SUBSTANCE_MISUSE',
  'NONE',
];
const CONCERN_TEXT: Record<FamilyConcern, string> = {
  DOMESTIC_ABUSE: 'Child disclosed shouting and hitting at home; mother seen with bruising.',
  NEGLECT: 'Child often hungry, unwashed and in unsuitable clothing; poor attendance.',
  PARENTAL_MENTAL_HEALTH: 'Parent reported to be very low and struggling to care for the children.',
  SUBSTANCE_MISUSE:
    'Parent appeared intoxicated at school pick-up; child anxious about going home.',
  NONE: 'Neighbour worried about children left alone in the evening.',
};
const REFERRERS: ReferrerType[] = [
  'POLICE',
  'SCHOOL',
  'HEALTH',
  'GP',
  'SELF',
  'FAMILY',
  'ANONYMOUS',
  'OTHER',
];
const FORMAL_NAMES = { FEMALE: Object.keys(FEMALE_NICKNAMES), MALE: Object.keys(MALE_NICKNAMES) };

/** Families 0..N-1; family i depends only on (seed, i). */
export function generatePopulation(
  options: PopulationOptions = DEFAULT_POPULATION,
): SyntheticFamily[] {
  const faker = new Faker({ locale: [en_GB, en, base] });
  return Array.from({ length: options.families }, (_, i) => generateFamily(faker, options.seed, i));
}

function generateFamily(faker: Faker, seed: number, index: number): SyntheticFamily {
  const random = new Random(seed, 'family', index);
  faker.seed(random.int(0, 2 ** 31));
  const familyKey = `F${String(index).padStart(6, '0')}`;
  const familyName = faker.person.lastName();
  const addressLine = `${faker.location.buildingNumber()} ${faker.location.street()}, ${faker.location.city()}`;
  const postcode = faker.location.zipCode().toUpperCase();
  const previousPostcode = random.chance(0.3) ? faker.location.zipCode().toUpperCase() : null;
  const newToArea = index % 10 === 7;
  const concern = newToArea ? 'NONE' : random.pick(CONCERNS);

  const members: SyntheticPerson[] = [];
  const addPerson = (role: HouseholdRole, sex: 'FEMALE' | 'MALE', age: number, surname: string) => {
    const givenName = random.chance(0.3)
      ? capitalise(random.pick(FORMAL_NAMES[sex]))
      : faker.person.firstName(sex === 'FEMALE' ? 'female' : 'male');
    members.push({
      personKey: `${familyKey}-P${members.length + 1}`,
      familyKey,
      role,
      givenName,
      familyName: surname,
      dateOfBirth: birthDateAtAge(age, random),
      sex,
      nhsNumber: syntheticNhsNumber(random),
      addressLine,
      postcode,
      previousPostcode,
    });
  };

  const childCount = random.int(1, 4);
  const childAges = Array.from({ length: childCount }, () => random.int(0, 16)).sort(
    (a, b) => b - a,
  );
  const motherAge = Math.max(childAges[0] + random.int(17, 30), 19);
  addPerson('PARENT', 'FEMALE', motherAge, familyName);
  const secondAdult = random.next(); // half have a father at home, a quarter a mother's partner
  if (secondAdult < 0.5)
    addPerson('PARENT', 'MALE', adultAge(motherAge + random.int(-3, 8)), familyName);
  else if (secondAdult < 0.75)
    addPerson('PARTNER', 'MALE', adultAge(motherAge + random.int(-5, 5)), faker.person.lastName());
  if (random.chance(0.1))
    addPerson('CARER', 'FEMALE', motherAge + random.int(20, 30), faker.person.lastName());
  childAges.forEach((age, i) =>
    addPerson(
      i === 0 ? 'CHILD' : 'SIBLING',
      random.chance(0.5) ? 'FEMALE' : 'MALE',
      age,
      familyName,
    ),
  );

  const hasReferral = newToArea || index % 3 === 0;
  return {
    index,
    familyKey,
    members,
    concern,
    newToArea,
    referral: hasReferral ? generateReferral(members, concern, random) : null,
  };
}

function generateReferral(
  members: SyntheticPerson[],
  concern: FamilyConcern,
  random: Random,
): SyntheticReferral {
  const referrerType = random.pick(REFERRERS);
  const knowsNhsNumbers = referrerType === 'HEALTH' || referrerType === 'GP';
  const consentRoll = random.next();
  // A domestic-abuse victim may have fled to a refuge: her address is confidential.
  const inRefuge = concern === 'DOMESTIC_ABUSE' && random.chance(0.3);
  return {
    receivedAt: daysBefore(REFERENCE_DATE, random.int(0, 20)),
    referrerType,
    concerns: CONCERN_TEXT[concern],
    rag: random.chance(0.1) ? null : random.pick<RagRating>(['RED', 'AMBER', 'GREEN']),
    consent: consentRoll < 0.6 ? 'GIVEN' : consentRoll < 0.8 ? 'NOT_SOUGHT' : 'REFUSED',
    subjects: members.map((person) => ({
      addressConfidential: inRefuge && person.role === 'PARENT' && person.sex === 'FEMALE',
      ...recordIdentity(person, random, {
        nhsNumberKnown: knowsNhsNumbers ? 0.9 : 0.2,
        error: 0.15,
        oldAddress: 0,
      }),
      role: person.role,
    })),
  };
}

export interface RecordingHabits {
  /** Probability the NHS number is on the record. */
  nhsNumberKnown: number;
  /** Probability of each kind of identity error (misspelling, nickname, swapped date). */
  error: number;
  /** Probability the record still has the address from before a move. */
  oldAddress: number;
}

/** How one agency recorded a person: the truth with that agency's habits and errors applied. */
export function recordIdentity(
  person: SyntheticPerson,
  random: Random,
  habits: RecordingHabits,
): RecordedIdentity {
  const swapped = random.chance(habits.error) ? swapDayAndMonth(person.dateOfBirth) : null;
  const usesOldAddress = person.previousPostcode !== null && random.chance(habits.oldAddress);
  return {
    personKey: person.personKey,
    givenName:
      (random.chance(habits.error) && nickname(person.givenName, random)) || person.givenName,
    familyName: random.chance(habits.error)
      ? misspell(person.familyName, random)
      : person.familyName,
    dateOfBirth: swapped ?? person.dateOfBirth,
    sex: person.sex,
    addressLine: usesOldAddress ? null : person.addressLine,
    postcode: usesOldAddress ? person.previousPostcode : person.postcode,
    nhsNumber: random.chance(habits.nhsNumberKnown) ? person.nhsNumber : null,
  };
}

/** An agency's person-index row for someone: its recorded identity, without the ground truth. */
export function agencyIdentity(person: SyntheticPerson, random: Random, habits: RecordingHabits) {
  const recorded = recordIdentity(person, random, habits);
  return {
    givenName: recorded.givenName,
    familyName: recorded.familyName,
    dateOfBirth: recorded.dateOfBirth,
    sex: recorded.sex,
    postcode: recorded.postcode,
    nhsNumber: recorded.nhsNumber,
  };
}

export function ageOn(dateOfBirth: string, on: Date = REFERENCE_DATE): number {
  const birth = new Date(`${dateOfBirth}T00:00:00Z`);
  let age = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() ||
    (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export function daysBefore(date: Date, days: number): Date {
  return new Date(date.getTime() - days * 86_400_000);
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function birthDateAtAge(age: number, random: Random): string {
  return isoDate(daysBefore(REFERENCE_DATE, age * 365 + random.int(0, 364)));
}

function adultAge(age: number): number {
  return Math.max(age, 18);
}

function capitalise(name: string): string {
  return name[0].toUpperCase() + name.slice(1);
}
