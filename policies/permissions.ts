import { allow, chain } from 'graphql-shield';
import type { ShieldRule } from 'graphql-shield/typings/types';
import { AGENCY_CHECK_FIELDS, FIELD_TIERS, Tier } from './tiers';
import { Role } from './roles';
import {
  consentOrRecordedGround,
  hasLegitimateRelationship,
  hasRole,
  isAuthenticated,
  isCustodianMember,
  namesDeclaredCase,
  roleMayActForPurpose,
  tierAllowedForPurpose,
  withinNeedToKnow,
} from './rules';

/** The rule for a field of a given tier held by a given custodian: the core of the policy. */
export function fieldRule(tier: Tier, custodian: string | null): ShieldRule {
  return chain(
    isAuthenticated,
    roleMayActForPurpose,
    hasLegitimateRelationship,
    consentOrRecordedGround(tier),
    tierAllowedForPurpose(tier),
    withinNeedToKnow(tier, custodian),
  );
}

const readsDeclaredCase = chain(
  isAuthenticated,
  roleMayActForPurpose,
  hasLegitimateRelationship,
  namesDeclaredCase,
);
const managerActsOnDeclaredCase = chain(
  isAuthenticated,
  hasRole(Role.MASH_MANAGER),
  hasLegitimateRelationship,
  namesDeclaredCase,
);

const tieredTypes = Object.fromEntries(
  Object.entries(FIELD_TIERS).map(([typeName, { custodian, fields }]) => [
    typeName,
    Object.fromEntries(
      Object.entries(fields).map(([field, tier]) => [
        field,
        fieldRule(tier, AGENCY_CHECK_FIELDS[field] ?? custodian),
      ]),
    ),
  ]),
);

/**
 * The permission tree, mirroring the schema. Anything not named here is denied (`FALLBACK_RULE`
 * in `evaluatePermission.ts`): a new type or field is closed until a rule or tier is given to it.
 */
export const PERMISSIONS: Record<string, ShieldRule | Record<string, ShieldRule>> = {
  Query: {
    case: readsDeclaredCase,
    caseByReference: readsDeclaredCase,
    // The manager's case list shows case headers only; a case's subjects need the case declared.
    cases: chain(isAuthenticated, hasRole(Role.MASH_MANAGER)),
    policyMatrix: chain(isAuthenticated, hasRole(Role.IG_OFFICER)),
    socialCareAccessLog: chain(isAuthenticated, isCustodianMember('social-care')),
    policeAccessLog: chain(isAuthenticated, isCustodianMember('police')),
    healthAccessLog: chain(isAuthenticated, isCustodianMember('health')),
    educationAccessLog: chain(isAuthenticated, isCustodianMember('education')),
  },
  Mutation: {
    recordConsent: managerActsOnDeclaredCase,
    recordSharingGround: managerActsOnDeclaredCase,
    releasePoliceRecord: chain(
      isAuthenticated,
      isCustodianMember('police'),
      hasLegitimateRelationship,
    ),
  },
  ...tieredTypes,
  // Shapes that only carry what their root field already decided.
  CaseSummaryConnection: allow,
  CaseSummaryEdge: allow,
  CaseSummary: allow,
  PageInfo: allow,
  PolicyDecision: allow,
  CustodianAccess: allow,
  CustodianRelease: allow,
};
