import { GraphQLError } from 'graphql';
import { createHash, KeyObject, randomUUID, sign, verify } from 'node:crypto';
import type { KeyLike } from 'jose';
import type { AccessContext, Caller, CaseFacts } from '../policies/accessContext';

/** The header that carries the gateway-signed access context to a subgraph. */
export const ACCESS_CONTEXT_HEADER = 'x-mash-access-context';
const ISSUER = 'mash-gateway';
/**
 * Long enough for one fetch to reach its subgraph (the gateway signs just before sending), short
 * enough that a captured context is worth little.
 */
export const FORWARDED_ACCESS_LIFETIME_SECONDS = 15;

/**
 * What a subgraph knows about a request: the access context the gateway decided under, or that the
 * gateway itself is asking (to read a case's access facts before deciding).
 */
export type ForwardedAccess = { kind: 'request'; access: AccessContext } | { kind: 'gateway' };

/** Who the gateway says is asking; null when the gateway itself asks. */
export function callerOf(forwarded: ForwardedAccess): Caller | null {
  return forwarded.kind === 'request' ? forwarded.access.caller : null;
}

/** The case the gateway decided the request for; null when none was declared. */
export function caseOf(forwarded: ForwardedAccess): CaseFacts | null {
  return forwarded.kind === 'request' ? forwarded.access.case : null;
}

