import {
  BASELINE_ERROR,
  IDENTITY_NOISE,
  IdentityNoiseKind,
  misspell,
  mistypeDate,
  mistypeDigit,
  nickname,
  noiseRates,
  otherSpelling,
  RecordingSource,
  reformatPostcode,
  rehyphenate,
  spacedNhsNumber,
  swapDayAndMonth,
  transposeDigits,
} from './identityNoise';
import {
  drawGivenName,
  drawOrigin,
  drawSurname,
  feminineSurname,
  NameOrigin,
  nameInScript,
  otherSpellings,
  twinGivenName,
} from './names';
import { GOES_BY } from './nicknames';
import { syntheticNhsNumber } from './nhsNumber';
import { homeOf, previousHomeOf } from './postcodes';
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
  previousAddressLine: string | null;
  /** The community the name comes from (names.ts), which shapes how it is written and misheard. */
  origin: NameOrigin;
  /** Twins and triplets share this key (and their date of birth); null for a single birth. */
  multipleBirth: string | null;
  /** The surname before an adoption, a step-parent's name or a marriage; null if never changed. */
  formerFamilyName: string | null;
  /** The name in the script the family writes it in (Arabic, Urdu, Chinese), when it has one. */
  nameInScript: { givenName: string; familyName: string } | null;
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
  /** Which kinds of noise made this record differ from the truth (ground truth, like personKey). */
  noise?: IdentityNoiseKind[];
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
  /** One of the published MASH case studies this household lives out (`caseStudyHouseholds`). */
  caseStudy: CaseStudy | null;
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

/** Family i depends only on (seed, i), so family N is the same whatever the population size. */
export function generatePopulation(
  options: PopulationOptions = DEFAULT_POPULATION,
): SyntheticFamily[] {
  const families = Array.from({ length: options.families }, (_, i) =>
    generateFamily(options.seed, i),
  );
  assignCaseStudies(options.seed, families);
  return families;
}

/** People per family at most: NHS numbers are derived from familyIndex × this + member. */
const MAX_MEMBERS = 16;
/**
 * Multiple births per maternity in England and Wales (ONS, Births in England and Wales: about 14.5
 * multiple maternities per 1,000, of which about 1 in 70 triplets or more), so about 3% of
 * children are twins.
 */
export const MULTIPLE_BIRTH_RATE = { twins: 0.0143, triplets: 0.0002 };
/** How often a step-parent's surname is taken, and how many children were adopted. */
const STEP_PARENT_SURNAME = 0.2;
const ADOPTED = 0.003;

