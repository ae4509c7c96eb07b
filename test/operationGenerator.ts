import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isLeafType,
  isObjectType,
} from 'graphql';

/**
 * Operations for the differential leak test, built from the gateway's own API schema rather than
 * written by hand: every field reachable from `caseByReference`/`case` (the case, its referral,
 * consent, triage, checks, decision, every subject and every agency check with its records), in the
 * shapes a client can choose — plain, aliased (with response keys that name *other* fields),
 * named fragments, inline fragments on the `AgencyCheck` interface and on concrete types,
 * variables with defaults and explicit values, `@include`/`@skip`, an explicit null, and fields
 * selected twice to be merged. A new field in the schema is asked for without touching this file.
 */

/** The gateway's client-facing schema, as it plans queries: the supergraph's API schema. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

/** One field of the tree below a case: its name, its named type and, for objects, its fields. */
export interface FieldTree {
  name: string;
  type: GraphQLNamedType;
  /** The object type's fields; null for a leaf. */
  children: FieldTree[] | null;
}

/**
 * The chronology's shapes (`subgraphs/mash/chronologyResolver.ts`): their events are decided one by
 * one by each agency, not field by field, so the oracle's field tiers cannot judge them; they are
 * left out here and tested on their own (`test/chronology.test.ts`, the agencies' answers inspected
 * on the wire).
 */
const DECIDED_PER_EVENT = new Set([
  'ChronologyConnection',
  'ChronologyChanges',
  'CumulativePicture',
]);

/** Every field of `typeName` and below, once per path; fields that take arguments are left out. */
export function fieldTree(
  schema: GraphQLSchema,
  typeName: string,
  seen: string[] = [],
): FieldTree[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
  return Object.values(type.getFields())
    .filter((field) => field.args.every((a) => !isRequired(a.type.toString())))
    .filter((field) => !DECIDED_PER_EVENT.has(getNamedType(field.type).name))
    .flatMap((field): FieldTree[] => {
      const named = getNamedType(field.type);
      if (isLeafType(named)) return [{ name: field.name, type: named, children: null }];
      // No cycles below a case today; a cycle would be cut here rather than loop.
      if (!isObjectType(named) || seen.includes(named.name)) return [];
      return [
        {
          name: field.name,
          type: named,
          children: fieldTree(schema, named.name, [...seen, typeName]),
        },
      ];
    });
}

function isRequired(typeText: string): boolean {
  return typeText.endsWith('!');
}

export interface GeneratedOperation {
  /** The shape, named in failure messages. */
  shape: string;
  query: string;
  variables: Record<string, unknown>;
  /** The root field's argument the operation names the case by: the reference or the id. */
  namesCaseBy: 'reference' | 'id';
}

/** The interface every agency check implements, whose fields a client may ask through it. */
const CHECK_INTERFACE = 'AgencyCheck';

function interfaceFieldNames(schema: GraphQLSchema, type: GraphQLNamedType): Set<string> {
  if (!isObjectType(type)) return new Set();
  const check = type.getInterfaces().find((i) => i.name === CHECK_INTERFACE);
  return new Set(check ? Object.keys(check.getFields()) : []);
}

function isAgencyCheck(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === CHECK_INTERFACE);
}

/** The subject's key and the demographics every agency `@requires`. */

/** Plain selection of a whole tree. */
function plain(tree: FieldTree[]): string {
  return tree.map((f) => (f.children ? `${f.name} { ${plain(f.children)} }` : f.name)).join(' ');
}

/**
 * Every field aliased, each leaf under a key made of its next sibling's name (`postcodeKey:
 * givenName`): a check that reads response keys instead of walking the operation gets every one
 * of them wrong. (An alias that is itself another field's name is refused by the gateway: see the
 * last describe of differentialLeak.test.ts.)
 */
function aliased(tree: FieldTree[]): string {
  const leaves = tree.filter((f) => !f.children).map((f) => f.name);
  return tree
    .map((f) => {
      if (f.children) return `${f.name}_as: ${f.name} { ${aliased(f.children)} }`;
      const next = leaves[(leaves.indexOf(f.name) + 1) % leaves.length];
      return `${next}Key: ${f.name}`;
    })
    .join(' ');
}

/** A named fragment per object type, each spreading the next type's fragment. */
function namedFragments(
  tree: FieldTree[],
  typeName: string,
  fragments: Map<string, string>,
): string {
  const name = `${typeName}Fields`;
  if (!fragments.has(name)) {
    fragments.set(name, ''); // reserve: the same type below another parent reuses the fragment
    const body = tree
      .map((f) =>
        f.children
          ? `${f.name} { ...${namedFragments(f.children, f.type.name, fragments)} }`
          : f.name,
      )
      .join(' ');
    fragments.set(name, `fragment ${name} on ${typeName} { ${body} }`);
  }
  return name;
}

/**
 * Inline fragments: the check's shared fields through `... on AgencyCheck`, its own through
 * `... on <ConcreteType>`, the subject's through `... on Subject`.
 */
