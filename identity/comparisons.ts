import jaroWinkler from 'talisman/metrics/jaro-winkler';
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { isValidNhsNumber } from './nhsNumber';
import { nameVariantKeys } from './nicknames';
import { normaliseName, normaliseNhsNumber, normalisePostcode } from './normaliseName';

/** The identifying details compared: a referral's subject or an agency's record. */
export interface ComparableIdentity {
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  sex: string | null;
  postcode: string | null;
  nhsNumber: string | null;
}

/**
 * The comparison levels, per field, in the order they are tried (the first that holds is the
 * pair's level). `MISSING` carries no evidence either way (a Bayes factor of 1).
 */
export const GIVEN_NAME_LEVELS = [
  'MISSING', // either side empty or a placeholder ("Baby", "Unborn", "Twin 1")
  'EXACT',
  'SWAPPED', // given and family names recorded the other way round
  'NICKNAME', // a known short form or variant (Ned/Edward, Siobhan/Shivaun)
  'PHONETIC', // same Double Metaphone code, or same consonants across scripts
  'JARO_WINKLER_92',
  'PART', // one of several names agrees (middle name used as first)
  'JARO_WINKLER_88',
  'DIFFERENT',
] as const;
export const FAMILY_NAME_LEVELS = [
  'MISSING',
  'EXACT',
  'SWAPPED', // counted once, on the given name
  'PHONETIC',
  'JARO_WINKLER_92',
  'PART', // one part of a hyphenated or double-barrelled name agrees
  'JARO_WINKLER_88',
  'DIFFERENT',
] as const;
export const DATE_OF_BIRTH_LEVELS = [
  'MISSING',
  'EXACT',
  'DAY_MONTH_SWAPPED',
  'ONE_DIGIT', // one digit different, or two adjacent digits transposed
  'SAME_YEAR',
  'DIFFERENT',
] as const;
export const POSTCODE_LEVELS = ['MISSING', 'EXACT', 'SECTOR', 'DISTRICT', 'DIFFERENT'] as const;
export const NHS_NUMBER_LEVELS = [
  'MISSING',
  'EXACT',
  'ONE_TYPO', // one side fails the check digit and is one digit or one transposition away
  'ONE_INVALID', // one side fails the check digit, and is not near the other
  'DIFFERENT', // both valid and different
] as const;
export const SEX_LEVELS = ['MISSING', 'EQUAL', 'DIFFERENT'] as const;

export type GivenNameLevel = (typeof GIVEN_NAME_LEVELS)[number];
export type FamilyNameLevel = (typeof FAMILY_NAME_LEVELS)[number];
export type DateOfBirthLevel = (typeof DATE_OF_BIRTH_LEVELS)[number];
export type PostcodeLevel = (typeof POSTCODE_LEVELS)[number];
export type NhsNumberLevel = (typeof NHS_NUMBER_LEVELS)[number];
export type SexLevel = (typeof SEX_LEVELS)[number];

export const COMPARISONS = {
  givenName: GIVEN_NAME_LEVELS,
  familyName: FAMILY_NAME_LEVELS,
  dateOfBirth: DATE_OF_BIRTH_LEVELS,
  postcode: POSTCODE_LEVELS,
  nhsNumber: NHS_NUMBER_LEVELS,
  sex: SEX_LEVELS,
} as const;
export type ComparisonName = keyof typeof COMPARISONS;
export type LevelOf<C extends ComparisonName> = (typeof COMPARISONS)[C][number];

/** The level of every comparison for one pair. */
export interface ComparisonVector {
  givenName: GivenNameLevel;
  familyName: FamilyNameLevel;
  dateOfBirth: DateOfBirthLevel;
  postcode: PostcodeLevel;
  nhsNumber: NhsNumberLevel;
  sex: SexLevel;
}

interface PreparedName {
  /** The whole name normalised ("" when missing or a placeholder). */
  full: string;
  /** Each space- or hyphen-separated part, normalised. */
  parts: string[];
  /** Double Metaphone codes (primary, alternate) of the whole name; empty for a non-Latin name. */
  sounds: string[];
  /** Consonants only, doubles collapsed: how names transliterated from Arabic or Urdu compare. */
  consonants: string;
  /** Written with no Latin letters (Arabic, Cyrillic, Han…) on this side. */
  nonLatin: boolean;
  placeholder: boolean;
  /** Nickname and variant keys of the whole name, and of its first part when it has several. */
  variants: readonly string[];
  firstPartVariants: readonly string[];
}

/** One side of a pair, normalised once (an agency's rows are compared with many subjects). */
export interface PreparedIdentity {
  givenName: PreparedName;
  familyName: PreparedName;
  dateOfBirth: string | null; // YYYYMMDD
  postcode: { full: string; sector: string; district: string } | null;
  nhsNumber: { digits: string; valid: boolean } | null;
  sex: string | null;
}

const PLACEHOLDER_WORDS = new Set([
  'baby',
  'babyof',
  'unborn',
  'infant',
  'unknown',
  'unnamed',
  'newborn',
  'twin',
  'triplet',
  'notknown',
  'nk',
  'bb',
  'boy',
  'girl',
  'male',
  'female',
  'child',
  'tbc',
]);

