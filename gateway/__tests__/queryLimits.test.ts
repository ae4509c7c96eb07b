import { buildSchema, GraphQLError, parse } from 'graphql';
import {
  checkQueryLimits,
  DEFAULT_QUERY_LIMITS,
  QueryLimits,
  tokenLimitCode,
} from '../queryLimits';

const schema = buildSchema(`
  type Query { case(id: ID): Case }
  type Case { reference: String subjects: [Subject] }
  type Subject { givenName: String familyName: String incidents: [Incident] partner: Subject }
  type Incident { type: String summary: String }
`);

const limits = (overrides: Partial<QueryLimits>): QueryLimits => ({
  ...DEFAULT_QUERY_LIMITS,
  ...overrides,
});

/** The code and limit the check refuses with, or null when it lets the operation through. */
function refusal(query: string, within: Partial<QueryLimits>, variables = {}) {
  try {
    checkQueryLimits(schema, parse(query), limits(within), null, variables);
    return null;
  } catch (error) {
    const { code, limit } = (error as GraphQLError).extensions;
    return { code, limit };
  }
}

describe('cost: 1 per field, times 10 for each list above it, counted as execution merges', () => {
  // case (1) + reference (1) + subjects (1) + givenName (10) = 13
  const plain = '{ case { reference subjects { givenName } } }';

  it('is refused one over the limit, and not at it', () => {
    expect(refusal(plain, { cost: 13 })).toBeNull();
    expect(refusal(plain, { cost: 12 })).toEqual({ code: 'QUERY_TOO_COSTLY', limit: 12 });
  });

  it('counts a field asked twice, or a fragment spread twice, once', () => {
    const repeated =
      '{ case { reference reference subjects { givenName ...S ...S givenName } } } fragment S on Subject { givenName }';
    expect(refusal(repeated, { cost: 13 })).toBeNull();
  });

  it('counts aliases apart: each is a field execution runs', () => {
    const aliased = '{ case { reference subjects { a: givenName b: givenName } } }';
    expect(refusal(aliased, { cost: 23 })).toBeNull();
    expect(refusal(aliased, { cost: 22 })?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('weighs a list under a list a hundred times', () => {
    // 3 + incidents (10) + type (100)
    expect(
      refusal('{ case { reference subjects { incidents { type } } } }', { cost: 113 }),
    ).toBeNull();
    expect(
      refusal('{ case { reference subjects { incidents { type } } } }', { cost: 112 })?.code,
    ).toBe('QUERY_TOO_COSTLY');
  });

  it('leaves out what @skip removes', () => {
    const skipped =
      'query ($hide: Boolean!) { case { reference subjects @skip(if: $hide) { givenName } } }';
    expect(refusal(skipped, { cost: 2 }, { hide: true })).toBeNull();
    expect(refusal(skipped, { cost: 2 }, { hide: false })?.code).toBe('QUERY_TOO_COSTLY');
  });

  it('stops as soon as it passes the limit, however many fields the fragments multiply to', () => {
    // Each level asks for the next twice under two aliases: 2^30 fields from a short document.
    let query = '{ case { subjects { ...F0 } } }';
    for (let i = 0; i < 30; i++)
      query += ` fragment F${i} on Subject { a: partner { ...F${i + 1} } b: partner { ...F${i + 1} } }`;
    query += ' fragment F30 on Subject { givenName }';
    const started = Date.now();
    // (graphql-armor counts the aliases per spread too: 2^31 of them, without walking them.)
    expect(refusal(query, { aliases: Number.MAX_SAFE_INTEGER, depth: 100 })).toEqual({
      code: 'QUERY_TOO_COSTLY',
      limit: DEFAULT_QUERY_LIMITS.cost,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('leaves a variable that does not coerce to the policy step, which names its argument', () => {
    expect(
      refusal('query ($id: ID) { case(id: $id) { reference } }', { cost: 100 }, { id: {} }),
    ).toBeNull();
  });
});

describe('depth, aliases and directives, fragments included', () => {
  it('counts each field, inline fragment and fragment spread as a level', () => {
    const deep =
      '{ case { subjects { ... on Subject { ...S } } } } fragment S on Subject { givenName }';
    // case (1), subjects (2), the inline fragment (3), the spread (4), givenName in the fragment (5)
    expect(refusal(deep, { depth: 5 })).toBeNull();
    expect(refusal(deep, { depth: 4 })).toEqual({ code: 'QUERY_TOO_DEEP', limit: 4 });
  });

  it('counts aliases and directives inside fragments, each time they are spread', () => {
    const query =
      '{ case { subjects { ...S } again: subjects { ...S } } } fragment S on Subject { first: givenName @include(if: true) }';
    // `again` and `first` twice: 3 aliases; the directive twice.
    expect(refusal(query, { aliases: 3, directives: 2 })).toBeNull();
    expect(refusal(query, { aliases: 2 })).toEqual({ code: 'QUERY_TOO_MANY_ALIASES', limit: 2 });
    expect(refusal(query, { directives: 1 })).toEqual({
      code: 'QUERY_TOO_MANY_DIRECTIVES',
      limit: 1,
    });
  });
});

describe("graphql-js's token limit, named", () => {
  it('reads the limit from the parser message (graphql 16 says "more that")', () => {
    expect(() => parse(`{ ${'a '.repeat(20)}}`, { maxTokens: 10 })).toThrow(/10 tokens/);
    let message = '';
    try {
      parse(`{ ${'a '.repeat(20)}}`, { maxTokens: 10 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(tokenLimitCode(message)).toEqual({ code: 'QUERY_TOO_MANY_TOKENS', limit: 10 });
    expect(tokenLimitCode('Syntax Error: Expected Name, found <EOF>.')).toBeNull();
  });
});
