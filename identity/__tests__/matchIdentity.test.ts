import { MatchBasis } from '../../schema/agencyCheck';
import { bestMatch, blockingKeys, Identity, matchIdentity } from '../matchIdentity';

const referral: Identity = {
  givenName: 'William',
  familyName: 'Hartley',
  dateOfBirth: '2014-03-07',
  sex: 'MALE',
  postcode: 'LS6 2AB',
  nhsNumber: '9990001112',
};
const record = (changes: Partial<Identity>): Identity => ({ ...referral, ...changes });

// One row per situation: how the agency recorded the subject, and what the match must say.
const cases: [
  string,
  Partial<Identity>,
  null | { basis: MatchBasis; verify: boolean; min: number; max: number },
][] = [
  [
    'same NHS number, same demographics',
    {},
    { basis: MatchBasis.NHS_NUMBER, verify: false, min: 0.99, max: 0.99 },
  ],
  [
    'same NHS number, names and dates disagree',
    { familyName: 'Okafor', dateOfBirth: '1990-01-01' },
    { basis: MatchBasis.NHS_NUMBER, verify: true, min: 0.7, max: 0.7 },
  ],
  ['different NHS numbers', { nhsNumber: '9990002223' }, null],
  [
    'no NHS number, everything else equal',
    { nhsNumber: null },
    { basis: MatchBasis.NAME_DOB_POSTCODE, verify: false, min: 0.95, max: 0.97 },
  ],
  [
    'moved house',
    { nhsNumber: null, postcode: 'M1 1AA' },
    { basis: MatchBasis.NAME_DOB, verify: true, min: 0.75, max: 0.8 },
  ],
  [
    'recorded under a nickname',
    { nhsNumber: null, givenName: 'Billy' },
    { basis: MatchBasis.APPROXIMATE_DEMOGRAPHICS, verify: true, min: 0.9, max: 0.95 },
  ],
  [
    'family name misspelt',
    { nhsNumber: null, familyName: 'Hartly' },
    { basis: MatchBasis.APPROXIMATE_DEMOGRAPHICS, verify: true, min: 0.85, max: 0.95 },
  ],
  [
    'day and month swapped',
    { nhsNumber: null, dateOfBirth: '2014-07-03' },
    { basis: MatchBasis.APPROXIMATE_DEMOGRAPHICS, verify: true, min: 0.85, max: 0.9 },
  ],
  [
    'twin: same family, date and address, other given name',
    { nhsNumber: null, givenName: 'Oliver' },
    null,
  ],
  ['sibling with another date of birth', { nhsNumber: null, dateOfBirth: '2016-09-30' }, null],
  [
    'nickname, misspelling and a move together',
    { nhsNumber: null, givenName: 'Will', familyName: 'Hartly', postcode: 'M1 1AA' },
    { basis: MatchBasis.APPROXIMATE_DEMOGRAPHICS, verify: true, min: 0.6, max: 0.75 },
  ],
  [
    'same name and date, other sex',
    { nhsNumber: null, sex: 'FEMALE' },
    { basis: MatchBasis.NAME_DOB_POSTCODE, verify: true, min: 0.6, max: 0.7 },
  ],
];

describe('matchIdentity', () => {
  it.each(cases)('%s', (_situation, changes, expected) => {
    const result = matchIdentity(referral, record(changes));
    if (expected === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result).not.toBeNull();
    expect(result!.basis).toBe(expected.basis);
    expect(result!.needsVerification).toBe(expected.verify);
    expect(result!.confidence).toBeGreaterThanOrEqual(expected.min);
    expect(result!.confidence).toBeLessThanOrEqual(expected.max);
    // A match that needs no verification has nothing a person would need to check.
    if (!expected.verify) expect(result!.differences).toEqual([]);
    else expect(result!.differences.length).toBeGreaterThan(0);
  });

  it('says what differs, without repeating a postcode (it may be a refuge)', () => {
    const result = matchIdentity(
      referral,
      record({ nhsNumber: null, givenName: 'Billy', postcode: 'M1 1AA' }),
    );
    expect(result!.differences).toEqual([
      'given name recorded as "Billy" (short form)',
      'postcode differs (moved, or a different person)',
    ]);
  });
});

describe('bestMatch', () => {
  it('picks the best record and never merges others that also match', () => {
    const exact = { id: 'a', ...record({ nhsNumber: null }) };
    const nickname = { id: 'b', ...record({ nhsNumber: null, givenName: 'Bill' }) };
    const twin = { id: 'c', ...record({ nhsNumber: null, givenName: 'Oliver' }) };
    const found = bestMatch({ ...referral, nhsNumber: null }, [twin, nickname, exact]);
    expect(found!.record.id).toBe('a');
    expect(found!.otherCandidates).toBe(1);
    expect(found!.match.needsVerification).toBe(true);
  });

  it('finds nothing when no record is the subject', () => {
    expect(bestMatch(referral, [{ id: 'x', ...record({ nhsNumber: '9990002223' }) }])).toBeNull();
  });
});

describe('blockingKeys', () => {
  it('searches by the swapped date too, so a day/month error can still be found', () => {
    const keys = blockingKeys([
      referral,
      record({ nhsNumber: null, dateOfBirth: '2015-12-25', postcode: null }),
    ]);
    expect(keys.datesOfBirth.sort()).toEqual(['2014-03-07', '2014-07-03', '2015-12-25']);
    expect(keys.nhsNumbers).toEqual(['9990001112']);
    expect(keys.postcodes).toEqual(['LS6 2AB']);
  });
});
