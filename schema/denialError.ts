import { GraphQLError } from 'graphql';
import type { PolicyDenial } from '../policies/policyDenial';

/** A policy denial as the GraphQL error clients see: its code, the rule that decided, and what would release it. */
export function denialError(
  denial: PolicyDenial,
  path?: readonly (string | number)[],
): GraphQLError {
  return new GraphQLError(denial.message, {
    path,
    extensions: { code: denial.code, rule: denial.rule, release: denial.release },
  });
}
