import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import fc from 'fast-check';
import {
  buildASTSchema,
  execute,
  getNamedType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLSchema,
  isAbstractType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  printSchema,
} from 'graphql';
import { SubgraphAnswerCheck } from '../subgraphAnswer';
import { AGENCIES } from '../../subgraphs/agencies';

/**
 * What an answer fitting the operation means, by definition: the operation executed again over the
 * answer's own data with the schema's types and no resolvers gives back the answer exactly (the
 * check's first implementation). The check walks the answer instead, at a tenth of the cost; these
 * tests hold the walk to this definition on every agency's schema and on answers built to break it.
 */
function fitsByExecution(sdl: string) {
  const schema = buildASTSchema(parse(printSchema(buildSubgraphSchema({ typeDefs: parse(sdl) }))));
  const represented = Symbol('represented');
  const entity = schema.getType('_Entity');
  if (isUnionType(entity))
    entity.resolveType = (value) => {
      const v = value as { __typename?: unknown; [represented]?: string };
      return typeof v.__typename === 'string' ? v.__typename : v[represented];
    };
  return (request: { query: string; variables?: Record<string, unknown> }, data: unknown) => {
    const representations = request.variables?.representations;
    const result = execute({
      schema,
      document: parse(request.query),
      variableValues: request.variables,
      rootValue: data,
      fieldResolver: (source, _args, _ctx, info) => {
        if (source === null || typeof source !== 'object') return undefined;
        const value = (source as Record<string, unknown>)[info.path.key as string];
        if (
          info.fieldName !== '_entities' ||
          !Array.isArray(value) ||
          !Array.isArray(representations)
        )
          return value;
        return value.map((e: unknown, i) =>
          e !== null && typeof e === 'object'
            ? { ...e, [represented]: (representations[i] as { __typename?: string })?.__typename }
            : e,
        );
      },
    }) as { errors?: unknown[]; data?: unknown };
    return !result.errors?.length && sameJson(result.data, data);
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  return (
    ak.length === Object.keys(b).length &&
    ak.every(
      (k) => Object.hasOwn(bRecord, k) && sameJson((a as Record<string, unknown>)[k], bRecord[k]),
    )
  );
}

const SDL = `
  scalar DateTime
  enum Status { FOUND NONE_FOUND WITHHELD }
  interface Event { at: DateTime! kind: String! }
  type Incident implements Event { at: DateTime! kind: String! grade: Int }
  type Visit implements Event { at: DateTime! kind: String! minutes: Float! seen: Boolean }
  union Finding = Incident | Visit
  type Check { status: Status! score: Float count: Int! ids: [ID!]! events: [Event!] findings: [Finding] }
  type Subject @key(fields: "id") { id: ID! name: String check: Check }
  type Query { subject(id: ID!): Subject }
`;

const ENTITIES = `query Q($representations: [_Any!]!, $withEvents: Boolean!) {
  _entities(representations: $representations) {
    ... on Subject {
      name
      c: check { status count ids score
        events @include(if: $withEvents) { __typename at ...Kind ... on Incident { grade } ... on Visit { minutes seen } }
        findings { ... on Incident { __typename grade kind } ... on Visit { __typename minutes } }
      }
    }
  }
}
fragment Kind on Event { kind }`;

const subjects = (n: number) =>
  Array.from({ length: n }, (_v, i) => ({ __typename: 'Subject', id: `s${i}` }));

describe('SubgraphAnswerCheck, case by case', () => {
  const check = new SubgraphAnswerCheck(SDL);
  const request = (withEvents = true) => ({
    query: ENTITIES,
    variables: { representations: subjects(1), withEvents },
  });
  const answer = () => ({
    _entities: [
      {
        name: 'Synthetic Person',
        c: {
          status: 'FOUND',
          count: 2,
          ids: ['a', 'b'],
          score: 0.5,
          events: [
            { __typename: 'Incident', at: '2026-01-01', kind: 'x', grade: 3 },
            { __typename: 'Visit', at: '2026-01-02', kind: 'y', minutes: 1.5, seen: null },
          ],
          findings: [
            null,
            { __typename: 'Visit', minutes: 2 },
            { __typename: 'Incident', grade: null, kind: 'z' },
          ],
        },
      },
    ],
  });
  const problem = (data: unknown, withEvents = true) =>
    check.problem(request(withEvents), { data } as never);

  it('a whole, exact answer fits', () => {
    expect(problem(answer())).toBeNull();
    expect(fitsByExecution(SDL)(request(), answer())).toBe(true);
  });

  const broken: [string, (a: ReturnType<typeof answer>) => unknown, RegExp][] = [
    [
      'a number where the schema says String',
      (a) => ((a._entities[0].name as unknown) = 42),
      /_entities\.0\.name/,
    ],
    [
      'a string where the schema says Int',
      (a) => ((a._entities[0].c.count as unknown) = '2'),
      /c\.count/,
    ],
    ['a fraction where the schema says Int', (a) => (a._entities[0].c.count = 2.5), /c\.count/],
    ['an Int beyond 32 bits', (a) => (a._entities[0].c.count = 2 ** 31), /c\.count/],
    [
      'true where the schema says Int',
      (a) => ((a._entities[0].c.count as unknown) = true),
      /c\.count/,
    ],
    [
      'a number where the schema says ID',
      (a) => ((a._entities[0].c.ids as unknown) = [1]),
      /ids\.0/,
    ],
    ['a value outside the enum', (a) => (a._entities[0].c.status = 'MAYBE'), /c\.status/],
    ['null in a non-null field', (a) => ((a._entities[0].c.status as unknown) = null), /c\.status/],
    [
      'null in a non-null list item',
      (a) => ((a._entities[0].c.ids as unknown) = ['a', null]),
      /ids\.1/,
    ],
    [
      'an object where a list belongs',
      (a) => ((a._entities[0].c.ids as unknown) = { 0: 'a' }),
      /c\.ids/,
    ],
    [
      'a list where an object belongs',
      (a) => ((a._entities[0].c as unknown) = [a._entities[0].c]),
      /shape/,
    ],
    ['a string where an object belongs', (a) => ((a._entities[0].c as unknown) = 'FOUND'), /shape/],
    [
      'a field nobody asked for',
      (a) => ((a._entities[0].c as Record<string, unknown>).notes = 'x'),
      /shape/,
    ],
    [
      'a field under its name instead of its alias',
      (a) => {
        const e = a._entities[0] as Record<string, unknown>;
        e.check = e.c;
        delete e.c;
      },
      /shape/,
    ],
    [
      'a missing nullable field',
      (a) => delete (a._entities[0].c as Partial<(typeof a._entities)[0]['c']>).score,
      /shape/,
    ],
    [
      'a field of the other member of an interface',
      (a) => ((a._entities[0].c.events[0] as Record<string, unknown>).minutes = 1),
      /shape/,
    ],
    [
      'an interface member with no __typename',
      (a) => delete (a._entities[0].c.events[0] as { __typename?: string }).__typename,
      /events\.0/,
    ],
    [
      'a __typename not of the interface',
      (a) => (a._entities[0].c.events[0].__typename = 'Check'),
      /events\.0/,
    ],
    [
      'a __typename that names no type',
      (a) => (a._entities[0].c.events[0].__typename = 'Nothing'),
      /events\.0/,
    ],
    [
      'a __typename that is not the member it answers as',
      (a) => (a._entities[1 - 1].c.findings[1]!.__typename = 'Incident'),
      /./,
    ],
    [
      'an entity of the wrong type',
      (a) => ((a._entities[0] as Record<string, unknown>).__typename = 'Check'),
      /_entities\.0/,
    ],
    ['a missing root field', (a) => delete (a as Partial<typeof a>)._entities, /shape/],
    ['an extra root field', (a) => ((a as Record<string, unknown>).other = 1), /shape/],
  ];
  it.each(broken)('%s does not fit, and says where', (_name, breakIt, where) => {
    const data = answer();
    breakIt(data);
    const found = problem(data);
    expect(found).toMatch(where);
    expect(fitsByExecution(SDL)(request(), data)).toBe(false);
  });

  it('@include(if: false) leaves the field out of what fits', () => {
    const data = answer();
    delete (data._entities[0].c as Partial<(typeof data._entities)[0]['c']>).events;
    expect(problem(data, false)).toBeNull();
    expect(problem(data, true)).toMatch(/shape/);
    expect(problem(answer(), false)).toMatch(/shape/);
  });

  it('errors beside data, and data null with errors, are answers; neither is not', () => {
    expect(
      check.problem(request(), { data: null, errors: [{ message: 'x' }] } as never),
    ).toBeNull();
    expect(check.problem(request(), {} as never)).toMatch(/neither data nor errors/);
    expect(check.problem(request(), { data: answer(), errors: ['x'] } as never)).toMatch(/errors/);
    expect(check.problem(request(), { data: [answer()] } as never)).toMatch(/not an object/);
  });

  it('an operation it cannot read, or variables that do not fit it, is not answered', () => {
    const data = answer();
    expect(check.problem({ query: '{ nonsense', variables: {} }, { data } as never)).toMatch(
      /does not answer/,
    );
    expect(
      check.problem({ query: ENTITIES, variables: { representations: subjects(1) } }, {
        data,
      } as never),
    ).toMatch(/does not answer/);
    expect(check.problem({ ...request(), operationName: 'Other' }, { data } as never)).toMatch(
      /does not answer/,
    );
  });
});

/** A seeded source of choices, so a failing case can be replayed from fast-check's seed. */
function chooser(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { chance: (p: number) => next() < p, int: (n: number) => Math.floor(next() * n), next };
}
type Choose = ReturnType<typeof chooser>;

/** Every field of a type to a depth, as a selection set (fields with required arguments left out). */
function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isLeafType(type)) return '';
  if (isAbstractType(type)) {
    const members = schema.getPossibleTypes(type);
    return `{ __typename ${members.map((m) => `... on ${m.name} ${selectionOf(schema, m, depth)}`).join(' ')} }`;
  }
  if (!isObjectType(type) || depth === 0) return '{ __typename }';
  const fields = Object.values(type.getFields()).filter(
    (f) => !f.args.some((a) => isNonNullType(a.type)),
  );
  return `{ ${fields
    .map(
      (f, i) =>
        `${i % 3 === 1 ? `a${i}: ` : ''}${f.name} ${selectionOf(schema, getNamedType(f.type), depth - 1)}`,
    )
    .join(' ')} }`;
}

