import type { GraphQLResolveInfo } from 'graphql';
import { chain } from 'graphql-shield';
import type { IOptions, ShieldRule } from 'graphql-shield/typings/types';
import type { AccessContext } from './accessContext';
import { PolicyDenial } from './policyDenial';
import {
  consentOrRecordedGround,
  hasLegitimateRelationship,
  isAuthenticated,
  purposeJustifiedByCase,
  roleMayActForPurpose,
  tierAllowedForPurpose,
  withinNeedToKnow,
} from './rules';
import type { Tier } from './tier';

/**
 * The rule for a field of a given tier held by a given custodian: the core of the policy. On its
 * own (it names no agency), so that an agency's subgraph can decide its chronology's events by the
 * very rule the gateway decides its check's fields by.
 */
export function fieldRule(tier: Tier, custodian: string | null): ShieldRule {
  return chain(
    isAuthenticated,
    roleMayActForPurpose,
    hasLegitimateRelationship,
    purposeJustifiedByCase,
    consentOrRecordedGround(tier, custodian),
    tierAllowedForPurpose(tier, custodian),
    withinNeedToKnow(tier, custodian),
  );
}

export const DENY_BY_DEFAULT = new PolicyDenial(
  'NOT_PERMITTED',
  'deny-by-default',
  'No policy allows this field.',
  'nothing: no policy names this field; information governance gives it a rule and a tier first',
);

const SHIELD_OPTIONS = {
  debug: false,
  allowExternalErrors: false,
  fallbackRule: undefined,
  fallbackError: DENY_BY_DEFAULT,
  hashFunction: JSON.stringify,
  disableFragmentsAndPostExecRules: true,
} as unknown as IOptions;

/**
 * Runs one graphql-shield rule for one request. The rules read only the access context and the
 * arguments, never data, so a decision can be taken before the query is planned (the gateway) or
 * before a record is read (an agency deciding its chronology's events).
 */
export async function decideByRule(
  rule: ShieldRule,
  typeName: string,
  fieldName: string,
  args: Record<string, unknown>,
  access: AccessContext,
): Promise<true | PolicyDenial> {
  // graphql-shield keeps its per-request cache on the context; without it cached rules read as deny.
  const context = { access, _shield: { cache: {} } };
  // No parent and a minimal info: these rules read only the context and the arguments.
  const info = { fieldName, parentType: { name: typeName } } as unknown as GraphQLResolveInfo;
  const result = await rule.resolve({}, args, context, info, SHIELD_OPTIONS);
  if (result === true) return true;
  if (result instanceof PolicyDenial) return result;
  return DENY_BY_DEFAULT;
}
