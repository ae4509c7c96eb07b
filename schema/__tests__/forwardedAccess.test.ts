import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { decodeJwt, generateKeyPair } from 'jose';
import type { AccessContext } from '../../policies/accessContext';
import { ConsentState } from '../../policies/consent';
import { Purpose, Role } from '../../policies/roles';
import {
  operationDigest,
  SeenAccessContexts,
  signForwardedAccess,
  verifyForwardedAccess,
} from '../forwardedAccess';

describe('operationDigest: one operation, one digest, on both sides', () => {
  const query = 'query Q($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
  const variables = { r: [{ __typename: 'Subject', givenName: 'Ada', dateOfBirth: '2015-02-01' }] };

  it('does not depend on the order a serialiser writes keys in, at any depth', () => {
    const reordered = {
      r: [{ dateOfBirth: '2015-02-01', givenName: 'Ada', __typename: 'Subject' }],
    };
    expect(operationDigest({ query, variables: reordered, operationName: 'Q' })).toBe(
      operationDigest({ query, variables, operationName: 'Q' }),
    );
  });

  it('hashes what is sent: absent, null and undefined mean the same as on the wire', () => {
    const plain = operationDigest({ query });
    expect(operationDigest({ query, variables: {}, operationName: null })).toBe(plain);
    expect(operationDigest({ query, variables: null, operationName: undefined })).toBe(plain);
    expect(
      operationDigest({ query, variables: { ...variables, extra: undefined }, operationName: 'Q' }),
    ).toBe(operationDigest(JSON.parse(JSON.stringify({ query, variables, operationName: 'Q' }))));
  });

  it.each([
    ['the text', { query: query.replace('__typename }', '__typename police { status } }') }],
    ['a variable', { variables: { r: [{ ...variables.r[0], givenName: 'Eve' }] } }],
    ['an array order', { variables: { r: [{}, variables.r[0]] } }],
    ['the operation name', { operationName: 'Other' }],
    ['a string made to look like the separator', { query: `${query}","x` }],
  ])('changes with %s', (_what, change) => {
    const original = { query, variables, operationName: 'Q' };
    expect(operationDigest({ ...original, ...change })).not.toBe(operationDigest(original));
  });
});

describe('operationDigest: the canonical form', () => {
  // The definition it had before it was made one pass: through JSON and back, keys sorted at
  // every depth. A digest must not change with how it is computed.
  const sortedKeys = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sortedKeys);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  };
  const byDefinition = (query: string, variables: unknown, operationName: string | null) =>
    createHash('sha256')
      .update(
        JSON.stringify(
          sortedKeys(JSON.parse(JSON.stringify([query, variables ?? {}, operationName]))),
        ),
      )
      .digest('base64url');

  it('is the SHA-256 of the sorted JSON of what is sent, whatever the variables hold', () => {
    // Values JSON rewrites or drops on the wire, keys that look like array indexes, nesting.
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.constant(undefined),
        fc.date({ noInvalidDate: true }),
        fc.constant(Number.NaN),
      ),
      node: fc.oneof(
        { depthSize: 'small' },
        tie('leaf'),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(
          fc.oneof(fc.string(), fc.constantFrom('1', '10', '__typename')),
          tie('node'),
          {
            maxKeys: 4,
          },
        ),
      ),
    })).node;
    fc.assert(
      fc.property(
        fc.string(),
        fc.option(fc.dictionary(fc.string(), value, { maxKeys: 4 })),
        fc.option(fc.string()),
        (query, variables, operationName) => {
          expect(operationDigest({ query, variables, operationName })).toBe(
            byDefinition(query, variables, operationName),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('signForwardedAccess: the context signed is the one given', () => {
  const access = (caseReference: string, status: 'OPEN' | 'CLOSED'): AccessContext => ({
    caller: { userId: 'manager.1', role: Role.MASH_MANAGER, agency: null, team: 'Team A' },
    purpose: Purpose.AGENCY_CHECK,
    declaredCase: caseReference,
    case: {
      id: `id-${caseReference}`,
      reference: caseReference,
      externalReference: null,
      externalSystem: null,
      status,
      teams: ['Team A'],
      consent: ConsentState.GIVEN,
      grounds: [],
      threshold: null,
      decision: null,
    },
  });

  it('for each request, however many fetches the one before it signed', async () => {
    const keys = await generateKeyPair('ES256');
    const sign = (a: AccessContext, subgraph: string) =>
      signForwardedAccess({ kind: 'request', access: a }, keys.privateKey, {
        subgraph,
        operation: { query: '{ __typename }' },
        requestId: 'r',
      });
    const first = access('MASH-1', 'OPEN');
    // An equal-looking context of another request: its own case and status, not the first's.
    const second = access('MASH-1', 'CLOSED');
    const claimOf = async (a: AccessContext, subgraph: string) =>
      (decodeJwt(await sign(a, subgraph)).forwarded as { access: AccessContext }).access;
    expect((await claimOf(first, 'police')).case?.status).toBe('OPEN');
    expect((await claimOf(first, 'health')).case?.status).toBe('OPEN');
    expect((await claimOf(second, 'police')).case?.status).toBe('CLOSED');
    expect(await claimOf(access('MASH-2', 'OPEN'), 'police')).toEqual(
      JSON.parse(JSON.stringify(access('MASH-2', 'OPEN'))),
    );
    expect(await sign(first, 'police')).not.toBe(await sign(first, 'police'));
  });
});

describe('SeenAccessContexts: each context answered once', () => {
  it('refuses an id the second time, until its context has expired anyway', () => {
    let now = 1_000;
    const seen = new SeenAccessContexts(10, () => now);
    expect(seen.firstUse('a', 16_000)).toBe(true);
    expect(seen.firstUse('a', 16_000)).toBe(false);
    now = 15_999;
    expect(seen.firstUse('a', 16_000)).toBe(false);
  });

  it('stays within its bound by forgetting only expired ids, and refuses when full of live ones', () => {
    let now = 0;
    const seen = new SeenAccessContexts(3, () => now);
    for (const id of ['a', 'b', 'c']) expect(seen.firstUse(id, 10_000)).toBe(true);
    // Full of live ids: forgetting one would let it be replayed, so the newcomer is refused.
    expect(seen.firstUse('d', 20_000)).toBe(false);
    expect(seen.size).toBe(3);
    now = 10_000;
    expect(seen.firstUse('d', 20_000)).toBe(true);
    expect(seen.size).toBe(1);
  });
});

describe('verifyForwardedAccess', () => {
  it('uses up a context only when it would be answered', async () => {
    const keys = await generateKeyPair('ES256');
    const operation = { query: '{ __typename }' };
    const token = await signForwardedAccess({ kind: 'gateway' }, keys.privateKey, {
      subgraph: 'mash',
      operation,
      requestId: 'r-1',
    });
    const seen = new SeenAccessContexts();
    const at = (subgraph: string, body: unknown) =>
      verifyForwardedAccess(token, keys.publicKey, { subgraph, method: 'POST', body }, seen);
    await expect(at('police', operation)).rejects.toThrow(/another service/);
    await expect(at('mash', { query: '{ caseAccessFacts }' })).rejects.toThrow(/does not cover/);
    await expect(at('mash', [operation])).rejects.toThrow(/one operation per request/);
    expect(seen.size).toBe(0);
    await expect(at('mash', operation)).resolves.toEqual({
      forwarded: { kind: 'gateway' },
      requestId: 'r-1',
    });
    await expect(at('mash', operation)).rejects.toThrow(/already been used/);
  });
});
