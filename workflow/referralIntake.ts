import { DateTime } from 'luxon';
import { isValidNhsNumber } from '../identity/nhsNumber';

/** A referral as it arrives at the single point of entry, before the hub accepts it. */
export interface ReferralSubmission {
  referrerType: string;
  referrerName?: string | null;
  referrerOrganisation?: string | null;
  referrerContact?: string | null;
  concerns: string;
  immediateRisk: boolean;
  consentSought: boolean;
  /** The family's answer when consent was sought. */
  consentGiven?: boolean | null;
  /** Who was asked and what they said, or why consent was not sought. */
  consentNotes?: string | null;
  subjects: SubmittedSubject[];
}

export interface SubmittedSubject {
  roleInHousehold: string;
  givenName: string;
  familyName: string;
  dateOfBirth?: string | null;
  postcode?: string | null;
  nhsNumber?: string | null;
}

export interface IntakeProblem {
  /** Where in the submission, e.g. `subjects[1].dateOfBirth`. */
  field: string;
  message: string;
}

const CHILD_ROLES = ['CHILD', 'SIBLING'];
/** Referrers who work for an agency: the hub must be able to go back to them. */
const PROFESSIONAL_REFERRERS = ['POLICE', 'SCHOOL', 'HEALTH', 'GP'];
const MAX_SUBJECTS = 20;
const MAX_AGE_YEARS = 120;
// The UK postcode shape (outward code, space optional, inward code).
const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;

/**
 * Everything wrong with a submission, all at once, so the referrer can fix it in one go. An empty
 * list means the hub may accept it.
 */
export function intakeProblems(submission: ReferralSubmission, receivedAt: Date): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  const received = DateTime.fromJSDate(receivedAt, { zone: 'Europe/London' });

  if (submission.concerns.trim().length < 10)
    problem('concerns', 'Say what the worry about the child is (10 characters or more).');

  if (submission.referrerType !== 'ANONYMOUS' && !submission.referrerContact?.trim())
    problem(
      'referrerContact',
      'Give a way to contact the referrer, unless the referral is anonymous.',
    );
  if (
    PROFESSIONAL_REFERRERS.includes(submission.referrerType) &&
    !submission.referrerOrganisation?.trim()
  )
    problem('referrerOrganisation', 'A professional referrer must name their organisation.');

  if (submission.consentSought && typeof submission.consentGiven !== 'boolean')
    problem('consentGiven', 'Consent was sought: say whether it was given.');
  if (!submission.consentSought && typeof submission.consentGiven === 'boolean')
    problem('consentGiven', 'Consent was not sought, so it cannot have been given or refused.');
  if (!submission.consentSought && !submission.consentNotes?.trim())
    problem('consentNotes', 'Say why consent was not sought.');

  if (submission.subjects.length > MAX_SUBJECTS)
    problem('subjects', `A referral names at most ${MAX_SUBJECTS} people.`);
  if (!submission.subjects.some((s) => CHILD_ROLES.includes(s.roleInHousehold)))
    problem('subjects', 'A referral to the MASH must name the child it is about.');

  submission.subjects.forEach((subject, i) => {
    const at = (field: string) => `subjects[${i}].${field}`;
    if (!subject.givenName.trim()) problem(at('givenName'), 'Give the given name.');
    if (!subject.familyName.trim()) problem(at('familyName'), 'Give the family name.');
    if (subject.dateOfBirth) {
      const born = DateTime.fromISO(subject.dateOfBirth, { zone: 'Europe/London' });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(subject.dateOfBirth) || !born.isValid) {
        problem(at('dateOfBirth'), `"${subject.dateOfBirth}" is not a date (YYYY-MM-DD).`);
      } else if (born > received) {
        problem(at('dateOfBirth'), 'The date of birth is after the referral was received.');
      } else if (received.diff(born, 'years').years > MAX_AGE_YEARS) {
        problem(at('dateOfBirth'), `The date of birth is more than ${MAX_AGE_YEARS} years ago.`);
      } else if (subject.roleInHousehold === 'CHILD' && received.diff(born, 'years').years >= 18) {
        problem(at('dateOfBirth'), 'The child named is 18 or over: refer to adult services.');
      }
    }
    if (subject.postcode && !POSTCODE.test(subject.postcode.trim()))
      problem(at('postcode'), `"${subject.postcode}" is not a UK postcode.`);
    if (subject.nhsNumber && !isValidNhsNumber(subject.nhsNumber.replace(/\s/g, '')))
      problem(at('nhsNumber'), 'This is not a valid NHS number (its check digit does not match).');
  });
  return problems;
}