/** One operation as it travels from the gateway to a subgraph: the body of one POST. */
export interface SubgraphOperation {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/**
 * The SHA-256 of an operation exactly as it is executed: its text, its variables and its name.
 * Both sides compute it with this one function. The variables pass through JSON first (what is
 * sent is what is hashed: `undefined` disappears, dates become strings) and their keys are sorted
 * at every depth, so the order a serialiser happens to write them in does not matter; absent and
 * null variables or operation name mean the same to execution, so they hash the same.
 */
export function operationDigest(operation: SubgraphOperation): string {
  const canonical = canonicalJson([
    operation.query,
    operation.variables ?? {},
    operation.operationName ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * JSON with every object's keys sorted, in one pass: the replacer sees each value as
 * `JSON.stringify` will write it (after `toJSON`), so what is dropped or rewritten on the wire
 * (`undefined`, functions, dates) is dropped or rewritten here too.
 */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortedKeysReplacer) ?? 'null';
}

function sortedKeysReplacer(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  // No prototype: a key named `__proto__` (JSON.parse makes it an own key) stays a key here
  // rather than setting the prototype and vanishing from the digest.
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort())
    sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

/** The one fetch a forwarded access context authorises. */
export interface FetchBinding {
  /** The subgraph it is sent to, by its name in the supergraph. */
  subgraph: string;
  /** Exactly what is sent to it. */
  operation: SubgraphOperation;
  /** The gateway request it is made for: the audit record carries the same id. */
  requestId: string;
}

/**
 * Signs the access context for one fetch: for that subgraph only (`aud`), for that operation and
 * those variables only (`op`), once (`jti`), for 15 seconds, naming the gateway request it serves
 * (`rid`) so that every read at an agency is attributable to an audited gateway request.
 *
 * A compact JWS (ES256), signed here with Node's synchronous `crypto.sign`: a library that signs on
 * the thread pool costs four times the CPU for the hop (200 µs against 50 µs per fetch, every fetch
 * of every check; `bench/checkCost.ts`).
 */
export async function signForwardedAccess(
  forwarded: ForwardedAccess,
  privateKey: KeyLike,
  binding: FetchBinding,
): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  const claims: AccessContextClaims = {
    forwarded: asClaim(forwarded),
    op: operationDigest(binding.operation),
    rid: binding.requestId,
    iss: ISSUER,
    aud: binding.subgraph,
    jti: randomUUID(),
    iat: issuedAt,
    exp: issuedAt + FORWARDED_ACCESS_LIFETIME_SECONDS,
  };
  const signingInput = `${ES256_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(signingInput), {
    key: keyObject(privateKey),
    dsaEncoding: 'ieee-p1363',
  });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** What a forwarded access context's payload holds. */
interface AccessContextClaims {
  forwarded: unknown;
  op: string;
  rid: string;
  iss: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
}

const ES256_HEADER = Buffer.from(JSON.stringify({ alg: 'ES256' })).toString('base64url');
/** An ES256 signature in JWS form: r and s, 32 bytes each. */
const ES256_SIGNATURE_BYTES = 64;

function keyObject(key: KeyLike): KeyObject {
  return key instanceof KeyObject ? key : KeyObject.from(key as CryptoKey);
}

/**
 * The claims of a context the gateway's key signed with ES256 and that has not expired; null for
 * anything else (another algorithm, a header extension this code does not know, a bad signature,
 * a payload without every claim, an expired context).
 */
function verifiedClaims(token: string, publicKey: KeyLike): AccessContextClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts;
  const alg = parsedObject(header);
  if (alg === null || alg.alg !== 'ES256' || 'crit' in alg || 'b64' in alg) return null;
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (signatureBytes.length !== ES256_SIGNATURE_BYTES) return null;
  const signed = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: keyObject(publicKey), dsaEncoding: 'ieee-p1363' },
    signatureBytes,
  );
  if (!signed) return null;
  const claims = parsedObject(payload);
  if (claims === null || claims.iss !== ISSUER) return null;
  for (const name of ['aud', 'jti', 'op', 'rid'] as const)
    if (typeof claims[name] !== 'string') return null;
  if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(Date.now() / 1000)) return null;
  return claims as unknown as AccessContextClaims;
}

/** A base64url JSON object, or null when it is not one. */
function parsedObject(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

// A request's access context is the same for every fetch made for it: copied into claim form
// (JSON: dates as strings) once per context object, not once per fetch. Contexts are not changed
// after the gateway has decided under them.
const claims = new WeakMap<object, unknown>();

function asClaim(forwarded: ForwardedAccess): unknown {
  const key = forwarded.kind === 'request' ? forwarded.access : forwarded;
  let claim = claims.get(key);
  if (claim === undefined) {
    claim = JSON.parse(JSON.stringify(forwarded));
    claims.set(key, claim);
  }
  return claim;
}

/** The request a subgraph received, as its HTTP layer parsed it. */
export interface ReceivedRequest {
  /** This subgraph's name: a context signed for another is refused. */
  subgraph: string;
  method: string;
  /** The parsed JSON body. */
  body: unknown;
}

export interface VerifiedAccess {
  forwarded: ForwardedAccess;
  /** The gateway request this read is for. */
  requestId: string;
}

/**
 * A subgraph answers only requests the gateway signed, and only the one operation each signature
 * covers: calling an agency directly, around the gateway's policies, is refused, and so is a
 * captured context sent again, sent to another agency, or sent with another operation.
 */
export async function verifyForwardedAccess(
  header: string | undefined,
  gatewayPublicKey: KeyLike,
  received: ReceivedRequest,
  seen: SeenAccessContexts,
): Promise<VerifiedAccess> {
  if (!header) throw notThroughGateway('no gateway-signed access context');
  const operation = singleOperation(received);
  const payload = verifiedClaims(header, gatewayPublicKey);
  if (payload === null)
    throw notThroughGateway(
      'the access context is not validly signed by the gateway, or has expired',
    );
  if (payload.aud !== received.subgraph)
    throw notThroughGateway('this access context was issued for another service');
  if (payload.op !== operationDigest(operation))
    throw notThroughGateway('this access context does not cover this operation');
  // Checked last, so that only a context that would otherwise be answered uses up its id.
  if (!seen.firstUse(payload.jti, payload.exp * 1000))
    throw notThroughGateway('this access context has already been used');

  const forwarded = payload.forwarded as ForwardedAccess;
  if (forwarded.kind === 'request' && forwarded.access.case) {
    for (const g of forwarded.access.case.grounds) g.authorisedAt = new Date(g.authorisedAt);
  }
  return { forwarded, requestId: payload.rid };
}

/**
 * The gateway sends one operation per POST. A GET is executed from its query string and a batch
 * is several operations under one context: neither is what a signature covers.
 */
function singleOperation(received: ReceivedRequest): SubgraphOperation {
  const body = received.body;
  if (
    received.method !== 'POST' ||
    body === null ||
    typeof body !== 'object' ||
    Array.isArray(body)
  )
    throw notThroughGateway('send one operation per request, as a JSON POST');
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string')
    throw notThroughGateway('this access context does not cover this operation');
  return {
    query,
    variables: variables as SubgraphOperation['variables'],
    operationName: operationName as SubgraphOperation['operationName'],
  };
}

/**
 * The ids of the access contexts this subgraph instance has already answered, each kept until its
 * context expires, so that a captured context cannot be answered twice.
 *
 * Residual risk: the set lives in this process. With several instances of one subgraph behind a
 * load balancer, a context replayed to another instance within its 15-second life is answered once
 * more there (for the same agency and the same operation only), unless the instances share a store.
 */
export class SeenAccessContexts {
  /** jti → when its context expires (ms). Inserted in arrival order, so roughly expiry order. */
  private readonly expiries = new Map<string, number>();

  constructor(
    /** Bounded: a flood of valid contexts cannot grow the process without limit. */
    private readonly capacity = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.expiries.size;
  }

  /**
   * True the first time an id is presented, false for one already answered. When the set is full
   * of unexpired ids the context is refused too: forgetting one would let it be replayed.
   */
  firstUse(jti: string, expiresAtMs: number): boolean {
    const now = this.now();
    if (this.expiries.has(jti)) return false;
    if (this.expiries.size >= this.capacity) this.forgetExpired(now);
    if (this.expiries.size >= this.capacity) return false;
    this.expiries.set(jti, expiresAtMs);
    if (this.expiries.size % 1024 === 0) this.forgetExpired(now);
    return true;
  }

  private forgetExpired(now: number): void {
    for (const [jti, expiresAt] of this.expiries) {
      if (expiresAt <= now) this.expiries.delete(jti);
    }
  }
}

function notThroughGateway(why: string): GraphQLError {
  return new GraphQLError(`Agency services answer only through the MASH gateway: ${why}.`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}
