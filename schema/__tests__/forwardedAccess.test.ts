import fc from 'fast-check';
import { createHash, createHmac, sign as nodeSign } from 'node:crypto';
import { decodeJwt, exportSPKI, generateKeyPair, jwtVerify, SignJWT } from 'jose';
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
    // JSON.parse makes `__proto__` an own key, which execution sees: the digest must see it too.
    [
      'a variable named __proto__, as a JSON body makes it',
      { variables: JSON.parse(`{"r":${JSON.stringify(variables.r)},"__proto__":{"x":1}}`) },
    ],
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
          fc.oneof(fc.string(), fc.constantFrom('1', '10', '__typename', '__proto__')),
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
        fc.option(
          fc.dictionary(fc.oneof(fc.string(), fc.constant('__proto__')), value, { maxKeys: 4 }),
        ),
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

describe('the access context as a JWS: only an unexpired ES256 signature by the gateway key', () => {
  const operation = { query: '{ __typename }' };
  const body = operation;
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  async function setUp() {
    const keys = await generateKeyPair('ES256', { extractable: true });
    const token = await signForwardedAccess({ kind: 'gateway' }, keys.privateKey, {
      subgraph: 'mash',
      operation,
      requestId: 'r-1',
    });
    const claims = decodeJwt(token);
    const verifyAt = (t: string) =>
      verifyForwardedAccess(
        t,
        keys.publicKey,
        { subgraph: 'mash', method: 'POST', body },
        new SeenAccessContexts(),
      );
    /** The given header and claims, signed by the gateway's own key with ES256. */
    const signedByGateway = (header: unknown, payload: unknown, encoding = 'ieee-p1363') => {
      const input = `${b64(header)}.${b64(payload)}`;
      const signature = nodeSign('sha256', Buffer.from(input), {
        key: keys.privateKey as never,
        dsaEncoding: encoding as 'der' | 'ieee-p1363',
      });
      return `${input}.${signature.toString('base64url')}`;
    };
    return { keys, token, claims, verifyAt, signedByGateway };
  }

  it('is a standard JWT: a JOSE library verifies what the gateway signs', async () => {
    const { keys, token } = await setUp();
    const { payload, protectedHeader } = await jwtVerify(token, keys.publicKey, {
      issuer: 'mash-gateway',
      audience: 'mash',
      algorithms: ['ES256'],
    });
    expect(protectedHeader).toEqual({ alg: 'ES256' });
    expect(payload.exp! - payload.iat!).toBe(15);
    expect(payload).toMatchObject({ op: operationDigest(operation), rid: 'r-1' });
  });

  it('answers the context as signed, and one a JOSE library signed the same way', async () => {
    const { keys, token, claims, verifyAt } = await setUp();
    await expect(verifyAt(token)).resolves.toEqual({
      forwarded: { kind: 'gateway' },
      requestId: 'r-1',
    });
    const byLibrary = await new SignJWT({ ...claims, jti: 'another' })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(keys.privateKey);
    await expect(verifyAt(byLibrary)).resolves.toMatchObject({ requestId: 'r-1' });
  });

  it.each([
    ['unsigned (alg none)', 'none'],
    ['HMAC keyed with the public key (algorithm confusion)', 'confusion'],
    ['signed by another key', 'forger'],
    ['its payload changed after signing', 'tampered'],
    ['a DER signature', 'der'],
    ['a header extension this code does not know (crit)', 'crit'],
    ['an unencoded payload (b64: false)', 'b64'],
    ['another issuer', 'issuer'],
    ['without a request id', 'no-rid'],
    ['without an expiry', 'no-exp'],
    ['expired a second ago', 'expired'],
    ['not three parts', 'parts'],
    ['a header that is not JSON', 'garbage'],
  ])('refuses a context %s', async (_label, kind) => {
    const { keys, token, claims, verifyAt, signedByGateway } = await setUp();
    const [header, payload] = token.split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged: Record<string, () => Promise<string>> = {
      none: async () => `${b64({ alg: 'none' })}.${payload}.`,
      confusion: async () => {
        const input = `${b64({ alg: 'HS256' })}.${payload}`;
        const pem = await exportSPKI(keys.publicKey);
        return `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      },
      forger: async () => {
        const forger = await generateKeyPair('ES256');
        return new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).sign(forger.privateKey);
      },
      tampered: async () => `${header}.${b64({ ...claims, aud: 'police' })}.${token.split('.')[2]}`,
      der: async () => signedByGateway({ alg: 'ES256' }, claims, 'der'),
      crit: async () => signedByGateway({ alg: 'ES256', crit: ['exp'], exp: 1 }, claims),
      b64: async () => signedByGateway({ alg: 'ES256', b64: false, crit: ['b64'] }, claims),
      issuer: async () => signedByGateway({ alg: 'ES256' }, { ...claims, iss: 'someone-else' }),
      'no-rid': async () => signedByGateway({ alg: 'ES256' }, { ...claims, rid: undefined }),
      'no-exp': async () => signedByGateway({ alg: 'ES256' }, { ...claims, exp: undefined }),
      expired: async () =>
        signedByGateway({ alg: 'ES256' }, { ...claims, iat: now - 16, exp: now - 1 }),
      parts: async () => `${token}.${token.split('.')[2]}`,
      garbage: async () => `not-json.${payload}.${token.split('.')[2]}`,
    };
    await expect(verifyAt(await forged[kind]())).rejects.toThrow(
      /not validly signed by the gateway, or has expired/,
    );
  });
});
