import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, SignJWT } from 'jose';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { RunningGateway, startGateway } from '../gateway/server';
import { Purpose, Role } from '../policies/roles';
import {
  ACCESS_CONTEXT_HEADER,
  FORWARDED_ACCESS_LIFETIME_SECONDS,
  operationDigest,
  SubgraphOperation,
} from '../schema/forwardedAccess';
import { captureLogs } from '../service/logger';
import { resilienceFromEnvironment } from '../gateway/agencyResilience';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * "A credential covers one request": the access context the gateway forwards to an agency
 * authorises exactly that operation, for that agency, once, briefly. The contexts tested here are
 * the gateway's own, captured on the wire by a small proxy standing where each subgraph's address
 * would be (it can pass a fetch on, or hold it back so that its context is still unused).
 */

/** One subgraph fetch as the gateway sent it. */
interface Captured {
  subgraph: string;
  token: string;
  /** The body exactly as sent. */
  body: string;
  operation: SubgraphOperation;
}

let system: EmbeddedSystem;
let gateway: RunningGateway;
const proxies: Server[] = [];
const captured: Captured[] = [];
/** Subgraphs whose fetches the proxy holds back (answers 503) instead of passing on. */
const held = new Set<string>();
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  // The subgraphs log each read they answer with its gateway request id (opt-in in one process).
  process.env.SUBGRAPH_READ_LOG = 'true';
  logs = captureLogs();
  try {
    system = await startTestSystem({ port: 0, seed: 7, families: 12, subgraphTimeoutMs: 3000 });
  } finally {
    delete process.env.SUBGRAPH_READ_LOG;
  }
  const proxied = await Promise.all(
    system.subgraphs.map(async (s) => ({
      name: s.name,
      sdl: s.sdl,
      url: await proxy(s.name, s.url),
    })),
  );
  // A second gateway like the system's own (same key, same audit store), reaching the subgraphs
  // through the proxies.
  // The proxies hold fetches back on purpose, again and again: no circuit may open over that.
  const resilience = resilienceFromEnvironment(
    proxied.map((s) => s.name),
    3000,
    { CIRCUIT_MIN_REQUESTS: '10000' },
  );
  gateway = await startGateway({
    ...system.gatewayOptions,
    port: 0,
    subgraphs: proxied,
    resilience,
  });
});

afterAll(async () => {
  logs?.stop();
  await gateway?.stop();
  await Promise.all(proxies.map((p) => new Promise((resolve) => p.close(resolve))));
  await system?.stop();
});

function proxy(name: string, target: string): Promise<string> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const token = req.headers[ACCESS_CONTEXT_HEADER];
    if (req.method === 'POST' && typeof token === 'string') {
      captured.push({ subgraph: name, token, body, operation: JSON.parse(body) });
    }
    if (held.has(name)) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Held back by the test.');
      return;
    }
    const answer = await fetch(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: {
        'content-type': 'application/json',
        ...(typeof token === 'string' ? { [ACCESS_CONTEXT_HEADER]: token } : {}),
      },
      body: req.method === 'POST' ? body : undefined,
    });
    res
      .writeHead(answer.status, {
        'content-type': answer.headers.get('content-type') ?? 'text/plain',
      })
      .end(await answer.text());
  });
  proxies.push(server);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    ),
  );
}

const subgraphUrl = (name: string) => system.subgraphs.find((s) => s.name === name)!.url;

function manager() {
  return requestHeaders(
    { userId: 'manager.test', role: Role.MASH_MANAGER, team: system.exampleTeam },
    Purpose.AGENCY_CHECK,
    system.exampleCaseReference,
  );
}

async function agencyCheckThroughProxies() {
  return postGraphQL(
    gateway.url,
    agencyCheckQuery(system.exampleCaseReference),
    undefined,
    await manager(),
  );
}

/** The context of one real fetch to `subgraph`, held back by the proxy so that it is still unused. */
async function unusedContext(subgraph: string): Promise<Captured> {
  captured.length = 0;
  held.add(subgraph);
  try {
    await agencyCheckThroughProxies();
  } finally {
    held.delete(subgraph);
  }
  // A held read answers 503, which a retry can mend: the query plan's fetch is sent once more,
  // with a context of its own (the case-facts lookup before planning is not retried).
  const fetches = captured.filter((c) => c.subgraph === subgraph);
  expect(fetches).toHaveLength(subgraph === 'mash' ? 1 : 2);
  const ids = fetches.map((f) => decodeJwt(f.token).jti);
  expect(new Set(ids).size).toBe(ids.length);
  return fetches[0];
}

