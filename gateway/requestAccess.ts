import { GraphQLError } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import type { KeyLike } from 'jose';
import { AccessContext, Caller, CaseFacts } from '../policies/accessContext';
import { Purpose } from '../policies/roles';
import { signForwardedAccess, ACCESS_CONTEXT_HEADER } from '../schema/forwardedAccess';
import { unauthenticated } from './authentication';
import { defaultSubgraphFetch, SubgraphFetch } from './subgraphFetch';

/** A request states its purpose and its case in these headers, next to its bearer token. */
export const PURPOSE_HEADER = 'x-mash-purpose';
export const CASE_HEADER = 'x-mash-case';

/** The gateway's per-request context. */
export interface GatewayContext {
  /** One id per client request: the audit record carries it, and so does every subgraph fetch made for it. */
  requestId: string;
  /** What the gateway decided under; each subgraph fetch carries it, signed for that fetch alone. */
  access: AccessContext;
  /** What the policies allowed, for the audit record: `custodian:Type.field`. */
  granted?: string[];
}

/**
 * Who is asking, why, and for which case, from the request's headers: 401 without a valid token,
 * 400 for a purpose that does not exist.
 */
export async function resolveAccess(
  headers: IncomingHttpHeaders,
  verifyToken: (token: string) => Promise<Caller>,
  caseFacts: (reference: string) => Promise<CaseFacts | null>,
): Promise<AccessContext> {
  const authorization = headers.authorization;
  if (!authorization?.startsWith('Bearer '))
    throw unauthenticated('Send a bearer token (Authorization: Bearer …).');
  const caller = await verifyToken(authorization.slice('Bearer '.length).trim());

  const purposeHeader = single(headers[PURPOSE_HEADER]);
  if (purposeHeader && !Object.values(Purpose).includes(purposeHeader as Purpose)) {
    throw new GraphQLError(
      `${PURPOSE_HEADER} must be one of ${Object.values(Purpose).join(', ')}.`,
      {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      },
    );
  }
  const declaredCase = single(headers[CASE_HEADER])?.trim() || null;
  return {
    caller,
    purpose: (purposeHeader as Purpose) ?? null,
    declaredCase,
    case: declaredCase ? await caseFacts(declaredCase) : null,
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const CASE_FACTS_QUERY = `query CaseAccessFacts($reference: String!) {
  caseAccessFacts(reference: $reference) {
    id reference externalReference externalSystem status teams consent
    grounds { ground authorisedBy authorisedAt reason }
    threshold decision receivingService
  }
}`;

/**
 * Reads a case's access facts from the hub's own subgraph, as the gateway itself: the context it
 * signs covers this one lookup of this one case (the hub answers the gateway's own context for
 * nothing else), for the gateway request that needs it.
 */
export function caseFactsFrom(
  mashUrl: string,
  gatewayKey: KeyLike,
  timeoutMs: number,
  subgraphFetch: SubgraphFetch = defaultSubgraphFetch,
) {
  return async (reference: string, requestId: string): Promise<CaseFacts | null> => {
    const operation = { query: CASE_FACTS_QUERY, variables: { reference } };
    const signed = await signForwardedAccess({ kind: 'gateway' }, gatewayKey, {
      subgraph: 'mash',
      operation,
      requestId,
    });
    const response = await subgraphFetch(mashUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ACCESS_CONTEXT_HEADER]: signed },
      body: JSON.stringify(operation),
      signal: AbortSignal.timeout(timeoutMs),
    }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as {
      data?: { caseAccessFacts: CaseFacts | null };
    } | null;
    if (!body?.data) {
      // Without the case's facts no policy can be decided: refuse rather than guess.
      throw new GraphQLError(
        'The hub cannot confirm your access to this case just now; try again.',
        {
          extensions: { code: 'ACCESS_UNDECIDABLE', http: { status: 503 } },
        },
      );
    }
    const facts = body.data.caseAccessFacts;
    if (facts) for (const g of facts.grounds) g.authorisedAt = new Date(g.authorisedAt);
    return facts;
  };
}
