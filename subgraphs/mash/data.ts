import type { DataSource } from 'typeorm';
import { insertInChunks } from '../../database/insertInChunks';
import { ConsentState, SharingGround } from '../../policies/consent';
import { RECEIVING_SERVICES_BY_OUTCOME } from '../../policies/handOver';
import { AGENCY_CHECK_FIELDS } from '../../policies/tiers';
import {
  daysBefore,
  RecordedIdentity,
  REFERENCE_DATE,
  SyntheticFamily,
  SyntheticReferral,
} from '../../synthetic/population';
import { Random } from '../../synthetic/random';
import { stableUuid } from '../../synthetic/stableUuid';
import {
  OUTCOMES_BY_THRESHOLD,
  ReferralAbout,
  ThresholdOfNeed,
} from '../../workflow/continuumOfNeed';
import { checksDueAt, decisionDueAt, Rag, timelinessScheme } from '../../workflow/timeliness';
import { AgencyCheckTask } from './entities/agencyCheckTask';
import { Case, CaseStatus } from './entities/case';
import { RecordedGround } from './entities/consent';
import { Decision } from './entities/decision';
import { Referral, ReferrerType } from './entities/referral';
import { HouseholdRole, Subject } from './entities/subject';
import { RagRating } from './entities/triage';

/**
 * The hub's own records: for each referred family its current referral and case, and for some
 * families an earlier referral, long decided. Triage, agency checks and decisions are generated
 * on the hub's real clock (`workflow/timeliness.ts`), some of them late, so the performance
 * measures have something to measure.
 */
export async function seedMash(
  dataSource: DataSource,
  population: SyntheticFamily[],
): Promise<void> {
  const hub: HubRecords = {
    referrals: [],
    cases: [],
    subjects: [],
    grounds: [],
    tasks: [],
    decisions: [],
  };
  for (const family of population) {
    const earlier = earlierReferral(family);
    if (earlier) seedEarlierReferral(hub, family, earlier);
    if (family.referral) seedCurrentReferral(hub, family, family.referral);
  }
  await insertInChunks(dataSource, Referral, hub.referrals);
  await insertInChunks(dataSource, Case, hub.cases);
  await insertInChunks(dataSource, Subject, hub.subjects);
  await insertInChunks(dataSource, RecordedGround, hub.grounds as RecordedGround[]);
  await insertInChunks(dataSource, AgencyCheckTask, hub.tasks as AgencyCheckTask[]);
  await insertInChunks(dataSource, Decision, hub.decisions);
}

interface HubRecords {
  referrals: Referral[];
  cases: Case[];
  subjects: Subject[];
  grounds: Omit<RecordedGround, 'id'>[];
  tasks: Omit<AgencyCheckTask, 'id'>[];
  decisions: Decision[];
}

function seedCurrentReferral(
  hub: HubRecords,
  family: SyntheticFamily,
  referral: SyntheticReferral,
) {
  const random = new Random('mash-workflow', family.familyKey);
  const referralId = stableUuid('mash', 'referral', family.familyKey);
  const caseId = stableUuid('mash', 'case', family.familyKey);
  const consent = referral.consent as ConsentState;
  const status = caseStatus(family.index);
  hub.referrals.push({
    id: referralId,
    ...referrer(referral.referrerType as ReferrerType, family.index),
    ...cameComplete(referral.receivedAt, family.index),
    receivedAt: referral.receivedAt,
    concerns: referral.concerns,
    immediateRisk: referral.rag === 'RED' && random.chance(0.5),
    consentSought: consent !== ConsentState.NOT_SOUGHT,
    consentGiven: consent === ConsentState.NOT_SOUGHT ? null : consent === ConsentState.GIVEN,
    rag: referral.rag as RagRating | null,
  });
  hub.cases.push({
    id: caseId,
    reference: caseReference(family.index),
    externalReference: caseSystemReference(family.index),
    externalSystem: CASE_SYSTEM_AGENCY,
    status,
    openedAt: referral.receivedAt,
    referralId,
    teams: [MASH_TEAMS[family.index % MASH_TEAMS.length]],
    consent,
    consentNotes: `Referrer (${referral.referrerType.toLowerCase()}) reports consent ${consent.toLowerCase().replace('_', ' ')}.`,
    consentRecordedBy: 'seed',
    consentRecordedAt: referral.receivedAt,
    ...workflowHistory(
      hub,
      random,
      caseId,
      referral.receivedAt,
      referral.rag,
      status === CaseStatus.CLOSED,
    ),
  });
  // An urgent referral without consent: a manager has authorised sharing on the ground of harm.
  if (consent !== ConsentState.GIVEN && referral.rag === 'RED') {
    hub.grounds.push({
      caseId,
      ground: SharingGround.SIGNIFICANT_HARM_TO_CHILD,
      authorisedBy: 'manager.seed',
      authorisedAt: referral.receivedAt,
      reason:
        'Red referral: seeking consent first would put the child at risk of significant harm.',
    });
  }
  for (const subject of referral.subjects) {
    hub.subjects.push(
      subjectRow(stableUuid('mash', 'subject', subject.personKey), caseId, subject),
    );
  }
}

