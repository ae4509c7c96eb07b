import { HARD_CASES, hardCaseVerdicts } from '../hardCases';
import {
  DEFAULT_MATCH_MODEL,
  estimateMatchModel,
  matchIdentity,
  MatchModel,
} from '../matchIdentity';
import { sampleAgency } from './sampleAgency';

const models: [string, MatchModel][] = [
  ['the default model', DEFAULT_MATCH_MODEL],
  [
    'a model estimated from an agency of 6,000 records',
    estimateMatchModel({ sample: sampleAgency(2000) }),
  ],
];

describe.each(models)('hard cases, with %s', (_model, model) => {
  const verdict = (subject: (typeof HARD_CASES)[number]) =>
    matchIdentity(subject.subject, subject.record, model)?.band ?? 'NO_MATCH';

  it.each(HARD_CASES.filter((c) => !c.samePerson).map((c) => [c.name, c] as const))(
    'wrong person, never CERTAIN: %s',
    (_name, c) => expect(verdict(c)).not.toBe('CERTAIN'),
  );

  it.each(HARD_CASES.filter((c) => c.samePerson).map((c) => [c.name, c] as const))(
    'true match, found: %s',
    (_name, c) => {
      const band = verdict(c);
      expect(band).not.toBe('NO_MATCH');
      if (c.expected === 'CERTAIN') expect(band).toBe('CERTAIN');
    },
  );
});

it('gives one verdict per case, passing exactly when the band is right for the truth', () => {
  const verdicts = hardCaseVerdicts(DEFAULT_MATCH_MODEL);
  expect(verdicts.map((v) => v.name)).toEqual(HARD_CASES.map((c) => c.name));
  for (const v of verdicts) {
    const right = v.samePerson
      ? v.band !== 'NO_MATCH' && (v.expected !== 'CERTAIN' || v.band === 'CERTAIN')
      : v.band !== 'CERTAIN';
    expect(v.passed).toBe(right);
    expect(v.confidence === null).toBe(v.band === 'NO_MATCH');
  }
  // A model that calls everything certain fails the wrong-person cases the certainty policy does
  // not hold back (given names agree in some way, and a date of birth agrees).
  const credulous = {
    ...DEFAULT_MATCH_MODEL,
    certainProbability: 1e-9,
    possibleProbability: 1e-10,
  };
  const fooled = hardCaseVerdicts(credulous).filter((v) => !v.samePerson && !v.passed);
  expect(fooled.map((v) => v.name)).toEqual(
    expect.arrayContaining([
      'twins with alike names (Jack and Jake)',
      'two Oliver Smiths in one postcode, same birthday, different NHS numbers',
    ]),
  );
});

it('covers every kind of hard case the issue names, both ways', () => {
  const names = HARD_CASES.map((c) => c.name.toLowerCase()).join('\n');
  for (const kind of [
    'twins',
    'same initial',
    'baby smith',
    'nhs number (mis-filed)',
    'mother and daughter',
    'father and son',
    'adoption',
    'step-parent',
    'hyphenated',
    'double-barrelled',
    'transliteration',
    'arabic',
    'cyrillic',
    'ned for edward',
    'siobhan',
    'date of birth one digit',
    'day and month swapped',
    'transposed',
    'spaces',
    'one postcode',
    'swapped',
  ]) {
    expect(names).toContain(kind);
  }
  expect(HARD_CASES.filter((c) => c.samePerson).length).toBeGreaterThan(20);
  expect(HARD_CASES.filter((c) => !c.samePerson).length).toBeGreaterThan(20);
});
