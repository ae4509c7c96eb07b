import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** How the gateway fetches from a subgraph: Node's `fetch`, or one that trusts a private CA. */
export type SubgraphFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Node's own fetch, unless the subgraphs' certificates come from a private CA (`SUBGRAPH_CA_FILE`):
 * then an `https:` fetch trusts that CA as well as the public ones. Node 20's fetch takes no
 * certificate option of its own (only `NODE_EXTRA_CA_CERTS`, read once at process start), so this
 * is a small fetch over `node:https`, enough for a GraphQL POST and a health check.
 */
export function subgraphFetch(caPem: string | null): SubgraphFetch {
  if (!caPem) return nodeFetch;
  const ca = [...rootCertificates, caPem];
  return (url, init = {}) => {
    const target = new URL(url);
    if (target.protocol !== 'https:') return nodeFetch(url, init);
    if (init.body != null && typeof init.body !== 'string')
      return Promise.reject(new Error('Only a string body can be sent to a subgraph.'));
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpsRequest(
        target,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          ca,
          signal: init.signal ?? undefined,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              for (const v of [value ?? []].flat()) headers.append(name, v);
            }
            const status = incoming.statusCode ?? 502;
            // A Response may not carry a body with these statuses.
            const body = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
            resolve(new Response(body, { status, statusText: incoming.statusMessage, headers }));
          });
        },
      );
      outgoing.on('error', reject);
      if (typeof init.body === 'string') outgoing.write(init.body);
      outgoing.end();
    });
  };
}

/** Node's fetch, looked up at each call: what a test (or an agent) has put in its place is used. */
export const nodeFetch: SubgraphFetch = (url, init) => fetch(url, init);
