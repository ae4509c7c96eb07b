import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLFormattedError,
  GraphQLSchema,
  isObjectType,
  Kind,
  SelectionSetNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { evaluatePermission } from '../policies/evaluatePermission';
import { PolicyDenial } from '../policies/policyDenial';
import { custodianOf } from '../policies/tiers';
import { CheckStatus } from '../schema/agencyCheck';
import { replaceOperation } from './replaceOperation';
import type { GatewayContext } from './requestAccess';

/** A field the policies denied, where the client asked for it. */
interface Withholding {
  denial: PolicyDenial;
  custodian: string | null;
  /** Set when the denied field is a whole agency check: it is answered WITHHELD, not null. */
  agencyCheck: { typeName: string; custodian: string } | null;
}

// Stands in for a selection set whose every field was denied, so the operation stays valid.
const PLACEHOLDER = '_withheldPlaceholder';

/**
 * Consent and need-to-know, enforced before the query is planned: every field of the operation is
 * decided by the graphql-shield rules in `policies/`, denied fields are removed so they are never
 * requested from their agency (the data never leaves it), and after execution each comes back null
 * with an error at its path giving the code and the rule — or, for a whole agency check,
 * `status: WITHHELD` with the reason. graphql-shield cannot run inside the gateway's query-plan
 * execution (apollographql/federation#366), hence this step.
 */
export function policyEnforcementPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let withheld = new Map<FieldNode, Withholding>();
      let originalDocument: DocumentNode | null = null;
      return {
        async didResolveOperation(requestContext) {
          withheld = await decideFields(requestContext);
          if (withheld.size === 0) {
            requestContext.contextValue.granted = requestedFields(
              requestContext.schema,
              requestContext.document,
            );
            return;
          }
          originalDocument = requestContext.document;
          const pruned = pruneDocument(requestContext.document, withheld);
          replaceOperation(requestContext as { document: DocumentNode; queryHash: string }, pruned);
          requestContext.contextValue.granted = requestedFields(requestContext.schema, pruned);
        },
        async willSendResponse(requestContext) {
          const { body } = requestContext.response;
          if (!originalDocument || body.kind !== 'single') return;
          const result = body.singleResult;
          const errors: GraphQLFormattedError[] = [...(result.errors ?? [])];
          const operation = originalDocument.definitions.find(
            (d) =>
              d.kind === Kind.OPERATION_DEFINITION &&
              (!requestContext.operationName || d.name?.value === requestContext.operationName),
          );
          if (result.data && operation && operation.kind === Kind.OPERATION_DEFINITION) {
            answerWithheld(
              result.data,
              operation.selectionSet,
              fragmentsOf(originalDocument),
              withheld,
              [],
              errors,
            );
          }
          result.errors = errors;
        },
      };
    },
  };
}

async function decideFields(
  requestContext: GraphQLRequestContextDidResolveOperation<GatewayContext>,
) {
  const { schema, document, request, contextValue } = requestContext;
  const typeInfo = new TypeInfo(schema);
  const fields: {
    node: FieldNode;
    typeName: string;
    fieldName: string;
    args: Record<string, unknown>;
    checkType: string | null;
  }[] = [];
  visit(
    document,
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
          args: getArgumentValues(definition, node, request.variables ?? {}),
          checkType: isCheck ? fieldType.name : null,
        });
      },
    }),
  );
  const withheld = new Map<FieldNode, Withholding>();
  const decided = new Map<string, Promise<true | PolicyDenial>>();
  for (const field of fields) {
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

/** `custodian:Type.field` of every field the operation asks for: after pruning, what was shared. */
function requestedFields(schema: GraphQLSchema, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const fields = new Set<string>();
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__') || parent.name.startsWith('__')) return;
        fields.add(
          `${custodianOf(parent.name, node.name.value) ?? 'shared'}:${parent.name}.${node.name.value}`,
        );
      },
    }),
  );
  return [...fields];
}

/** The operation without the denied fields, still valid GraphQL. */
function pruneDocument(
  document: DocumentNode,
  withheld: Map<FieldNode, Withholding>,
): DocumentNode {
  const placeholder: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: PLACEHOLDER },
    name: { kind: Kind.NAME, value: '__typename' },
  };
  let pruned: DocumentNode = visit(document, {
    Field: { enter: (node) => (withheld.has(node) ? null : undefined) },
    SelectionSet: {
      leave: (node): SelectionSetNode | undefined =>
        node.selections.length === 0 ? { ...node, selections: [placeholder] } : undefined,
    },
  });
  // Fragments and variables only the denied fields used would make the operation invalid.
  for (;;) {
    const spread = new Set<string>();
    visit(pruned, { FragmentSpread: (node) => void spread.add(node.name.value) });
    const unused = pruned.definitions.filter(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && !spread.has(d.name.value),
    );
    if (unused.length === 0) break;
    pruned = { ...pruned, definitions: pruned.definitions.filter((d) => !unused.includes(d)) };
  }
  const used = new Set<string>();
  visit(pruned, { Variable: (node) => void used.add(node.name.value) });
  return visit(pruned, {
    VariableDefinition: (node) => (used.has(node.variable.name.value) ? undefined : null),
  });
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

/** The fields a selection set asks for, through fragments and inline fragments. */
function selectedFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT)
      return selectedFields(selection.selectionSet, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? selectedFields(fragment.selectionSet, fragments) : [];
  });
}

/** Puts each withheld field back where the client asked for it, with its error at that path. */
function answerWithheld(
  data: unknown,
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  withheld: Map<FieldNode, Withholding>,
  path: (string | number)[],
  errors: GraphQLFormattedError[],
): void {
  if (Array.isArray(data)) {
    data.forEach((item, i) =>
      answerWithheld(item, selectionSet, fragments, withheld, [...path, i], errors),
    );
    return;
  }
  if (data === null || typeof data !== 'object') return;
  const object = data as Record<string, unknown>;
  delete object[PLACEHOLDER];
  for (const field of selectedFields(selectionSet, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    const withholding = withheld.get(field);
    if (withholding) {
      const { denial, agencyCheck, custodian } = withholding;
      object[key] = agencyCheck ? withheldCheck(field, agencyCheck, denial, fragments) : null;
      errors.push({
        message: denial.message,
        path: [...path, key],
        extensions: { code: denial.code, rule: denial.rule, custodian },
      });
    } else if (field.selectionSet && object[key] !== undefined) {
      answerWithheld(object[key], field.selectionSet, fragments, withheld, [...path, key], errors);
    }
  }
}

/** A whole agency check the policies withheld: it says so, and why, and carries nothing else. */
function withheldCheck(
  field: FieldNode,
  check: { typeName: string; custodian: string },
  denial: PolicyDenial,
  fragments: Map<string, FragmentDefinitionNode>,
): Record<string, unknown> {
  const shown: Record<string, unknown> = {
    __typename: check.typeName,
    agency: check.custodian,
    status: CheckStatus.WITHHELD,
    reason: `${denial.code} (rule ${denial.rule}): ${denial.message}`,
  };
  const answer: Record<string, unknown> = {};
  for (const selected of selectedFields(field.selectionSet!, fragments)) {
    answer[selected.alias?.value ?? selected.name.value] = shown[selected.name.value] ?? null;
  }
  return answer;
}
