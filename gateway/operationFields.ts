import {
  DirectiveNode,
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getDirectiveValues,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSchema,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * The fields an operation selects, resolved the way execution resolves them (graphql-js
 * `collectFields`): by response key, sub-selections merged, each fragment expanded once per level,
 * `@skip`/`@include` decided with the coerced variables. Every rule that reads the operation after
 * validation reads it through this, so no alias, repeat, fragment or directive can make it see
 * something execution would not do — or do the same work once per repeat.
 */
export type Variables = Record<string, unknown>;

/**
 * Names (aliases or fields) that begin with this are the gateway's own: it adds fields under them
 * for its bookkeeping and removes them before the answer leaves, so a client may not use them.
 */
export const RESERVED_PREFIX = '_gateway';

export interface OperationFields {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
  /** Merged selections are asked for once per list item; the answer is the same for each item. */
  collected: WeakMap<readonly SelectionSetNode[], Map<string, Map<string, FieldNode[]>>>;
}

export function operationFields(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Variables,
): OperationFields {
  return {
    schema,
    operation,
    fragments: fragmentsOf(document),
    variables,
    collected: new WeakMap(),
  };
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

/**
 * The fields the given selection sets (all those merged under one response key) select on an
 * object of `type`, by response key. Recursion is bounded by the depth limit, checked first
 * (`queryLimits.ts`).
 */
export function collectFields(
  context: OperationFields,
  type: GraphQLCompositeType,
  selectionSets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  let byType = context.collected.get(selectionSets);
  if (!byType) context.collected.set(selectionSets, (byType = new Map()));
  const cached = byType.get(type.name);
  if (cached) return cached;
  const fields = new Map<string, FieldNode[]>();
  const visitedFragments = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection, context.variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const group = fields.get(key);
        if (group) group.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(context.schema, selection.typeCondition?.name.value, type))
          collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        if (visitedFragments.has(name)) continue;
        visitedFragments.add(name);
        const fragment = context.fragments.get(name);
        if (fragment && applies(context.schema, fragment.typeCondition.name.value, type))
          collect(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) collect(selectionSet);
  byType.set(type.name, fields);
  return fields;
}

/** The sub-selections of a group of merged fields, as one list (same array for the same group). */
const subSelections = new WeakMap<FieldNode[], SelectionSetNode[]>();
export function selectionsOf(group: FieldNode[]): SelectionSetNode[] {
  let sets = subSelections.get(group);
  if (!sets) {
    sets = group.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
    subSelections.set(group, sets);
  }
  return sets;
}

function included(node: { directives?: readonly DirectiveNode[] }, variables: Variables): boolean {
  if (!node.directives?.length) return true;
  const skip = getDirectiveValues(GraphQLSkipDirective, node, variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, variables);
  return include?.if !== false;
}

/**
 * Whether a fragment's type condition applies to an object of `type`. The gateway's schema has no
 * field of an abstract type today; should one come, an object whose concrete type is unknown takes
 * every fragment that could apply (so a rule errs towards seeing more of the operation, not less).
 */
function applies(
  schema: GraphQLSchema,
  condition: string | undefined,
  type: GraphQLCompositeType,
): boolean {
  if (!condition || condition === type.name) return true;
  const conditionType = schema.getType(condition);
  if (!conditionType) return false;
  if (isObjectType(type) && isAbstractType(conditionType))
    return schema.isSubType(conditionType, type);
  if (isAbstractType(type)) {
    if (isObjectType(conditionType)) return schema.isSubType(type, conditionType);
    if (isAbstractType(conditionType))
      return schema
        .getPossibleTypes(type)
        .some((possible) => schema.isSubType(conditionType, possible));
  }
  return false;
}

/**
 * How deeply the operation's selections nest, counting every field, inline fragment and fragment
 * spread as a level, without recursion (so a document nested thousands deep is measured, not
 * overflowed). Fragment depths are computed once each; a fragment cycle (refused by validation
 * before this runs) counts as too deep.
 */
export function selectionDepth(
  operation: OperationDefinitionNode,
  fragments: Map<string, FragmentDefinitionNode>,
  limit: number,
): number {
  const fragmentDepth = new Map<string, number>();
  const depthOf = (root: SelectionSetNode, inProgress: Set<string>): number => {
    let deepest = 0;
    const stack: { set: SelectionSetNode; depth: number }[] = [{ set: root, depth: 1 }];
    while (stack.length) {
      const { set, depth } = stack.pop()!;
      deepest = Math.max(deepest, depth);
      if (deepest > limit) return deepest;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment) continue;
          if (inProgress.has(name)) return limit + 1;
          if (!fragmentDepth.has(name)) {
            inProgress.add(name);
            // Bounded: a fragment's own depth is measured once, and spreads nest at most `limit`.
            fragmentDepth.set(name, depthOf(fragment.selectionSet, inProgress));
            inProgress.delete(name);
          }
          deepest = Math.max(deepest, depth + fragmentDepth.get(name)!);
          if (deepest > limit) return deepest;
        } else if (selection.selectionSet) {
          stack.push({ set: selection.selectionSet, depth: depth + 1 });
        }
      }
    }
    return deepest;
  };
  return depthOf(operation.selectionSet, new Set());
}