function generateFamily(seed: number, index: number): SyntheticFamily {
  // The story (concern, referral, refuge) has its own stream, so it does not shift when the way
  // people are made changes; the people have theirs.
  const story = new Random(seed, 'family', index);
  const random = new Random(seed, 'people', index);
  const familyKey = `F${String(index).padStart(6, '0')}`;
  const newToArea = index % 10 === 7;
  // Drawn for every family, so the story's later draws do not depend on the showcase.
  const drawnConcern = storyConcern(newToArea, story);
  const concern = isRefugeShowcase(index) && !newToArea ? 'DOMESTIC_ABUSE' : drawnConcern;
  const home = homeOf(seed, index);
  const previous =
    newToArea || random.chance(0.3) ? previousHomeOf(home, seed, random, newToArea) : null;
  const origin = drawOrigin(random);

  const members: SyntheticPerson[] = [];
  const addPerson = (
    role: HouseholdRole,
    sex: 'FEMALE' | 'MALE',
    dateOfBirth: string,
    givenName: string,
    familyName: string,
    extra: Partial<Pick<SyntheticPerson, 'multipleBirth' | 'formerFamilyName'>> = {},
  ) => {
    const person: SyntheticPerson = {
      personKey: `${familyKey}-P${members.length + 1}`,
      familyKey,
      role,
      givenName,
      familyName,
      dateOfBirth,
      sex,
      nhsNumber: syntheticNhsNumber(seed, index * MAX_MEMBERS + members.length),
      addressLine: home.addressLine,
      postcode: home.postcode,
      previousPostcode: previous?.postcode ?? null,
      previousAddressLine: previous?.addressLine ?? null,
      origin,
      multipleBirth: extra.multipleBirth ?? null,
      formerFamilyName: extra.formerFamilyName ?? null,
      nameInScript: SCRIPTED_ORIGINS.has(origin) ? nameInScript(givenName, familyName) : null,
    };
    members.push(person);
    return person;
  };

  // Births first (the children's ages fix the adults'): one to four maternities, at least eleven
  // months apart, the eldest child 0–16.
  const births: { dateOfBirth: string; multiplicity: number }[] = [];
  let birthDay = REFERENCE_DAY - random.int(0, 16) * 365 - random.int(0, 364);
  for (let m = random.int(1, 4); m > 0 && birthDay <= REFERENCE_DAY; m--) {
    const roll = random.next();
    const multiplicity =
      roll < MULTIPLE_BIRTH_RATE.triplets
        ? 3
        : roll < MULTIPLE_BIRTH_RATE.triplets + MULTIPLE_BIRTH_RATE.twins
          ? 2
          : 1;
    births.push({ dateOfBirth: isoDate(new Date(birthDay * DAY)), multiplicity });
    birthDay += random.int(330, 1500);
  }
  const eldestAge = ageOn(births[0].dateOfBirth);

  // Surnames: the children's father's, the mother's own (and her maiden name if she married him),
  // a hyphenated pair; Somali children carry their father's given name, a woman her father's.
  const fatherGiven = drawGivenName(origin, 'MALE', 'ADULT', random);
  const fatherSurname = drawSurname(origin, random);
  const motherBirthSurname = drawSurname(origin, random);
  const secondAdult = random.next(); // half have a father at home, a quarter a mother's partner
  const fatherAtHome = secondAdult < 0.5;
  const married = origin !== 'SOMALI' && random.chance(fatherAtHome ? 0.55 : 0.25);
  const childrenSurname =
    origin === 'SOMALI'
      ? fatherGiven
      : married
        ? fatherSurname
        : pickChildrenSurname(origin, fatherSurname, motherBirthSurname, random);

  const motherAge = Math.max(eldestAge + random.int(17, 30), 19);
  addPerson(
    'PARENT',
    'FEMALE',
    birthDateAtAge(motherAge, random),
    drawGivenName(origin, 'FEMALE', 'ADULT', random),
    feminineSurname(origin, married ? fatherSurname : motherBirthSurname, random),
    { formerFamilyName: married ? feminineSurname(origin, motherBirthSurname, random) : null },
  );
  let partnerSurname: string | null = null;
  if (fatherAtHome)
    addPerson(
      'PARENT',
      'MALE',
      birthDateAtAge(adultAge(motherAge + random.int(-3, 8)), random),
      fatherGiven,
      origin === 'SOMALI' ? drawSurname(origin, random) : fatherSurname,
    );
  else if (secondAdult < 0.75) {
    partnerSurname = drawSurname(random.chance(0.8) ? origin : drawOrigin(random), random);
    addPerson(
      'PARTNER',
      'MALE',
      birthDateAtAge(adultAge(motherAge + random.int(-5, 5)), random),
      drawGivenName(origin, 'MALE', 'ADULT', random),
      partnerSurname,
    );
  }
  if (random.chance(0.1))
    addPerson(
      'CARER',
      'FEMALE',
      birthDateAtAge(motherAge + random.int(20, 30), random),
      drawGivenName(origin, 'FEMALE', 'ADULT', random),
      feminineSurname(origin, random.chance(0.5) ? motherBirthSurname : fatherSurname, random),
    );

  births.forEach((birth, b) => {
    const multipleBirth = birth.multiplicity > 1 ? `${familyKey}-B${b + 1}` : null;
    // A third of twins are identical, so same-sex sets are about two thirds.
    const identical = birth.multiplicity > 1 && random.chance(1 / 3);
    const firstSex = random.chance(0.5) ? 'FEMALE' : 'MALE';
    let firstName: string | null = null;
    for (let k = 0; k < birth.multiplicity && members.length < MAX_MEMBERS; k++) {
      const sex = k === 0 || identical ? firstSex : random.chance(0.5) ? 'FEMALE' : 'MALE';
      const givenName: string =
        firstName === null
          ? drawGivenName(origin, sex, 'CHILD', random)
          : twinGivenName(firstName, origin, sex, random);
      firstName ??= givenName;
      let familyName =
        sex === 'FEMALE' ? feminineSurname(origin, childrenSurname, random) : childrenSurname;
      let formerFamilyName: string | null = null;
      if (partnerSurname && random.chance(STEP_PARENT_SURNAME)) {
        formerFamilyName = familyName;
        familyName = partnerSurname;
      } else if (random.chance(ADOPTED)) {
        formerFamilyName = drawSurname(drawOrigin(random), random);
      }
      addPerson(
        members.some((m) => m.role === 'CHILD') ? 'SIBLING' : 'CHILD',
        sex,
        birth.dateOfBirth,
        givenName,
        familyName,
        { multipleBirth, formerFamilyName },
      );
    }
  });

  const hasReferral = newToArea || index % 3 === 0;
  return {
    index,
    familyKey,
    members,
    concern,
    newToArea,
    caseStudy: null,
    referral: hasReferral
      ? generateReferral(
          members,
          concern,
          story,
          new Random(seed, 'referral', index),
          isRefugeShowcase(index),
        )
      : null,
  };
}