/** A value that fits the type and the selection (as the subgraph would answer it). */
function validValue(type: GraphQLOutputType, choose: Choose, nullable = true): unknown {
  if (isNonNullType(type)) return validValue(type.ofType, choose, false);
  if (nullable && choose.chance(0.15)) return null;
  if (isListType(type))
    return Array.from({ length: choose.int(3) }, () => validValue(type.ofType, choose));
  if (isEnumType(type)) {
    const values = type.getValues();
    return values[choose.int(values.length)].name;
  }
  if (isLeafType(type)) {
    switch (type.name) {
      case 'Int':
        return choose.int(1000) - 500;
      case 'Float':
        return choose.next() * 100;
      case 'Boolean':
        return choose.chance(0.5);
      default:
        return `t${choose.int(100)}`;
    }
  }
  return { [OBJECT]: type };
}
const OBJECT = Symbol('object of type');

/** Answers built to fit `query`, then broken in one random place (or left whole). */
function answerFor(
  schema: GraphQLSchema,
  query: string,
  variables: Record<string, unknown>,
  choose: Choose,
) {
  // Build the fitting answer by executing with resolvers that invent values of each field's type.
  const represented = Symbol('r');
  const entity = schema.getType('_Entity');
  if (isUnionType(entity))
    entity.resolveType = (v) => (v as { [represented]: string })[represented];
  const result = execute({
    schema,
    document: parse(query),
    variableValues: variables,
    rootValue: {},
    fieldResolver: (_source, _args, _ctx, info) => {
      if (info.fieldName === '_entities')
        return (variables.representations as { __typename: string }[]).map((r) =>
          choose.chance(0.1) ? null : { [represented]: r.__typename },
        );
      const value = validValue(info.returnType, choose);
      return value && typeof value === 'object' && OBJECT in value ? {} : value;
    },
    typeResolver: (_v, _c, _i, abstract) => {
      const members = schema.getPossibleTypes(abstract);
      return members[choose.int(members.length)].name;
    },
  }) as { data?: Record<string, unknown> | null };
  const data = JSON.parse(JSON.stringify(result.data ?? {})) as Record<string, unknown>;
  if (choose.chance(0.25)) return data;
  // Break it somewhere: a value of another kind, a key gone, a key added.
  const places: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    const holder = v as Record<string, unknown>;
    for (const k of Object.keys(holder)) {
      places.push([holder, Array.isArray(v) ? Number(k) : k]);
      walk(holder[k]);
    }
  };
  walk(data);
  if (places.length === 0) return data;
  const [holder, key] = places[choose.int(places.length)];
  const others = [
    null,
    7,
    2.5,
    2 ** 40,
    '7',
    'FOUND',
    true,
    [],
    {},
    ['x'],
    { __typename: 'Subject' },
  ];
  const how = choose.int(4);
  if (how === 0 && !Array.isArray(holder)) delete holder[key as string];
  else if (how === 1 && !Array.isArray(holder)) holder[`extra${choose.int(3)}`] = 'x';
  else (holder as Record<string | number, unknown>)[key] = others[choose.int(others.length)];
  return data;
}

