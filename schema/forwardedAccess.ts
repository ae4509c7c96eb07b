import { GraphQLError } from 'graphql';
import { jwtVerify, KeyLike, SignJWT } from 'jose';
import type { AccessContext, Caller, CaseFacts } from '../policies/accessContext';

/** The header that carries the gateway-signed access context to every subgraph. */
export const ACCESS_CONTEXT_HEADER = 'x-mash-access-context';
const ISSUER = 'mash-gateway';
const AUDIENCE = 'mash-subgraph';
const LIFETIME = '60s';

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

export async function signForwardedAccess(
  forwarded: ForwardedAccess,
  privateKey: KeyLike,
): Promise<string> {
  return new SignJWT({ forwarded: JSON.parse(JSON.stringify(forwarded)) })
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(privateKey);
}

/**
 * A subgraph answers only requests the gateway signed: calling an agency directly, around the
 * gateway's policies, is refused.
 */
export async function verifyForwardedAccess(
  header: string | undefined,
  gatewayPublicKey: KeyLike,
): Promise<ForwardedAccess> {
  if (!header) throw notThroughGateway('no gateway-signed access context');
  try {
    const { payload } = await jwtVerify(header, gatewayPublicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
    });
    const forwarded = payload.forwarded as ForwardedAccess;
    if (forwarded.kind === 'request' && forwarded.access.case) {
      for (const g of forwarded.access.case.grounds) g.authorisedAt = new Date(g.authorisedAt);
    }
    return forwarded;
  } catch {
    throw notThroughGateway(
      'the access context is not validly signed by the gateway, or has expired',
    );
  }
}

function notThroughGateway(why: string): GraphQLError {
  return new GraphQLError(`Agency services answer only through the MASH gateway: ${why}.`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}