const SCRIPTED_ORIGINS = new Set<NameOrigin>(['ARABIC', 'SOUTH_ASIAN_MUSLIM', 'CHINESE']);
const DAY = 86_400_000;
const REFERENCE_DAY = Math.floor(REFERENCE_DATE.getTime() / DAY);

/** Unmarried parents' children: mostly the father's surname, some the mother's, some both. */
function pickChildrenSurname(
  origin: NameOrigin,
  father: string,
  mother: string,
  random: Random,
): string {
  const roll = random.next();
  if (roll < 0.6) return father;
  if (roll < 0.85 || (origin !== 'BRITISH' && origin !== 'IRISH') || father === mother)
    return mother;
  return `${mother}-${father}`;
}

function storyConcern(newToArea: boolean, story: Random): FamilyConcern {
  return newToArea ? 'NONE' : story.pick(CONCERNS);
}

/**
 * The demo's refuges: in every sixty families, the 4th and 10th are referred for domestic abuse
 * with the mother in a refuge (beyond the random ones), so any population of a dozen families or
 * more shows a protected address.
 */
export function isRefugeShowcase(familyIndex: number): boolean {
  return familyIndex % 60 === 3 || familyIndex % 60 === 9;
}

/**
 * The situations the hubs' published case studies describe, so that a demonstration shows why the
 * hub exists: each is what several agencies see separately and only the hub puts together.
 * - REPEATED_CALL_OUTS: police called to the home again and again for domestic incidents; at
 *   school every child shows behavioural difficulties and injuries, logged by the DSL.
 * - SEPARATION_ATTENDANCE: after the parents separate a pupil's attendance falls term on term,
 *   and the GP refers them to CAMHS.
 * - FINANCIAL_HARDSHIP: the health visitor knows the family is struggling; housing holds rent
 *   arrears, early help an open episode.
 */
export type CaseStudyKind = 'REPEATED_CALL_OUTS' | 'SEPARATION_ATTENDANCE' | 'FINANCIAL_HARDSHIP';

