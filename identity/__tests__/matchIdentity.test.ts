import { MatchBasis } from '../../schema/agencyCheck';
import { compareIdentities, ComparisonVector, isPlaceholderName } from '../comparisons';
import { loadMatchConfig, MatchConfigError } from '../matchConfig';
import {
  bestMatch,
  DEFAULT_MATCH_MODEL,
  estimateMatchModel,
  explainMatch,
  Identity,
  matchIdentity,
} from '../matchIdentity';
import { defaultMatchModel, describeMatchModel } from '../matchModel';
import { sampleAgency } from './sampleAgency';

// The reproduction from issue 14: every fault listed there starts from this child.
const j: Identity = {
  givenName: 'Oliver',
  familyName: 'Smith',
  dateOfBirth: '2015-04-09',
  sex: 'MALE',
  postcode: 'LS6 2AB',
  nhsNumber: '9991234578',
};
const noNhs: Identity = { ...j, nhsNumber: null };

describe('the faults issue 14 reproduces', () => {
  it("a twin carrying the other twin's NHS number is not certain", () => {
    const twin = matchIdentity(j, { ...j, givenName: 'Harry' });
    expect(twin?.band).not.toBe('CERTAIN');
    expect(twin?.needsVerification ?? true).toBe(true);
  });

  it('newborn twins both recorded as "Baby Smith" are not certain', () => {
    const baby = { ...noNhs, givenName: 'Baby' };
    expect(matchIdentity(baby, { ...baby })?.band).not.toBe('CERTAIN');
  });

  it('two Oliver Smiths born the same day in one postcode with different NHS numbers are not certain', () => {
    expect(matchIdentity(j, { ...j, nhsNumber: '9991234594' })?.band).not.toBe('CERTAIN');
  });

  it('names in a non-Latin script are compared, not all equal', () => {
    const aisha = { ...noNhs, givenName: 'عائشة', familyName: 'خان', sex: 'FEMALE' };
    const fatima = { ...aisha, givenName: 'فاطمة' };
    expect(compareIdentities(aisha, fatima).givenName).toBe('DIFFERENT');
    expect(matchIdentity(aisha, fatima)?.band).not.toBe('CERTAIN');
    expect(matchIdentity(aisha, { ...aisha })?.band).toBe('CERTAIN');
  });

  it.each([
    ['NHS number stored with spaces', { nhsNumber: '999 123 4578' }],
    ['NHS number with a transposition (fails its check digit)', { nhsNumber: '9992134578' }],
  ])('finds the child when the %s', (_case, changes) => {
    expect(matchIdentity(j, { ...j, ...changes })?.band).toBe('CERTAIN');
  });

  it.each<[string, Partial<Identity>, Partial<Identity>]>([
    ['a one-digit date-of-birth typo', { dateOfBirth: '2015-04-08' }, {}],
    ['given and family names swapped', { givenName: 'Smith', familyName: 'Oliver' }, {}],
    ['Ned for Edward', { givenName: 'Ned' }, { givenName: 'Edward' }],
    ['Shivaun for Siobhan', { givenName: 'Shivaun' }, { givenName: 'Siobhan' }],
  ])('finds the child despite %s', (_case, changes, subjectChanges) => {
    const subject = { ...noNhs, ...subjectChanges };
    expect(matchIdentity(subject, { ...subject, ...changes })?.band).toBe('CERTAIN');
  });

  it('finds a surname change together with a local move, as possible', () => {
    const found = matchIdentity(noNhs, { ...noNhs, familyName: 'Walker', postcode: 'LS6 3HN' });
    expect(found?.band).toBe('POSSIBLE');
  });
});

