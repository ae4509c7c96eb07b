import { intakeProblems, ReferralSubmission } from '../referralIntake';
import { measureConsultations, measurePerformance, ReferralJourney } from '../measures';
import { addWorkingHours, earlyHelpAssessmentDueAt, MERTON_SCHEME } from '../timeliness';

const RECEIVED = new Date('2026-11-23T10:00:00Z');
const at = (iso: string) => new Date(iso);

// Synthetic people only.
const adultReferral: ReferralSubmission = {
  about: 'ADULT_AT_RISK',
  referrerType: 'HEALTH',
  referrerName: 'A Nurse',
  referrerOrganisation: 'Synthetic Community Health',
  referrerContact: 'nurse@health.example',
  concerns: 'Bruising on both arms; says her son takes her pension and shouts at her.',
  immediateRisk: false,
  consentSought: true,
  consentGiven: false,
  subjects: [
    {
      roleInHousehold: 'ADULT_AT_RISK',
      givenName: 'Edna',
      familyName: 'Exampleadult',
      dateOfBirth: '1941-02-03',
    },
    {
      roleInHousehold: 'OTHER_ADULT',
      givenName: 'Fred',
      familyName: 'Exampleadult',
      dateOfBirth: '1970-07-08',
    },
  ],
};

function fieldsWrong(change: (s: ReferralSubmission) => void): string[] {
  const submission = structuredClone(adultReferral);
  change(submission);
  return intakeProblems(submission, RECEIVED).map((p) => p.field);
}

describe('intake of a referral about an adult at risk', () => {
  test('an adult at risk with no child in the household is accepted', () => {
    expect(intakeProblems(adultReferral, RECEIVED)).toEqual([]);
  });

  test.each<[string, (s: ReferralSubmission) => void, string[]]>([
    ['no adult at risk named', (s) => (s.subjects[0].roleInHousehold = 'PARENT'), ['subjects']],
    [
      'a child named: it is a referral about the child',
      (s) =>
        s.subjects.push({
          roleInHousehold: 'CHILD',
          givenName: 'Gus',
          familyName: 'X',
          dateOfBirth: '2019-01-01',
        }),
      ['about'],
    ],
    [
      'an "adult" at risk who is 17',
      (s) => (s.subjects[0].dateOfBirth = '2009-01-01'),
      ['subjects[0].dateOfBirth'],
    ],
    [
      'an Early Help Assessment (that is for children)',
      (s) => (s.earlyHelpAssessment = { reference: 'EHA-1' }),
      ['earlyHelpAssessment'],
    ],
    ['concerns too short', (s) => (s.concerns = 'worried'), ['concerns']],
  ])('refused: %s', (_why, change, expected) => {
    expect(fieldsWrong(change)).toEqual(expected);
  });

  test('the same people as a child referral are still refused: no child named', () => {
    expect(fieldsWrong((s) => (s.about = 'CHILD'))).toEqual(['subjects']);
    expect(fieldsWrong((s) => (s.about = null))).toEqual(['subjects']);
  });

  test('the concerns message names the adult, not a child', () => {
    const submission = { ...structuredClone(adultReferral), concerns: '' };
    expect(intakeProblems(submission, RECEIVED)[0].message).toContain('the adult');
  });
});

describe('whether the family was told, as intake accepts it', () => {
  const child = (familyInformed: ReferralSubmission['familyInformed']): string[] =>
    intakeProblems(
      {
        ...structuredClone(adultReferral),
        about: 'CHILD',
        subjects: [
          {
            roleInHousehold: 'CHILD',
            givenName: 'Ada',
            familyName: 'X',
            dateOfBirth: '2018-03-04',
          },
        ],
        familyInformed,
      },
      RECEIVED,
    ).map((p) => p.field);

  test.each<[string, ReferralSubmission['familyInformed'], string[]]>([
    ['not said at all (flagged on the case, not refused)', null, []],
    [
      'told, by whom and when',
      { told: true, toldBy: 'A Nurse', toldAt: at('2026-11-23T09:00:00Z') },
      [],
    ],
    [
      'told, but not by whom or when',
      { told: true },
      ['familyInformed.toldBy', 'familyInformed.toldAt'],
    ],
    [
      'told in the future',
      { told: true, toldBy: 'A Nurse', toldAt: at('2026-11-23T10:00:01Z') },
      ['familyInformed.toldAt'],
    ],
    [
      'told, and a reason for not telling',
      { told: true, toldBy: 'A Nurse', toldAt: RECEIVED, notToldReason: 'risk' },
      ['familyInformed.notToldReason'],
    ],
    ['not told, no reason yet (flagged, not refused)', { told: false }, []],
    [
      'not told for a reason, nobody judged it',
      { told: false, notToldReason: 'It would raise the risk.' },
      ['familyInformed.notToldDecidedBy'],
    ],
    [
      'not told for a reason, and who judged it',
      { told: false, notToldReason: 'It would raise the risk.', notToldDecidedBy: 'DSL' },
      [],
    ],
  ])('%s', (_why, informed, expected) => {
    expect(child(informed)).toEqual(expected);
  });
});

