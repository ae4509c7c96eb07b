import { GraphQLError } from 'graphql';
import { PolicyDenial, withoutStack } from '../policies/policyDenial';

/**
 * A policy denial as the GraphQL error clients see: its code, the rule that decided, and what would
 * release it. A denial is an expected answer, not a fault, and clients never see a stack: built
 * without one, since capturing it was most of what a withheld field cost an agency (about 60 µs
 * each against 4, measured; issue 19).
 */
export function denialError(
  denial: PolicyDenial,
  path?: readonly (string | number)[],
): GraphQLError {
  return withoutStack(
    () =>
      new GraphQLError(denial.message, {
        path,
        extensions: { code: denial.code, rule: denial.rule, release: denial.release },
      }),
  );
}
