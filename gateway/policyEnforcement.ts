import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import {
  DefinitionNode,
  DocumentNode,
  FieldNode,
  getNamedType,
  getNullableType,
  getVariableValues,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLField,
  GraphQLFormattedError,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isCompositeType,
  isInputObjectType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { randomBytes } from 'node:crypto';
import { evaluatePermission } from '../policies/evaluatePermission';
import { AUDITED_MUTATION_ARGUMENTS } from '../policies/matchDecision';
import { PolicyDenial } from '../policies/policyDenial';
import { AGENCY_CHECK_FIELDS, custodianOf } from '../policies/tiers';
import { CheckStatus } from '../schema/agencyCheck';
import type { DeniedField } from '../subgraphs/audit/entities';
import {
  badUserInput,
  checkDirectiveArguments,
  collectFields,
  OperationFields,
  operationFields,
  FieldNamesOf,
  RESERVED_PREFIX,
  reservedNameIn,
  shadowingAliasIn,
  selectionsOf,
} from './operationFields';
import { argumentTakingVariable } from './clientErrors';
import { serviceLog } from '../service/logger';
import { replaceOperation } from './replaceOperation';
import type { GatewayContext } from './requestAccess';
import { scalarProblem } from './supergraph';

/** A field the policies denied, where the client asked for it. */
interface Withholding {
  denial: PolicyDenial;
  custodian: string | null;
  /** Set when the denied field is a whole agency check: it is answered WITHHELD, not null. */
  agencyCheck: { typeName: string; custodian: string } | null;
}

/** At most this many denial errors go out in one response; one more error says how many followed. */
export const MAX_DENIAL_ERRORS = 100;

/**
 * The gateway's own aliases. A client cannot use the prefix (refused), and the part after it is
 * random per process, so nobody can aim a field at them. Per process rather than per request: the
 * rewritten operation, and so its query plan, stays the same for the same client operation.
 */
const NONCE = randomBytes(6).toString('hex');
export const SUBJECT_ID = `${RESERVED_PREFIX}${NONCE}_subjectId`;
const PLACEHOLDER = `${RESERVED_PREFIX}${NONCE}_withheld`;
const SUBJECTS_CARRIED = `${RESERVED_PREFIX}${NONCE}_subjects`;

/**
 * Types that speak about subjects without being a Subject (a household's chronology names whose
 * each event is), by the field holding their ids: the audit names those subjects as reached
 * whether or not the client selected the field.
 */
const SUBJECT_CARRIERS: Record<string, string> = {
  ChronologyEvent: 'subjectIds',
  ChronologyAgency: 'subjectId',
  WithheldEvents: 'subjectId',
};

/** The agencies a mutation may name as custodian in the audit: never a free string from a client. */
const HUB_CUSTODIANS = new Set(Object.values(AGENCY_CHECK_FIELDS));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the policy step found for one request, for its audit record. */
export interface Enforcement {
  /** The subjects the answer reached: ids the gateway itself asked for, checked to be ids. */
  subjectIds: string[];
  /** What was withheld, one entry per path pattern, code and rule, with how many times. */
  denied: DeniedField[];
  /**
   * The agencies whose records a mutation acted on (a match decision names the agency), from its
   * arguments as execution resolves them (policies/matchDecision.ts `AUDITED_MUTATION_ARGUMENTS`).
   */
  custodians: string[];
}

const enforcements = new WeakMap<GatewayContext, Enforcement>();

/** The policy step's findings for this request; none when it never reached the policies. */
export function enforcementOf(context: GatewayContext): Enforcement | undefined {
  return enforcements.get(context);
}

/**
 * Consent and need-to-know, enforced before the query is planned: every field of the operation is
 * decided by the graphql-shield rules in `policies/`, denied fields are removed so they are never
 * requested from their agency (the data never leaves it), and after execution each comes back null
 * with an error at its path giving the code, the rule and what would release it — or, for a whole
 * agency check, `status: WITHHELD` with the reason. graphql-shield cannot run inside the gateway's
 * query-plan execution (apollographql/federation#366), hence this step.
 *
 * Everything here reads the operation as execution will run it (`operationFields.ts`): variables
 * coerced with their defaults, fields merged by response key, @skip/@include applied. The same
 * pass adds the audit's own `id` to every Subject selection, so the operation is rewritten once.
 */
export function policyEnforcementPlugin(
  fieldNamesOf: FieldNamesOf = () => new Set(),
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let withheld = new Map<FieldNode, Withholding>();
      let fields: OperationFields | null = null;
      const actedOn = { subjectIds: new Set<string>(), custodians: new Set<string>() };
      return {
        async didResolveOperation(requestContext) {
          fields = readOperation(requestContext, fieldNamesOf);
          withheld = await decideFields(requestContext, fields, actedOn);
          const { document, granted } = rewriteOperation(
            requestContext.schema,
            requestContext.document,
            fields.operation,
            withheld,
          );
          requestContext.contextValue.granted = granted;
          if (document !== requestContext.document)
            replaceOperation(
              requestContext as { document: DocumentNode; queryHash: string },
              document,
            );
        },
        async willSendResponse(requestContext) {
          const { body } = requestContext.response;
          if (!fields || body.kind !== 'single') return;
          const result = body.singleResult;
          const answer = new Answer(fields, withheld);
          if (result.data) answer.walk(result.data);
          const errors = answer.sortErrors(result.errors ?? [], result.data);
          result.errors = errors.length ? errors : undefined;
          const found = answer.enforcement();
          enforcements.set(requestContext.contextValue, {
            ...found,
            subjectIds: [...new Set([...found.subjectIds, ...actedOn.subjectIds])],
            custodians: [...actedOn.custodians],
          });
        },
      };
    },
  };
}

