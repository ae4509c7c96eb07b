import { otherSpellings } from './names';
import { GOES_BY } from './nicknames';
import { Random } from './random';

/**
 * The ways a person's identity drifts between a referral or an agency's record and the truth, and
 * how often. Each rate is per recorded identity, for the source named (a referral taken by phone
 * or form, or an agency's own system), among the people it can apply to (a nickname needs a name
 * with a short form, a former surname a change of name). `typing` rates scale with a source's
 * error habit (`RecordingHabits.error` against the baseline below); the others are habits of the
 * people and the forms, not of the typist. The figures are the generator's assumptions, stated so
 * a measurement can quote them; where the literature gives a range (record-linkage studies of
 * hospital, police and school data: Harron et al. 2017; ONS's linkage error reports) we use its
 * middle.
 */
export type IdentityNoiseKind =
  | 'DOB_MISSING'
  | 'DOB_DIGIT_TYPO'
  | 'DOB_DAY_MONTH_SWAPPED'
  | 'NAMES_SWAPPED'
  | 'NICKNAME'
  | 'GIVEN_NAME_MISSPELT'
  | 'FAMILY_NAME_MISSPELT'
  | 'OTHER_SPELLING'
  | 'HYPHENATION'
  | 'FORMER_SURNAME'
  | 'SURNAME_OTHER_GENDER_FORM'
  | 'ORIGINAL_SCRIPT'
  | 'BABY_NAME'
  | 'SEX_DIFFERENT'
  | 'NHS_NUMBER_TRANSPOSED'
  | 'NHS_NUMBER_DIGIT_TYPO'
  | 'NHS_NUMBER_SPACED'
  | 'POSTCODE_FORMAT'
  | 'OLD_ADDRESS';

export interface NoiseRate {
  referral: number;
  agency: number;
  /** A keying error: scales with the source's error habit. */
  typing: boolean;
  why: string;
}

export const IDENTITY_NOISE: Record<IdentityNoiseKind, NoiseRate> = {
  DOB_MISSING: {
    referral: 0.06,
    agency: 0.003,
    typing: false,
    why: 'Neighbours, anonymous callers and officers at a door often do not know a date of birth; agency systems demand one.',
  },
  DOB_DIGIT_TYPO: {
    referral: 0.03,
    agency: 0.01,
    typing: true,
    why: 'One mistyped digit is the commonest date error in keyed records (1–3% of dates in linkage studies).',
  },
  DOB_DAY_MONTH_SWAPPED: {
    referral: 0.01,
    agency: 0.004,
    typing: true,
    why: 'Dates like 03/07 entered month-first: about 1% of dates in linkage studies.',
  },
  NAMES_SWAPPED: {
    referral: 0.01,
    agency: 0.004,
    typing: true,
    why: 'Given and family name entered in each other’s boxes; four times as often for names written family-first (Chinese, Somali).',
  },
  NICKNAME: {
    referral: 0.08,
    agency: 0.03,
    typing: false,
    why: 'Referrers write the name the family uses (Alfie, Bex); agencies mostly register the formal name.',
  },
  GIVEN_NAME_MISSPELT: {
    referral: 0.03,
    agency: 0.01,
    typing: true,
    why: 'A letter transposed, dropped or doubled: names taken down by ear or in a hurry.',
  },
  FAMILY_NAME_MISSPELT: {
    referral: 0.04,
    agency: 0.015,
    typing: true,
    why: 'Surnames are misspelt more often than given names (less familiar, longer).',
  },
  OTHER_SPELLING: {
    referral: 0.35,
    agency: 0.25,
    typing: false,
    why: 'A name from another script or language has no one spelling (Mohammed/Muhammad, Lukasz/Łukasz): each agency writes what it heard.',
  },
  HYPHENATION: {
    referral: 0.3,
    agency: 0.2,
    typing: false,
    why: 'Hyphenated, double-barrelled and O’/Mc names: one part only, a space for a hyphen, the apostrophe dropped.',
  },
  FORMER_SURNAME: {
    referral: 0.25,
    agency: 0.35,
    typing: false,
    why: 'Records made before an adoption, a step-parent’s name or a marriage keep the old surname.',
  },
  SURNAME_OTHER_GENDER_FORM: {
    referral: 0.3,
    agency: 0.15,
    typing: false,
    why: 'Polish women’s surnames (Kowalska) recorded in the masculine form the family’s letters use (Kowalski).',
  },
  ORIGINAL_SCRIPT: {
    referral: 0,
    agency: 0,
    typing: false,
    why: 'Only a community group’s referral keeps a name in Arabic, Urdu or Chinese script (RecordingHabits.originalScript).',
  },
  BABY_NAME: {
    referral: 0.3,
    agency: 0.5,
    typing: false,
    why: 'A newborn is recorded as "Baby <Surname>" until the birth is registered (within 42 days).',
  },
  SEX_DIFFERENT: {
    referral: 0.005,
    agency: 0.002,
    typing: true,
    why: 'Sex mis-keyed, guessed from a name, or recorded as gender identity by one agency only.',
  },
  NHS_NUMBER_TRANSPOSED: {
    referral: 0.015,
    agency: 0.002,
    typing: true,
    why: 'Two adjacent digits swapped when a number is copied by hand from a letter.',
  },
  NHS_NUMBER_DIGIT_TYPO: {
    referral: 0.015,
    agency: 0.002,
    typing: true,
    why: 'One digit mistyped; the check digit catches it, but the number is then no use as a key.',
  },
  NHS_NUMBER_SPACED: {
    referral: 0.3,
    agency: 0.15,
    typing: false,
    why: 'Copied as printed on NHS letters, 3-3-4 with spaces.',
  },
  POSTCODE_FORMAT: {
    referral: 0.1,
    agency: 0.05,
    typing: false,
    why: 'Postcodes keyed without the space or in lower case (LS62AB, ls6 2ab).',
  },
  OLD_ADDRESS: {
    referral: 0.05,
    agency: 0,
    typing: false,
    why: 'A referrer may only know the family’s last address; agencies’ staleness is their own habit (RecordingHabits.oldAddress).',
  },
};