/**
 * A given name that only says a name was not yet known: "Baby", "Unborn", "Baby of Smith",
 * "Twin 1", "Baby Girl". Such names are missing, not agreeing: two newborn twins both recorded as
 * "Baby Smith" share nothing that tells them apart.
 */
export function isPlaceholderName(name: string | null | undefined): boolean {
  if (!name) return true;
  const words = name
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return true;
  return PLACEHOLDER_WORDS.has(words[0]);
}

const NO_NAME: PreparedName = {
  full: '',
  parts: [],
  sounds: [],
  consonants: '',
  nonLatin: false,
  placeholder: true,
  variants: [],
  firstPartVariants: [],
};

// Names repeat across records and requests (an agency's rows are read afresh for every check), so
// each distinct spelling is normalised once: transliteration and Double Metaphone are the costly part.
const preparedNames = new Map<string, PreparedName>();

function prepareName(raw: string | null, placeholderAware: boolean): PreparedName {
  if (!raw) return NO_NAME;
  const key = placeholderAware ? `g|${raw}` : `f|${raw}`;
  let found = preparedNames.get(key);
  if (!found) {
    found = prepareNameOnce(raw, placeholderAware);
    if (preparedNames.size > 200_000) preparedNames.clear();
    preparedNames.set(key, found);
  }
  return found;
}

function prepareNameOnce(raw: string, placeholderAware: boolean): PreparedName {
  const full = normaliseName(raw);
  if (!full || (placeholderAware && isPlaceholderName(raw))) return NO_NAME;
  const parts = raw
    .split(/[\s\-‐‑–—]+/)
    .map((part) => normaliseName(part))
    .filter((part) => part.length > 0);
  const latin = /^[a-z]+$/.test(full);
  const sounds = latin ? [...new Set(doubleMetaphone(full).filter((code) => code.length > 0))] : [];
  return {
    full,
    parts,
    sounds,
    consonants: latin ? consonantsOf(full) : '',
    nonLatin: !/\p{Script=Latin}/u.test(raw),
    placeholder: false,
    variants: nameVariantKeys(full),
    firstPartVariants: parts.length > 1 ? nameVariantKeys(parts[0]) : [],
  };
}

/** "mohammed" → "mmd", "mhmd" → "mmd": short vowels are not written in Arabic script. */
function consonantsOf(name: string): string {
  return name.replace(/[aeiouyhw]/g, '').replace(/(.)\1+/g, '$1');
}

const prepared = new WeakMap<ComparableIdentity, PreparedIdentity>();

/** The normalised form of one identity, computed once per object. */
export function prepareIdentity(identity: ComparableIdentity): PreparedIdentity {
  let found = prepared.get(identity);
  if (!found) {
    found = {
      givenName: prepareName(identity.givenName, true),
      familyName: prepareName(identity.familyName, false),
      dateOfBirth: compactDate(identity.dateOfBirth),
      postcode: postcodeParts(identity.postcode),
      nhsNumber: nhsNumberOf(identity.nhsNumber),
      sex: normaliseSex(identity.sex),
    };
    prepared.set(identity, found);
  }
  return found;
}

function compactDate(value: string | null): string | null {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return m ? `${m[1]}${m[2]}${m[3]}` : null;
}

function postcodeParts(value: string | null): PreparedIdentity['postcode'] {
  const full = normalisePostcode(value);
  if (!full || full.length < 5) return null;
  const district = full.slice(0, -3);
  return { full, district, sector: full.slice(0, -2) };
}

function nhsNumberOf(value: string | null): PreparedIdentity['nhsNumber'] {
  const digits = normaliseNhsNumber(value);
  return digits ? { digits, valid: isValidNhsNumber(digits) } : null;
}

function normaliseSex(value: string | null): string | null {
  const v = value?.trim().toUpperCase();
  if (!v || v === 'UNKNOWN' || v === 'NOT KNOWN' || v === 'U' || v === 'NK') return null;
  if (v === 'M' || v === 'MALE') return 'MALE';
  if (v === 'F' || v === 'FEMALE') return 'FEMALE';
  return v;
}

/** The level of every comparison for a pair. */
export function compareIdentities(
  subject: ComparableIdentity,
  record: ComparableIdentity,
): ComparisonVector {
  const s = prepareIdentity(subject);
  const r = prepareIdentity(record);
  let givenName = compareGivenNames(s.givenName, r.givenName);
  let familyName = compareFamilyNames(s.familyName, r.familyName);
  if (namesSwapped(s, r, givenName, familyName)) {
    givenName = 'SWAPPED';
    familyName = 'SWAPPED';
  }
  return {
    givenName,
    familyName,
    dateOfBirth: compareDatesOfBirth(s.dateOfBirth, r.dateOfBirth),
    postcode: comparePostcodes(s.postcode, r.postcode),
    nhsNumber: compareNhsNumbers(s.nhsNumber, r.nhsNumber),
    sex: !s.sex || !r.sex ? 'MISSING' : s.sex === r.sex ? 'EQUAL' : 'DIFFERENT',
  };
}

