import { chain, rule } from 'graphql-shield';
import { AccessContext, basisOf } from './accessContext';
import { MAX_TIER } from './consent';
import { ROLE_TIER_CAP } from './needToKnow';
import { PolicyDenial } from './policyDenial';
import { describeRole, PURPOSES_BY_ROLE, Role } from './roles';
import { Tier, TIER_NAMES } from './tiers';

/**
 * The rules, each a small function named after the policy it expresses. They read the request's
 * access context and the policy tables; they never read records (custodian rules that depend on a
 * record's own flags run in the agency's subgraph).
 */
export interface PolicyContext {
  access: AccessContext;
}

export const isAuthenticated = rule('is-authenticated')(
  (_parent, _args, { access }: PolicyContext) =>
    access.caller
      ? true
      : new PolicyDenial('UNAUTHENTICATED', 'is-authenticated', 'Sign in first.'),
);

export const roleMayActForPurpose = rule('role-may-act-for-purpose')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  const { caller, purpose } = access;
  if (!caller) return new PolicyDenial('UNAUTHENTICATED', 'is-authenticated', 'Sign in first.');
  if (purpose && PURPOSES_BY_ROLE[caller.role].includes(purpose)) return true;
  return new PolicyDenial(
    'WRONG_PURPOSE',
    'role-may-act-for-purpose',
    `${capitalise(describeRole(caller.role))} may act for ${PURPOSES_BY_ROLE[caller.role].join(', ') || 'no purpose'}; the request states ${purpose ?? 'none'} (x-mash-purpose).`,
  );
});

export const caseIsDeclared = rule('case-is-declared')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  if (access.case) return true;
  return new PolicyDenial(
    'CASE_REQUIRED',
    'case-is-declared',
    access.declaredCase
      ? `There is no case ${access.declaredCase} for you to work on.`
      : 'State the case you are working on (x-mash-case).',
  );
});

export const caseIsOpen = rule('case-is-open')((_parent, _args, { access }: PolicyContext) =>
  access.case?.status === 'OPEN'
    ? true
    : new PolicyDenial(
        'CASE_CLOSED',
        'case-is-open',
        `Case ${access.case?.reference} is not open in the MASH.`,
      ),
);

/** Researchers and managers: the case is assigned to their team. Case systems: they name it by their own reference. */
export const assignedToCase = rule('assigned-to-case')((
  _parent,
  _args,
  { access }: PolicyContext,
) => {
  const { caller, case: facts } = access;
  if (!caller || !facts) return new PolicyDenial('NOT_ASSIGNED', 'assigned-to-case', 'No case.');
  const assigned =
    caller.role === Role.CASE_SYSTEM
      ? facts.externalReference !== null && access.declaredCase === facts.externalReference
      : caller.team !== null && facts.teams.includes(caller.team);
  return assigned
    ? true
    : new PolicyDenial(
        'NOT_ASSIGNED',
        'assigned-to-case',
        `Case ${facts.reference} is not assigned to you or your team.`,
      );
});

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
        ),
  );
}

/** Beyond identity, sharing needs consent or a recorded ground for sharing without it. */
export function consentOrRecordedGround(tier: Tier) {
  return rule(`consent-or-recorded-ground-${tier}`)((_parent, _args, { access }: PolicyContext) => {
    if (tier === Tier.IDENTITY || basisOf(access) !== 'NONE') return true;
    return new PolicyDenial(
      'CONSENT_REQUIRED',
      'consent-or-recorded-ground',
      `Consent is ${access.case?.consent ?? 'not recorded'} and no ground for sharing without consent is recorded for this case.`,
    );
  });
}

/** The field's tier is within what the purpose may see under the request's basis. */
export function tierAllowedForPurpose(tier: Tier) {
  return rule(`tier-allowed-for-purpose-${tier}`)((_parent, _args, { access }: PolicyContext) => {
    const basis = basisOf(access);
    const max = access.purpose ? MAX_TIER[access.purpose][basis] : null;
    if (max !== null && tier <= max) return true;
    return new PolicyDenial(
      'NEED_TO_KNOW',
      'tier-allowed-for-purpose',
      `${TIER_NAMES[tier]} information is beyond what ${access.purpose} may see under ${basis}.`,
    );
  });
}

/** The field's tier is within the role's need to know for this custodian's records. */
export function withinNeedToKnow(tier: Tier, custodian: string | null) {
  return rule(`within-need-to-know-${tier}-${custodian}`)(
    (_parent, _args, { access }: PolicyContext) => {
      const caller = access.caller;
      if (!caller) return new PolicyDenial('UNAUTHENTICATED', 'is-authenticated', 'Sign in first.');
      const cap = ROLE_TIER_CAP[caller.role];
      // The hub's own records and the shared check shape are the MASH's, not another agency's.
      const own = custodian === null || custodian === 'mash' || custodian === caller.agency;
      const max = own ? cap.ownAgency : cap.otherAgencies;
      if (max !== null && tier <= max) return true;
      return new PolicyDenial(
        'NEED_TO_KNOW',
        'within-need-to-know',
        `${capitalise(describeRole(caller.role))}${caller.agency ? ` of ${caller.agency}` : ''} has no need to know ${TIER_NAMES[tier]} information held by ${custodian}.`,
      );
    },
  );
}

function capitalise(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