export interface CaseStudy {
  kind: CaseStudyKind;
  /** The children the story is about (their person keys), the same in every agency's records. */
  children: string[];
  /** SEPARATION_ATTENDANCE: the day the parents separated (after the autumn term ended). */
  separatedOn: string | null;
}

/**
 * One household of each case study in every block of this many families (about 4,000 people):
 * the first family of the block that fits each story, so about seven per 10,000 people, and a
 * population of a few dozen families usually holds one of each.
 */
export const CASE_STUDY_BLOCK = 1000;

const CASE_STUDY_KINDS: CaseStudyKind[] = [
  'REPEATED_CALL_OUTS',
  'SEPARATION_ATTENDANCE',
  'FINANCIAL_HARDSHIP',
];

/** The case-study households of a population, in family order, so tests and the README can name one. */
export function caseStudyHouseholds(
  population: SyntheticFamily[],
  kind?: CaseStudyKind,
): (SyntheticFamily & { caseStudy: CaseStudy })[] {
  return population.filter(
    (f): f is SyntheticFamily & { caseStudy: CaseStudy } =>
      f.caseStudy !== null && (kind === undefined || f.caseStudy.kind === kind),
  );
}

/** Whether a family fits a case study's story as it was drawn; the children it is about if so. */
function caseStudyChildren(family: SyntheticFamily, kind: CaseStudyKind): string[] | null {
  if (family.newToArea) return null;
  const children = family.members.filter((m) => ageOn(m.dateOfBirth) < 18);
  const maleAdult = family.members.some((m) => ageOn(m.dateOfBirth) >= 18 && m.sex === 'MALE');
  const keys = (people: SyntheticPerson[]) => people.map((p) => p.personKey);
  switch (kind) {
    case 'REPEATED_CALL_OUTS': {
      // Every child of school age, so every child is seen at school; the mother not in a refuge.
      const atSchool = children.every(
        (c) => ageOn(c.dateOfBirth) >= 5 && ageOn(c.dateOfBirth) <= 15,
      );
      const inRefuge = family.referral?.subjects.some((s) => s.addressConfidential) ?? false;
      return family.concern === 'DOMESTIC_ABUSE' &&
        maleAdult &&
        children.length >= 2 &&
        atSchool &&
        !inRefuge
        ? keys(children)
        : null;
    }
    case 'SEPARATION_ATTENDANCE': {
      // The father has left: no man in the household now; a pupil at secondary school.
      const pupil = children.find((c) => ageOn(c.dateOfBirth) >= 11 && ageOn(c.dateOfBirth) <= 15);
      return family.concern === 'NONE' && !maleAdult && pupil ? [pupil.personKey] : null;
    }
    case 'FINANCIAL_HARDSHIP': {
      const underFives = children.filter((c) => ageOn(c.dateOfBirth) < 5);
      return family.concern === 'NONE' && underFives.length > 0 ? keys(underFives) : null;
    }
  }
}

/** What a referral about a case-study household says (whoever made it): the story as seen from outside. */
export const CASE_STUDY_CONCERNS: Record<CaseStudyKind, string> = {
  REPEATED_CALL_OUTS:
    'Police called to the home again after a domestic incident, the children present; the school has logged injuries and behaviour for each of them.',
  SEPARATION_ATTENDANCE:
    'Since the parents separated the pupil’s attendance has fallen each term; low mood, and the GP has referred to CAMHS.',
  FINANCIAL_HARDSHIP:
    'Family struggling financially: rent arrears, a cold home, using the food bank; the health visitor is worried about the children.',
};

