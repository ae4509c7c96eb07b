import { DevelopmentIdentity, developmentUserId } from './authentication';
import committedManifest from '../operations/persisted-query-manifest.json';
import type { PersistedQueryManifest } from '../operations/persistedQueryManifest';
import { Purpose, Role } from '../policies/roles';
import { CASE_HEADER, PURPOSE_HEADER } from './requestAccess';
import { AGENCIES } from '../subgraphs/agencies';

/**
 * The agency checks for every subject of one case, from every agency, in one query: every field
 * there is, so some come back withheld for every role (the tests and the benchmark ask it whole).
 * What a person runs first in GraphiQL is `savedOperations` below: only what that role may see.
 */
export function agencyCheckQuery(caseReference: string): string {
  return `# The agency checks for case ${caseReference}: every subject, every agency, one query.
query AgencyChecks {
  caseByReference(reference: "${caseReference}") {
    reference
    status
    referral { receivedAt referrerType concerns rag }
    subjects {
      id roleInHousehold givenName familyName dateOfBirth postcode nhsNumber
      ${AGENCIES.map(
        ({ policy }) => `${policy.checkField} {
        ...check
        ${policy.exampleFields}
      }`,
      ).join('\n      ')}
    }
  }
}

${CHECK_FRAGMENT}`;
}

const CHECK_FRAGMENT = `fragment check on AgencyCheck {
  agency status reason checkedAt
  match { confidence basis needsVerification differences recordReference otherCandidates }
}
`;

/** The demo's example case, as each role names it. */
export interface ExampleCase {
  /** The MASH reference (`MASH-2026-000003`). */
  caseReference: string;
  /** The same case in the social care case system (`CSC-000003`). */
  caseSystemReference: string;
  /** The MASH team the case is assigned to: the manager and researchers are in it. */
  team: string;
}

/** One role's ready-made operation: who runs it, under which purpose and case, and the query. */
export interface SavedOperation {
  /** The `?role=` value of GraphiQL's address, and the start banner's key. */
  key: string;
  /** Who it is, in words ("MASH manager", "police researcher"). */
  label: string;
  identity: DevelopmentIdentity;
  /** The request's stated purpose and case: null where the role states none. */
  purpose: Purpose | null;
  caseReference: string | null;
  query: string;
  /** The operation's variables, for a registered operation (a service account's) that takes the case as one. */
  variables?: Record<string, unknown>;
}

/** The agencies whose researchers the demo has, each in the hub's team: every agency. */
export const RESEARCHER_AGENCIES = AGENCIES.map((agency) => agency.name);

const AGENCY_FIELD = Object.fromEntries(AGENCIES.map((a) => [a.name, a.policy.checkField]));

/**
 * The case, its subjects and every agency's check for each: status, match, when and why. That much
 * every role that may read the case sees of any case, whatever its data: a possible match withholds
 * an agency's records until a person verifies it, a custodian may hold a record back, a refuge
 * withholds an address (no postcode or address line here). So the first answer is whole; the
 * records are one edit away (`police { incidents { occurredAt type } }`), with the reason for any
 * that are withheld beside them.
 */
function caseQuery(operationName: string, comment: string, reference: string): string {
  return `${comment}
query ${operationName} {
  caseByReference(reference: "${reference}") {
    reference
    status
    referral { receivedAt referrerType concerns rag }
    subjects {
      id roleInHousehold givenName familyName dateOfBirth nhsNumber
      ${AGENCIES.map(({ policy }) => `${policy.checkField} { ...check }`).join('\n      ')}
    }
  }
}

${CHECK_FRAGMENT}`;
}

/**
 * One operation per role of the embedded demo, each asking only what that role may see of the
 * example case, so that the first Run reads as an answer. GraphiQL opens one tab per operation
 * (named by its operation name) with that role's headers; `npm start` prints the same people's
 * tokens. A test runs every one as its role and finds no error.
 */