/**
 * The operation as execution will read it, or a 400: a name that is the gateway's own, or
 * variables that do not coerce. Its depth was bounded before (`queryLimits.ts`, the first step).
 */
function readOperation(
  requestContext: GraphQLRequestContextDidResolveOperation<GatewayContext>,
  fieldNamesOf: FieldNamesOf,
): OperationFields {
  const { schema, document, request } = requestContext;
  const operation = requestContext.operation;
  if (!operation)
    throw badUserInput(
      request.operationName
        ? `The document has no operation named "${request.operationName}".`
        : 'The document has several operations: say which to run (operationName).',
    );
  const reserved = reservedNameIn(document);
  if (reserved)
    throw badUserInput(
      `"${reserved}": names beginning with "${RESERVED_PREFIX}" are the gateway's own; use another alias.`,
    );
  const shadowing = shadowingAliasIn(schema, document, fieldNamesOf);
  if (shadowing)
    throw badUserInput(
      `The alias "${shadowing.alias}" (for ${shadowing.typeName}.${shadowing.field}) is the name of another field of ${shadowing.typeName}; the gateway asks for that field under its own name, so choose an alias that is not a field name.`,
      { alias: shadowing.alias },
    );
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    request.variables ?? {},
  );
  if (coerced.errors) {
    const { message, nodes } = coerced.errors[0];
    const variable = nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION ? nodes[0].variable : null;
    const argument = variable && argumentTakingVariable(document, variable.name.value);
    throw badUserInput(
      argument ? `${message} (the value of argument "${argument}")` : message,
      argument ? { argument } : {},
    );
  }
  checkDirectiveArguments(document, coerced.coerced);
  return operationFields(schema, document, operation, coerced.coerced);
}

async function decideFields(
  requestContext: GraphQLRequestContextDidResolveOperation<GatewayContext>,
  operationFields: OperationFields,
  actedOn: { subjectIds: Set<string>; custodians: Set<string> },
): Promise<Map<FieldNode, Withholding>> {
  const { schema, contextValue } = requestContext;
  const typeInfo = new TypeInfo(schema);
  const fields: {
    node: FieldNode;
    typeName: string;
    fieldName: string;
    args: Record<string, unknown>;
    checkType: string | null;
  }[] = [];
  visit(
    ownDefinitions(requestContext.document, operationFields.operation),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const definition = typeInfo.getFieldDef();
        // Introspection (GraphiQL's schema view) describes the API, not anyone's records.
        if (
          !parent ||
          !definition ||
          node.name.value.startsWith('__') ||
          parent.name.startsWith('__')
        )
          return;
        const fieldType = getNamedType(definition.type);
        const isCheck =
          isObjectType(fieldType) &&
          fieldType.getInterfaces().some((i) => i.name === 'AgencyCheck');
        fields.push({
          node,
          typeName: parent.name,
          fieldName: node.name.value,
          args: argumentsOf(definition, node, parent.name, operationFields.variables),
          checkType: isCheck ? fieldType.name : null,
        });
      },
    }),
  );
  const withheld = new Map<FieldNode, Withholding>();
  const decided = new Map<string, Promise<true | PolicyDenial>>();
  for (const field of fields) {
    // Allowed or refused, the audit names the subject and agency a mutation acted on.
    const audited =
      field.typeName === 'Mutation' ? AUDITED_MUTATION_ARGUMENTS[field.fieldName] : undefined;
    if (audited) {
      const subjectId = field.args[audited.subject];
      if (typeof subjectId === 'string' && UUID.test(subjectId)) actedOn.subjectIds.add(subjectId);
      const custodian = audited.custodian ? field.args[audited.custodian] : undefined;
      if (typeof custodian === 'string' && HUB_CUSTODIANS.has(custodian))
        actedOn.custodians.add(custodian);
    }
    // A decision depends on the type, the field and its arguments, never on where it appears.
    const key = `${field.typeName}.${field.fieldName}(${JSON.stringify(field.args)})`;
    if (!decided.has(key))
      decided.set(
        key,
        evaluatePermission(field.typeName, field.fieldName, field.args, contextValue.access),
      );
    const decision = await decided.get(key)!;
    if (decision === true) continue;
    const custodian = custodianOf(field.typeName, field.fieldName);
    withheld.set(field.node, {
      denial: decision,
      custodian,
      agencyCheck: field.checkType && custodian ? { typeName: field.checkType, custodian } : null,
    });
  }
  return withheld;
}

