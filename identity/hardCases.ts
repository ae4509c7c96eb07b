import {
  DEFAULT_MATCH_MODEL,
  Identity,
  MatchBand,
  matchIdentity,
  MatchModel,
} from './matchIdentity';

/**
 * The identity-matching cases that break naive matching, each with the truth. A wrong-person match
 * must never be CERTAIN; a true match must be found at least as POSSIBLE, and `expected` says which
 * band the model is meant to reach. The evaluation command prints each case's verdict; the test
 * (`__tests__/hardCases.test.ts`) holds the model to them. Every person here is made up; NHS numbers
 * are in the never-issued 999 range.
 */
export interface HardCase {
  name: string;
  /** As the referral gives the subject. */
  subject: Identity;
  /** As the agency holds its record. */
  record: Identity;
  samePerson: boolean;
  /** For a true match, the band it should reach. A wrong-person case may be POSSIBLE or none. */
  expected?: 'CERTAIN' | 'POSSIBLE';
}

/** A valid NHS number (passes the modulus 11 check), and others of the same family of numbers. */
const NHS = {
  oliver: '9991234578',
  twin: '9991234586',
  other: '9991234594',
  sibling: '9991234519',
  parent: '9991234527',
};

const oliver: Identity = {
  givenName: 'Oliver',
  familyName: 'Smith',
  dateOfBirth: '2015-04-09',
  sex: 'MALE',
  postcode: 'LS6 2AB',
  nhsNumber: NHS.oliver,
};
const noNhs = (identity: Identity): Identity => ({ ...identity, nhsNumber: null });
const child = noNhs(oliver);

