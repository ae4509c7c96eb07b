import { allow, chain } from 'graphql-shield';
import type { ShieldRule } from 'graphql-shield/typings/types';
import { MATCH_DECISION_POLICY, mayDecideForAgency } from './matchDecision';
import { AGENCIES } from '../subgraphs/agencies';
import { releaseMutation } from './custodianRelease';
import { fieldRule } from './fieldRule';
import { custodianOf, FIELD_TIERS } from './tiers';
import { Role } from './roles';
import {
  assignedToCase,
  caseIsDeclared,
  hasLegitimateRelationship,
  hasRole,
  isAuthenticated,
  isCustodianMember,
  namesDeclaredCase,
  purposeJustifiedByCase,
  roleMayActForPurpose,
} from './rules';

export { fieldRule };

const readsDeclaredCase = chain(
  isAuthenticated,
  roleMayActForPurpose,
  hasLegitimateRelationship,
  purposeJustifiedByCase,
  namesDeclaredCase,
);
const managerActsOnDeclaredCase = chain(
  isAuthenticated,
  hasRole(Role.MASH_MANAGER),
  hasLegitimateRelationship,
  namesDeclaredCase,
);

const researcherActsOnDeclaredCase = chain(
  isAuthenticated,
  hasRole(Role.AGENCY_RESEARCHER),
  hasLegitimateRelationship,
  namesDeclaredCase,
);

const decidesIdentityMatch = chain(
  isAuthenticated,
  hasRole(...(Object.keys(MATCH_DECISION_POLICY.deciders) as Role[])),
  hasLegitimateRelationship,
  namesDeclaredCase,
  mayDecideForAgency,
);

const tieredTypes = Object.fromEntries(
  Object.entries(FIELD_TIERS).map(([typeName, { fields }]) => [
    typeName,
    Object.fromEntries(
      Object.entries(fields).map(([field, tier]) => [
        field,
        fieldRule(tier, custodianOf(typeName, field)),
      ]),
    ),
  ]),
);

/**
 * A person's earlier MASH cases are the manager's, deciding the new referral: the history of the
 * MASH's own decisions, not an agency's check, so no researcher or case system reads it.
 */
export const EARLIER_CASES_POLICY = { read: [Role.MASH_MANAGER] } as const;

/**
 * The professional consultation service (advice without a referral): the MASH records what was
 * asked and the advice it gave, and its managers read them and count them. A referrer is the
 * professional who asks: they have the advice from the conversation, and a referrer's token
 * reaching the service's records would reach every other professional's questions. Researchers,
 * case systems and IG (who audits the accesses) have no part in it.
 */
export const CONSULTATION_POLICY = {
  record: [Role.MASH_MANAGER],
  read: [Role.MASH_MANAGER],
} as const;

/**
 * The permission tree, mirroring the schema. Anything not named here is denied (`DENY_BY_DEFAULT`
 * in `evaluatePermission.ts`): a new type or field is closed until a rule or tier is given to it.
 */
