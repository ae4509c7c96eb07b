import fc from 'fast-check';
import {
  BLOCKING_RULES,
  BlockableIdentity,
  BlockingKeys,
  blockingKeysOf,
  blockingQuery,
} from '../blocking';

/**
 * What `blockingQuery` must search, by its definition: the keys `blockingKeysOf` gives each
 * subject as recorded and with given and family names swapped (the date-of-birth keys also with
 * day and month swapped), and every NHS number with two adjacent digits transposed. The query
 * computes each name's sound once per subject instead; this holds it to the same keys.
 */
function keysByDefinition(subjects: BlockableIdentity[]): Record<keyof BlockingKeys, string[]> {
  const query = Object.fromEntries(BLOCKING_RULES.map((r) => [r, new Set<string>()])) as Record<
    keyof BlockingKeys,
    Set<string>
  >;
  const add = (rule: keyof BlockingKeys, value: string | null) => {
    if (value) query[rule].add(value);
  };
  for (const subject of subjects) {
    const own = blockingKeysOf(subject);
    const nhs = own.nhsNumberKey;
    if (nhs) {
      add('nhsNumberKey', nhs);
      for (let i = 0; i < nhs.length - 1; i++)
        add('nhsNumberKey', nhs.slice(0, i) + nhs[i + 1] + nhs[i] + nhs.slice(i + 2));
    }
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(subject.dateOfBirth ?? '') ? subject.dateOfBirth : null;
    const dates = iso ? [iso] : [];
    if (iso) {
      const [y, m, d] = iso.split('-');
      if (Number(d) <= 12 && d !== m) dates.push(`${y}-${d}-${m}`);
    }
    for (const [givenName, familyName] of [
      [subject.givenName, subject.familyName],
      [subject.familyName, subject.givenName],
    ]) {
      const keys = blockingKeysOf({ ...subject, givenName, familyName });
      for (const dateOfBirth of dates) {
        const atDate = blockingKeysOf({ ...subject, givenName, familyName, dateOfBirth });
        add('birthFamilyKey', atDate.birthFamilyKey);
        add('birthGivenKey', atDate.birthGivenKey);
      }
      add('postcodeGivenKey', keys.postcodeGivenKey);
      add('yearNamesKey', keys.yearNamesKey);
      add('birthdayNamesKey', keys.birthdayNamesKey);
      if (!iso) add('namesKey', keys.namesKey);
    }
  }
  return Object.fromEntries(BLOCKING_RULES.map((r) => [r, [...query[r]].sort()])) as Record<
    keyof BlockingKeys,
    string[]
  >;
}

const sorted = (query: Record<keyof BlockingKeys, string[]>) =>
  Object.fromEntries(BLOCKING_RULES.map((r) => [r, [...query[r]].sort()]));

// Names of every kind matching meets: Latin, accented, hyphenated, transliterated, untransliterable,
// placeholders, empty.
const NAMES = [
  'Aiden',
  'Aidan',
  'Jane-Marie',
  'Siobhán',
  'Smith',
  'Smyth',
  "O'Brien",
  'محمد',
  'Мария',
  '王',
  'ᏣᎳᎩ',
  'Baby',
  '',
  '  ',
];

const identity: fc.Arbitrary<BlockableIdentity> = fc.record({
  givenName: fc.option(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }))),
  familyName: fc.option(fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 8 }))),
  dateOfBirth: fc.option(
    fc.oneof(
      fc
        .date({ min: new Date('1940-01-01'), max: new Date('2026-12-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      fc.constantFrom('2015-03-03', '2015-03-12', '2015-13-01', '12/03/2015', ''),
    ),
  ),
  postcode: fc.option(fc.constantFrom('LS6 2AB', 'ls62ab', 'M1 1AE', 'X', '')),
  nhsNumber: fc.option(fc.constantFrom('943 476 5919', '9434765919', '1112223334', '12', '')),
});

describe('blockingQuery', () => {
  it('searches exactly the keys blockingKeysOf gives every variant of every subject', () => {
    fc.assert(
      fc.property(fc.array(identity, { maxLength: 6 }), (subjects) => {
        expect(sorted(blockingQuery(subjects))).toEqual(keysByDefinition(subjects));
      }),
      { numRuns: 300 },
    );
  });

  it('finds a subject recorded with given and family names the other way round', () => {
    const subject = {
      givenName: 'Aiden',
      familyName: 'Okafor',
      dateOfBirth: '2015-03-12',
      postcode: 'LS6 2AB',
      nhsNumber: null,
    };
    const stored = blockingKeysOf({ ...subject, givenName: 'Okafor', familyName: 'Aiden' });
    const query = blockingQuery([subject]);
    expect(query.birthFamilyKey).toContain(stored.birthFamilyKey);
    expect(query.postcodeGivenKey).toContain(stored.postcodeGivenKey);
    // Recorded with day and month swapped instead.
    const dayMonth = blockingKeysOf({ ...subject, dateOfBirth: '2015-12-03' });
    expect(query.birthGivenKey).toContain(dayMonth.birthGivenKey);
    expect(query.birthGivenKey).not.toContain(
      blockingKeysOf({ ...subject, dateOfBirth: '2015-12-04' }).birthGivenKey,
    );
  });
});
