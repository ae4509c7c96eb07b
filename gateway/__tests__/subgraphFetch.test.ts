import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SubgraphFailure } from '../agencyDataSource';
import { subgraphFetch } from '../subgraphFetch';

/**
 * The gateway's fetch to its subgraphs, against an agency server that misbehaves in each way a
 * real one can: what comes back is a whole answer or an error the gateway names, never part of one.
 */
let server: Server;
let url: string;
let connections = 0;
let handle: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => handle(req, res));
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (fetch = subgraphFetch(null), timeoutMs = 1000) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mash-access-context': 'signed' },
    body: '{"query":"{ __typename }"}',
    signal: AbortSignal.timeout(timeoutMs),
  });

it('sends the body and headers, and answers as a Response would, read whole', async () => {
  let received: { body: string; context: unknown } | null = null;
  handle = (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received = { body, context: req.headers['x-mash-access-context'] };
      res.setHeader('content-type', 'application/json');
      res.write('{"data":');
      setTimeout(() => res.end('{"__typename":"Query"}}'), 20);
    });
  };
  const response = await post();
  expect(received).toEqual({ body: '{"query":"{ __typename }"}', context: 'signed' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
});

it('reads an answer as fetch would: once, UTF-8 without its byte order mark, headers in any case', async () => {
  handle = (_req, res) => {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('X-Seen', ['a', 'b']);
    res.end(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"data":{"name":"Zoë"}}')]),
    );
  };
  const answer = await post();
  const copy = answer.clone();
  const standard = await fetch(url, { method: 'POST', body: '{}' });
  const standardCopy = standard.clone();
  for (const [ours, theirs] of [
    [answer, standard],
    [copy, standardCopy],
  ] as const) {
    expect(ours.headers.get('content-type')).toBe(theirs.headers.get('Content-Type'));
    expect(ours.headers.get('x-seen')).toBe(theirs.headers.get('X-SEEN'));
    expect(ours.bodyUsed).toBe(false);
  }
  expect(await answer.json()).toEqual(await standard.json());
  expect(await copy.text()).toBe(await standardCopy.text());
  // A body is read once: a second read fails, as it does with fetch, rather than answer nothing.
  await expect(answer.text()).rejects.toThrow(/Body is unusable/);
  await expect(standard.text()).rejects.toThrow(/Body is unusable/);
  expect(() => answer.clone()).toThrow(TypeError);
  expect(answer.bodyUsed).toBe(true);
  handle = (_req, res) => res.end('{"data": [');
  await expect((await post()).json()).rejects.toThrow(SyntaxError);
});

it('keeps its connection to a subgraph open from one call to the next', async () => {
  handle = (_req, res) => res.end('{"data":{}}');
  const fetch = subgraphFetch(null);
  await (await post(fetch)).text();
  const before = connections;
  for (let i = 0; i < 3; i++) await (await post(fetch)).text();
  expect(connections).toBe(before);
});

it('passes an error status on as it came, and a 204 with no body', async () => {
  handle = (_req, res) => res.writeHead(503).end('<html>proxy error</html>');
  const failed = await post();
  expect([failed.status, failed.ok]).toEqual([503, false]);
  handle = (_req, res) => res.writeHead(204).end();
  expect(await (await post()).text()).toBe('');
});

it('is a timeout when the answer starts and then stalls past the deadline', async () => {
  handle = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).write('{"da');
  const started = Date.now();
  const error = await post(subgraphFetch(null), 300).then(
    () => null,
    (e: unknown) => e,
  );
  expect(Date.now() - started).toBeLessThan(2000);
  expect(SubgraphFailure.of(error, 300).kind).toBe('timeout');
});

it('is an error, not a shorter body, when the agency drops the connection part way', async () => {
  handle = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"data":{"police"');
    setTimeout(() => res.socket?.destroy(), 20);
  };
  const error = await post().then(
    () => null,
    (e: unknown) => e,
  );
  expect(SubgraphFailure.of(error, 1000).kind).toBe('unreachable');
});

it('sends nothing but a string body, and only over http or https', async () => {
  const fetch = subgraphFetch(null);
  await expect(fetch(url, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(
    /string body/,
  );
  await expect(fetch('file:///etc/hostname')).rejects.toThrow(/http or https/);
});

it("closes an idle connection itself before the subgraph's announced keep-alive runs out", async () => {
  // A subgraph that closes idle connections after 3 s and says so (`Keep-Alive: timeout=3`).
  const short = createServer((_req, res) => res.end('{"data":{}}'));
  short.keepAliveTimeout = 3000;
  let closedAt = 0;
  short.on('connection', (socket) => socket.on('close', () => (closedAt = Date.now())));
  await new Promise<void>((resolve) => short.listen(0, '127.0.0.1', resolve));
  try {
    const answered = await subgraphFetch(null)(
      `http://127.0.0.1:${(short.address() as AddressInfo).port}/`,
      { method: 'POST', body: '{}' },
    );
    await answered.text();
    const answeredAt = Date.now();
    while (!closedAt && Date.now() - answeredAt < 5000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    // The gateway's side closed it, a second ahead of the server's 3 s.
    expect(closedAt - answeredAt).toBeGreaterThan(1000);
    expect(closedAt - answeredAt).toBeLessThan(2800);
  } finally {
    short.closeAllConnections();
    await new Promise((resolve) => short.close(resolve));
  }
});