describe('SubgraphAnswerCheck says what executing the operation again says', () => {
  const schemas: [string, string, GraphQLSchema, string][] = [];
  beforeAll(async () => {
    for (const agency of AGENCIES) {
      const { sdl } = await agency.buildSchema();
      const schema = buildASTSchema(
        parse(printSchema(buildSubgraphSchema({ typeDefs: parse(sdl) }))),
      );
      const subject = schema.getType('Subject') as GraphQLObjectType;
      const query = `query Check($representations: [_Any!]!) { _entities(representations: $representations) { ... on Subject ${selectionOf(
        schema,
        subject,
        4,
      )} } }`;
      schemas.push([agency.name, sdl, schema, query]);
    }
    schemas.push([
      'hand-written',
      SDL,
      buildASTSchema(parse(printSchema(buildSubgraphSchema({ typeDefs: parse(SDL) })))),
      ENTITIES,
    ]);
  });

  it("on every agency's whole check, for fitting and broken answers alike", () => {
    let fitting = 0;
    let broken = 0;
    for (const [name, sdl, schema, query] of schemas) {
      const check = new SubgraphAnswerCheck(sdl);
      const oracle = fitsByExecution(sdl);
      fc.assert(
        fc.property(
          fc.integer(),
          fc.integer({ min: 0, max: 6 }),
          fc.boolean(),
          (seed, n, withEvents) => {
            const variables = { representations: subjects(n), withEvents };
            const data = answerFor(schema, query, variables, chooser(seed));
            const expected = oracle({ query, variables }, data);
            const said = check.problem({ query, variables }, { data } as never);
            if (expected) fitting++;
            else broken++;
            if ((said === null) !== expected)
              throw new Error(
                `${name}: the walk says ${said ?? 'it fits'}, execution says ${expected}: ${JSON.stringify(data)}`,
              );
          },
        ),
        { numRuns: 150 },
      );
    }
    // Both kinds of answer were tried, in numbers: a generator that only made one would prove nothing.
    expect(fitting).toBeGreaterThan(300);
    expect(broken).toBeGreaterThan(600);
  });
});