/** The operation to be run and the fragments: another operation in the same document is not run. */
function ownDefinitions(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const definitions = document.definitions.filter(
    (d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION,
  );
  return definitions.length === document.definitions.length
    ? document
    : { ...document, definitions };
}

/** A field's arguments as execution will see them, each custom scalar parsed as its subgraph will. */
function argumentsOf(
  definition: GraphQLField<unknown, unknown>,
  node: FieldNode,
  typeName: string,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(definition, node, variables);
  } catch (error) {
    throw badUserInput(error instanceof GraphQLError ? error.message : 'Invalid argument.');
  }
  for (const argument of definition.args) {
    const problem = scalarProblemIn(argument.type, args[argument.name]);
    if (problem)
      throw badUserInput(
        `Argument "${argument.name}" of ${typeName}.${definition.name}: ${problem}.`,
        { argument: argument.name },
      );
  }
  return args;
}

/** The first value inside `value` (lists and input objects included) its custom scalar refuses. */
function scalarProblemIn(type: GraphQLInputType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const problem = scalarProblemIn(nullable.ofType, item);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(nullable)) {
    for (const field of Object.values(nullable.getFields())) {
      const problem = scalarProblemIn(field.type, (value as Record<string, unknown>)[field.name]);
      if (problem) return problem;
    }
    return null;
  }
  return isScalarType(nullable) ? scalarProblem(nullable.name, value) : null;
}

/**
 * The operation without the denied fields (still valid GraphQL), with the audit's Subject id
 * added, and what it still asks for: one rewrite, one new hash.
 */
function rewriteOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  withheld: Map<FieldNode, Withholding>,
): { document: DocumentNode; granted: string[] } {
  const typeInfo = new TypeInfo(schema);
  const alias = (value: string, name: string): FieldNode => ({
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value },
    name: { kind: Kind.NAME, value: name },
  });
  const placeholder = alias(PLACEHOLDER, '__typename');
  const subjectId = alias(SUBJECT_ID, 'id');
  const carrier = (typeName: string | undefined) =>
    typeName && SUBJECT_CARRIERS[typeName]
      ? alias(SUBJECTS_CARRIED, SUBJECT_CARRIERS[typeName])
      : null;
  let rewritten: DocumentNode = visit(
    ownDefinitions(document, operation),
    visitWithTypeInfo(typeInfo, {
      Field: { enter: (node) => (withheld.has(node) ? null : undefined) },
      SelectionSet: {
        leave(node): SelectionSetNode | undefined {
          if (typeInfo.getParentType()?.name === 'Subject')
            return { ...node, selections: [...node.selections, subjectId] };
          const carried = carrier(typeInfo.getParentType()?.name);
          if (carried) return { ...node, selections: [...node.selections, carried] };
          return node.selections.length === 0 ? { ...node, selections: [placeholder] } : undefined;
        },
      },
    }),
  );
  // Fragments and variables only the denied fields used would make the operation invalid.
  for (;;) {
    const spread = new Set<string>();
    visit(rewritten, { FragmentSpread: (node) => void spread.add(node.name.value) });
    const unused = rewritten.definitions.filter(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && !spread.has(d.name.value),
    );
    if (unused.length === 0) break;
    rewritten = {
      ...rewritten,
      definitions: rewritten.definitions.filter((d: DefinitionNode) => !unused.includes(d)),
    };
  }
  const used = new Set<string>();
  visit(rewritten, { Variable: (node) => void used.add(node.name.value) });
  if (withheld.size > 0)
    rewritten = visit(rewritten, {
      VariableDefinition: (node) => (used.has(node.variable.name.value) ? undefined : null),
    });
  return { document: rewritten, granted: requestedFields(schema, rewritten) };
}