/** Posts to a subgraph directly, as someone holding a captured context would. */
async function replay(subgraph: string, token: string, body: string | SubgraphOperation) {
  const response = await fetch(subgraphUrl(subgraph), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ACCESS_CONTEXT_HEADER]: token },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

function expectRefused(answer: Awaited<ReturnType<typeof replay>>, because: RegExp): void {
  expect(answer.status).toBe(401);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(answer.body.errors?.[0].message).toMatch(because);
  // A plain refusal: no stack, no internal address, no detail of the check.
  expect(JSON.stringify(answer.body)).not.toMatch(/127\.0\.0\.1|stacktrace|at \w+ \(/);
}

describe('the normal path, with every fetch signed for itself', () => {
  it('answers the agency checks through the gateway', async () => {
    captured.length = 0;
    const { status, body } = await agencyCheckThroughProxies();
    expect(status).toBe(200);
    const subjects = body.data.caseByReference.subjects as { police: { status: string } }[];
    expect(subjects.length).toBeGreaterThan(0);
    for (const s of subjects) expect(s.police.status).not.toBe('UNAVAILABLE');
  });

  it('signs each fetch for its subgraph, its operation, once, briefly, for one gateway request', async () => {
    captured.length = 0;
    await agencyCheckThroughProxies();
    const subgraphs = new Set(captured.map((c) => c.subgraph));
    // The case-facts lookup, the case itself, and the agencies.
    expect([...subgraphs]).toEqual(expect.arrayContaining(['mash', 'police', 'health']));
    const claims = captured.map((c) => ({ c, claims: decodeJwt(c.token) }));
    for (const { c, claims: t } of claims) {
      expect(t.aud).toBe(c.subgraph);
      expect(t.op).toBe(operationDigest(c.operation));
      expect(t.exp! - t.iat!).toBeLessThanOrEqual(FORWARDED_ACCESS_LIFETIME_SECONDS);
    }
    expect(new Set(claims.map(({ claims: t }) => t.jti)).size).toBe(captured.length);
    // Every read this request made, the gateway's own case-facts lookup included, names the
    // same gateway request (the one its audit record is for).
    const requestIds = new Set(claims.map(({ claims: t }) => t.rid));
    expect(requestIds.size).toBe(1);
    expect([...requestIds][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("logs each read at the agency with the gateway request's id and nothing else", async () => {
    captured.length = 0;
    logs.lines.length = 0;
    await agencyCheckThroughProxies();
    const requestId = decodeJwt(captured[0].token).rid as string;
    const reads = logs.lines.filter((l) => l.msg === 'read answered');
    expect(reads).toContainEqual(expect.objectContaining({ service: 'police', requestId }));
    expect(reads).toContainEqual(expect.objectContaining({ service: 'health', requestId }));
    for (const line of reads)
      expect(Object.keys(line).sort()).toEqual([
        'level',
        'msg',
        'pid',
        'requestId',
        'service',
        'time',
      ]);
  });
});

/** Errors an answered request may carry because of the records themselves, not the credential. */
const ANSWERED_WITH_DATA_POLICY = new Set(['CUSTODIAN_RELEASE_REQUIRED', 'MATCH_NOT_VERIFIED']);

describe('a captured access context is refused', () => {
  it('the second time, even with the very same body', async () => {
    const police = await unusedContext('police');
    const first = await replay('police', police.token, police.body);
    // Not yet used: the gateway's real context, with the body it was signed for, is answered…
    expect(first.status).toBe(200);
    // Only the data's own policies may withhold anything (a flagged record, a possible match).
    expect(
      (first.body.errors ?? []).filter(
        (e) => !ANSWERED_WITH_DATA_POLICY.has(String(e.extensions?.code)),
      ),
    ).toEqual([]);
    expect(first.body.data?._entities).toBeDefined();
    // …once.
    expectRefused(await replay('police', police.token, police.body), /already been used/);
  });

  it('by another agency: a police context does not open health records', async () => {
    captured.length = 0;
    await agencyCheckThroughProxies();
    const healthFetch = captured.find((c) => c.subgraph === 'health')!;
    const police = await unusedContext('police');
    // The health fetch of a real request, and one with made-up demographics.
    expectRefused(await replay('health', police.token, healthFetch.body), /another service/);
    const madeUp = structuredClone(healthFetch.operation);
    const representations = (madeUp.variables as { representations: Record<string, unknown>[] })
      .representations;
    representations[0].givenName = 'Madeup';
    expectRefused(await replay('health', police.token, madeUp), /another service/);
    // The context itself was good: at the police, for its own operation, it is still answered.
    expect((await replay('police', police.token, police.body)).status).toBe(200);
  });

  it('for another operation, other variables or another operation name', async () => {
    const police = await unusedContext('police');
    const otherSubject = structuredClone(police.operation);
    const representations = (
      otherSubject.variables as { representations: Record<string, unknown>[] }
    ).representations;
    representations[0] = { ...representations[0], givenName: 'Somebody', familyName: 'Else' };
    expectRefused(
      await replay('police', police.token, otherSubject),
      /does not cover this operation/,
    );

    const moreFields = {
      ...police.operation,
      query: police.operation.query.replace(/police\s*\{/, 'police{incidents{summary}'),
    };
    expect(moreFields.query).not.toBe(police.operation.query);
    expectRefused(
      await replay('police', police.token, moreFields),
      /does not cover this operation/,
    );

    const renamed = { ...police.operation, operationName: 'Other' };
    expectRefused(await replay('police', police.token, renamed), /does not cover this operation/);

    // The same operation with its variables' keys in another order is the same operation.
    const reordered = {
      query: police.operation.query,
      variables: Object.fromEntries(Object.entries(police.operation.variables ?? {}).reverse()),
      operationName: police.operation.operationName,
    };
    expect((await replay('police', police.token, reordered)).status).toBe(200);
  });

  it("the gateway's own context: good for its one case-facts lookup, and nothing else", async () => {
    const lookup = await unusedContext('mash');
    expect(decodeJwt(lookup.token).forwarded).toEqual({ kind: 'gateway' });
    expect(lookup.operation.query).toContain('caseAccessFacts');
    const otherCase = {
      ...lookup.operation,
      variables: { reference: 'MASH-2026-000001' },
    };
    expect(otherCase.variables).not.toEqual(lookup.operation.variables);
    expectRefused(await replay('mash', lookup.token, otherCase), /does not cover this operation/);
    const otherQuery = {
      query: `{ caseByReference(reference: "${system.exampleCaseReference}") { subjects { givenName } } }`,
    };
    expectRefused(await replay('mash', lookup.token, otherQuery), /does not cover this operation/);
    expectRefused(await replay('police', lookup.token, lookup.body), /another service/);

    const answered = await replay('mash', lookup.token, lookup.body);
    expect(answered.status).toBe(200);
    expect(answered.body.data?.caseAccessFacts).toMatchObject({
      reference: system.exampleCaseReference,
    });
    expectRefused(await replay('mash', lookup.token, lookup.body), /already been used/);
  });

  it('once it has expired', async () => {
    const police = await unusedContext('police');
    // The same claims the gateway signed, as they stand after the context's life: the system's
    // key re-signs them with their times moved back (the test cannot wait 15 s cheaply).
    const claims = decodeJwt(police.token);
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuedAt(now - FORWARDED_ACCESS_LIFETIME_SECONDS - 5)
      .setExpirationTime(now - 5)
      .sign(system.gatewayOptions.accessSigningKey);
    expectRefused(await replay('police', expired, police.body), /has expired/);
  });

  it('in the old shape: one context for every subgraph and any operation', async () => {
    const police = await unusedContext('police');
    const { forwarded } = decodeJwt(police.token);
    const everywhere = await new SignJWT({ forwarded })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('mash-gateway')
      .setAudience('mash-subgraph')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(system.gatewayOptions.accessSigningKey);
    expectRefused(await replay('police', everywhere, police.body), /not validly signed/);
  });

  it('in a batch, or as a GET whose query string is what would run', async () => {
    const police = await unusedContext('police');
    const batch = await fetch(subgraphUrl('police'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ACCESS_CONTEXT_HEADER]: police.token },
      body: JSON.stringify([police.operation, police.operation]),
    });
    expect(batch.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(await batch.json())).not.toContain('"_entities"');

    const get = new URL(subgraphUrl('police'));
    get.searchParams.set('query', '{ __typename }');
    const asGet = await fetch(get, {
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        [ACCESS_CONTEXT_HEADER]: police.token,
      },
    });
    expect(asGet.status).toBe(401);
    expect(((await asGet.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(
      /one operation per request, as a JSON POST/,
    );
    // Neither used the context up: it still answers its own operation.
    expect((await replay('police', police.token, police.body)).status).toBe(200);
  });
});