// One row per comparison level: the subject's value, the record's, and the level expected.
type Row<F extends keyof ComparisonVector> = [
  string,
  Partial<Identity>,
  Partial<Identity>,
  ComparisonVector[F],
];
const levelCases: { [F in keyof ComparisonVector]: Row<F>[] } = {
  givenName: [
    ['equal after normalising', { givenName: 'Zoë' }, { givenName: 'zoe' }, 'EXACT'],
    ['placeholder on one side', { givenName: 'Oliver' }, { givenName: 'Baby' }, 'MISSING'],
    ['both placeholders', { givenName: 'Baby of Sarah Smith' }, { givenName: 'Baby' }, 'MISSING'],
    ['"Twin 1" and "Twin 2"', { givenName: 'Twin 1' }, { givenName: 'Twin 2' }, 'MISSING'],
    ['empty', { givenName: '' }, { givenName: 'Oliver' }, 'MISSING'],
    ['known short form', { givenName: 'William' }, { givenName: 'Billy' }, 'NICKNAME'],
    ['short form beyond the list', { givenName: 'Edward' }, { givenName: 'Ned' }, 'NICKNAME'],
    ['Irish spelling', { givenName: 'Siobhan' }, { givenName: 'Shivaun' }, 'NICKNAME'],
    ['Welsh form', { givenName: 'Dafydd' }, { givenName: 'David' }, 'NICKNAME'],
    ['transliteration variant', { givenName: 'Mohammed' }, { givenName: 'Mohamed' }, 'NICKNAME'],
    ['sounds the same', { givenName: 'Jon' }, { givenName: 'Jonn' }, 'PHONETIC'],
    ['Arabic script against Latin', { givenName: 'محمد' }, { givenName: 'Mohammed' }, 'PHONETIC'],
    ['Cyrillic against Latin', { givenName: 'Олег' }, { givenName: 'Oleg' }, 'EXACT'],
    [
      'two letters swapped, sounding different',
      { givenName: 'Christian' },
      { givenName: 'Christina' },
      'JARO_WINKLER_92',
    ],
    ['middle name used as first', { givenName: 'Oliver James' }, { givenName: 'James' }, 'PART'],
    ['one letter dropped', { givenName: 'Katherine' }, { givenName: 'Katherne' }, 'PHONETIC'],
    [
      'Jaro-Winkler between 0.88 and 0.92',
      { givenName: 'Sonia' },
      { givenName: 'Sonja' },
      'JARO_WINKLER_88',
    ],
    ['different', { givenName: 'Oliver' }, { givenName: 'Harry' }, 'DIFFERENT'],
    [
      'different scripts, different names',
      { givenName: 'عائشة' },
      { givenName: 'فاطمة' },
      'DIFFERENT',
    ],
    [
      'given and family swapped',
      { givenName: 'Oliver' },
      { givenName: 'Smith', familyName: 'Oliver' },
      'SWAPPED',
    ],
  ],
  familyName: [
    ['equal', {}, {}, 'EXACT'],
    ['apostrophe and case', { familyName: "O'Brien" }, { familyName: 'OBRIEN' }, 'EXACT'],
    ['sounds the same', { familyName: 'Smith' }, { familyName: 'Smyth' }, 'PHONETIC'],
    ['hyphenated', { familyName: 'Smith' }, { familyName: 'Smith-Jones' }, 'PART'],
    [
      'double-barrelled shortened',
      { familyName: 'Fortescue-Smythe' },
      { familyName: 'Smythe' },
      'PART',
    ],
    ['different', { familyName: 'Smith' }, { familyName: 'Walker' }, 'DIFFERENT'],
    ['missing', { familyName: '' }, { familyName: 'Smith' }, 'MISSING'],
  ],
  dateOfBirth: [
    ['equal', {}, {}, 'EXACT'],
    ['missing', { dateOfBirth: null }, {}, 'MISSING'],
    ['day and month swapped', {}, { dateOfBirth: '2015-09-04' }, 'DAY_MONTH_SWAPPED'],
    ['one digit in the day', {}, { dateOfBirth: '2015-04-08' }, 'ONE_DIGIT'],
    ['one digit in the year', {}, { dateOfBirth: '2016-04-09' }, 'ONE_DIGIT'],
    [
      'two digits transposed',
      { dateOfBirth: '2015-04-12' },
      { dateOfBirth: '2015-04-21' },
      'ONE_DIGIT',
    ],
    ['same year only', {}, { dateOfBirth: '2015-10-21' }, 'SAME_YEAR'],
    ['different', {}, { dateOfBirth: '2017-12-25' }, 'DIFFERENT'],
  ],
  postcode: [
    ['equal, spaced differently', {}, { postcode: 'ls62ab' }, 'EXACT'],
    ['same sector', {}, { postcode: 'LS6 2QT' }, 'SECTOR'],
    ['same district', {}, { postcode: 'LS6 3HN' }, 'DISTRICT'],
    ['different', {}, { postcode: 'M14 5RT' }, 'DIFFERENT'],
    ['missing', {}, { postcode: null }, 'MISSING'],
  ],
  nhsNumber: [
    ['equal', {}, {}, 'EXACT'],
    ['equal, stored with spaces', {}, { nhsNumber: '999 123 4578' }, 'EXACT'],
    ['adjacent digits transposed (invalid)', {}, { nhsNumber: '9992134578' }, 'ONE_TYPO'],
    ['one digit off (invalid)', {}, { nhsNumber: '9991234579' }, 'ONE_TYPO'],
    ['invalid and not near', {}, { nhsNumber: '1234567890' }, 'ONE_INVALID'],
    ['both valid, different', {}, { nhsNumber: '9991234594' }, 'DIFFERENT'],
    ['missing', {}, { nhsNumber: null }, 'MISSING'],
    ['not ten digits', {}, { nhsNumber: '99912345' }, 'MISSING'],
  ],
  sex: [
    ['equal', {}, { sex: 'M' }, 'EQUAL'],
    ['different', {}, { sex: 'FEMALE' }, 'DIFFERENT'],
    ['unknown', {}, { sex: 'UNKNOWN' }, 'MISSING'],
    ['missing', { sex: null }, {}, 'MISSING'],
  ],
};

