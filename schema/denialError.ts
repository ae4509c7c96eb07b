import {
  defaultFieldResolver,
  GraphQLError,
  GraphQLFieldResolver,
  GraphQLResolveInfo,
  GraphQLSchema,
  isObjectType,
  responsePathAsArray,
} from 'graphql';
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

/**
 * A withheld field's denial as the field's getter throws it (an unverified match's records, a
 * record awaiting its custodian's release). graphql-js puts whatever a resolver throws into a
 * `GraphQLError` of its own, at the field's path, keeping this one's message, extensions and
 * (stack-less) stack; a `GraphQLError` built here as well was one more per withheld field, a third
 * of what each cost an agency (9 of 28 µs, measured).
 */
export class WithheldField extends Error {
  readonly extensions: Record<string, unknown>;

  constructor(denial: PolicyDenial, extensions: Record<string, unknown> = {}) {
    // An expected answer, not a fault: no stack (as `withoutStack`).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(denial.message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'WithheldField';
    this.extensions = {
      code: denial.code,
      rule: denial.rule,
      release: denial.release,
      ...extensions,
    };
  }
}

/**
 * Makes every field of a subgraph's schema throw a `WithheldField` already located: a `GraphQLError`
 * at the field's path and nodes, built without a stack. graphql-js keeps an error that has its path
 * (`locatedError`); one it has to locate itself is a new `GraphQLError` whose `Error` constructor
 * captures a stack before the denial's stack-less one replaces it, which was 5% of an agency's CPU
 * under load (issue 19). Any other error goes on untouched.
 */
export function locateWithheldFields(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = locatingWithheld(field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}

function locatingWithheld(
  resolve: GraphQLFieldResolver<unknown, unknown>,
): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    try {
      const value = resolve(source, args, context, info);
      return value instanceof Promise
        ? value.catch((error: unknown) => {
            throw located(error, info);
          })
        : value;
    } catch (error) {
      throw located(error, info);
    }
  };
}

function located(error: unknown, info: GraphQLResolveInfo): unknown {
  if (!(error instanceof WithheldField)) return error;
  return withoutStack(
    () =>
      new GraphQLError(error.message, {
        nodes: info.fieldNodes,
        path: responsePathAsArray(info.path),
        originalError: error,
        extensions: error.extensions,
      }),
  );
}