/** `custodian:Type.field` of every field the operation asks for: after pruning, what was shared. */
function requestedFields(schema: GraphQLSchema, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const fields = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (
          !parent ||
          node.name.value.startsWith('__') ||
          parent.name.startsWith('__') ||
          node.alias?.value.startsWith(RESERVED_PREFIX)
        )
          return;
        fields.add(
          `${custodianOf(parent.name, node.name.value) ?? 'shared'}:${parent.name}.${node.name.value}`,
        );
      },
    }),
  );
  return [...fields];
}

/**
 * One walk of the answer along the client's operation, merged as execution merges it: puts each
 * withheld field back where it was asked for (one error per response path, at most
 * MAX_DENIAL_ERRORS of them), takes out the gateway's own fields, collects the subjects reached,
 * and keeps from the client any error about a field it did not select.
 */
class Answer {
  private readonly errors: GraphQLFormattedError[] = [];
  private omitted = 0;
  private readonly denied = new Map<string, DeniedField>();
  private readonly subjectIds = new Set<string>();
  private readonly root: GraphQLCompositeType;

  constructor(
    private readonly fields: OperationFields,
    private readonly withheld: Map<FieldNode, Withholding>,
  ) {
    this.root = fields.schema.getRootType(fields.operation.operation)!;
  }

  walk(data: unknown): void {
    this.visit(data, this.root, [this.fields.operation.selectionSet], []);
  }