describe.each(Object.keys(levelCases) as (keyof ComparisonVector)[])('%s levels', (field) => {
  it.each(levelCases[field] as Row<typeof field>[])('%s', (_case, subject, record, level) => {
    expect(compareIdentities({ ...j, ...subject }, { ...j, ...record })[field]).toBe(level);
  });
});

describe('isPlaceholderName', () => {
  it.each([
    'Baby',
    'baby of Smith',
    'Unborn',
    'Infant',
    'Unknown',
    'Twin 1',
    'TWIN A',
    '',
    'Baby Girl',
  ])('"%s" is a placeholder', (name) => expect(isPlaceholderName(name)).toBe(true));
  it.each(['Oliver', 'Babette', 'Twinkle', 'Bobby'])('"%s" is a name', (name) =>
    expect(isPlaceholderName(name)).toBe(false),
  );
});

describe('match weights', () => {
  const weightOf = (subject: Identity, record: Identity) =>
    explainMatch(subject, record).matchWeight;

  it('each step away from agreement weighs less, and the probability follows the weight', () => {
    const exact = explainMatch(noNhs, noNhs);
    const nickname = explainMatch(
      { ...noNhs, givenName: 'William' },
      { ...noNhs, givenName: 'Bill' },
    );
    const different = explainMatch(noNhs, { ...noNhs, givenName: 'Harry' });
    expect(exact.weights.givenName).toBeGreaterThan(nickname.weights.givenName);
    expect(nickname.weights.givenName).toBeGreaterThan(0);
    expect(different.weights.givenName).toBeLessThan(0);
    expect(exact.probability).toBeGreaterThan(nickname.probability);
    expect(nickname.probability).toBeGreaterThan(different.probability);
  });

  it('a missing value is no evidence either way', () => {
    const e = explainMatch(noNhs, { ...noNhs, postcode: null, sex: null });
    expect(e.weights.postcode).toBe(0);
    expect(e.weights.sex).toBe(0);
    expect(e.weights.nhsNumber).toBe(0);
  });

  it('two different valid NHS numbers are a strong but not infinite negative', () => {
    const e = explainMatch(j, { ...j, nhsNumber: '9991234594' });
    expect(e.weights.nhsNumber).toBeLessThan(-8);
    expect(Number.isFinite(e.weights.nhsNumber)).toBe(true);
  });

  it('a shared postcode counts for less within one household than between strangers', () => {
    const household = explainMatch(noNhs, { ...noNhs, givenName: 'Harry' });
    const strangers = explainMatch(noNhs, { ...noNhs, familyName: 'Walker' });
    expect(household.sameHousehold).toBe(true);
    expect(strangers.sameHousehold).toBe(false);
    expect(household.weights.postcode).toBeLessThan(strangers.weights.postcode);
  });

  it('a larger agency has a smaller prior: the same evidence is less sure', () => {
    const small = defaultMatchModel(10_000);
    const large = defaultMatchModel(1_000_000);
    const moved = { ...noNhs, postcode: 'M14 5RT' };
    expect(explainMatch(noNhs, moved, small).probability).toBeGreaterThan(
      explainMatch(noNhs, moved, large).probability,
    );
  });

  it('scores are symmetric in which side is the referral for name and date levels', () => {
    const a = { ...noNhs, givenName: 'Siobhan' };
    const b = { ...noNhs, givenName: 'Shivaun', dateOfBirth: '2015-09-04' };
    expect(compareIdentities(a, b)).toEqual(compareIdentities(b, a));
    expect(weightOf(a, b)).toBeCloseTo(weightOf(b, a));
  });
});