export const PERMISSIONS: Record<string, ShieldRule | Record<string, ShieldRule>> = {
  Query: {
    case: readsDeclaredCase,
    caseByReference: readsDeclaredCase,
    // The manager's case list shows case headers only; a case's subjects need the case declared.
    cases: chain(isAuthenticated, hasRole(Role.MASH_MANAGER)),
    policyMatrix: chain(isAuthenticated, hasRole(Role.IG_OFFICER)),
    auditTrail: chain(isAuthenticated, hasRole(Role.IG_OFFICER)),
    auditExport: chain(isAuthenticated, hasRole(Role.IG_OFFICER)),
    verifyAuditChain: chain(isAuthenticated, hasRole(Role.IG_OFFICER)),
    auditSummary: chain(isAuthenticated, hasRole(Role.IG_OFFICER)),
    // A custodian's member sees accesses to their own agency's records only (scoped by the audit subgraph).
    custodianAccessLog: chain(isAuthenticated, hasRole(Role.AGENCY_RESEARCHER)),
    // The workflow. A referrer sees their own referrals only (scoped by the hub); a researcher
    // sees their own agency's overdue checks.
    myReferrals: chain(isAuthenticated, hasRole(Role.REFERRER)),
    overdueAgencyChecks: chain(isAuthenticated, hasRole(Role.MASH_MANAGER, Role.AGENCY_RESEARCHER)),
    mashPerformance: chain(isAuthenticated, hasRole(Role.MASH_MANAGER)),
    // Referrals that still owe an Early Help Assessment or the family being told.
    overdueFollowUps: chain(isAuthenticated, hasRole(Role.MASH_MANAGER)),
    consultations: chain(isAuthenticated, hasRole(...CONSULTATION_POLICY.read)),
  },
  Mutation: {
    recordConsent: managerActsOnDeclaredCase,
    recordSharingGround: managerActsOnDeclaredCase,
    // The single point of entry: a referral opens its case, so there is no case to declare yet.
    submitReferral: chain(isAuthenticated, hasRole(Role.REFERRER, Role.MASH_MANAGER)),
    triageReferral: managerActsOnDeclaredCase,
    recordAgencyCheck: researcherActsOnDeclaredCase,
    recordDecision: managerActsOnDeclaredCase,
    // After intake: an adult's capacity to consent, the family told (or why not), a late assessment.
    recordMentalCapacity: managerActsOnDeclaredCase,
    recordFamilyInformed: managerActsOnDeclaredCase,
    supplyEarlyHelpAssessment: managerActsOnDeclaredCase,
    // Which case system may name the case (and, after the decision, keep pulling it): the manager's,
    // on a case of their team's, open or decided: linking is how a decided case reaches the
    // receiving service's case system (policies/handOver.ts), and it shares none of the case.
    linkCaseToCaseSystem: chain(
      isAuthenticated,
      hasRole(Role.MASH_MANAGER),
      caseIsDeclared,
      assignedToCase,
      namesDeclaredCase,
    ),
    recordConsultation: chain(isAuthenticated, hasRole(...CONSULTATION_POLICY.record)),
    // Linking names the case the consultation became: the manager must be working on it.
    linkConsultationToReferral: chain(
      isAuthenticated,
      hasRole(...CONSULTATION_POLICY.record),
      hasLegitimateRelationship,
      namesDeclaredCase,
    ),
    // A possible match: the agency's own researcher, or the manager, on a case they work on.
    confirmIdentityMatch: decidesIdentityMatch,
    rejectIdentityMatch: decidesIdentityMatch,
    correctSubjectDemographics: chain(
      isAuthenticated,
      hasRole(...MATCH_DECISION_POLICY.correctors),
      hasLegitimateRelationship,
      namesDeclaredCase,
    ),
    // Every agency flags records: its own member releases them, for a case of theirs.
    ...Object.fromEntries(
      AGENCIES.map((agency) => [
        releaseMutation(agency.name),
        chain(isAuthenticated, isCustodianMember(agency.name), hasLegitimateRelationship),
      ]),
    ),
  },
  ...tieredTypes,
  Subject: {
    ...(tieredTypes.Subject as Record<string, ShieldRule>),
    earlierMashCases: chain(
      isAuthenticated,
      hasRole(...EARLIER_CASES_POLICY.read),
      fieldRule(FIELD_TIERS.Subject.fields.earlierMashCases, 'mash'),
    ),
  },
  // Shapes that only carry what their root field already decided.
  CaseSummaryConnection: allow,
  CaseSummaryEdge: allow,
  CaseSummary: allow,
  PageInfo: allow,
  PolicyDecision: allow,
  CustodianRelease: allow,
  AuditEntryPage: allow,
  AuditExportPage: allow,
  AuditEntry: allow,
  DeniedField: allow,
  ChainVerification: allow,
  AuditSummary: allow,
  CountBy: allow,
  UserReach: allow,
  ReferralStatus: allow,
  OverdueAgencyCheck: allow,
  MashPerformance: allow,
  MeasureCount: allow,
  DecisionTimeliness: allow,
  AgencyCheckTimeliness: allow,
  OutcomeCount: allow,
  RagChange: allow,
  EarlyHelpAssessmentMeasures: allow,
  ConsultationMeasures: allow,
  ReferralFollowUp: allow,
  Consultation: allow,
  // What the manager's own link mutation returns (it was decided at the mutation).
  CaseSystemLink: allow,
  IdentityMatchDecision: allow,
  // The chronology's shapes: each event was decided by its agency for this caller.
  ChronologyConnection: allow,
  ChronologyEdge: allow,
  ChronologyEvent: allow,
  ChronologyDenial: allow,
  ChronologyAgency: allow,
  WithheldEvents: allow,
  ChronologyChanges: allow,
  CumulativePicture: allow,
  EventCount: allow,
  WindowCount: allow,
};