function inlineFragments(schema: GraphQLSchema, tree: FieldTree[], type: GraphQLNamedType): string {
  const select = (fields: FieldTree[]) =>
    fields
      .map((f) =>
        f.children ? `${f.name} { ${inlineFragments(schema, f.children, f.type)} }` : f.name,
      )
      .join(' ');
  if (isAgencyCheck(type)) {
    const shared = interfaceFieldNames(schema, type);
    const own = tree.filter((f) => !shared.has(f.name));
    return `__typename ... on ${CHECK_INTERFACE} { ${select(tree.filter((f) => shared.has(f.name)))} } ... on ${type.name} { ${select(own)} }`;
  }
  return `... on ${type.name} { ${select(tree)} }`;
}

/**
 * Agency records and checks behind `@include(if: $records)`, addresses behind
 * `@skip(if: $hideAddress)`, both variables with defaults (true / false).
 */
function withDirectives(tree: FieldTree[]): string {
  return tree
    .map((f) => {
      if (!f.children) {
        return f.name === 'addressLine' || f.name === 'postcode'
          ? `${f.name} @skip(if: $hideAddress)`
          : f.name;
      }
      const inner = withDirectives(f.children);
      return isAgencyCheck(f.type) || f.type.name.endsWith('Record') || f.name === 'contacts'
        ? `${f.name} @include(if: $records) { ${inner} }`
        : `${f.name} { ${inner} }`;
    })
    .join(' ');
}

/**
 * The same fields asked twice and merged by execution: a level's leaves split between the field
 * and an inline fragment on its own type, the first leaf asked again, and every object field asked
 * once for `__typename` and once for its fields.
 */
function duplicatedAt(tree: FieldTree[], type: GraphQLNamedType): string {
  const leaves = tree.filter((f) => !f.children);
  const objects = tree.filter((f) => f.children);
  const half = Math.ceil(leaves.length / 2);
  const first = [...leaves.slice(0, half), ...leaves.slice(0, 1)].map((f) => f.name).join(' ');
  const second = leaves
    .slice(half)
    .map((f) => f.name)
    .join(' ');
  const nested = objects
    .map((f) => `${f.name} { __typename } ${f.name} { ${duplicatedAt(f.children!, f.type)} }`)
    .join(' ');
  return `${first} ${nested}${second ? ` ... on ${type.name} { ${second} }` : ''}`;
}

/**
 * The operations for one case, in every shape. `reference` and `id` name the case; the reference
 * is also baked into defaults, so a shape that sends no variables still names it.
 */
export function operationsFor(
  schema: GraphQLSchema,
  reference: string,
  id: string,
): GeneratedOperation[] {
  const tree = fieldTree(schema, 'Case');
  const caseType = schema.getType('Case') as GraphQLObjectType;
  const fragments = new Map<string, string>();
  const root = namedFragments(tree, 'Case', fragments);
  const directiveQuery = `query Directives($ref: String! = ${JSON.stringify(reference)}, $records: Boolean = true, $hideAddress: Boolean = false) { caseByReference(reference: $ref) { ${withDirectives(tree)} } }`;
  const literal = JSON.stringify(reference);
  return [
    {
      shape: 'plain',
      query: `query Plain($ref: String!) { caseByReference(reference: $ref) { ${plain(tree)} } }`,
      variables: { ref: reference },
      namesCaseBy: 'reference',
    },
    {
      shape: 'aliased',
      query: `query Aliased($ref: String!) { theCase: caseByReference(reference: $ref) { ${aliased(tree)} } }`,
      variables: { ref: reference },
      namesCaseBy: 'reference',
    },
    {
      shape: 'named fragments',
      query: `query Fragments($ref: String!) { caseByReference(reference: $ref) { ...${root} } } ${[...fragments.values()].join(' ')}`,
      variables: { ref: reference },
      namesCaseBy: 'reference',
    },
    {
      shape: 'inline fragments (interface and concrete)',
      query: `query Inline($ref: String!) { caseByReference(reference: $ref) { ${inlineFragments(schema, tree, caseType)} } }`,
      variables: { ref: reference },
      namesCaseBy: 'reference',
    },
    {
      shape: 'variables: defaults used',
      query: directiveQuery,
      variables: {},
      namesCaseBy: 'reference',
    },
    {
      shape: 'variables: explicit values',
      query: directiveQuery,
      variables: { ref: reference, records: true, hideAddress: false },
      namesCaseBy: 'reference',
    },
    {
      shape: 'variables: records skipped, addresses included by default',
      query: directiveQuery,
      variables: { records: false },
      namesCaseBy: 'reference',
    },
    {
      shape: 'variables: explicit null for a defaulted directive variable',
      query: directiveQuery,
      variables: { ref: reference, records: null },
      namesCaseBy: 'reference',
    },
    {
      shape: 'duplicated fields merged',
      query: `query Duplicated { caseByReference(reference: ${literal}) { ${duplicatedAt(tree, caseType)} } caseByReference(reference: ${literal}) { subjects { id } } }`,
      variables: {},
      namesCaseBy: 'reference',
    },
    {
      shape: 'case by id, literal',
      query: `{ case(id: ${JSON.stringify(id)}) { ${plain(tree)} } }`,
      variables: {},
      namesCaseBy: 'id',
    },
  ];
}

/** The subset a request with a purpose its role may not use gets: enough to see nothing leaks. */
// The whole tree, plainly: a request refused as a whole must return none of it. (Not a variables
// shape: a 500 there would return no data and hide a leak behind the error.)
export const SHAPES_FOR_REFUSED_REQUESTS = ['plain'];