describe('matchIdentity', () => {
  it('reports the probability (3 places, never 1), the band, the basis and verification', () => {
    const same = matchIdentity(j, j)!;
    expect(same).toMatchObject({
      basis: MatchBasis.NHS_NUMBER,
      band: 'CERTAIN',
      needsVerification: false,
    });
    expect(same.confidence).toBeLessThan(1);
    expect(same.confidence).toBeGreaterThanOrEqual(0.99);
    expect(String(same.confidence).length).toBeLessThanOrEqual(5);
    expect(matchIdentity(noNhs, noNhs)!.basis).toBe(MatchBasis.NAME_DOB_POSTCODE);
    expect(matchIdentity(noNhs, { ...noNhs, postcode: 'M14 5RT' })!.basis).toBe(
      MatchBasis.NAME_DOB,
    );
    expect(matchIdentity(noNhs, { ...noNhs, givenName: 'Ollie' })!.basis).toBe(
      MatchBasis.APPROXIMATE_DEMOGRAPHICS,
    );
  });

  it('returns null below the possible band', () => {
    expect(
      matchIdentity(noNhs, { ...noNhs, givenName: 'Harry', dateOfBirth: '2017-12-25' }),
    ).toBeNull();
    expect(
      matchIdentity(j, {
        ...j,
        givenName: 'Grace',
        sex: 'FEMALE',
        dateOfBirth: '1990-01-01',
        nhsNumber: '9991234594',
      }),
    ).toBeNull();
  });

  it('says what differs in plain words, never repeating a postcode (it may be a refuge)', () => {
    const result = matchIdentity(j, {
      ...j,
      givenName: 'Ollie',
      familyName: 'Smyth',
      dateOfBirth: '2015-09-04',
      postcode: 'M14 5RT',
      nhsNumber: '9992134578',
    })!;
    expect(result.differences).toEqual([
      'given name recorded as "Ollie" (short form or variant)',
      'family name spelt "Smyth" (sounds the same)',
      'date of birth recorded as 2015-09-04 (day and month swapped)',
      'postcode differs (moved, or a different person)',
      'NHS number differs by one typing error (one fails its check digit)',
      'a different address, no agreeing NHS number and not every detail equal: a person must confirm',
    ]);
    const nearby = matchIdentity(noNhs, { ...noNhs, postcode: 'LS6 3HN' })!;
    expect(nearby.differences).toEqual(['postcode differs, same district']);
    for (const text of [...result.differences, ...nearby.differences]) {
      expect(text).not.toMatch(/LS6|M14|2AB|3HN|5RT/i);
    }
  });

  it('a given name that differs outright keeps even a probable match POSSIBLE, and says why', () => {
    const twin = matchIdentity(j, { ...j, givenName: 'Harry' })!;
    expect(twin.band).toBe('POSSIBLE');
    expect(twin.differences).toContain(
      'given names differ: a person must confirm (twins and siblings share everything else)',
    );
  });
});

describe('bestMatch', () => {
  const record = (id: string, changes: Partial<Identity>) => ({ id, ...noNhs, ...changes });

  it('picks the best record and never merges the others', () => {
    const found = bestMatch(noNhs, [
      record('twin', { givenName: 'Harry' }),
      record('exact', {}),
      record('sibling', { givenName: 'Amelia', dateOfBirth: '2012-01-30', sex: 'FEMALE' }),
    ]);
    expect(found!.record.id).toBe('exact');
    expect(found!.match.band).toBe('CERTAIN');
  });

  it('two records that each match well make neither certain (the runner-up lowers certainty)', () => {
    const one = record('a', {});
    const alone = bestMatch(noNhs, [one])!;
    const found = bestMatch(noNhs, [one, record('b', { dateOfBirth: '2015-04-08' })])!;
    expect(alone.match.band).toBe('CERTAIN');
    expect(found.record.id).toBe('a');
    expect(found.match.band).toBe('POSSIBLE');
    expect(found.match.confidence).toBeLessThan(alone.match.confidence);
    expect(found.otherCandidates).toBe(1);
    expect(found.match.differences).toContain('1 other record(s) also match');
  });

  it('finds nothing when no record is the subject, or there are no records', () => {
    expect(
      bestMatch(j, [
        record('x', { givenName: 'Harry', dateOfBirth: '2001-02-03', nhsNumber: '9991234594' }),
      ]),
    ).toBeNull();
    expect(bestMatch(j, [])).toBeNull();
  });
});