export function savedOperations(example: ExampleCase): SavedOperation[] {
  const { caseReference, caseSystemReference, team } = example;
  const manager: SavedOperation = {
    key: 'manager',
    label: 'MASH manager',
    identity: { userId: developmentUserId(Role.MASH_MANAGER), role: Role.MASH_MANAGER, team },
    purpose: Purpose.AGENCY_CHECK,
    caseReference,
    query: caseQuery(
      'ManagerAgencyChecks',
      `# As a MASH manager of ${team}: the agency checks for case ${caseReference}, every subject,
# every agency, in one query. Press Run. The other tabs: the same case as each other role.
# Add an agency's records to see them, e.g. police { incidents { occurredAt type summary } }.`,
      caseReference,
    ),
  };
  const researchers = RESEARCHER_AGENCIES.map((own): SavedOperation => ({
    key: `${own}-researcher`,
    label: `${own} researcher`,
    identity: {
      userId: developmentUserId(Role.AGENCY_RESEARCHER, own),
      role: Role.AGENCY_RESEARCHER,
      agency: own,
      team,
    },
    purpose: Purpose.AGENCY_CHECK,
    caseReference,
    query: caseQuery(
      `${pascal(own)}ResearcherCheck`,
      `# As the ${own} researcher of ${team}: every agency's check for case ${caseReference}.
# You may see your own agency's records in full (add them to ${AGENCY_FIELD[own]} { … }), of the
# other agencies' only this headline: status, match, when checked.`,
      caseReference,
    ),
  }));
  const caseSystem: SavedOperation = {
    key: 'case-system',
    label: 'case system',
    identity: {
      userId: developmentUserId(Role.CASE_SYSTEM, 'social-care'),
      role: Role.CASE_SYSTEM,
      agency: 'social-care',
    },
    purpose: Purpose.CASE_HISTORY,
    caseReference: caseSystemReference,
    // A service account runs registered operations only (operations/caseSystem/): its tab is one.
    query: `# As children's social care's case system: case ${caseReference}, which it declares by its
# own reference (x-mash-case: ${caseSystemReference}), every agency up to the purpose's tier. A case
# system runs only the operations registered for it (operations/caseSystem/); this is one of them.
${registeredDocument('CaseSystemHistory')}`,
    variables: { reference: caseReference },
  };
  const igOfficer: SavedOperation = {
    key: 'ig-officer',
    label: 'IG officer',
    identity: { userId: developmentUserId(Role.IG_OFFICER), role: Role.IG_OFFICER },
    purpose: Purpose.AUDIT,
    caseReference: null,
    query: `# As an information governance officer (purpose AUDIT, no case): is the audit trail whole,
# and who reached how many people? No child's records: IG sees accesses, not children.
query AuditOverview {
  verifyAuditChain { valid recordsChecked }
  auditSummary {
    accesses
    byOutcome { key count }
    byBasis { key count }
    denialsByRule { key count }
    widestReach { userId accesses distinctSubjects distinctCases }
  }
  auditTrail(first: 10) {
    entries { sequence recorded agentUserId agentRole purposeOfUse caseReference basis outcome }
  }
}
`,
  };
  const referrer: SavedOperation = {
    key: 'referrer',
    label: 'referrer',
    identity: { userId: developmentUserId(Role.REFERRER), role: Role.REFERRER },
    purpose: null,
    caseReference: null,
    query: `# As a referrer (no purpose or case): what became of the referrals you made. A new referrer
# has none yet: submitReferral makes one (see the README's walk through one case).
query MyReferrals {
  myReferrals { caseReference stage decisionDueAt outcome decidedAt }
}
`,
  };
  // The hub's workflow beyond a child's case: an adult at risk, and advice without a referral.
  const adultReferral: SavedOperation = {
    key: 'manager-adult-at-risk',
    label: 'MASH manager (adult)',
    identity: manager.identity,
    purpose: Purpose.AGENCY_CHECK,
    caseReference: null,
    query: `# As a MASH manager of ${team} taking a phone referral about an adult at risk (no child):
# Run opens a case in your team. Then, with x-mash-case set to it: triageReferral (no threshold for
# an adult), recordMentalCapacity, recordConsent, recordSharingGround (SERIOUS_HARM_TO_ADULT where
# she refuses), recordDecision (SECTION_42_ENQUIRY …): the README's walk-through.
mutation AdultAtRiskReferral {
  submitReferral(
    referral: {
      about: ADULT_AT_RISK
      referrerType: HEALTH
      referrerName: "A District Nurse"
      referrerOrganisation: "Synthetic Community Health"
      referrerContact: "nurse@synthetic-health.example"
      concerns: "Unexplained bruising; says her son takes her pension and shouts at her."
      immediateRisk: false
      consentSought: false
      consentNotes: "Not yet asked: she was not alone during the visit."
      familyInformed: {
        told: false
        notToldReason: "The son is the person alleged to cause harm; telling him would raise the risk."
        notToldDecidedBy: "A District Nurse"
      }
      subjects: [
        { roleInHousehold: ADULT_AT_RISK, givenName: "Edna", familyName: "Exampleadult", dateOfBirth: "1941-02-03" }
        { roleInHousehold: OTHER_ADULT, givenName: "Fred", familyName: "Exampleadult" }
      ]
    }
  ) {
    caseReference
    stage
    decisionDueAt
  }
}
`,
  };
  const consultation: SavedOperation = {
    key: 'manager-consultation',
    label: 'MASH manager (advice)',
    identity: manager.identity,
    purpose: Purpose.AGENCY_CHECK,
    caseReference: null,
    query: `# As a MASH manager: a professional asked for advice without making a referral. Only what they
# chose to say is kept (no names, no dates of birth). consultations(from, to) lists them;
# mashPerformance counts them; linkConsultationToReferral records the referral one became.
mutation RecordConsultation {
  recordConsultation(
    consultation: {
      askedByRole: "Designated safeguarding lead"
      askedByAgency: "Synthetic Primary School"
      question: "A pupil is often hungry and late; is this a referral or early help?"
      advice: "Talk to the family about early help first; refer if the picture worsens."
    }
  ) {
    id
    askedAt
    advisedBy
    becameReferral
  }
}
`,
  };
  return [manager, ...researchers, caseSystem, igOfficer, referrer, adultReferral, consultation];
}

/** A registered operation's document, from the committed manifest. */
function registeredDocument(name: string): string {
  const operation = (committedManifest as PersistedQueryManifest).operations.find(
    (o) => o.name === name,
  );
  if (!operation) throw new Error(`No operation ${name} is registered (operations/).`);
  return operation.body;
}

/** The headers a saved operation is sent with, its bearer token given. */
export function operationHeaders(operation: SavedOperation, token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    ...(operation.purpose ? { [PURPOSE_HEADER]: operation.purpose } : {}),
    ...(operation.caseReference ? { [CASE_HEADER]: operation.caseReference } : {}),
  };
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase());
}