/** Marks the first family of each block that fits each story (a family lives out one story at most). */
function assignCaseStudies(seed: number, families: SyntheticFamily[]): void {
  for (let start = 0; start < families.length; start += CASE_STUDY_BLOCK) {
    const block = families.slice(start, start + CASE_STUDY_BLOCK);
    for (const kind of CASE_STUDY_KINDS) {
      for (const family of block) {
        const children = family.caseStudy ? null : caseStudyChildren(family, kind);
        if (!children) continue;
        const random = new Random(seed, 'case-study', family.index);
        family.caseStudy = {
          kind,
          children,
          separatedOn:
            kind === 'SEPARATION_ATTENDANCE'
              ? isoDate(daysBefore(REFERENCE_DATE, random.int(255, 285)))
              : null,
        };
        // A household already referred to the hub is referred about its story.
        if (family.referral) family.referral.concerns = CASE_STUDY_CONCERNS[kind];
        break;
      }
    }
  }
}

function generateReferral(
  members: SyntheticPerson[],
  concern: FamilyConcern,
  story: Random,
  random: Random,
  showcaseRefuge: boolean,
): SyntheticReferral {
  const referrerType = story.pick(REFERRERS);
  const knowsNhsNumbers = referrerType === 'HEALTH' || referrerType === 'GP';
  const consentRoll = story.next();
  // A domestic-abuse victim may have fled to a refuge: her address is confidential.
  const inRefuge = concern === 'DOMESTIC_ABUSE' && (story.chance(0.3) || showcaseRefuge);
  const receivedAt = daysBefore(REFERENCE_DATE, story.int(0, 20));
  const rag = story.chance(0.1) ? null : story.pick<RagRating>(['RED', 'AMBER', 'GREEN']);
  // A community group, or the family writing for itself, may keep names in their own script.
  const community =
    referrerType === 'OTHER' || referrerType === 'SELF' || referrerType === 'FAMILY';
  const habits: RecordingHabits = {
    source: 'REFERRAL',
    nhsNumberKnown: knowsNhsNumbers ? 0.9 : 0.2,
    error: BASELINE_ERROR.REFERRAL,
    oldAddress: IDENTITY_NOISE.OLD_ADDRESS.referral,
    originalScript: community ? 0.4 : 0,
  };
  return {
    receivedAt,
    referrerType,
    concerns: CONCERN_TEXT[concern],
    rag,
    consent: consentRoll < 0.6 ? 'GIVEN' : consentRoll < 0.8 ? 'NOT_SOUGHT' : 'REFUSED',
    subjects: members.map((person) => ({
      addressConfidential: inRefuge && person.role === 'PARENT' && person.sex === 'FEMALE',
      ...recordIdentity(person, random, habits),
      role: person.role,
    })),
  };
}

export interface RecordingHabits {
  /** Probability the NHS number is on the record. */
  nhsNumberKnown: number;
  /**
   * How error-prone the source's keying is; the typing rates in `IDENTITY_NOISE` hold at
   * `BASELINE_ERROR[source]` and scale with this.
   */
  error: number;
  /** Probability the record still has the address from before a move. */
  oldAddress: number;
  /** A referral (phone, form) or an agency's own system; an agency unless said. */
  source?: RecordingSource;
  /** Probability a name is kept in its original script when the person has one. */
  originalScript?: number;
}

const ratesCache = new Map<string, Record<IdentityNoiseKind, number>>();
function ratesFor(habits: RecordingHabits) {
  const source = habits.source ?? 'AGENCY';
  const key = `${source}/${habits.error}`;
  let rates = ratesCache.get(key);
  if (!rates) ratesCache.set(key, (rates = noiseRates(source, habits.error)));
  return rates;
}

/** Family-name-first naming: names end up in each other's boxes more often. */
const NAMES_SWAPPED_MORE = new Set<NameOrigin>(['CHINESE', 'SOMALI']);

