import { childIdentityKey, measurePerformance, ReferralJourney } from '../measures';

const t = (iso: string) => new Date(iso);
const check = (agency: string, due: string, completed: string | null) => ({
  agency,
  dueAt: t(due),
  completedAt: completed ? t(completed) : null,
});

/**
 * Five referrals, counted by hand below. The period is November 2026; the measures are taken on
 * 10 November at noon.
 */
const journeys: ReferralJourney[] = [
  // Before the period: counts only as the earlier referral of child X.
  {
    receivedAt: t('2026-03-01T10:00:00Z'),
    source: 'SCHOOL',
    decisionDueAt: t('2026-03-02T10:00:00Z'),
    triageRag: 'GREEN',
    decision: {
      outcome: 'NO_FURTHER_ACTION',
      decidedAt: t('2026-03-02T09:00:00Z'),
      ragAfterChecks: 'GREEN',
    },
    checks: [check('police', '2026-03-04T10:00:00Z', '2026-03-03T10:00:00Z')],
    childKeys: ['nhs:X'],
  },
  // A: school, decided on time, amber → red, police on time, health late. Repeat of child X.
  {
    receivedAt: t('2026-11-02T10:00:00Z'),
    source: 'SCHOOL',
    decisionDueAt: t('2026-11-03T10:00:00Z'),
    triageRag: 'AMBER',
    decision: {
      outcome: 'STRATEGY_DISCUSSION',
      decidedAt: t('2026-11-03T08:00:00Z'),
      ragAfterChecks: 'RED',
    },
    checks: [
      check('police', '2026-11-02T16:00:00Z', '2026-11-02T15:00:00Z'),
      check('health', '2026-11-02T16:00:00Z', '2026-11-02T17:00:00Z'),
    ],
    childKeys: ['nhs:X', 'nhs:Y'],
  },
  // B: police, decided late (12 h after due), green → green; police done on time.
  {
    receivedAt: t('2026-11-03T09:00:00Z'),
    source: 'POLICE',
    decisionDueAt: t('2026-11-04T09:00:00Z'),
    triageRag: 'GREEN',
    decision: {
      outcome: 'EARLY_HELP_ASSESSMENT',
      decidedAt: t('2026-11-04T21:00:00Z'),
      ragAfterChecks: 'GREEN',
    },
    checks: [check('police', '2026-11-06T09:00:00Z', '2026-11-04T09:00:00Z')],
    childKeys: ['nhs:Z'],
  },
  // C: school, undecided and overdue; police outstanding and overdue, health outstanding, not yet due.
  {
    receivedAt: t('2026-11-05T10:00:00Z'),
    source: 'SCHOOL',
    decisionDueAt: t('2026-11-06T10:00:00Z'),
    triageRag: 'RED',
    decision: null,
    checks: [
      check('police', '2026-11-05T12:00:00Z', null),
      check('health', '2026-11-12T12:00:00Z', null),
    ],
    childKeys: ['name:child b|example|2019-01-01'],
  },
  // D: police, untriaged, undecided, not yet overdue. Names child Z again: a repeat.
  {
    receivedAt: t('2026-11-10T09:00:00Z'),
    source: 'POLICE',
    decisionDueAt: t('2026-11-11T09:00:00Z'),
    triageRag: null,
    decision: null,
    checks: [],
    childKeys: ['nhs:Z'],
  },
  // After the period: not counted.
  {
    receivedAt: t('2026-12-01T10:00:00Z'),
    source: 'GP',
    decisionDueAt: t('2026-12-02T10:00:00Z'),
    triageRag: null,
    decision: null,
    checks: [],
    childKeys: ['nhs:Y'],
  },
];

test('the measures over a small period match a hand count', () => {
  const measures = measurePerformance(
    journeys,
    t('2026-11-01T00:00:00Z'),
    t('2026-12-01T00:00:00Z'),
    t('2026-11-10T12:00:00Z'),
  );
  expect(measures).toEqual({
    referrals: 4,
    bySource: [
      { key: 'POLICE', count: 2 },
      { key: 'SCHOOL', count: 2 },
    ],
    decisions: {
      decided: 2,
      decidedOnTime: 1,
      decidedLate: 1,
      undecided: 2,
      undecidedOverdue: 1,
      // A took 22 hours, B 36: the median of two is their mean.
      medianHoursToDecision: 29,
    },
    checksByAgency: [
      {
        agency: 'health',
        requested: 2,
        completedOnTime: 0,
        completedLate: 1,
        outstanding: 1,
        overdue: 0,
      },
      {
        agency: 'police',
        requested: 3,
        completedOnTime: 2,
        completedLate: 0,
        outstanding: 1,
        overdue: 1,
      },
    ],
    outcomesBySource: [
      { source: 'POLICE', outcome: 'EARLY_HELP_ASSESSMENT', count: 1 },
      { source: 'SCHOOL', outcome: 'STRATEGY_DISCUSSION', count: 1 },
    ],
    ragChanges: [
      { from: 'AMBER', to: 'RED', count: 1 },
      { from: 'GREEN', to: 'GREEN', count: 1 },
    ],
    repeatReferrals: 2,
    // None says whom it is about: each is about a child. None came without an assessment.
    referralsAbout: [{ key: 'CHILD', count: 4 }],
    decidedAbout: [{ key: 'CHILD', count: 2 }],
    earlyHelpAssessments: {
      due: 0,
      suppliedOnTime: 0,
      suppliedLate: 0,
      outstanding: 0,
      overdue: 0,
    },
  });
});

test('a referral more than 12 months after the last is not a repeat', () => {
  const later = { ...journeys[1], receivedAt: t('2027-03-02T10:00:00Z'), childKeys: ['nhs:X'] };
  const measures = measurePerformance(
    [journeys[0], later],
    t('2027-03-01T00:00:00Z'),
    t('2027-04-01T00:00:00Z'),
    t('2027-04-01T00:00:00Z'),
  );
  expect(measures.repeatReferrals).toBe(0);
});

test('the identity key prefers the NHS number and needs a date of birth otherwise', () => {
  expect(
    childIdentityKey({
      givenName: 'A',
      familyName: 'B',
      dateOfBirth: null,
      nhsNumber: '999 000 0018',
    }),
  ).toBe('nhs:9990000018');
  expect(
    childIdentityKey({
      givenName: ' Ada',
      familyName: 'Example ',
      dateOfBirth: '2018-03-04',
      nhsNumber: null,
    }),
  ).toBe('name:ada|example|2018-03-04');
  expect(
    childIdentityKey({
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: null,
      nhsNumber: null,
    }),
  ).toBeNull();
});
