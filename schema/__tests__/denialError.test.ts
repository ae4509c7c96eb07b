import { buildSchema, graphql, GraphQLError, graphqlSync } from 'graphql';
// The module graphql-js's execution calls through, so a spy sees each error it places.
import * as locating from 'graphql/error/locatedError';
import { PolicyDenial, withoutStack } from '../../policies/policyDenial';
import { denialError, locateWithheldFields, WithheldField } from '../denialError';

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

  describe('locateWithheldFields', () => {
    const withheldRecord = () => {
      const record = { type: 'DOMESTIC' };
      Object.defineProperty(record, 'summary', {
        get: () => {
          throw new WithheldField(denial, { custodian: 'police' });
        },
      });
      return record;
    };
    const schema = () =>
      locateWithheldFields(
        buildSchema(`type Record { summary: String type: String }
          type Query { records: [Record] later: Record fault: String }`),
      );
    let spy: jest.SpyInstance;
    beforeEach(() => {
      spy = jest.spyOn(locating, 'locatedError');
    });
    afterEach(() => spy.mockRestore());

    it('hands graphql-js every withheld field already located, so it builds (and stacks) no error of its own', async () => {
      const result = await graphql({
        schema: schema(),
        source: '{ records { type s: summary } later { summary } }',
        rootValue: {
          records: [{ type: 'x', summary: 'shared' }, withheldRecord()],
          later: async () => Promise.reject(new WithheldField(denial)),
        },
      });
      expect(result.data).toEqual({
        records: [
          { type: 'x', s: 'shared' },
          { type: 'DOMESTIC', s: null },
        ],
        later: null,
      });
      // Both withheld fields, the sync getter and the rejected promise, reached graphql-js located.
      expect(spy).toHaveBeenCalledTimes(2);
      for (const [error, , path] of spy.mock.calls) {
        expect(error).toBeInstanceOf(GraphQLError);
        expect((error as GraphQLError).path).toEqual(path);
      }
      const byPath = new Map(result.errors!.map((e) => [e.path!.join('.'), e]));
      expect([...byPath.keys()].sort()).toEqual(['later', 'records.1.s']);
      const field = byPath.get('records.1.s')!;
      expect(field.message).toBe('Beyond need to know.');
      expect(field.locations).toEqual([{ line: 1, column: 18 }]);
      expect(field.extensions).toEqual({
        code: 'NEED_TO_KNOW',
        rule: 'tier-allowed-for-purpose',
        release: 'Ask for X',
        custodian: 'police',
      });
      expect(field.originalError).toBeInstanceOf(WithheldField);
      expect(byPath.get('later')!.extensions.code).toBe('NEED_TO_KNOW');
      for (const error of result.errors!) expect(error.stack ?? '').not.toMatch(/\n\s+at /);
    });

    it('leaves any other error as it was: a fault keeps its stack and is located by graphql-js', () => {
      const result = graphqlSync({
        schema: schema(),
        source: '{ fault }',
        rootValue: {
          fault: () => {
            throw new Error('a fault');
          },
        },
      });
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].path).toEqual(['fault']);
      expect(result.errors![0].extensions).toEqual({});
      expect(result.errors![0].stack).toMatch(/\n\s+at /);
      expect(spy.mock.calls[0][0]).toBeInstanceOf(Error);
      expect(spy.mock.calls[0][0]).not.toBeInstanceOf(GraphQLError);
    });
  });
});