  private visit(
    value: unknown,
    type: GraphQLCompositeType,
    selections: readonly SelectionSetNode[],
    path: (string | number)[],
  ): void {
    if (Array.isArray(value)) {
      value.forEach((item, i) => this.visit(item, type, selections, [...path, i]));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    delete object[PLACEHOLDER];
    if (type.name === 'Subject') {
      const id = object[SUBJECT_ID];
      delete object[SUBJECT_ID];
      if (typeof id === 'string' && UUID.test(id)) this.subjectIds.add(id);
    }
    if (SUBJECT_CARRIERS[type.name]) {
      const ids: unknown = object[SUBJECTS_CARRIED];
      delete object[SUBJECTS_CARRIED];
      for (const id of Array.isArray(ids) ? ids : [ids])
        if (typeof id === 'string' && UUID.test(id)) this.subjectIds.add(id);
    }
    const runtime = this.runtimeType(type, object);
    for (const [key, group] of collectFields(this.fields, runtime, selections)) {
      const withholding = this.withholdingOf(group);
      if (withholding) {
        object[key] = withholding.agencyCheck ? this.withheldCheck(group, withholding) : null;
        const { denial, custodian } = withholding;
        this.deny(
          {
            message: denial.message,
            path: [...path, key],
            extensions: {
              code: denial.code,
              rule: denial.rule,
              custodian,
              release: denial.release,
            },
          },
          false,
        );
        continue;
      }
      const child = object[key];
      if (child === null || child === undefined || !group[0].selectionSet) continue;
      const fieldType = this.fieldType(runtime, group[0]);
      if (fieldType) this.visit(child, fieldType, selectionsOf(group), [...path, key]);
    }
  }

  /** Merged fields share a name and arguments (validation), so they share one decision. */
  private withholdingOf(group: FieldNode[]): Withholding | undefined {
    for (const node of group) {
      const withholding = this.withheld.get(node);
      if (withholding) return withholding;
    }
    return undefined;
  }

  private runtimeType(
    type: GraphQLCompositeType,
    object: Record<string, unknown>,
  ): GraphQLCompositeType {
    if (isObjectType(type) || typeof object.__typename !== 'string') return type;
    const named = this.fields.schema.getType(object.__typename);
    return named && isObjectType(named) ? named : type;
  }

  private fieldType(type: GraphQLCompositeType, node: FieldNode): GraphQLCompositeType | null {
    if (!('getFields' in type)) return null;
    const definition = type.getFields()[node.name.value];
    const named = definition && getNamedType(definition.type);
    return named && isCompositeType(named) ? named : null;
  }

  /** A whole agency check the policies withheld: it says so, and why, and carries nothing else. */
  private withheldCheck(group: FieldNode[], withholding: Withholding): Record<string, unknown> {
    const { denial, agencyCheck } = withholding;
    const checkType = this.fields.schema.getType(agencyCheck!.typeName) as GraphQLObjectType;
    const shown: Record<string, unknown> = {
      __typename: checkType.name,
      agency: agencyCheck!.custodian,
      status: CheckStatus.WITHHELD,
      reason: `${denial.code} (rule ${denial.rule}): ${denial.message}${denial.release ? ` To release: ${denial.release}` : ''}`,
    };
    const answer: Record<string, unknown> = {};
    for (const [key, selected] of collectFields(this.fields, checkType, selectionsOf(group)))
      answer[key] = selected[0].selectionSet ? null : (shown[selected[0].name.value] ?? null);
    return answer;
  }

  /**
   * The errors that go out: a subgraph's error about a field the client did not select (a field
   * an agency's matching `@requires`, refused by the hub) is kept from it, and recorded for the
   * audit as internal; every policy error counts against the bound.
   */
  sortErrors(
    existing: readonly GraphQLFormattedError[],
    data: Record<string, unknown> | null | undefined,
  ): GraphQLFormattedError[] {
    const kept: GraphQLFormattedError[] = [];
    for (const error of existing) {
      const isDenial = Boolean(error.extensions?.rule);
      if (error.path && !this.isSelected(error.path)) {
        if (isDenial) this.deny(error, true);
        else
          serviceLog('gateway').warn(
            { path: error.path.join('.'), reason: error.message },
            'an error at a path the client did not select was not sent',
          );
        continue;
      }
      if (isDenial) {
        this.deny(error, false);
        // A subgraph refused this field: whatever the gateway merged under its response key (a
        // client alias can collide with a key field the plan fetched, e.g. `id: addressLine`),
        // the answer there is null.
        if (error.path && data) nullAt(data, error.path);
      } else kept.push(error);
    }
    const summary: GraphQLFormattedError[] = this.omitted
      ? [
          {
            message: `${this.omitted} more fields were withheld; their errors are not repeated here (the first ${MAX_DENIAL_ERRORS} are above). Ask for fewer fields or records to see each one.`,
            extensions: {
              code: 'TOO_MANY_DENIALS',
              count: this.omitted,
              limit: MAX_DENIAL_ERRORS,
            },
          },
        ]
      : [];
    return [...kept, ...this.errors, ...summary];
  }

  private deny(error: GraphQLFormattedError, internal: boolean): void {
    const extensions = error.extensions ?? {};
    const entry: DeniedField = {
      // Indexes replaced: one entry for every item of a list withheld for the same reason.
      path: (error.path ?? []).map((p) => (typeof p === 'number' ? '*' : p)).join('.'),
      code: String(extensions.code),
      rule: String(extensions.rule),
      custodian: (extensions.custodian as string | null | undefined) ?? null,
      release: (extensions.release as string | null | undefined) ?? null,
      count: 0,
      ...(internal ? { internal: true } : {}),
    };
    const key = JSON.stringify([entry.path, entry.code, entry.rule, entry.custodian, internal]);
    const recorded = this.denied.get(key) ?? entry;
    recorded.count! += 1;
    this.denied.set(key, recorded);
    if (internal) return;
    if (this.errors.length < MAX_DENIAL_ERRORS) this.errors.push(error);
    else this.omitted += 1;
  }

  /** Whether the client's operation selects this response path (after merging, with directives). */
  private isSelected(path: readonly (string | number)[]): boolean {
    let type: GraphQLCompositeType | null = this.root;
    let selections: readonly SelectionSetNode[] = [this.fields.operation.selectionSet];
    for (const segment of path) {
      if (typeof segment === 'number') continue;
      if (!type) return false;
      const group = collectFields(this.fields, type, selections).get(segment);
      if (!group) return false;
      type = this.fieldType(type, group[0]);
      selections = selectionsOf(group);
    }
    return true;
  }

  enforcement(): Enforcement {
    return { subjectIds: [...this.subjectIds], denied: [...this.denied.values()], custodians: [] };
  }
}

/** Sets the value at a response path to null, if the path is there. */
function nullAt(data: Record<string, unknown>, path: readonly (string | number)[]): void {
  let parent: unknown = data;
  for (const segment of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return;
    parent = (parent as Record<string | number, unknown>)[segment];
  }
  const last = path[path.length - 1];
  if (parent !== null && typeof parent === 'object' && last in parent)
    (parent as Record<string | number, unknown>)[last] = null;
}
