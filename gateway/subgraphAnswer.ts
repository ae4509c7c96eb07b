import { buildSubgraphSchema } from '@apollo/subgraph';
import type {
  GatewayGraphQLRequest,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import {
  buildASTSchema,
  DocumentNode,
  execute,
  GraphQLFieldResolver,
  GraphQLSchema,
  GraphQLTypeResolver,
  isUnionType,
  parse,
  printSchema,
} from 'graphql';

/**
 * Checks a subgraph's answer against that subgraph's schema before anything of it is used: the
 * operation the gateway sent is executed again over the answer's own data, with the schema's types
 * and no resolvers. A value of the wrong type, a null where the schema says non-null, a field
 * nobody asked for or a missing one makes the result differ from the answer. graphql-js's own
 * serialisation is lenient (a number passes as a String), so the comparison is exact: an answer that
 * only fits after coercion does not fit.
 */
export class SubgraphAnswerCheck {
  private readonly schema: GraphQLSchema;
  private readonly documents = new Map<string, DocumentNode>();

  constructor(sdl: string) {
    // The federation fields (_entities, _service) with the schema's types, and no resolvers at all.
    this.schema = buildASTSchema(parse(printSchema(buildSubgraphSchema({ typeDefs: parse(sdl) }))));
    // The gateway asks for entities without their __typename: each is of its representation's type.
    const entity = this.schema.getType('_Entity');
    if (isUnionType(entity)) entity.resolveType = entityType;
  }

  /** Why the answer does not fit (paths and field names only, never a value), or null when it does. */
  problem(request: GatewayGraphQLRequest, response: GatewayGraphQLResponse): string | null {
    const { data, errors } = response as { data?: unknown; errors?: unknown };
    if (errors !== undefined && !isErrorList(errors)) return 'its errors are not a list of errors';
    if (data === undefined || data === null) {
      return errors === undefined ? 'it has neither data nor errors' : null;
    }
    if (typeof data !== 'object' || Array.isArray(data)) return 'its data is not an object';
    const result = execute({
      schema: this.schema,
      document: this.document(request.query ?? ''),
      variableValues: request.variables,
      operationName: request.operationName,
      rootValue: data,
      contextValue: { representations: request.variables?.representations },
      fieldResolver: readResponseKey,
    });
    if ('then' in result) return 'it could not be checked'; // no resolver here is asynchronous
    const misfit = result.errors?.find((e) => e.path);
    if (misfit) return `the value at ${misfit.path!.join('.')} is not of its type`;
    if (result.errors?.length) return 'it does not answer the operation sent';
    if (!sameValue(result.data, data)) return `it does not have the operation's shape`;
    return null;
  }

  private document(query: string): DocumentNode {
    let document = this.documents.get(query);
    if (!document) {
      document = parse(query);
      // The gateway sends the same few operations per plan: a small cache, emptied when full.
      if (this.documents.size >= 500) this.documents.clear();
      this.documents.set(query, document);
    }
    return document;
  }
}

/**
 * A value in the answer is under its response key (the alias when there is one). Each entity is
 * labelled with its representation's type (same index), for `entityType`.
 */
const readResponseKey: GraphQLFieldResolver<unknown, { representations?: unknown }> = (
  source,
  _args,
  { representations },
  info,
) => {
  if (source === null || typeof source !== 'object') return undefined;
  const value = (source as Record<string, unknown>)[info.path.key as string];
  if (info.fieldName !== '_entities' || !Array.isArray(value) || !Array.isArray(representations))
    return value;
  return value.map((entity: unknown, i) =>
    entity !== null && typeof entity === 'object'
      ? {
          ...entity,
          [REPRESENTED_TYPE]: (representations[i] as { __typename?: unknown } | undefined)
            ?.__typename,
        }
      : entity,
  );
};

/** The type of an entity the gateway asked for by representation (it asks for no __typename). */
const REPRESENTED_TYPE = Symbol('represented type');

/** An entity's type: its own __typename if it has one, else its representation's. */
const entityType: GraphQLTypeResolver<unknown, unknown> = (value) => {
  const entity = value as { __typename?: unknown; [REPRESENTED_TYPE]?: string } | null;
  return typeof entity?.__typename === 'string' ? entity.__typename : entity?.[REPRESENTED_TYPE];
};

function isErrorList(errors: unknown): boolean {
  return (
    Array.isArray(errors) &&
    errors.every(
      (e) =>
        e !== null &&
        typeof e === 'object' &&
        typeof (e as { message?: unknown }).message === 'string',
    )
  );
}

/**
 * Equal as JSON values: the same keys (in any order) with equal values, types compared exactly.
 * (node's deep equality also compares prototypes, and graphql-js builds its results without one.)
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  const bRecord = b as Record<string, unknown>;
  return aKeys.every(
    (key) =>
      Object.hasOwn(bRecord, key) && sameValue((a as Record<string, unknown>)[key], bRecord[key]),
  );
}