/** A person named in a case, as the referral gave them. */
function subjectRow(
  id: string,
  caseId: string,
  person: Omit<RecordedIdentity, 'personKey'> & { role: string; addressConfidential: boolean },
): Subject {
  return {
    id,
    caseId,
    roleInHousehold: person.role as HouseholdRole,
    givenName: person.givenName,
    familyName: person.familyName,
    dateOfBirth: person.dateOfBirth,
    sex: person.sex as Subject['sex'],
    addressLine: person.addressLine,
    postcode: person.postcode,
    nhsNumber: person.nhsNumber,
    addressConfidential: person.addressConfidential,
  };
}

/** A referral months before the synthetic "now", triaged, checked and decided (case closed). */
export interface EarlierReferral {
  receivedAt: Date;
  referrerType: ReferrerType;
  rag: RagRating;
}

/** Some families were referred before (within about a year): repeat referrals to measure. */
export function earlierReferral(family: SyntheticFamily): EarlierReferral | null {
  const random = new Random('mash-earlier-referral', family.familyKey);
  if (!random.chance(family.referral ? 0.3 : 0.15)) return null;
  const minutes = random.int(0, 10 * 60); // from 09:00 into the evening
  return {
    receivedAt: new Date(
      daysBefore(REFERENCE_DATE, random.int(25, 420)).getTime() + minutes * 60_000,
    ),
    referrerType: random.pick(Object.values(ReferrerType)),
    rag: random.pick(Object.values(RagRating)),
  };
}

function seedEarlierReferral(hub: HubRecords, family: SyntheticFamily, earlier: EarlierReferral) {
  const random = new Random('mash-earlier-workflow', family.familyKey);
  const referralId = stableUuid('mash', 'earlier-referral', family.familyKey);
  const caseId = stableUuid('mash', 'earlier-case', family.familyKey);
  hub.referrals.push({
    id: referralId,
    ...referrer(earlier.referrerType, family.index),
    ...cameComplete(earlier.receivedAt, family.index),
    receivedAt: earlier.receivedAt,
    concerns: 'An earlier worry about the children, decided at the time.',
    immediateRisk: false,
    consentSought: true,
    consentGiven: true,
    rag: earlier.rag,
  });
  hub.cases.push({
    id: caseId,
    reference: `MASH-${earlier.receivedAt.getUTCFullYear()}-E${String(family.index).padStart(6, '0')}`,
    externalReference: null,
    externalSystem: null,
    status: CaseStatus.CLOSED,
    openedAt: earlier.receivedAt,
    referralId,
    teams: [MASH_TEAMS[family.index % MASH_TEAMS.length]],
    consent: ConsentState.GIVEN,
    consentNotes: 'Parent agreed to the referral.',
    consentRecordedBy: 'seed',
    consentRecordedAt: earlier.receivedAt,
    ...workflowHistory(hub, random, caseId, earlier.receivedAt, earlier.rag, true),
  });
  for (const person of family.members) {
    hub.subjects.push(
      subjectRow(stableUuid('mash', 'earlier-subject', person.personKey), caseId, {
        ...person,
        // The family lived at its earlier address then.
        postcode: person.previousPostcode ?? person.postcode,
        addressConfidential: false,
      }),
    );
  }
}

/**
 * Triage a quarter to two hours after receipt, each agency's check done by or after its deadline
 * (about one in five late, some still outstanding on open cases), and for a decided case the
 * manager's decision once the checks are in.
 */
function workflowHistory(
  hub: HubRecords,
  random: Random,
  caseId: string,
  receivedAt: Date,
  rag: string | null,
  decided: boolean,
): Pick<
  Case,
  'decisionDueAt' | 'threshold' | 'triageReason' | 'triagedBy' | 'triagedAt' | 'checksDueAt'
> {
  const untriaged = untriagedCase(receivedAt);
  if (!rag) return untriaged;
  const triagedAt = new Date(receivedAt.getTime() + random.int(15, 120) * 60_000);
  const dueAt = checksDueAt(triagedAt, rag as Rag, TIMELINESS);
  const allowed = dueAt.getTime() - triagedAt.getTime();
  const threshold = THRESHOLD_AT_TRIAGE[rag as Rag](random);
  let lastCheck = triagedAt;
  for (const agency of HUB_AGENCIES) {
    const done = decided || random.chance(0.85);
    const completedAt = done
      ? new Date(triagedAt.getTime() + allowed * (0.1 + random.next() * 1.15))
      : null;
    if (completedAt && completedAt > lastCheck) lastCheck = completedAt;
    hub.tasks.push({
      caseId,
      agency,
      requestedAt: triagedAt,
      dueAt,
      completedAt,
      completedBy: done ? `researcher.${agency}.seed` : null,
      summary: done
        ? `${agency} checked its records for the household and shares what is relevant.`
        : null,
      worries: done ? 'As in the referral; nothing further known to this agency.' : null,
      workingWell: done ? 'The children are known to universal services.' : null,
      needsToHappen: done ? 'Share with the MASH manager for a decision.' : null,
      riskView: done ? (rag as RagRating) : null,
    });
  }
  if (decided) {
    const decidedAt = new Date(lastCheck.getTime() + random.int(30, 8 * 60) * 60_000);
    const ragAfterChecks = random.chance(0.2)
      ? random.pick(Object.values(RagRating))
      : (rag as RagRating);
    const outcome = random.pick(OUTCOMES_BY_THRESHOLD[threshold]);
    hub.decisions.push({
      caseId,
      outcome,
      rationale: 'Decided on the combined picture from the agency checks (synthetic).',
      ragAfterChecks,
      decidedBy: 'manager.seed',
      decidedAt,
      withinDeadline: decidedAt <= untriaged.decisionDueAt,
      checksOutstanding: [],
      receivingService: RECEIVING_SERVICES_BY_OUTCOME[outcome][0],
      agencyActions: [],
    });
  }
  return {
    ...untriaged,
    threshold,
    triageReason: `Rated ${rag.toLowerCase()} on the concerns as referred.`,
    triagedBy: 'manager.seed',
    triagedAt,
    checksDueAt: dueAt,
  };
}