describe('the Early Help Assessment deadline: 48 hours on the MASH clock', () => {
  test.each([
    // [why, received, due]
    ['a Monday morning: Wednesday morning', '2026-11-23T10:00:00Z', '2026-11-25T10:00:00Z'],
    [
      'a Friday afternoon: the weekend does not count, due Tuesday afternoon',
      '2026-11-20T15:00:00Z',
      '2026-11-24T15:00:00Z',
    ],
    [
      'the Friday before the August bank holiday (BST): the Monday off too, due Wednesday',
      '2026-08-28T14:00:00Z',
      '2026-09-02T14:00:00Z',
    ],
    [
      'Christmas Eve: Christmas Day and the Boxing Day substitute Monday do not count',
      '2026-12-24T12:00:00Z',
      '2026-12-30T12:00:00Z',
    ],
    [
      'a Saturday: the clock starts on Monday morning',
      '2026-11-21T11:00:00Z',
      '2026-11-24T17:00:00Z',
    ],
  ])('%s', (_why, received, due) => {
    expect(earlyHelpAssessmentDueAt(at(received)).toISOString()).toBe(at(due).toISOString());
  });

  test('48 elapsed hours over a weekend are not 48 hours on the MASH clock', () => {
    const received = at('2026-11-20T15:00:00Z');
    const fortyEightElapsed = new Date(received.getTime() + 48 * 3_600_000);
    expect(earlyHelpAssessmentDueAt(received).getTime()).toBeGreaterThan(
      fortyEightElapsed.getTime(),
    );
    // Two working days, whatever the working hours are set to.
    const longDays = {
      ...MERTON_SCHEME,
      workingHours: { ...MERTON_SCHEME.workingHours, start: 8, end: 18 },
    };
    expect(earlyHelpAssessmentDueAt(received, longDays)).toEqual(
      addWorkingHours(received, 20, longDays),
    );
  });
});

describe('measures: adults and children apart, assessments, consultations', () => {
  const journey = (over: Partial<ReferralJourney>): ReferralJourney => ({
    receivedAt: at('2026-11-10T10:00:00Z'),
    source: 'HEALTH',
    decisionDueAt: at('2026-11-11T10:00:00Z'),
    triageRag: 'AMBER',
    decision: null,
    checks: [],
    childKeys: [],
    ...over,
  });
  const decided = {
    outcome: 'SECTION_42_ENQUIRY',
    decidedAt: at('2026-11-10T15:00:00Z'),
    ragAfterChecks: 'RED' as const,
  };

  test('counts adult and child referrals and decisions separately, and each assessment once', () => {
    const measures = measurePerformance(
      [
        journey({ about: 'ADULT_AT_RISK', decision: decided }),
        journey({ about: 'ADULT_AT_RISK' }),
        journey({}),
        // Supplied a minute late, supplied on the minute, outstanding but not due, outstanding and due.
        journey({
          earlyHelpAssessment: {
            dueAt: at('2026-11-12T10:00:00Z'),
            suppliedAt: at('2026-11-12T10:01:00Z'),
          },
        }),
        journey({
          earlyHelpAssessment: {
            dueAt: at('2026-11-12T10:00:00Z'),
            suppliedAt: at('2026-11-12T10:00:00Z'),
          },
        }),
        journey({ earlyHelpAssessment: { dueAt: at('2026-11-20T10:00:00Z'), suppliedAt: null } }),
        journey({ earlyHelpAssessment: { dueAt: at('2026-11-12T10:00:00Z'), suppliedAt: null } }),
        // Outside the period: counts for nothing.
        journey({
          receivedAt: at('2026-12-01T00:00:00Z'),
          about: 'ADULT_AT_RISK',
          earlyHelpAssessment: { dueAt: at('2026-12-03T00:00:00Z'), suppliedAt: null },
        }),
      ],
      at('2026-11-01T00:00:00Z'),
      at('2026-12-01T00:00:00Z'),
      at('2026-11-15T00:00:00Z'),
    );
    expect(measures.referralsAbout).toEqual([
      { key: 'ADULT_AT_RISK', count: 2 },
      { key: 'CHILD', count: 5 },
    ]);
    expect(measures.decidedAbout).toEqual([{ key: 'ADULT_AT_RISK', count: 1 }]);
    expect(measures.earlyHelpAssessments).toEqual({
      due: 4,
      suppliedOnTime: 1,
      suppliedLate: 1,
      outstanding: 2,
      overdue: 1,
    });
  });

  test('consultations are counted in [from, to): the first instant in, the end out', () => {
    const from = at('2026-06-01T00:00:00Z');
    const to = at('2026-07-01T00:00:00Z');
    const c = (iso: string, agency: string, becameReferral = false) => ({
      askedAt: at(iso),
      askedByAgency: agency,
      becameReferral,
    });
    expect(
      measureConsultations(
        [
          c('2026-05-31T23:59:59.999Z', 'education'),
          c('2026-06-01T00:00:00Z', 'education', true),
          c('2026-06-15T12:00:00Z', 'health'),
          c('2026-06-30T23:59:59.999Z', 'education'),
          c('2026-07-01T00:00:00Z', 'health', true),
        ],
        from,
        to,
      ),
    ).toEqual({
      received: 3,
      becameReferrals: 1,
      byAgency: [
        { key: 'education', count: 2 },
        { key: 'health', count: 1 },
      ],
    });
  });
});
