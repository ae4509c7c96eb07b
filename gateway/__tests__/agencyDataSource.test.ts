import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { decodeJwt, generateKeyPair, KeyLike } from 'jose';
import { ACCESS_CONTEXT_HEADER } from '../../schema/forwardedAccess';
import { AgencyDataSource } from '../agencyDataSource';
import { DEFAULT_CIRCUIT, SubgraphResilience } from '../agencyResilience';
import { registry } from '../metrics';
import type { GatewayContext } from '../requestAccess';
import { UnavailableAgency } from '../unavailableAgency';

/** A subgraph with a read and a write, and no agency checks: its failures are thrown, not repaired. */
const SDL = `type Query { referralCount: Int }
type Mutation { closeReferral(reference: String!): Boolean }`;

/** One scripted answer per fetch: a status with a body, or no answer until the deadline aborts it. */
type Script = (attempt: number) => { status: number; body: string } | 'hang';

let signingKey: KeyLike;
beforeAll(async () => {
  signingKey = (await generateKeyPair('ES256')).privateKey;
});

interface Fetched {
  token: string;
  signal: AbortSignal | null;
}

function subgraph(script: Script, resilience: Partial<SubgraphResilience> = {}) {
  const fetched: Fetched[] = [];
  const source = new AgencyDataSource(
    `test-${Math.random().toString(36).slice(2)}`,
    'http://subgraph.test/',
    {
      timeoutMs: 100,
      retryReads: true,
      circuit: { ...DEFAULT_CIRCUIT, minRequests: 1000 },
      ...resilience,
    },
    new UnavailableAgency('test', SDL),
    signingKey,
    (_url, init) => {
      const headers = init?.headers as Record<string, string>;
      fetched.push({ token: headers[ACCESS_CONTEXT_HEADER], signal: init?.signal ?? null });
      const answer = script(fetched.length);
      if (answer === 'hang') {
        return new Promise((_resolve, reject) =>
          init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)),
        );
      }
      return Promise.resolve(
        new Response(answer.body, {
          status: answer.status,
          headers: { 'content-type': 'application/json' },
        }),
      );
    },
  );
  return { source, fetched };
}

function send(source: AgencyDataSource, query: string) {
  const context: GatewayContext = {
    requestId: '00000000-0000-4000-8000-000000000001',
    access: { caller: null, purpose: null, declaredCase: null, case: null },
  };
  return source.process({
    kind: GraphQLDataSourceRequestKind.INCOMING_OPERATION,
    request: { query, variables: {} },
    context,
    incomingRequestContext: { context } as unknown as GatewayGraphQLRequestContext<GatewayContext>,
  } as GraphQLDataSourceProcessOptions<GatewayContext>);
}

const READ = 'query Count { referralCount }';
const WRITE = 'mutation Close { closeReferral(reference: "MASH-2026-000001") }';
const ok = { status: 200, body: JSON.stringify({ data: { referralCount: 3 } }) };
const unavailable = { status: 503, body: 'Service Unavailable' };

describe('one retry, for reads only', () => {
  it('sends a read that failed with a 5xx once more, with a context signed afresh', async () => {
    const { source, fetched } = subgraph((attempt) => (attempt === 1 ? unavailable : ok));
    await expect(send(source, READ)).resolves.toMatchObject({ data: { referralCount: 3 } });
    expect(fetched).toHaveLength(2);
    const [first, second] = fetched.map((f) => decodeJwt(f.token));
    expect(second.jti).not.toBe(first.jti);
    expect(second.rid).toBe(first.rid);
  });

  it('retries a read once, not twice', async () => {
    const { source, fetched } = subgraph(() => unavailable);
    await expect(send(source, READ)).rejects.toThrow('answered HTTP 503');
    expect(fetched).toHaveLength(2);
  });

  it('never sends a mutation twice', async () => {
    const { source, fetched } = subgraph(() => unavailable);
    await expect(send(source, WRITE)).rejects.toThrow('answered HTTP 503');
    expect(fetched).toHaveLength(1);
  });

  it('does not retry a read that timed out: the deadline is already spent', async () => {
    const { source, fetched } = subgraph(() => 'hang', { timeoutMs: 50 });
    await expect(send(source, READ)).rejects.toThrow('Timed out after 50 ms');
    expect(fetched).toHaveLength(1);
  });

  it('does not retry when retries are off', async () => {
    const { source, fetched } = subgraph(() => unavailable, { retryReads: false });
    await expect(send(source, READ)).rejects.toThrow('answered HTTP 503');
    expect(fetched).toHaveLength(1);
  });
});