/** A case's workflow as it stands at receipt: its decision due, nothing triaged yet. */
export function untriagedCase(
  receivedAt: Date,
): Pick<
  Case,
  'decisionDueAt' | 'threshold' | 'triageReason' | 'triagedBy' | 'triagedAt' | 'checksDueAt'
> {
  return {
    decisionDueAt: decisionDueAt(receivedAt, TIMELINESS),
    threshold: null,
    triageReason: null,
    triagedBy: null,
    triagedAt: null,
    checksDueAt: null,
  };
}

const THRESHOLD_AT_TRIAGE: Record<Rag, (random: Random) => ThresholdOfNeed> = {
  RED: () => ThresholdOfNeed.CHILD_PROTECTION,
  AMBER: (random) =>
    random.chance(0.7) ? ThresholdOfNeed.COMPLEX : ThresholdOfNeed.CHILD_PROTECTION,
  GREEN: (random) => (random.chance(0.7) ? ThresholdOfNeed.EARLY_HELP : ThresholdOfNeed.UNIVERSAL),
};

const ORGANISATIONS: Partial<Record<ReferrerType, string>> = {
  POLICE: 'Synthetic Constabulary',
  SCHOOL: 'Meadow Lane Synthetic Primary School',
  HEALTH: 'Synthetic Community Health Trust',
  GP: 'Riverside Synthetic Surgery',
};

/** Who referred: synthetic organisations and contacts only. */
/**
 * The seeded referrals are about children and came as the hubs ask: with the early-help system's
 * reference for the child's assessment, the family told by the referrer when they referred.
 */
function cameComplete(receivedAt: Date, index: number) {
  return {
    about: ReferralAbout.CHILD,
    earlyHelpAssessmentReference: `EHA-${String(index).padStart(6, '0')}`,
    earlyHelpAssessmentSummary: null,
    earlyHelpAssessmentSuppliedAt: receivedAt,
    earlyHelpAssessmentDueAt: null,
    familyTold: true,
    familyToldBy: 'the referrer',
    familyToldAt: receivedAt,
    familyNotToldReason: null,
    familyNotToldDecidedBy: null,
    familyInformedRecordedBy: 'intake',
    familyInformedRecordedAt: receivedAt,
  };
}

function referrer(type: ReferrerType, index: number) {
  const organisation = ORGANISATIONS[type] ?? null;
  return {
    referrerType: type,
    referrerName: type === ReferrerType.ANONYMOUS ? null : `Referrer ${index}`,
    referrerOrganisation: organisation,
    referrerContact:
      type === ReferrerType.ANONYMOUS
        ? null
        : `referrer${index}@${(organisation ?? 'public').toLowerCase().replace(/[^a-z]+/g, '-')}.example`,
    submittedBy: null,
  };
}

/** Most cases are open in the hub; every thirteenth has been decided and closed. */
export function caseStatus(familyIndex: number): CaseStatus {
  return familyIndex % 13 === 12 ? CaseStatus.CLOSED : CaseStatus.OPEN;
}

/** The MASH teams cases are assigned to in the synthetic hub. */
export const MASH_TEAMS = ['mash-east', 'mash-west'];

/** The deadlines in force (Merton's unless the environment sets the hub's own). */
export const TIMELINESS = timelinessScheme();

/** The agencies the hub asks for a check on every triaged referral. */
export const HUB_AGENCIES = [...new Set(Object.values(AGENCY_CHECK_FIELDS))].sort();

/** The agency whose case system holds the synthetic cases' external references. */
export const CASE_SYSTEM_AGENCY = 'social-care';

/** The council's children's social care system's reference for the same case. */
export function caseSystemReference(familyIndex: number): string {
  return `CSC-${String(familyIndex).padStart(6, '0')}`;
}

export function caseReference(familyIndex: number): string {
  return `MASH-2026-${String(familyIndex).padStart(6, '0')}`;
}
