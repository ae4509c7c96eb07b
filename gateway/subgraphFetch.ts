import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { FetcherHeaders, FetcherResponse } from '@apollo/utils.fetcher';

/** How the gateway fetches from a subgraph: a `fetch`, answering what Apollo reads of a `Response`. */
export type SubgraphFetch = (url: string | URL, init?: RequestInit) => Promise<FetcherResponse>;

/**
 * The gateway's fetch to its subgraphs: one POST with a string body (or a GET), over `node:http`
 * or `node:https` with connections kept alive, its answer read whole and handed back as a
 * `SubgraphAnswer`. Node's own `fetch` (undici over web streams) cost about 2.5 times the CPU per
 * call (about 520 µs against 260 on this machine, for an agency's answer to a household), and a
 * check makes a dozen of them. With `caPem` (`SUBGRAPH_CA_FILE`), an `https:` subgraph may present a
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
    return new Promise<FetcherResponse>((resolve, reject) => {
      const outgoing = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method ?? 'GET',
          headers: plainHeaders(init.headers),
          agent: secure ? https : http,
          signal: init.signal ?? undefined,
        },
        (incoming) => readWhole(String(url), incoming).then(resolve, reject),
      );
      outgoing.on('error', reject);
      outgoing.end(typeof init.body === 'string' ? init.body : undefined);
    });
  };
}

/** How long the gateway keeps an idle connection to a subgraph, unless the subgraph says less. */
export const IDLE_CONNECTION_MS = 30_000;

/** The answer, once all of it has arrived; an answer cut off part way is an error, not a body. */
function readWhole(url: string, incoming: IncomingMessage): Promise<FetcherResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('error', reject);
    incoming.on('aborted', () => reject(new Error('socket hang up: the answer was cut off')));
    incoming.on('end', () => {
      const headers = new AnswerHeaders();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const v of [value ?? []].flat()) headers.append(name, v);
      }
      const status = incoming.statusCode ?? 502;
      // As with a Response, these statuses carry no body.
      const body = [204, 205, 304].includes(status) ? null : Buffer.concat(chunks);
      resolve(new SubgraphAnswer(url, status, incoming.statusMessage ?? '', headers, body));
    });
  });
}

/** A request's headers as `node:http` takes them (a plain object is already that). */
function plainHeaders(headers: HeadersInit | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers || Array.isArray(headers))
    return Object.fromEntries(new Headers(headers).entries());
  return headers as Record<string, string>;
}

/**
 * A subgraph's answer, read whole: what Apollo's data source and the gateway read of a fetch
 * `Response` (status, headers, the body once as text or JSON, a clone), without building one:
 * undici's `Response` and `Headers`, and reading the body through web streams, were 5% of the
 * gateway's CPU under load.
 */
export class SubgraphAnswer implements FetcherResponse {
  readonly redirected = false;
  readonly ok: boolean;
  private used = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: AnswerHeaders,
    private readonly body: Buffer | null,
  ) {
    this.ok = status >= 200 && status <= 299;
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    // As fetch reads it: UTF-8, a byte order mark dropped.
    return UTF8.decode(this.take());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.take()).buffer;
  }

  clone(): SubgraphAnswer {
    if (this.used) throw new TypeError('Response.clone: Body has already been consumed.');
    return new SubgraphAnswer(this.url, this.status, this.statusText, this.headers, this.body);
  }

  private take(): Buffer {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.body ?? Buffer.alloc(0);
  }
}

const UTF8 = new TextDecoder();

/** An answer's headers, names in lower case, repeated values joined as fetch joins them. */
export class AnswerHeaders implements FetcherHeaders {
  private readonly values_ = new Map<string, string>();

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const before = this.values_.get(key);
    this.values_.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  delete(name: string): void {
    this.values_.delete(name.toLowerCase());
  }
  get(name: string): string | null {
    return this.values_.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.values_.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.values_.set(name.toLowerCase(), value);
  }
  entries(): IterableIterator<[string, string]> {
    return this.values_.entries();
  }
  keys(): IterableIterator<string> {
    return this.values_.keys();
  }
  values(): IterableIterator<string> {
    return this.values_.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.values_.entries();
  }
}

/**
 * The gateway's calls to its subgraphs, each looked up at the call: a test watches them here
 * (`jest.spyOn(subgraphCalls, 'fetch')`), as an operator would at the network.
 */
export const subgraphCalls: { fetch: SubgraphFetch } = { fetch: overNodeHttp(null) };

/** The default fetch to a subgraph: whatever `subgraphCalls.fetch` is at the moment of the call. */
export const defaultSubgraphFetch: SubgraphFetch = (url, init) => subgraphCalls.fetch(url, init);
