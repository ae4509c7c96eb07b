import { buildSubgraphSchema } from '@apollo/subgraph';
import type {
  GatewayGraphQLRequest,
  GatewayGraphQLResponse,
} from '@apollo/server-gateway-interface';
import {
  buildASTSchema,
  FieldNode,
  FragmentDefinitionNode,
  getOperationAST,
  getVariableValues,
  GraphQLAbstractType,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLScalarType,
  GraphQLSchema,
  isEnumType,
  OperationDefinitionNode,
  parse,
  printSchema,
  visit,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';

type Fields = Map<string, readonly FieldNode[]>;

/** An operation the gateway sent, parsed and resolved against the subgraph's schema once. */
interface SentOperation {
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  rootType: GraphQLObjectType;
  /** `@skip`/`@include` make the fields depend on the variables: then nothing is memoised. */
  dependsOnVariables: boolean;
  /** The root fields, once (when they do not depend on the variables). */
  rootFields: Selected | null;
  /** The fields selected on an object of a type, by the selection they come from. */
  subfields: Map<GraphQLObjectType, WeakMap<readonly FieldNode[], Selected>>;
}

/** Where a value is in the answer: a chain built as the walk goes down, read only for a misfit. */
type Path = { prev: Path; key: string | number } | undefined;

/** A misfit found while walking an answer: where, or (null) that its shape differs. */
class Misfit {
  readonly path: (string | number)[] | null;
  constructor(at: Path | null) {
    const keys: (string | number)[] = [];
    for (let p = at; p; p = p.prev) keys.unshift(p.key);
    this.path = at === null ? null : keys;
  }
}

/**
 * Checks a subgraph's answer against that subgraph's schema before anything of it is used. The
 * answer is walked along the operation the gateway sent, field by field, with the schema's types:
 * a value of the wrong type, a null where the schema says non-null, a field nobody asked for or a
 * missing one is a misfit. The test is exact, not graphql-js's lenient serialisation (which lets a
 * number pass as a String): an answer that would only fit after coercion does not fit. It says
 * the same as executing the operation again over the answer with no resolvers and comparing the
 * result with the answer (gateway/__tests__/subgraphAnswer.test.ts holds it to that), at a tenth
 * of the cost: that execution was 7% of the gateway's CPU under load.
 */
export class SubgraphAnswerCheck {
  private readonly schema: GraphQLSchema;
  private readonly operations = new Map<string, SentOperation | null>();

  constructor(sdl: string) {
    // The federation fields (_entities, _service) with the schema's types.
    this.schema = buildASTSchema(parse(printSchema(buildSubgraphSchema({ typeDefs: parse(sdl) }))));
  }

  /** Why the answer does not fit (paths and field names only, never a value), or null when it does. */
  problem(request: GatewayGraphQLRequest, response: GatewayGraphQLResponse): string | null {
    const { data, errors } = response as { data?: unknown; errors?: unknown };
    if (errors !== undefined && !isErrorList(errors)) return 'its errors are not a list of errors';
    if (data === undefined || data === null) {
      return errors === undefined ? 'it has neither data nor errors' : null;
    }
    if (typeof data !== 'object' || Array.isArray(data)) return 'its data is not an object';
    const sent = this.operation(request.query ?? '', request.operationName);
    if (!sent) return 'it does not answer the operation sent';
    // Only @skip and @include read the variables' values: coercing a household's representations
    // for nothing would cost more than the walk.
    let variables: Record<string, unknown> = {};
    if (sent.dependsOnVariables) {
      const coerced = getVariableValues(
        this.schema,
        sent.operation.variableDefinitions ?? [],
        request.variables ?? {},
      );
      if (coerced.errors) return 'it does not answer the operation sent';
      variables = coerced.coerced;
    }
    const walk = new AnswerWalk(this.schema, sent, variables, request.variables);
    const answer = data as Record<string, unknown>;
    const misfit = walk.fields(sent.rootType, walk.rootFields(), answer, undefined);
    if (!misfit) return null;
    return misfit.path
      ? `the value at ${misfit.path.join('.')} is not of its type`
      : `it does not have the operation's shape`;
  }

  private operation(query: string, operationName: string | undefined): SentOperation | null {
    const key = `${operationName ?? ''}\n${query}`;
    let sent = this.operations.get(key);
    if (sent === undefined) {
      sent = this.prepare(query, operationName);
      // The gateway sends the same few operations per plan: a small cache, emptied when full.
      if (this.operations.size >= 500) this.operations.clear();
      this.operations.set(key, sent);
    }
    return sent;
  }

  private prepare(query: string, operationName: string | undefined): SentOperation | null {
    let document;
    try {
      document = parse(query);
    } catch {
      return null;
    }
    const operation = getOperationAST(document, operationName);
    const rootType = operation && this.schema.getRootType(operation.operation);
    if (!operation || !rootType) return null;
    const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
    let dependsOnVariables = false;
    visit(document, {
      FragmentDefinition: (fragment) => {
        fragments[fragment.name.value] = fragment;
      },
      Directive: (directive) => {
        if (directive.name.value === 'skip' || directive.name.value === 'include')
          dependsOnVariables = true;
      },
    });
    return {
      operation,
      fragments,
      rootType,
      dependsOnVariables,
      rootFields: null,
      subfields: new Map(),
    };
  }
}

/** The fields selected on an object of one type, ready to walk: each with its type, once. */
interface Selected {
  fields: {
    key: string;
    name: string;
    type: GraphQLOutputType | null;
    nodes: readonly FieldNode[];
  }[];
}

function selected(type: GraphQLObjectType, collected: Fields): Selected {
  const fields: Selected['fields'] = [];
  for (const [key, nodes] of collected) {
    const name = nodes[0].name.value;
    if (name === '__typename') fields.push({ key, name, type: null, nodes });
    else if (type.getFields()[name])
      fields.push({ key, name, type: type.getFields()[name].type, nodes });
  }
  return { fields };
}

/** One answer walked along one operation. */
class AnswerWalk {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly sent: SentOperation,
    private readonly variables: Record<string, unknown>,
    private readonly rawVariables: Record<string, unknown> | undefined,
  ) {}

  rootFields(): Selected {
    const { schema, sent, variables } = this;
    if (sent.rootFields) return sent.rootFields;
    const root = sent.operation.selectionSet;
    const fields = selected(
      sent.rootType,
      collectFields(schema, sent.fragments, variables, sent.rootType, root),
    );
    if (!sent.dependsOnVariables) sent.rootFields = fields;
    return fields;
  }

  /** An object's fields: exactly the ones selected, each a value of its field's type. */
  fields(
    type: GraphQLObjectType,
    selection: Selected,
    object: Record<string, unknown>,
    path: Path,
  ): Misfit | null {
    // graphql-js leaves out a field its type does not have: so the object has exactly these keys.
    if (keyCount(object) !== selection.fields.length) return new Misfit(null);
    for (const { key, name, type: fieldType, nodes } of selection.fields) {
      if (!Object.hasOwn(object, key)) return new Misfit(null);
      if (fieldType === null) {
        if (object[key] !== type.name) return new Misfit(null);
        continue;
      }
      const representations = name === '_entities' ? this.rawVariables?.representations : undefined;
      const at = { prev: path, key };
      const misfit = this.value(fieldType, nodes, object[key], at, representations);
      if (misfit) return misfit;
    }
    return null;
  }

  private value(
    type: GraphQLOutputType,
    nodes: readonly FieldNode[],
    value: unknown,
    path: Path,
    representations?: unknown,
  ): Misfit | null {
    if (type instanceof GraphQLNonNull) {
      if (value === null || value === undefined) return new Misfit(path);
      return this.value(type.ofType as GraphQLOutputType, nodes, value, path, representations);
    }
    if (value === null || value === undefined) return null;
    if (type instanceof GraphQLList) {
      if (!Array.isArray(value)) return new Misfit(path);
      const itemType = type.ofType as GraphQLOutputType;
      for (let i = 0; i < value.length; i++) {
        // An entity with no __typename of its own is of its representation's type (same index).
        const represented = Array.isArray(representations)
          ? typenameOf(representations[i])
          : undefined;
        const at = { prev: path, key: i };
        const misfit = this.value(itemType, nodes, value[i], at, represented);
        if (misfit) return misfit;
      }
      return null;
    }
    if (type instanceof GraphQLScalarType || type instanceof GraphQLEnumType)
      return fitsLeaf(type, value) ? null : new Misfit(path);
    if (typeof value !== 'object' || Array.isArray(value)) return new Misfit(null);
    const object = value as Record<string, unknown>;
    let runtimeType: GraphQLObjectType;
    if (type instanceof GraphQLObjectType) {
      runtimeType = type;
    } else {
      const name =
        typeof object.__typename === 'string'
          ? object.__typename
          : typeof representations === 'string'
            ? representations
            : undefined;
      const named = name === undefined ? undefined : this.schema.getType(name);
      if (
        !(named instanceof GraphQLObjectType) ||
        !this.schema.isSubType(type as GraphQLAbstractType, named)
      )
        return new Misfit(path);
      runtimeType = named;
    }
    return this.fields(runtimeType, this.subfieldsOf(runtimeType, nodes), object, path);
  }

  private subfieldsOf(type: GraphQLObjectType, nodes: readonly FieldNode[]): Selected {
    const collect = () =>
      selected(
        type,
        collectSubfields(this.schema, this.sent.fragments, this.variables, type, nodes),
      );
    if (this.sent.dependsOnVariables) return collect();
    let byNodes = this.sent.subfields.get(type);
    if (!byNodes) this.sent.subfields.set(type, (byNodes = new WeakMap()));
    let fields = byNodes.get(nodes);
    if (!fields) byNodes.set(nodes, (fields = collect()));
    return fields;
  }
}

/** An object's own keys, counted without building their list (a JSON object inherits none). */
function keyCount(object: object): number {
  let keys = 0;
  for (const key in object) if (Object.hasOwn(object, key)) keys++;
  return keys;
}

function typenameOf(representation: unknown): string | undefined {
  const typename = (representation as { __typename?: unknown } | null)?.__typename;
  return typeof typename === 'string' ? typename : undefined;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * A leaf fits when it is already what its type serialises to: graphql-js would turn 42 into "42"
 * for a String, true into 1 for an Int. A scalar the schema only names (a date) is taken as it is.
 */
function fitsLeaf(type: GraphQLEnumType | GraphQLScalarType, value: unknown): boolean {
  if (isEnumType(type)) return typeof value === 'string' && type.getValue(value) !== undefined;
  switch (type.name) {
    case 'String':
    case 'ID':
      return typeof value === 'string';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Int':
      return (
        Number.isInteger(value) && (value as number) >= INT_MIN && (value as number) <= INT_MAX
      );
    case 'Float':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return true;
  }
}

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