async function circuitStateOf(subgraphName: string): Promise<string | undefined> {
  const gauge = (await registry.getMetricsAsJSON()).find(
    (m) => m.name === 'mash_subgraph_circuit_state',
  ) as { values: { value: number; labels: Record<string, string> }[] } | undefined;
  return gauge?.values.find((v) => v.labels.subgraph === subgraphName && v.value === 1)?.labels
    .state;
}

describe('the circuit', () => {
  const circuit = { minRequests: 3, errorPercent: 50, windowMs: 10_000, resetMs: 200 };

  it('opens after N failures, fails fast while open, probes when half-open, and closes on success', async () => {
    let healthy = false;
    const { source, fetched } = subgraph(() => (healthy ? ok : unavailable), {
      circuit,
      retryReads: false,
    });
    const name = (source as unknown as { subgraph: string }).subgraph;
    for (let i = 0; i < 3; i++) await expect(send(source, READ)).rejects.toThrow('HTTP 503');
    expect(fetched).toHaveLength(3);
    expect(await circuitStateOf(name)).toBe('open');

    // Open: refused at once, with when it opened, and the subgraph is not asked.
    const started = performance.now();
    await expect(send(source, READ)).rejects.toThrow(
      /Circuit open since \d{4}-\d{2}-\d{2}T[\d:.]+Z after repeated failures/,
    );
    expect(performance.now() - started).toBeLessThan(50);
    expect(fetched).toHaveLength(3);

    // After the reset time: half-open, and one probe goes through; the agency is back, so it closes.
    await new Promise((resolve) => setTimeout(resolve, circuit.resetMs + 50));
    expect(await circuitStateOf(name)).toBe('half_open');
    healthy = true;
    await expect(send(source, READ)).resolves.toMatchObject({ data: { referralCount: 3 } });
    expect(fetched).toHaveLength(4);
    expect(await circuitStateOf(name)).toBe('closed');
    await expect(send(source, READ)).resolves.toMatchObject({ data: { referralCount: 3 } });
  });

  it('opens again when the half-open probe fails', async () => {
    const { source, fetched } = subgraph(() => unavailable, { circuit, retryReads: false });
    const name = (source as unknown as { subgraph: string }).subgraph;
    for (let i = 0; i < 3; i++) await expect(send(source, READ)).rejects.toThrow('HTTP 503');
    await new Promise((resolve) => setTimeout(resolve, circuit.resetMs + 50));
    await expect(send(source, READ)).rejects.toThrow('HTTP 503');
    expect(fetched).toHaveLength(4);
    expect(await circuitStateOf(name)).toBe('open');
    await expect(send(source, READ)).rejects.toThrow(/Circuit open since/);
    expect(fetched).toHaveLength(4);
  });

  it('does not count a 4xx (the request was at fault, not the agency)', async () => {
    const { source } = subgraph(() => ({ status: 400, body: '{}' }), { circuit });
    const name = (source as unknown as { subgraph: string }).subgraph;
    for (let i = 0; i < 5; i++) await expect(send(source, READ)).rejects.toThrow('HTTP 400');
    expect(await circuitStateOf(name)).toBe('closed');
  });
});

describe('an answer that is not a GraphQL response', () => {
  it.each([
    ['HTML', '<html><body>Bad gateway for Jane Smith</body></html>'],
    ['not JSON', '{"data": {"referralCount": Jane Smith'],
    ['a JSON string', '"Jane Smith"'],
    ['neither data nor errors', '{"person": "Jane Smith"}'],
    ['the wrong type', '{"data": {"referralCount": "Jane Smith"}}'],
    ['a number as a string', '{"data": {"referralCount": "3"}}'],
    ['a field nobody asked for', '{"data": {"referralCount": 3, "name": "Jane Smith"}}'],
    ['errors that are not errors', '{"data": null, "errors": ["Jane Smith"]}'],
  ])('is refused, without quoting it: %s', async (_kind, body) => {
    const { source, fetched } = subgraph(() => ({ status: 200, body }));
    const failure = await send(source, READ).then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/(does not fit its schema|not a GraphQL response)/);
    expect(failure?.message).not.toContain('Jane');
    // Not sent again: the agency answered, and would answer the same.
    expect(fetched).toHaveLength(1);
  });
});
