import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';

/** How the gateway fetches from a subgraph: a `fetch`, answering a standard `Response`. */
export type SubgraphFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * The gateway's fetch to its subgraphs: one POST with a string body (or a GET), over `node:http`
 * or `node:https` with connections kept alive, its answer read whole and handed back as a
 * `Response`. Node's own `fetch` (undici over web streams) cost about 2.5 times the CPU per call
 * (about 520 µs against 260 on this machine, for an agency's answer to a household), and a check
 * makes a dozen of them. With `caPem` (`SUBGRAPH_CA_FILE`), an `https:` subgraph may present a
 * certificate from that private CA as well as from the public ones.
 */
export function subgraphFetch(caPem: string | null): SubgraphFetch {
  return caPem ? overNodeHttp(caPem) : defaultSubgraphFetch;
}

function overNodeHttp(caPem: string | null): SubgraphFetch {
  // An idle connection is closed by this side first: after 30 s, or a second before the subgraph
  // said it would close it (its `Keep-Alive: timeout=` hint, which Node honours only when a
  // timeout is set here). Otherwise a call could be sent on a connection the far end is closing.
  const idle = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
  const http = new HttpAgent(idle);
  const https = new HttpsAgent({ ...idle, ...(caPem ? { ca: [...rootCertificates, caPem] } : {}) });
  return (url, init = {}) => {
    const target = new URL(url);
    if (init.body != null && typeof init.body !== 'string')
      return Promise.reject(new Error('Only a string body can be sent to a subgraph.'));
    const secure = target.protocol === 'https:';
    if (!secure && target.protocol !== 'http:')
      return Promise.reject(new Error('A subgraph is reached over http or https only.'));
    return new Promise<Response>((resolve, reject) => {
      const outgoing = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          agent: secure ? https : http,
          signal: init.signal ?? undefined,
        },
        (incoming) => readWhole(incoming).then(resolve, reject),
      );
      outgoing.on('error', reject);
      outgoing.end(typeof init.body === 'string' ? init.body : undefined);
    });
  };
}

/** How long the gateway keeps an idle connection to a subgraph, unless the subgraph says less. */
export const IDLE_CONNECTION_MS = 30_000;

/** The answer, once all of it has arrived; an answer cut off part way is an error, not a body. */
function readWhole(incoming: IncomingMessage): Promise<Response> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('error', reject);
    incoming.on('aborted', () => reject(new Error('socket hang up: the answer was cut off')));
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
  });
}

/**
 * The gateway's calls to its subgraphs, each looked up at the call: a test watches them here
 * (`jest.spyOn(subgraphCalls, 'fetch')`), as an operator would at the network.
 */
export const subgraphCalls: { fetch: SubgraphFetch } = { fetch: overNodeHttp(null) };

/** The default fetch to a subgraph: whatever `subgraphCalls.fetch` is at the moment of the call. */
export const defaultSubgraphFetch: SubgraphFetch = (url, init) => subgraphCalls.fetch(url, init);
