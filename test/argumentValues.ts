import {
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';

/**
 * Values for the arguments of every operation of the API schema, read from the schema: one valid
 * value of each input type, and the wrong ones a client can send for it (wrong JSON type, out of
 * range, not a date, not an enum value, missing or unknown input fields, null for a required one).
 * Used by the bad-input test and the fuzz test: a new argument is tried without touching this file.
 */

/** Every field of Query and Mutation, with its root type's name. */
export function rootOperations(
  schema: GraphQLSchema,
): { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[] {
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const;
  return roots.flatMap(([kind, type]) =>
    type ? Object.values(type.getFields()).map((field) => ({ kind, field })) : [],
  );
}

const VALID_SCALARS: Record<string, unknown> = {
  String: 'Synthetic value',
  ID: '00000000-0000-4000-8000-000000000000',
  Int: 1,
  Float: 1.5,
  Boolean: true,
  DateTimeISO: '2026-01-05T09:00:00.000Z',
};

/** A value the type accepts (the first enum value, every required input field filled). */
export function validValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return validValue(type.ofType);
  if (isListType(type)) return [validValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0].value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields()))
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        value[field.name] = validValue(field.type);
    return value;
  }
  if (isScalarType(type) && type.name in VALID_SCALARS) return VALID_SCALARS[type.name];
  throw new Error(`No valid value known for the scalar ${type.toString()}: add one here.`);
}

/** A wrong value for a type, and what is wrong with it (named in a failing test). */
export interface WrongValue {
  what: string;
  value: unknown;
}

const WRONG_SCALARS: Record<string, WrongValue[]> = {
  String: [
    { what: 'a number', value: 12 },
    { what: 'an object', value: { nested: true } },
  ],
  ID: [
    { what: 'a boolean', value: true },
    { what: 'an object', value: { nested: true } },
  ],
  Int: [
    { what: 'a word', value: 'abc' },
    { what: 'a fraction', value: 1.5 },
    { what: 'beyond 32 bits', value: 2 ** 31 },
  ],
  Float: [{ what: 'a word', value: 'abc' }],
  Boolean: [
    { what: 'a word', value: 'yes' },
    { what: 'a number', value: 1 },
  ],
  DateTimeISO: [
    { what: 'a word', value: 'not a date' },
    { what: 'a plain date', value: '2026-11-01' },
    { what: 'a day that does not exist', value: '2026-02-30T00:00:00Z' },
    { what: 'a number', value: 12 },
  ],
};

/**
 * The wrong values for a type: its own (scalar, enum, input object) and, for a required one, null.
 * Inside an input object, each field's wrong values with the other fields valid.
 */
export function wrongValues(type: GraphQLInputType, depth = 0): WrongValue[] {
  const wrong: WrongValue[] = [];
  if (isNonNullType(type)) {
    wrong.push({ what: 'null for a required value', value: null });
    type = type.ofType;
  }
  if (isListType(type)) {
    wrong.push({ what: 'an object for a list', value: { nested: true } });
    return [
      ...wrong,
      ...wrongValues(type.ofType, depth + 1).map((w) => ({
        what: `a list item that is ${w.what}`,
        value: [w.value],
      })),
    ];
  }
  if (isEnumType(type))
    return [
      ...wrong,
      { what: 'a value not in the enum', value: 'NOT_A_VALUE' },
      { what: 'a number for an enum', value: 3 },
    ];
  if (isInputObjectType(type)) {
    wrong.push(
      { what: 'a string for an input object', value: 'text' },
      { what: 'an unknown input field', value: { ...(validValue(type) as object), noSuch: 1 } },
    );
    if (depth > 2) return wrong;
    for (const field of Object.values(type.getFields()))
      for (const inner of wrongValues(field.type, depth + 1))
        wrong.push({
          what: `${field.name}: ${inner.what}`,
          value: { ...(validValue(type) as object), [field.name]: inner.value },
        });
    return wrong;
  }
  return [...wrong, ...(WRONG_SCALARS[type.name] ?? [])];
}

/**
 * Values of the right type that a careless or hostile client sends: negative and extreme numbers,
 * empty, huge, unicode and SQL-looking strings, ids that are not ids, dates at the ends of time.
 * Not necessarily wrong (an empty filter may be fine), so the answer may be data or a 4xx, never a 5xx.
 */
export function oddValues(type: GraphQLInputType): unknown[] {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues().map((v) => v.value);
  const odd: Record<string, unknown[]> = {
    Int: [-1, 0, 2 ** 31 - 1, -(2 ** 31)],
    Float: [-1e308, 0, Number.MIN_VALUE],
    Boolean: [true, false],
    String: ['', ' ', 'x'.repeat(20_000), '𝔐𝔄𝔖𝔋 ‮ \u0000 ﷽', "'; DROP TABLE case; --", '%_\\'],
    ID: ['', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'x'.repeat(5000)],
    DateTimeISO: ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-03-29T01:30:00+01:00'],
  };
  return odd[named.name] ?? [];
}

/** A value written as a GraphQL literal for its type: enum values bare, strings quoted. */
export function literal(value: unknown, type: GraphQLInputType): string {
  const named = getNamedType(type);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, unwrapList(type))).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = isInputObjectType(named) ? named.getFields() : {};
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type ?? named)}`)
      .join(', ')} }`;
  }
  if (typeof value === 'string' && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value))
    return value;
  return JSON.stringify(value);
}

function unwrapList(type: GraphQLInputType): GraphQLInputType {
  const nullable = isNonNullType(type) ? type.ofType : type;
  return isListType(nullable) ? nullable.ofType : nullable;
}

/** The selection that makes a field's operation valid: `{ __typename }` for an object, nothing for a leaf. */
export function minimalSelection(type: GraphQLNamedType): string {
  return isLeafType(type) ? '' : '{ __typename }';
}

/**
 * An operation calling one root field with every required argument (and `argument`, when given)
 * as a variable of its own type, the others left out.
 */
export function operationWith(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
  argument: GraphQLArgument | null,
): { query: string; variables: Record<string, unknown> } {
  const used = field.args.filter(
    (a) => a === argument || (isNonNullType(a.type) && a.defaultValue === undefined),
  );
  const definitions = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return {
    query: `${kind}${definitions ? ` (${definitions})` : ''} { ${field.name}${args ? `(${args})` : ''} ${minimalSelection(getNamedType(field.type))} }`,
    variables: Object.fromEntries(used.map((a) => [a.name, validValue(a.type)])),
  };
}