/** The first alias or field name in the document that is the gateway's own. */
export function reservedNameIn(document: DocumentNode): string | null {
  // Iterative: runs before the depth check has been able to bound recursion.
  const stack: SelectionSetNode[] = [];
  for (const definition of document.definitions)
    if ('selectionSet' in definition && definition.selectionSet)
      stack.push(definition.selectionSet);
  while (stack.length) {
    for (const selection of stack.pop()!.selections) {
      if (selection.kind === Kind.FIELD) {
        for (const name of [selection.alias?.value, selection.name.value])
          if (name?.startsWith(RESERVED_PREFIX)) return name;
      }
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet)
        stack.push(selection.selectionSet);
    }
  }
  return null;
}

/** The names of each type's fields in every subgraph, including those hidden from clients. */
export type FieldNamesOf = (typeName: string) => ReadonlySet<string>;

/**
 * The first alias that is the name of another field of its type (`givenName: familyName`,
 * `id: addressLine`). The query planner adds fields under their own names (an entity's key, the
 * demographics an agency `@requires` to match), and a client's alias of the same name takes their
 * place: the agency then matches on the client's choice of value, or the key shadows the field
 * asked for. Refused, so no name a client chooses decides what the gateway sends or answers.
 */
export function shadowingAliasIn(
  schema: GraphQLSchema,
  document: DocumentNode,
  fieldNamesOf: FieldNamesOf,
): { alias: string; field: string; typeName: string } | null {
  const typeInfo = new TypeInfo(schema);
  let found: { alias: string; field: string; typeName: string } | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const alias = node.alias?.value;
        const parent = typeInfo.getParentType();
        if (found || !alias || !parent || alias === node.name.value) return;
        const names = new Set([...Object.keys(fieldsOfType(parent)), ...fieldNamesOf(parent.name)]);
        if (names.has(alias)) found = { alias, field: node.name.value, typeName: parent.name };
      },
    }),
  );
  return found;
}

function fieldsOfType(type: GraphQLCompositeType): Record<string, unknown> {
  return 'getFields' in type ? type.getFields() : {};
}

/**
 * Refuses an @skip/@include whose condition is null: a variable with a default may be sent as an
 * explicit null, which validation allows and `Boolean!` then refuses during execution.
 */
export function checkDirectiveArguments(document: DocumentNode, variables: Variables): void {
  const check = (node: { directives?: readonly DirectiveNode[] }) => {
    try {
      included(node, variables);
    } catch (error) {
      throw badUserInput(error instanceof GraphQLError ? error.message : 'Invalid directive.');
    }
  };
  visit(document, { Field: check, InlineFragment: check, FragmentSpread: check });
}

/** A client's mistake in the operation: 400, BAD_USER_INPUT, in plain words. */
export function badUserInput(message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...extensions, http: { status: 400 } },
  });
}

/** The root type an operation's top-level fields are on. */
export function rootTypeOf(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
): GraphQLCompositeType | null {
  return schema.getRootType(operation.operation) ?? null;
}
