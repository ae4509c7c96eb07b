import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { normaliseName, normaliseNhsNumber, normalisePostcode } from './normaliseName';

/** The identifying details blocking reads (a referral's subject or an agency's record). */
export interface BlockableIdentity {
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  postcode: string | null;
  nhsNumber: string | null;
}

/**
 * The blocking keys stored on each agency person row, one indexed column each. A candidate is any
 * row sharing at least one key with the subject. Each rule is narrow enough that the candidates
 * per subject stay about the same as an agency grows (no rule is "same date of birth" alone), and
 * together they still fetch the errors real records carry:
 * - `nhsNumberKey`: the ten digits, however stored (spaces, dashes).
 * - `birthFamilyKey`: date of birth + family-name sound: a move, a given-name nickname.
 * - `birthGivenKey`: date of birth + given-name sound: a surname change (adoption, step-parent,
 *   marriage, hyphenation) together with a move.
 * - `postcodeGivenKey`: normalised postcode + given-name initial: a date-of-birth typo or a missing
 *   date of birth, when the address is current.
 * - `yearNamesKey`: year of birth + both name sounds: a day or month typo together with a move.
 * - `birthdayNamesKey`: day and month of birth + both name sounds: a year typo together with a move.
 * - `namesKey`: both name sounds, searched only for a subject whose date of birth the referral did
 *   not give (about 1 in 12): with no date and a moved address nothing else can find them. It is
 *   the one rule whose candidates grow with the agency's size, and only for those subjects.
 */
export interface BlockingKeys {
  nhsNumberKey: string | null;
  birthFamilyKey: string | null;
  birthGivenKey: string | null;
  postcodeGivenKey: string | null;
  yearNamesKey: string | null;
  birthdayNamesKey: string | null;
  namesKey: string | null;
}

export const BLOCKING_RULES = [
  'nhsNumberKey',
  'birthFamilyKey',
  'birthGivenKey',
  'postcodeGivenKey',
  'yearNamesKey',
  'birthdayNamesKey',
  'namesKey',
] as const satisfies readonly (keyof BlockingKeys)[];

/** The keys an agency stores for one of its records. */
export function blockingKeysOf(identity: BlockableIdentity): BlockingKeys {
  return keysFrom(
    nameKeys(identity.givenName),
    nameKeys(identity.familyName),
    isoDate(identity.dateOfBirth),
    normalisePostcode(identity.postcode),
    normaliseNhsNumber(identity.nhsNumber),
  );
}

/** What blocking reads of one name: its sound and its initial. */
interface NameKeys {
  sound: string | null;
  initial: string | null;
}

function nameKeys(name: string | null | undefined): NameKeys {
  const normalised = normaliseName(name);
  return { sound: soundOf(normalised), initial: normalised.slice(0, 1) || null };
}

function keysFrom(
  given: NameKeys,
  family: NameKeys,
  dob: string | null,
  postcode: string | null,
  nhsNumber: string | null,
): BlockingKeys {
  return {
    nhsNumberKey: nhsNumber,
    birthFamilyKey: join(dob, family.sound),
    birthGivenKey: join(dob, given.sound),
    postcodeGivenKey: join(postcode, given.initial),
    yearNamesKey: join(dob?.slice(0, 4) ?? null, given.sound, family.sound),
    birthdayNamesKey: join(dob?.slice(5) ?? null, given.sound, family.sound),
    namesKey: join(given.sound, family.sound),
  };
}

/**
 * The key values to search for a batch of subjects: each subject's own keys, and the variants of
 * them that the commonest recording errors produce (day and month swapped, given and family names
 * swapped, two adjacent NHS-number digits transposed). One indexed `= ANY(...)` per rule. The same
 * keys as `blockingKeysOf` gives each variant, with each name's sound computed once per subject
 * rather than once per variant (Double Metaphone and transliteration are the costly part).
 */
export function blockingQuery(subjects: BlockableIdentity[]): Record<keyof BlockingKeys, string[]> {
  const query = Object.fromEntries(
    BLOCKING_RULES.map((rule) => [rule, new Set<string>()]),
  ) as Record<keyof BlockingKeys, Set<string>>;
  for (const subject of subjects) {
    const nhs = normaliseNhsNumber(subject.nhsNumber);
    if (nhs)
      for (const variant of [nhs, ...adjacentTranspositions(nhs)]) query.nhsNumberKey.add(variant);
    const dob = isoDate(subject.dateOfBirth);
    const dates = dob ? [dob, ...swappedDayAndMonth(dob)] : [];
    const postcode = normalisePostcode(subject.postcode);
    const given = nameKeys(subject.givenName);
    const family = nameKeys(subject.familyName);
    const namings: [NameKeys, NameKeys][] = [
      [given, family],
      [family, given], // given and family names recorded the other way round
    ];
    for (const [givenName, familyName] of namings) {
      const keys = keysFrom(givenName, familyName, dob, postcode, null);
      for (const date of dates) {
        const atDate = keysFrom(givenName, familyName, date, postcode, null);
        add(query.birthFamilyKey, atDate.birthFamilyKey);
        add(query.birthGivenKey, atDate.birthGivenKey);
      }
      add(query.postcodeGivenKey, keys.postcodeGivenKey);
      add(query.yearNamesKey, keys.yearNamesKey);
      add(query.birthdayNamesKey, keys.birthdayNamesKey);
      if (!dob) add(query.namesKey, keys.namesKey);
    }
  }
  return Object.fromEntries(BLOCKING_RULES.map((rule) => [rule, [...query[rule]]])) as Record<
    keyof BlockingKeys,
    string[]
  >;
}

/** The sound of a name for blocking: its primary Double Metaphone code, or the name itself when it has none. */
function soundOf(normalised: string): string | null {
  if (!normalised) return null;
  if (!/^[a-z]+$/.test(normalised)) return normalised; // letters no table transliterates
  return doubleMetaphone(normalised)[0] || normalised;
}

function isoDate(value: string | null | undefined): string | null {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

function swappedDayAndMonth(dob: string): string[] {
  const [y, m, d] = dob.split('-');
  return Number(d) <= 12 && d !== m ? [`${y}-${d}-${m}`] : [];
}

function adjacentTranspositions(digits: string): string[] {
  const variants: string[] = [];
  for (let i = 0; i < digits.length - 1; i++) {
    if (digits[i] === digits[i + 1]) continue;
    variants.push(digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2));
  }
  return variants;
}

function join(...parts: (string | null)[]): string | null {
  return parts.every((p) => p) ? parts.join('|') : null;
}

function add(set: Set<string>, value: string | null) {
  if (value) set.add(value);
}