/** How one agency recorded a person: the truth with that agency's habits and errors applied. */
export function recordIdentity(
  person: SyntheticPerson,
  random: Random,
  habits: RecordingHabits,
): RecordedIdentity {
  const rates = ratesFor(habits);
  const noise: IdentityNoiseKind[] = [];
  const apply = (kind: IdentityNoiseKind, rate = rates[kind]) => {
    const hit = random.chance(rate);
    if (hit) noise.push(kind);
    return hit;
  };

  let givenName = person.givenName;
  let familyName = person.familyName;
  const newborn = REFERENCE_DAY - dayOf(person.dateOfBirth) < 42;
  if (newborn && apply('BABY_NAME')) givenName = 'Baby';
  else if (GOES_BY[givenName] && apply('NICKNAME')) givenName = nickname(givenName, random)!;
  else if (otherSpellings(givenName).length && apply('OTHER_SPELLING'))
    givenName = otherSpelling(givenName, random)!;
  if (person.formerFamilyName && apply('FORMER_SURNAME')) familyName = person.formerFamilyName;
  else if (
    /(ska|cka)$/.test(familyName) &&
    person.origin === 'POLISH' &&
    apply('SURNAME_OTHER_GENDER_FORM')
  )
    familyName = familyName.replace(/ka$/, 'ki');
  if (
    otherSpellings(familyName).length &&
    !noise.includes('OTHER_SPELLING') &&
    apply('OTHER_SPELLING')
  )
    familyName = otherSpelling(familyName, random)!;
  if (/[-' ’]|^Mc/.test(familyName) && apply('HYPHENATION'))
    familyName = rehyphenate(familyName, random) ?? familyName;
  if (givenName !== 'Baby' && apply('GIVEN_NAME_MISSPELT')) givenName = misspell(givenName, random);
  if (apply('FAMILY_NAME_MISSPELT')) familyName = misspell(familyName, random);
  const swapRate = rates.NAMES_SWAPPED * (NAMES_SWAPPED_MORE.has(person.origin) ? 4 : 1);
  if (apply('NAMES_SWAPPED', swapRate)) [givenName, familyName] = [familyName, givenName];
  if (person.nameInScript && apply('ORIGINAL_SCRIPT', habits.originalScript ?? 0))
    ({ givenName, familyName } = person.nameInScript);

  let dateOfBirth: string | null = person.dateOfBirth;
  if (apply('DOB_MISSING')) dateOfBirth = null;
  else if (apply('DOB_DIGIT_TYPO')) dateOfBirth = mistypeDate(dateOfBirth, random) ?? dateOfBirth;
  else if (apply('DOB_DAY_MONTH_SWAPPED'))
    dateOfBirth = swapDayAndMonth(dateOfBirth) ?? dateOfBirth;

  const sex = apply('SEX_DIFFERENT') ? (person.sex === 'FEMALE' ? 'MALE' : 'FEMALE') : person.sex;

  const oldAddressRate = habits.source === 'REFERRAL' ? rates.OLD_ADDRESS : habits.oldAddress;
  const usesOldAddress = person.previousPostcode !== null && apply('OLD_ADDRESS', oldAddressRate);
  let postcode = usesOldAddress ? person.previousPostcode! : person.postcode;
  if (apply('POSTCODE_FORMAT')) postcode = reformatPostcode(postcode, random);

  let nhsNumber: string | null = random.chance(habits.nhsNumberKnown) ? person.nhsNumber : null;
  if (nhsNumber) {
    if (apply('NHS_NUMBER_TRANSPOSED')) nhsNumber = transposeDigits(nhsNumber, random);
    else if (apply('NHS_NUMBER_DIGIT_TYPO')) nhsNumber = mistypeDigit(nhsNumber, random);
    if (apply('NHS_NUMBER_SPACED')) nhsNumber = spacedNhsNumber(nhsNumber);
  }

  return {
    personKey: person.personKey,
    givenName,
    familyName,
    dateOfBirth,
    sex,
    addressLine: usesOldAddress ? person.previousAddressLine : person.addressLine,
    postcode,
    nhsNumber,
    noise: noise.filter((kind, i) => noise.indexOf(kind) === i),
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

function dayOf(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate}T00:00:00Z`) / DAY);
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

export function daysAfter(date: Date, days: number): Date {
  return daysBefore(date, -days);
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
