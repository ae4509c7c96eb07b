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
  /** Whom the referral is about: CHILD (the default) or ADULT_AT_RISK. */
  about?: string | null;
  /** The child's Early Help Assessment, or a reference to the early-help system's record. */
  earlyHelpAssessment?: EarlyHelpAssessmentSubmission | null;
  /** Whether the family was told of the referral, or why not. */
  familyInformed?: FamilyInformedSubmission | null;
}

export interface EarlyHelpAssessmentSubmission {
  /** The early-help system's reference for the assessment. */
  reference?: string | null;
  /** The assessment's findings, as the referrer gives them. */
  summary?: string | null;
}

export interface FamilyInformedSubmission {
  told: boolean;
  /** Who told them, and when. */
  toldBy?: string | null;
  toldAt?: Date | null;
  /** Why they were not told: telling them would increase the risk. */
  notToldReason?: string | null;
  /** Who judged that telling them would increase the risk. */
  notToldDecidedBy?: string | null;
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
const ADULT_AT_RISK_ROLE = 'ADULT_AT_RISK';
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

  const aboutAdult = submission.about === 'ADULT_AT_RISK';
  if (submission.concerns.trim().length < 10)
    problem(
      'concerns',
      `Say what the worry about the ${aboutAdult ? 'adult' : 'child'} is (10 characters or more).`,
    );

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
  if (aboutAdult) {
    if (!submission.subjects.some((s) => s.roleInHousehold === ADULT_AT_RISK_ROLE))
      problem('subjects', 'A referral about an adult at risk must name the adult (ADULT_AT_RISK).');
    // A child in the household makes it a referral about the child, the adult named with them.
    if (submission.subjects.some((s) => CHILD_ROLES.includes(s.roleInHousehold)))
      problem('about', 'The referral names a child: refer about the child (about: CHILD).');
    if (submission.earlyHelpAssessment)
      problem('earlyHelpAssessment', 'An Early Help Assessment is made for a child, not an adult.');
  } else if (!submission.subjects.some((s) => CHILD_ROLES.includes(s.roleInHousehold)))
    problem('subjects', 'A referral to the MASH must name the child it is about.');

  const eha = submission.earlyHelpAssessment;
  if (eha && !eha.reference?.trim() && !eha.summary?.trim())
    problem(
      'earlyHelpAssessment',
      "Give the assessment's summary or the early-help system's reference for it.",
    );
  familyInformedProblems(submission.familyInformed, receivedAt).forEach((p) =>
    problem(`familyInformed.${p.field}`, p.message),
  );

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
      } else if (
        subject.roleInHousehold === ADULT_AT_RISK_ROLE &&
        received.diff(born, 'years').years < 18
      ) {
        problem(at('dateOfBirth'), 'The adult at risk named is under 18: refer about a child.');
      }
    }
    if (subject.postcode && !POSTCODE.test(subject.postcode.trim()))
      problem(at('postcode'), `"${subject.postcode}" is not a UK postcode.`);
    if (subject.nhsNumber && !isValidNhsNumber(subject.nhsNumber.replace(/\s/g, '')))
      problem(at('nhsNumber'), 'This is not a valid NHS number (its check digit does not match).');
  });
  return problems;
}

/**
 * What is wrong with a record of whether the family was told: told needs who and when (not in the
 * future); not told for a reason needs who judged it. Not told with no reason is accepted (the
 * referrer may not know yet) and the case is flagged until someone records why.
 */
export function familyInformedProblems(
  informed: FamilyInformedSubmission | null | undefined,
  now: Date,
): IntakeProblem[] {
  if (!informed) return [];
  const problems: IntakeProblem[] = [];
  if (informed.told) {
    if (!informed.toldBy?.trim()) problems.push({ field: 'toldBy', message: 'Say who told them.' });
    if (!informed.toldAt) problems.push({ field: 'toldAt', message: 'Say when they were told.' });
    else if (informed.toldAt > now)
      problems.push({ field: 'toldAt', message: 'They cannot have been told in the future.' });
    if (informed.notToldReason?.trim())
      problems.push({
        field: 'notToldReason',
        message: 'The family was told: there is no reason for not telling them.',
      });
  } else if (informed.notToldReason?.trim() && !informed.notToldDecidedBy?.trim()) {
    problems.push({
      field: 'notToldDecidedBy',
      message: 'Say who judged that telling the family would increase the risk.',
    });
  }
  return problems;
}
