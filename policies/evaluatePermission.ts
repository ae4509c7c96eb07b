import type { ShieldRule } from 'graphql-shield/typings/types';
import { AccessContext } from './accessContext';
import { decideByRule, DENY_BY_DEFAULT } from './fieldRule';
import { PERMISSIONS } from './permissions';
import { PolicyDenial } from './policyDenial';

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
  return decideByRule(rule, typeName, fieldName, args, access);
}
