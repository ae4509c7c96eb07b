import { generateKeyPair } from 'jose';
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
