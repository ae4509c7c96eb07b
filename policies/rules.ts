import { chain, rule } from 'graphql-shield';
import { AccessContext, basisOf, CaseFacts } from './accessContext';
import { MAX_TIER } from './consent';
import { roleTierCap } from './needToKnow';
import { survivesDecision } from './handOver';
import { PolicyDenial } from './policyDenial';
import { purposeJustified } from './purposeStage';
import {
  assignmentRelease,
  closedCaseRelease,
  consentRelease,
  needToKnowRelease,
  purposeRelease,
  purposeStageRelease,
  roleRelease,
  SIGN_IN,
  tierForPurposeRelease,
} from './release';
import { describeRole, PURPOSES_BY_ROLE, Role } from './roles';
import { Tier, TIER_NAMES } from './tier';

/**
 * The rules, each a small function named after the policy it expresses. They read the request's
 * access context and the policy tables; they never read records (custodian rules that depend on a
 * record's own flags run in the agency's subgraph).
 */
export interface PolicyContext {
  access: AccessContext;
}

const signInFirst = () =>
  new PolicyDenial('UNAUTHENTICATED', 'is-authenticated', 'Sign in first.', SIGN_IN);

export const isAuthenticated = rule('is-authenticated')(
  (_parent, _args, { access }: PolicyContext) => (access.caller ? true : signInFirst()),
);

export const roleMayActForPurpose = rule('role-may-act-for-purpose')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  const { caller, purpose } = access;
  if (!caller) return signInFirst();
  if (purpose && PURPOSES_BY_ROLE[caller.role].includes(purpose)) return true;
  return new PolicyDenial(
    'WRONG_PURPOSE',
    'role-may-act-for-purpose',
    `${capitalise(describeRole(caller.role))} may act for ${PURPOSES_BY_ROLE[caller.role].join(', ') || 'no purpose'}; the request states ${purpose ?? 'none'} (x-mash-purpose).`,
    purposeRelease(caller.role),
  );
});

/**
 * A purpose is earned, not declared: a strategy discussion or an assessment only once the case's
 * triage or the manager's decision has brought it to that stage (`purposeStage.ts`).
 */
export const purposeJustifiedByCase = rule('purpose-justified-by-case')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  const { caller, purpose, case: facts } = access;
  if (!caller) return signInFirst();
  if (!purpose || !facts) return caseRequired(access);
  if (purposeJustified(purpose, facts)) return true;
  return new PolicyDenial(
    'PURPOSE_NOT_JUSTIFIED',
    'purpose-justified-by-case',
    `Case ${facts.reference} is at ${facts.threshold ?? 'no threshold yet'}${facts.decision ? ` with the decision ${facts.decision}` : ''}: that does not justify ${purpose}.`,
    purposeStageRelease(caller.role, purpose),
  );
});

export const caseIsDeclared = rule('case-is-declared')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  return access.case ? true : caseRequired(access);
});

function caseRequired(access: AccessContext): PolicyDenial {
  return new PolicyDenial(
    'CASE_REQUIRED',
    'case-is-declared',
    access.declaredCase
      ? `There is no case ${access.declaredCase} for you to work on.`
      : 'State the case you are working on (x-mash-case).',
    'State a case assigned to your team (x-mash-case)',
  );
}

/**
 * Open in the MASH, or decided and handed over to the caller's service for a purpose that survives
 * the decision (`handOver.ts`): the receiving service's case system carries the case on.
 */
export const caseIsOpen = rule('case-is-open')((_parent, _args, { access }: PolicyContext) => {
  const { caller, purpose, case: facts } = access;
  if (facts?.status === 'OPEN') return true;
  if (caller && facts && survivesDecision(caller, purpose, facts)) return true;
  return new PolicyDenial(
    'CASE_CLOSED',
    'case-is-open',
    `Case ${facts?.reference} is not open in the MASH.`,
    closedCaseRelease(facts?.receivingService ?? null),
  );
});

/**
 * Researchers and managers: the case is assigned to their team. Case systems have no team: the
 * case must be linked to their own system, and they name it by that system's reference (another
 * agency's system's reference names another agency's case record, not theirs).
 */
export const assignedToCase = rule('assigned-to-case')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  const { caller, case: facts } = access;
  if (!caller) return signInFirst();
  if (!facts) return caseRequired(access);
  const assigned =
    caller.role === Role.CASE_SYSTEM
      ? linkedToCallersSystem(caller.agency, facts, access.declaredCase)
      : caller.team !== null && facts.teams.includes(caller.team);
  return assigned
    ? true
    : new PolicyDenial(
        'NOT_ASSIGNED',
        'assigned-to-case',
        caller.role === Role.CASE_SYSTEM
          ? `Case ${facts.reference} is not linked to your system by the reference you gave.`
          : `Case ${facts.reference} is not assigned to you or your team.`,
        assignmentRelease(caller.role),
      );
});

