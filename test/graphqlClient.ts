import { issueDevelopmentToken, DevelopmentIdentity } from '../gateway/authentication';
import { CASE_HEADER, PURPOSE_HEADER } from '../gateway/requestAccess';
import { Purpose } from '../policies/roles';

/** Posts an operation to the gateway the way a case system would. */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphQLBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

export interface GraphQLBody {
  // The shape of `data` depends on the query; tests read it as JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: any;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** The headers of a request by this person, for this purpose, about this case. */
export async function requestHeaders(
  who: DevelopmentIdentity,
  purpose: Purpose | null,
  caseReference: string | null,
): Promise<Record<string, string>> {
  return {
    authorization: `Bearer ${await issueDevelopmentToken(who)}`,
    ...(purpose ? { [PURPOSE_HEADER]: purpose } : {}),
    ...(caseReference ? { [CASE_HEADER]: caseReference } : {}),
  };
}

/** What no answer may carry: an address, a port, a URL, SQL, a stack trace. */
export const INTERNAL_DETAIL = [
  /127\.0\.0\.1/,
  /localhost/,
  /https?:\/\//,
  /\b(SELECT|INSERT INTO|UPDATE .* SET)\b/,
  /\n\s+at \S/,
  /stacktrace/i,
  /\/work\/|node_modules|\.ts:\d+/,
];
