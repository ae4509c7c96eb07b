import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type {
  GatewayGraphQLRequest,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import {
  execute,
  getNamedType,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
  isObjectType,
  parse,
} from 'graphql';
import { CheckStatus } from '../schema/agencyCheck';

const AGENCY_CHECK_INTERFACE = 'AgencyCheck';

/**
 * Stands in for an agency subgraph that is down, times out or fails: it answers the very operation
 * the gateway sent that agency, from the agency's own schema, with every agency check marked
 * UNAVAILABLE and the reason. So the rest of the picture still arrives and the missing agency is
 * visible, never silently absent.
 */
export class UnavailableAgency {
  private readonly schema: GraphQLSchema;
  readonly hasAgencyChecks: boolean;

  constructor(
    readonly agency: string,
    /** The agency subgraph's own schema (SDL). */
    readonly sdl: string,
  ) {
    const typeDefs = parse(sdl);
    const checkFields = findAgencyCheckFields(buildSubgraphSchema({ typeDefs }));
    this.hasAgencyChecks = checkFields.length > 0;
    const resolvers: GraphQLResolverMap<{ reason: string }> = {};
    for (const { typeName, fieldName } of checkFields) {
      resolvers[typeName] = {
        ...(resolvers[typeName] as object),
        [fieldName]: (_root: unknown, _args: unknown, { reason }: { reason: string }) => ({
          agency,
          status: CheckStatus.UNAVAILABLE,
          reason,
        }),
      };
    }
    this.schema = buildSubgraphSchema({
      typeDefs,
      resolvers: resolvers as GraphQLResolverMap<unknown>,
    });
  }

  /** The whole answer when the agency could not be asked at all. */
  async answer(request: GatewayGraphQLRequest, reason: string): Promise<GatewayGraphQLResponse> {
    const result = await execute({
      schema: this.schema,
      document: parse(request.query ?? ''),
      variableValues: request.variables,
      operationName: request.operationName,
      contextValue: { reason },
    });
    return {
      data: result.data as Record<string, unknown> | null,
      errors: [this.unavailableError(reason)],
    };
  }

  /** Where the agency answered but some checks failed (null with an error), mark those UNAVAILABLE. */
  async repair(
    request: GatewayGraphQLRequest,
    response: GatewayGraphQLResponse,
  ): Promise<GatewayGraphQLResponse> {
    const isFailure = (e: GraphQLFormattedError) =>
      e.path !== undefined && e.path.length > 0 && !isAnswer(e);
    const failed = (response.errors ?? []).filter(isFailure);
    if (failed.length === 0 || !response.data) return response;
    const reason = [...new Set(failed.map((e) => e.message))].join('; ');
    const standIn = (await this.answer(request, reason)).data;
    const data = structuredClone(response.data) as Record<string, unknown>;
    for (const { path } of failed) {
      for (let depth = 1; depth <= path!.length; depth++) {
        const prefix = path!.slice(0, depth);
        if (valueAt(data, prefix) === null) {
          setValueAt(data, prefix, valueAt(standIn, prefix));
          break;
        }
      }
    }
    const errors = (response.errors ?? []).map((e) =>
      isFailure(e) ? this.unavailableError(e.message, e.path) : e,
    );
    return { ...response, data, errors };
  }

  private unavailableError(detail: string, path?: readonly (string | number)[]): GraphQLError {
    return new GraphQLError(`${this.agency}: agency check unavailable. ${detail}`, {
      path,
      extensions: { code: 'AGENCY_UNAVAILABLE', agency: this.agency },
    });
  }
}

/**
 * Codes by which an agency answers the request rather than fails at it: the client's own mistake
 * (a release without a reason) or the agency's decision. They reach the client as they are, with
 * the argument they name; calling them "agency unavailable" would send the client to wait for a
 * service that is up, instead of fixing the request.
 */
const ANSWER_CODES = new Set(['BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'CONFLICT']);

/** A custodian's own policy denial (it carries its rule), or an answer by its code. */
function isAnswer(error: GraphQLFormattedError): boolean {
  return Boolean(error.extensions?.rule) || ANSWER_CODES.has(String(error.extensions?.code));
}

function findAgencyCheckFields(schema: GraphQLSchema) {
  const fields: { typeName: string; fieldName: string }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const fieldType = getNamedType(field.type);
      if (
        isObjectType(fieldType) &&
        fieldType.getInterfaces().some((i) => i.name === AGENCY_CHECK_INTERFACE)
      ) {
        fields.push({ typeName: type.name, fieldName: field.name });
      }
    }
  }
  return fields;
}

type Path = readonly (string | number)[];

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function setValueAt(data: Record<string, unknown>, path: Path, value: unknown): void {
  const parent = valueAt(data, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
}