/** A case system's linkage: the case is linked to a reference in the caller's own system, by which it is named. */
function linkedToCallersSystem(
  agency: string | null,
  facts: CaseFacts,
  declaredCase: string | null,
): boolean {
  return (
    agency !== null &&
    facts.externalSystem === agency &&
    facts.externalReference !== null &&
    declaredCase === facts.externalReference
  );
}

export const hasLegitimateRelationship = chain(caseIsDeclared, caseIsOpen, assignedToCase);

/** A query or mutation that names a case must name the one the request declared. */
export const namesDeclaredCase = rule('names-declared-case')((
  _parent,
  args: { id?: string; reference?: string; caseReference?: string },
  { access }: PolicyContext,
) => {
  const facts = access.case;
  const named = args.id ?? args.reference ?? args.caseReference;
  if (facts && (named === facts.id || named === facts.reference)) return true;
  return new PolicyDenial(
    'NOT_ASSIGNED',
    'names-declared-case',
    `The request names case ${named}, not the declared case.`,
    'Name the case you declared (x-mash-case), or declare the case you name',
  );
});

export function hasRole(...roles: Role[]) {
  return rule(`has-role-${roles.join('-')}`)((_parent, _args, { access }: PolicyContext) =>
    access.caller && roles.includes(access.caller.role)
      ? true
      : new PolicyDenial(
          'NOT_PERMITTED',
          'has-role',
          `Only ${roles.map(describeRole).join(' or ')} may do this.`,
          roleRelease(roles),
        ),
  );
}

/** Only the custodian agency's own people may act on its records (e.g. release them). */
export function isCustodianMember(custodian: string) {
  return rule(`is-custodian-member-${custodian}`)((_parent, _args, { access }: PolicyContext) =>
    access.caller?.role === Role.AGENCY_RESEARCHER && access.caller.agency === custodian
      ? true
      : new PolicyDenial(
          'NOT_PERMITTED',
          'is-custodian-member',
          `Only ${custodian}'s own MASH member may do this.`,
          `nothing for you: the ${custodian}'s own MASH member does this`,
        ),
  );
}

/** Beyond identity, sharing needs consent or a recorded ground for sharing without it. */
export function consentOrRecordedGround(tier: Tier, custodian: string | null = null) {
  return rule(`consent-or-recorded-ground-${tier}-${custodian}`)(
    (_parent, _args, { access }: PolicyContext) => {
      if (tier === Tier.IDENTITY || basisOf(access) !== 'NONE') return true;
      if (!access.caller) return signInFirst();
      return new PolicyDenial(
        'CONSENT_REQUIRED',
        'consent-or-recorded-ground',
        `Consent is ${access.case?.consent ?? 'not recorded'} and no ground for sharing without consent is recorded for this case.`,
        consentRelease(access.caller.role, access.caller.agency, tier, custodian),
      );
    },
  );
}

/** The field's tier is within what the purpose may see under the request's basis. */
export function tierAllowedForPurpose(tier: Tier, custodian: string | null = null) {
  return rule(`tier-allowed-for-purpose-${tier}-${custodian}`)(
    (_parent, _args, { access }: PolicyContext) => {
      const basis = basisOf(access);
      const max = access.purpose ? MAX_TIER[access.purpose][basis] : null;
      if (max !== null && tier <= max) return true;
      const { caller, purpose } = access;
      if (!caller) return signInFirst();
      return new PolicyDenial(
        'NEED_TO_KNOW',
        'tier-allowed-for-purpose',
        `${TIER_NAMES[tier]} information is beyond what ${purpose} may see under ${basis}.`,
        tierForPurposeRelease(caller.role, caller.agency, purpose, basis, tier, custodian),
      );
    },
  );
}

/** The field's tier is within the role's need to know for this custodian's records. */
export function withinNeedToKnow(tier: Tier, custodian: string | null) {
  return rule(`within-need-to-know-${tier}-${custodian}`)(
    (_parent, _args, { access }: PolicyContext) => {
      const caller = access.caller;
      if (!caller) return signInFirst();
      // The hub's own records and the shared check shape are the MASH's, not another agency's.
      const max = roleTierCap(caller.role, caller.agency, custodian);
      if (max !== null && tier <= max) return true;
      return new PolicyDenial(
        'NEED_TO_KNOW',
        'within-need-to-know',
        `${capitalise(describeRole(caller.role))}${caller.agency ? ` of ${caller.agency}` : ''} has no need to know ${TIER_NAMES[tier]} information held by ${custodian}.`,
        needToKnowRelease(caller.role, tier, custodian),
      );
    },
  );
}

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
