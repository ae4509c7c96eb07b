import { buildSchema, GraphQLError, graphqlSync } from 'graphql';
import { PolicyDenial, withoutStack } from '../../policies/policyDenial';
import { denialError, WithheldField } from '../denialError';

describe('denialError', () => {
  const denial = new PolicyDenial(
    'NEED_TO_KNOW',
    'tier-allowed-for-purpose',
    'Beyond need to know.',
    'Ask for X',
  );

  it('carries the code, the rule and the release, at its path', () => {
    const error = denialError(denial, ['caseByReference', 'subjects', 0, 'police']);
    expect(error.message).toBe('Beyond need to know.');
    expect(error.path).toEqual(['caseByReference', 'subjects', 0, 'police']);
    expect(error.extensions).toEqual({
      code: 'NEED_TO_KNOW',
      rule: 'tier-allowed-for-purpose',
      release: 'Ask for X',
    });
  });

  it('captures no stack (an expected answer, not a fault) and leaves the process limit as it was', () => {
    const before = Error.stackTraceLimit;
    const error = denialError(denial);
    expect(error.stack ?? '').not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('a fault').stack).toMatch(/\n\s+at /);
  });

  it('the denial itself captures no stack either, and a failing build restores the limit', () => {
    const before = Error.stackTraceLimit;
    expect(denial.stack ?? '').not.toMatch(/\n\s+at /);
    expect(denial.message).toBe('Beyond need to know.');
    expect(() =>
      withoutStack(() => {
        throw new Error('a build that fails');
      }),
    ).toThrow('a build that fails');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('a fault').stack).toMatch(/\n\s+at /);
  });

  it('a withheld field thrown by its getter comes out at its own path, with the denial and no stack', () => {
    const schema = buildSchema(
      'type Record { summary: String type: String } type Query { records: [Record] }',
    );
    const withheld = { type: 'DOMESTIC' };
    Object.defineProperty(withheld, 'summary', {
      get: () => {
        throw new WithheldField(denial, { custodian: 'police' });
      },
    });
    const before = Error.stackTraceLimit;
    const result = graphqlSync({
      schema,
      source: '{ records { type summary } }',
      rootValue: { records: [{ type: 'x', summary: 'shared' }, withheld] },
    });
    expect(Error.stackTraceLimit).toBe(before);
    expect(result.data).toEqual({
      records: [
        { type: 'x', summary: 'shared' },
        { type: 'DOMESTIC', summary: null },
      ],
    });
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('Beyond need to know.');
    expect(error.path).toEqual(['records', 1, 'summary']);
    expect(error.locations).toEqual([{ line: 1, column: 18 }]);
    expect(error.extensions).toEqual({
      code: 'NEED_TO_KNOW',
      rule: 'tier-allowed-for-purpose',
      release: 'Ask for X',
      custodian: 'police',
    });
    expect(error.stack ?? '').not.toMatch(/\n\s+at /);
  });
});