describe('estimateMatchModel', () => {
  const sample = sampleAgency(2000);

  it('estimates u from random pairs of the agency records', () => {
    const model = estimateMatchModel({ sample, pairs: 50_000 });
    expect(model.estimatedFrom).toEqual({ sampledRecords: 6000, sampledPairs: 50_000 });
    // 20 years of birth dates (28 days a month): about 1 pair in 6,700 shares one.
    const dob = model.comparisons.dateOfBirth.EXACT.u;
    expect(dob).toBeGreaterThan(1 / 15_000);
    expect(dob).toBeLessThan(1 / 3_000);
    // 400 given names drawn Zipf-like: about 1 pair in 26 shares one.
    expect(model.comparisons.givenName.EXACT.u).toBeGreaterThan(0.025);
    expect(model.comparisons.givenName.EXACT.u).toBeLessThan(0.055);
    expect(model.comparisons.sex.EQUAL.u).toBeCloseTo(0.5, 1);
  });

  it('is deterministic, and uses every pair of a small sample', () => {
    const small = sample.slice(0, 40);
    const a = estimateMatchModel({ sample: small });
    expect(a.estimatedFrom.sampledPairs).toBe((40 * 39) / 2);
    expect(describeMatchModel(a)).toEqual(
      describeMatchModel(estimateMatchModel({ sample: small })),
    );
  });

  it('weighs an exact rare name more than an exact common one (term frequency)', () => {
    const model = estimateMatchModel({ sample, pairs: 20_000 });
    const common = { ...noNhs, givenName: 'Oliver', postcode: null };
    const rare = { ...common, givenName: 'Tallulah' };
    expect(explainMatch(rare, rare, model).weights.givenName).toBeGreaterThan(
      explainMatch(common, common, model).weights.givenName + 3,
    );
  });

  it('takes name counts and a total from the whole agency when given', () => {
    const model = estimateMatchModel({
      sample: sample.slice(0, 100),
      total: 1_000_000,
      givenNameCounts: new Map([
        ['Oliver', 10_000],
        ['OLIVER ', 2_000],
      ]),
      familyNameCounts: { Smith: 11_000 },
    });
    expect(model.total).toBe(1_000_000);
    expect(model.givenNameFrequency.get('oliver')).toBeCloseTo(0.012);
    expect(model.familyNameFrequency.get('smith')).toBeCloseTo(0.011);
  });

  it('shows every level with m, u and its weight', () => {
    const rows = describeMatchModel(DEFAULT_MATCH_MODEL);
    expect(rows).toContainEqual(
      expect.objectContaining({ comparison: 'nhsNumber', level: 'DIFFERENT', m: 0.002 }),
    );
    for (const row of rows) expect(row.weight).toBeCloseTo(Math.log2(row.m / row.u));
  });
});

describe('match configuration', () => {
  it('reads the thresholds and the prior from the environment', () => {
    expect(
      loadMatchConfig({
        MATCH_CERTAIN_PROBABILITY: '0.999',
        MATCH_POSSIBLE_PROBABILITY: '0.05',
        MATCH_PRESENCE: '0.3',
      }),
    ).toEqual({ certainProbability: 0.999, possibleProbability: 0.05, presence: 0.3 });
    expect(loadMatchConfig({}).certainProbability).toBe(0.99);
  });

  it.each([
    [{ MATCH_CERTAIN_PROBABILITY: '1.5' }, /MATCH_CERTAIN_PROBABILITY must be a probability/],
    [{ MATCH_POSSIBLE_PROBABILITY: 'high' }, /MATCH_POSSIBLE_PROBABILITY must be a probability/],
    [{ MATCH_PRESENCE: '0' }, /MATCH_PRESENCE must be a probability/],
    [{ MATCH_POSSIBLE_PROBABILITY: '0.995' }, /must be below MATCH_CERTAIN_PROBABILITY/],
  ])('refuses %p with a clear message', (env, message) => {
    expect(() => loadMatchConfig(env)).toThrow(MatchConfigError);
    expect(() => loadMatchConfig(env)).toThrow(message);
  });

  it('moves the bands', () => {
    const strict = defaultMatchModel(100_000, {
      certainProbability: 0.99999,
      possibleProbability: 0.5,
      presence: 0.5,
    });
    const moved = { ...noNhs, postcode: 'M14 5RT' };
    expect(matchIdentity(noNhs, moved)?.band).toBe('CERTAIN');
    expect(matchIdentity(noNhs, moved, strict)?.band).toBe('POSSIBLE');
  });
});
