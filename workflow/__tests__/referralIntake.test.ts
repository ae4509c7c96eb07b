import { intakeProblems, ReferralSubmission } from '../referralIntake';

const RECEIVED = new Date('2026-11-23T10:00:00Z');

// Synthetic people only: the NHS number is in the never-issued 999 range.
const valid: ReferralSubmission = {
  referrerType: 'SCHOOL',
  referrerName: 'A Teacher',
  referrerOrganisation: 'Synthetic Primary School',
  referrerContact: 'dsl@school.example',
  concerns: 'Child arrived with bruising to the arm and said they were scared to go home.',
  immediateRisk: false,
  consentSought: true,
  consentGiven: true,
  consentNotes: 'Mother agreed on the phone.',
  subjects: [
    {
      roleInHousehold: 'CHILD',
      givenName: 'Ada',
      familyName: 'Example',
      dateOfBirth: '2018-03-04',
      postcode: 'SW19 1AA',
      nhsNumber: '9990000018',
    },
    {
      roleInHousehold: 'PARENT',
      givenName: 'Bea',
      familyName: 'Example',
      dateOfBirth: '1990-05-06',
    },
  ],
};

function fieldsWrong(change: (s: ReferralSubmission) => void): string[] {
  const submission: ReferralSubmission = structuredClone(valid);
  change(submission);
  return intakeProblems(submission, RECEIVED).map((p) => p.field);
}

describe('referral intake validation', () => {
  test('a complete referral has no problems', () => {
    expect(intakeProblems(valid, RECEIVED)).toEqual([]);
  });

  test.each<[string, (s: ReferralSubmission) => void, string[]]>([
    ['no child named', (s) => (s.subjects = [s.subjects[1]]), ['subjects']],
    [
      'a date of birth that is not a date',
      (s) => (s.subjects[0].dateOfBirth = '2018-02-30'),
      ['subjects[0].dateOfBirth'],
    ],
    [
      'a date of birth in the future',
      (s) => (s.subjects[0].dateOfBirth = '2027-01-01'),
      ['subjects[0].dateOfBirth'],
    ],
    [
      'a date of birth 130 years ago',
      (s) => (s.subjects[1].dateOfBirth = '1896-01-01'),
      ['subjects[1].dateOfBirth'],
    ],
    [
      'a "child" who is an adult',
      (s) => (s.subjects[0].dateOfBirth = '2000-01-01'),
      ['subjects[0].dateOfBirth'],
    ],
    [
      'an NHS number with a wrong check digit',
      (s) => (s.subjects[0].nhsNumber = '9990000019'),
      ['subjects[0].nhsNumber'],
    ],
    [
      'a postcode that is not one',
      (s) => (s.subjects[0].postcode = 'NOT A CODE'),
      ['subjects[0].postcode'],
    ],
    ['an empty name', (s) => (s.subjects[1].givenName = ' '), ['subjects[1].givenName']],
    ['no concerns', (s) => (s.concerns = 'worried'), ['concerns']],
    [
      'a professional without an organisation',
      (s) => (s.referrerOrganisation = null),
      ['referrerOrganisation'],
    ],
    ['no way to contact a named referrer', (s) => (s.referrerContact = ''), ['referrerContact']],
    ['consent sought but no answer', (s) => (s.consentGiven = null), ['consentGiven']],
    [
      'consent not sought, yet answered, and no reason',
      (s) => Object.assign(s, { consentSought: false, consentNotes: null }),
      ['consentGiven', 'consentNotes'],
    ],
  ])('%s', (_why, change, expected) => {
    expect(fieldsWrong(change)).toEqual(expected);
  });

  test('an anonymous referral needs no contact, and a pre-school child no NHS number', () => {
    expect(
      fieldsWrong((s) => {
        Object.assign(s, { referrerType: 'ANONYMOUS', referrerContact: null, referrerName: null });
        s.subjects[0].nhsNumber = null;
      }),
    ).toEqual([]);
  });

  test('every problem is reported at once', () => {
    expect(
      fieldsWrong((s) => {
        s.concerns = '';
        s.subjects[0].dateOfBirth = 'yesterday';
        s.subjects[0].postcode = '123';
      }),
    ).toEqual(['concerns', 'subjects[0].dateOfBirth', 'subjects[0].postcode']);
  });
});