export const HARD_CASES: readonly HardCase[] = [
  // ── Twins and multiple births: same family name, date of birth and address ──
  {
    name: 'twins, each with their own NHS number',
    subject: oliver,
    record: { ...oliver, givenName: 'Harry', nhsNumber: NHS.twin },
    samePerson: false,
  },
  {
    name: 'twins, no NHS numbers',
    subject: child,
    record: { ...child, givenName: 'Harry' },
    samePerson: false,
  },
  {
    name: 'twins with alike names (Jack and Jake)',
    subject: { ...child, givenName: 'Jack' },
    record: { ...child, givenName: 'Jake' },
    samePerson: false,
  },
  {
    name: 'twins with the same initial (Oliver and Olivia)',
    subject: child,
    record: { ...child, givenName: 'Olivia', sex: 'FEMALE' },
    samePerson: false,
  },
  {
    name: 'twins with the same initial and sex (Amelia and Amelie)',
    subject: { ...child, givenName: 'Amelia', sex: 'FEMALE' },
    record: { ...child, givenName: 'Amelie', sex: 'FEMALE' },
    samePerson: false,
  },
  {
    name: 'newborn twins both recorded as "Baby Smith"',
    subject: { ...child, givenName: 'Baby', dateOfBirth: '2026-09-20' },
    record: { ...child, givenName: 'Baby', dateOfBirth: '2026-09-20' },
    samePerson: false,
  },
  {
    name: 'newborn twins recorded as "Twin 1" and "Twin 2"',
    subject: { ...child, givenName: 'Twin 1', dateOfBirth: '2026-09-20' },
    record: { ...child, givenName: 'Twin 2', dateOfBirth: '2026-09-20' },
    samePerson: false,
  },
  {
    name: "a twin's record carries the other twin's NHS number (mis-filed)",
    subject: oliver,
    record: { ...oliver, givenName: 'Harry' },
    samePerson: false,
  },
  {
    name: "opposite-sex twins, one carries the other's NHS number",
    subject: oliver,
    record: { ...oliver, givenName: 'Grace', sex: 'FEMALE' },
    samePerson: false,
  },
  {
    name: 'twins with Arabic-script names (Aisha and Fatima Khan)',
    subject: { ...child, givenName: 'عائشة', familyName: 'خان', sex: 'FEMALE' },
    record: { ...child, givenName: 'فاطمة', familyName: 'خان', sex: 'FEMALE' },
    samePerson: false,
  },
  {
    name: 'twins with Cyrillic names (Oleg and Olga Ivanov/Ivanova)',
    subject: { ...child, givenName: 'Олег', familyName: 'Иванов' },
    record: { ...child, givenName: 'Ольга', familyName: 'Иванова', sex: 'FEMALE' },
    samePerson: false,
  },
  {
    name: 'twins with Chinese names written in Han characters',
    subject: { ...child, givenName: '伟', familyName: '张' },
    record: { ...child, givenName: '强', familyName: '张' },
    samePerson: false,
  },
  // ── One household, one name ──
  {
    name: 'mother and daughter with the same name',
    subject: { ...child, givenName: 'Sarah', sex: 'FEMALE', dateOfBirth: '2012-02-03' },
    record: { ...child, givenName: 'Sarah', sex: 'FEMALE', dateOfBirth: '1987-11-23' },
    samePerson: false,
  },
  {
    name: 'father and son (Senior and Junior)',
    subject: child,
    record: { ...child, familyName: 'Smith Snr', dateOfBirth: '1986-07-30' },
    samePerson: false,
  },
  {
    name: 'father and son, both with NHS numbers',
    subject: oliver,
    record: { ...oliver, dateOfBirth: '1986-07-30', nhsNumber: NHS.parent },
    samePerson: false,
  },
  {
    name: 'sibling born two years later',
    subject: child,
    record: { ...child, givenName: 'Harry', dateOfBirth: '2017-04-19' },
    samePerson: false,
  },
  {
    name: 'sibling with a nickname-like name (Edward and Edmund)',
    subject: { ...child, givenName: 'Edward' },
    record: { ...child, givenName: 'Edmund', dateOfBirth: '2013-01-15' },
    samePerson: false,
  },
  // ── Common names ──
  {
    name: 'two Oliver Smiths in one postcode, born the same year',
    subject: child,
    record: { ...child, dateOfBirth: '2015-10-21' },
    samePerson: false,
  },
  {
    name: 'two Oliver Smiths in one postcode, same birthday, different NHS numbers',
    subject: oliver,
    record: { ...oliver, nhsNumber: NHS.other },
    samePerson: false,
  },
  {
    name: 'two Oliver Smiths in one district, one digit apart in birth date, different NHS numbers',
    subject: oliver,
    record: { ...oliver, dateOfBirth: '2015-04-19', postcode: 'LS6 4QT', nhsNumber: NHS.other },
    samePerson: false,
  },
  {
    name: 'two Mohammed Khans born the same day in different towns, different NHS numbers',
    subject: { ...oliver, givenName: 'Mohammed', familyName: 'Khan' },
    record: {
      ...oliver,
      givenName: 'Muhammad',
      familyName: 'Khan',
      postcode: 'BD8 7QT',
      nhsNumber: NHS.other,
    },
    samePerson: false,
  },
  {
    name: 'two Mohammed Khans, same birthday, same postcode, different NHS numbers',
    subject: { ...oliver, givenName: 'Mohammed', familyName: 'Khan' },
    record: { ...oliver, givenName: 'Mohammed', familyName: 'Khan', nhsNumber: NHS.other },
    samePerson: false,
  },

  // ── True matches that naive matching misses ──
  {
    name: 'NHS number stored with spaces',
    subject: oliver,
    record: { ...oliver, nhsNumber: '999 123 4578' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: "NHS number with two digits transposed in the agency's copy",
    subject: oliver,
    record: { ...oliver, nhsNumber: '9992134578' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'NHS number one digit off, and the family moved',
    subject: oliver,
    record: { ...oliver, nhsNumber: '9991234579', postcode: 'M14 5RT' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'date of birth one digit off',
    subject: child,
    record: { ...child, dateOfBirth: '2015-04-08' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'date of birth one digit off in the year, NHS number agrees',
    subject: oliver,
    record: { ...oliver, dateOfBirth: '2016-04-09' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'date of birth one digit off, and moved within the district',
    subject: child,
    record: { ...child, dateOfBirth: '2015-04-08', postcode: 'LS6 3HN' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'day and month swapped',
    subject: child,
    record: { ...child, dateOfBirth: '2015-09-04' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'date of birth missing on the referral',
    subject: { ...child, dateOfBirth: null },
    record: child,
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'given and family names swapped',
    subject: child,
    record: { ...child, givenName: 'Smith', familyName: 'Oliver' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'nickname: Ned for Edward',
    subject: { ...child, givenName: 'Edward' },
    record: { ...child, givenName: 'Ned' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'Irish spelling: Siobhan and Shivaun',
    subject: { ...child, givenName: 'Siobhan', familyName: 'Kelly', sex: 'FEMALE' },
    record: { ...child, givenName: 'Shivaun', familyName: 'Kelly', sex: 'FEMALE' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'Welsh form: Dafydd and David, moved',
    subject: { ...child, givenName: 'Dafydd', familyName: 'Jones' },
    record: { ...child, givenName: 'David', familyName: 'Jones', postcode: 'CF10 1AA' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'middle name used as the first name',
    subject: { ...child, givenName: 'Oliver James' },
    record: { ...child, givenName: 'James' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'transliteration: Mohammed and Muhammad',
    subject: { ...child, givenName: 'Mohammed', familyName: 'Khan' },
    record: { ...child, givenName: 'Muhammad', familyName: 'Khan' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'transliteration: Mohamed and Mohammad, moved',
    subject: { ...oliver, givenName: 'Mohamed', familyName: 'Khan' },
    record: { ...oliver, givenName: 'Mohammad', familyName: 'Khan', postcode: 'BD8 7QT' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'Arabic script in the referral, Latin in the agency',
    subject: { ...child, givenName: 'محمد', familyName: 'خان' },
    record: { ...child, givenName: 'Mohammed', familyName: 'Khan' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'Cyrillic script in the referral, Latin in the agency',
    subject: { ...child, givenName: 'Александр', familyName: 'Иванов' },
    record: { ...child, givenName: 'Alexander', familyName: 'Ivanov' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'Devanagari script in the referral, Latin in the agency',
    subject: { ...child, givenName: 'प्रिया', familyName: 'शर्मा', sex: 'FEMALE' },
    record: { ...child, givenName: 'Priya', familyName: 'Sharma', sex: 'FEMALE' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'Arabic script on both sides',
    subject: { ...child, givenName: 'عائشة', familyName: 'خان', sex: 'FEMALE' },
    record: { ...child, givenName: 'عائشة', familyName: 'خان', sex: 'FEMALE' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'hyphenated family name',
    subject: child,
    record: { ...child, familyName: 'Smith-Jones' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'double-barrelled name written with a space, then shortened',
    subject: { ...child, familyName: 'Fortescue-Smythe' },
    record: { ...child, familyName: 'Smythe' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: "step-parent's surname, same address",
    subject: child,
    record: { ...child, familyName: 'Walker' },
    samePerson: true,
    expected: 'POSSIBLE', // a surname change without an agreeing NHS number is for a person to confirm
  },
  {
    name: "step-parent's surname and a move within the district",
    subject: child,
    record: { ...child, familyName: 'Walker', postcode: 'LS6 3HN' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'adoption: new surname, moved away, NHS number kept',
    subject: oliver,
    record: { ...oliver, familyName: 'Okafor', postcode: 'M14 5RT' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'family name misspelt (Smyth)',
    subject: child,
    record: { ...child, familyName: 'Smyth' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'sex recorded differently',
    subject: child,
    record: { ...child, sex: 'FEMALE' },
    samePerson: true,
    expected: 'CERTAIN',
  },
  {
    name: 'newborn recorded as "Baby Smith", named later, same NHS number',
    subject: { ...oliver, dateOfBirth: '2026-09-20' },
    record: { ...oliver, givenName: 'Baby', dateOfBirth: '2026-09-20' },
    samePerson: true,
    expected: 'POSSIBLE',
  },
  {
    name: 'common name, moved away, no NHS number',
    subject: child,
    record: { ...child, postcode: 'M14 5RT' },
    samePerson: true,
    expected: 'CERTAIN',
  },
];

export interface HardCaseVerdict {
  name: string;
  samePerson: boolean;
  expected: HardCase['expected'];
  band: MatchBand;
  confidence: number | null;
  /** A wrong person not CERTAIN; a true match found, and CERTAIN where that is expected. */
  passed: boolean;
}

/** Each hard case's verdict under a model, to print or assert. */
export function hardCaseVerdicts(model: MatchModel = DEFAULT_MATCH_MODEL): HardCaseVerdict[] {
  return HARD_CASES.map((c) => {
    const match = matchIdentity(c.subject, c.record, model);
    const band: MatchBand = match?.band ?? 'NO_MATCH';
    const passed = c.samePerson
      ? band !== 'NO_MATCH' && (c.expected !== 'CERTAIN' || band === 'CERTAIN')
      : band !== 'CERTAIN';
    return {
      name: c.name,
      samePerson: c.samePerson,
      expected: c.expected,
      band,
      confidence: match?.confidence ?? null,
      passed,
    };
  });
}