const STRONG_NAME_AGREEMENT = new Set(['EXACT', 'NICKNAME', 'PHONETIC', 'JARO_WINKLER_92']);

function namesSwapped(
  s: PreparedIdentity,
  r: PreparedIdentity,
  given: GivenNameLevel,
  family: FamilyNameLevel,
): boolean {
  if (STRONG_NAME_AGREEMENT.has(given) && STRONG_NAME_AGREEMENT.has(family)) return false;
  return soundsTheSame(s.givenName, r.familyName) && soundsTheSame(s.familyName, r.givenName);
}

/** Equal, or sounding the same: a cheap test, since every pair that disagrees on names is tried. */
function soundsTheSame(a: PreparedName, b: PreparedName): boolean {
  return !a.placeholder && !b.placeholder && (a.full === b.full || soundAlike(a, b));
}

function compareGivenNames(a: PreparedName, b: PreparedName): GivenNameLevel {
  return compareNames(a, b, true) as GivenNameLevel;
}

function compareFamilyNames(a: PreparedName, b: PreparedName): FamilyNameLevel {
  return compareNames(a, b, false) as FamilyNameLevel;
}

// Family-name levels are a subset of the given-name levels (no NICKNAME when `nicknames` is false).
function compareNames(a: PreparedName, b: PreparedName, nicknames: boolean): GivenNameLevel {
  if (a.placeholder || b.placeholder) return 'MISSING';
  if (a.full === b.full) return 'EXACT';
  if (nicknames && (shareAny(a.variants, b.variants) || firstPartsAreVariants(a, b))) {
    return 'NICKNAME';
  }
  if (soundAlike(a, b)) return 'PHONETIC';
  const similarity = jaroWinkler(a.full, b.full);
  if (similarity >= 0.92) return 'JARO_WINKLER_92';
  if (a.parts.some((part) => part.length > 1 && b.parts.includes(part))) return 'PART';
  if (similarity >= 0.88) return 'JARO_WINKLER_88';
  return 'DIFFERENT';
}

/** "Edward James" recorded as "Ned": the first of several names is a variant of the other. */
function firstPartsAreVariants(a: PreparedName, b: PreparedName): boolean {
  if (a.parts.length < 2 && b.parts.length < 2) return false;
  const x = a.parts.length > 1 ? a.firstPartVariants : a.variants;
  const y = b.parts.length > 1 ? b.firstPartVariants : b.variants;
  return a.parts[0] !== b.parts[0] && shareAny(x, y);
}

function shareAny(x: readonly string[], y: readonly string[]): boolean {
  for (const key of x) if (y.includes(key)) return true;
  return false;
}

function soundAlike(a: PreparedName, b: PreparedName): boolean {
  // A transliterated name (Arabic, Urdu: no short vowels written) against its Latin spelling.
  if ((a.nonLatin || b.nonLatin) && a.consonants.length >= 2) {
    if (a.consonants === b.consonants) return true;
  }
  if (a.full.length < 3 || b.full.length < 3) return false; // "Al" and "Ali" are not one name
  return a.sounds.some((code) => code.length >= 2 && b.sounds.includes(code));
}

export function compareDatesOfBirth(a: string | null, b: string | null): DateOfBirthLevel {
  if (!a || !b) return 'MISSING';
  if (a === b) return 'EXACT';
  const [ay, am, ad] = [a.slice(0, 4), a.slice(4, 6), a.slice(6)];
  const [by, bm, bd] = [b.slice(0, 4), b.slice(4, 6), b.slice(6)];
  if (ay === by && am === bd && ad === bm) return 'DAY_MONTH_SWAPPED';
  if (oneTypingError(a, b)) return 'ONE_DIGIT';
  if (ay === by) return 'SAME_YEAR';
  return 'DIFFERENT';
}

/** Equal-length strings one substitution or one adjacent transposition apart. */
export function oneTypingError(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = -1;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      if (count === 0) first = i;
      count++;
      if (count > 2) return false;
    }
  }
  if (count === 1) return true;
  return (
    count === 2 && a[first] === b[first + 1] && a[first + 1] === b[first] // adjacent, swapped
  );
}

export function comparePostcodes(
  a: PreparedIdentity['postcode'],
  b: PreparedIdentity['postcode'],
): PostcodeLevel {
  if (!a || !b) return 'MISSING';
  if (a.full === b.full) return 'EXACT';
  if (a.sector === b.sector) return 'SECTOR';
  if (a.district === b.district) return 'DISTRICT';
  return 'DIFFERENT';
}

export function compareNhsNumbers(
  a: PreparedIdentity['nhsNumber'],
  b: PreparedIdentity['nhsNumber'],
): NhsNumberLevel {
  if (!a || !b) return 'MISSING';
  if (a.digits === b.digits) return 'EXACT';
  if (a.valid && b.valid) return 'DIFFERENT';
  // Modulus 11 catches every single-digit error and every adjacent transposition, so a typing
  // error always leaves one side invalid.
  return oneTypingError(a.digits, b.digits) ? 'ONE_TYPO' : 'ONE_INVALID';
}