/** The error habit at which the table's `typing` rates hold, per source. */
export const BASELINE_ERROR = { REFERRAL: 0.15, AGENCY: 0.1 } as const;

export type RecordingSource = keyof typeof BASELINE_ERROR;

/** Rates for a source with a given error habit. */
export function noiseRates(
  source: RecordingSource,
  error: number,
): Record<IdentityNoiseKind, number> {
  const scale = error / BASELINE_ERROR[source];
  return Object.fromEntries(
    Object.entries(IDENTITY_NOISE).map(([kind, rate]) => {
      const base = source === 'REFERRAL' ? rate.referral : rate.agency;
      return [kind, Math.min(1, rate.typing ? base * scale : base)];
    }),
  ) as Record<IdentityNoiseKind, number>;
}

export function misspell(name: string, random: Random): string {
  if (name.length < 4) return name;
  const i = random.int(1, name.length - 2);
  switch (random.int(0, 2)) {
    case 0: // two letters transposed
      return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
    case 1: // a letter dropped
      return name.slice(0, i) + name.slice(i + 1);
    default: // a letter doubled
      return name.slice(0, i) + name[i] + name.slice(i);
  }
}

/** A name the person goes by (from the generator's own list), or null when it has none. */
export function nickname(givenName: string, random: Random): string | null {
  const shortForms = GOES_BY[givenName];
  return shortForms ? random.pick(shortForms) : null;
}

/** Another accepted spelling of a name, or null. */
export function otherSpelling(name: string, random: Random): string | null {
  const others = otherSpellings(name);
  return others.length ? random.pick(others) : null;
}

/** "Smith-Jones" → "Smith", "Jones", "Smith Jones" or "SmithJones"; "O'Brien" → "OBrien"… */
export function rehyphenate(name: string, random: Random): string | null {
  const parts = name.split(/[- ]/);
  if (parts.length > 1) {
    switch (random.int(0, 3)) {
      case 0:
        return parts[0];
      case 1:
        return parts[parts.length - 1];
      case 2:
        return name.includes('-') ? parts.join(' ') : parts.join('-');
      default:
        return parts.join('');
    }
  }
  if (/['’]/.test(name)) return name.replace(/['’]/, random.chance(0.5) ? '' : ' ');
  if (/^Mc/.test(name)) return random.chance(0.5) ? `Mac${name.slice(2)}` : `Mc ${name.slice(2)}`;
  return null;
}

/** 2014-03-07 → 2014-07-03; null when the swap would not be a real, different date. */
export function swapDayAndMonth(isoDate: string): string | null {
  const [year, month, day] = isoDate.split('-');
  if (Number(day) > 12 || day === month) return null;
  return `${year}-${day}-${month}`;
}

/** One digit of the date mistyped, still a real date: 2014-03-07 → 2014-03-01, 2016-03-07… */
export function mistypeDate(isoDate: string, random: Random): string | null {
  const positions = [2, 3, 5, 6, 8, 9];
  for (let tries = 0; tries < 12; tries++) {
    const at = random.pick(positions);
    const digit = String(random.int(0, 9));
    if (digit === isoDate[at]) continue;
    const candidate = isoDate.slice(0, at) + digit + isoDate.slice(at + 1);
    if (isRealDate(candidate)) return candidate;
  }
  return null;
}

function isRealDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/** Two adjacent, different digits swapped. */
export function transposeDigits(nhsNumber: string, random: Random): string {
  const candidates = [...Array(9).keys()].filter((i) => nhsNumber[i] !== nhsNumber[i + 1]);
  const i = random.pick(candidates);
  return nhsNumber.slice(0, i) + nhsNumber[i + 1] + nhsNumber[i] + nhsNumber.slice(i + 2);
}

/** One digit replaced by another. */
export function mistypeDigit(nhsNumber: string, random: Random): string {
  const i = random.int(0, 9);
  const digit = (Number(nhsNumber[i]) + random.int(1, 9)) % 10;
  return nhsNumber.slice(0, i) + digit + nhsNumber.slice(i + 1);
}

/** 9991234578 → 999 123 4578. */
export function spacedNhsNumber(nhsNumber: string): string {
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}

/** LS6 2AB → LS62AB or ls6 2ab. */
export function reformatPostcode(postcode: string, random: Random): string {
  return random.chance(0.6) ? postcode.replace(' ', '') : postcode.toLowerCase();
}
