import type { GraphQLResolveInfo } from 'graphql';
import type { IOptions, ShieldRule } from 'graphql-shield/typings/types';
import { AccessContext } from './accessContext';
import { PERMISSIONS } from './permissions';
import { PolicyDenial } from './policyDenial';

const DENY_BY_DEFAULT = new PolicyDenial(
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

export function ruleFor(typeName: string, fieldName: string): ShieldRule | null {
  const entry = PERMISSIONS[typeName];
  if (!entry) return null;
  if ('resolve' in entry && typeof entry.resolve === 'function') return entry as ShieldRule;
  return (entry as Record<string, ShieldRule>)[fieldName] ?? null;
}

/**
 * Decides one field for one request by running the graphql-shield rule the permission tree names.
 * Decisions depend on the request's access context and the field's arguments, never on data, so
 * the gateway can take them before the query is planned.
 */
export async function evaluatePermission(
  typeName: string,
  fieldName: string,
  args: Record<string, unknown>,
  access: AccessContext,
): Promise<true | PolicyDenial> {
  const rule = ruleFor(typeName, fieldName);
  if (!rule) return DENY_BY_DEFAULT;
  // graphql-shield keeps its per-request cache on the context; without it cached rules read as deny.
  const context = { access, _shield: { cache: {} } };
  // No parent and a minimal info: these rules read only the context and the arguments.
  const info = { fieldName, parentType: { name: typeName } } as unknown as GraphQLResolveInfo;
  const result = await rule.resolve({}, args, context, info, SHIELD_OPTIONS);
  if (result === true) return true;
  if (result instanceof PolicyDenial) return result;
  return DENY_BY_DEFAULT;
}
