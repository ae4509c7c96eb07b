import { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery, operationHeaders } from '../gateway/exampleQuery';
import { issueDevelopmentToken } from '../gateway/authentication';
import { startTracing, Tracing, tracingTo } from '../gateway/tracing';
import { postGraphQL } from './graphqlClient';
import { startTestSystem } from './testSystem';

/** One request's spans, from the gateway through to each agency's subgraph, in one trace. */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let system: EmbeddedSystem;

beforeAll(async () => {
  tracing = tracingTo(exporter, 'mash-gateway-test');
  system = await startTestSystem({ port: 0, seed: 3, families: 8, subgraphTimeoutMs: 5000 });
});

afterAll(async () => {
  await system?.stop();
  await tracing?.shutdown();
});

it('puts the gateway’s spans and each subgraph’s span in the same trace, parent to child', async () => {
  const manager = system.savedOperations.find((o) => o.key === 'manager')!;
  const headers = operationHeaders(manager, await issueDevelopmentToken(manager.identity));
  exporter.reset();
  const { status } = await postGraphQL(
    system.gateway.url,
    agencyCheckQuery(system.exampleCaseReference),
    undefined,
    headers,
  );
  expect(status).toBe(200);
  const spans = exporter.getFinishedSpans();
  const request = spans.find((s) => s.name === 'gateway.request');
  expect(request).toBeDefined();
  const trace = request!.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === trace);
  const byId = new Map(inTrace.map((s) => [s.spanContext().spanId, s]));
  const parentOf = (span: ReadableSpan) => byId.get(span.parentSpanContext?.spanId ?? '');

  for (const agency of ['police', 'health', 'education', 'social-care']) {
    const served = inTrace.find((s) => s.name === `${agency} subgraph request`);
    expect(served).toBeDefined();
    // The subgraph's span is the child of the gateway's fetch from that very subgraph.
    const fetch = parentOf(served!);
    expect(fetch?.name).toBe('gateway.fetch');
    expect(fetch?.attributes.service).toBe(agency);
    // …which hangs, through the plan's execution, from the request's own span.
    let ancestor: ReadableSpan | undefined = fetch;
    while (ancestor && ancestor !== request) ancestor = parentOf(ancestor);
    expect(ancestor).toBe(request);
  }
  // No operation text, variables or answers in any span.
  const attributes = JSON.stringify(inTrace.map((s) => s.attributes));
  expect(attributes).not.toContain(system.exampleCaseReference);
  expect(attributes).not.toMatch(/givenName|dateOfBirth|caseByReference/);
});

it('is off by default, and refuses an exporter it does not know', () => {
  expect(startTracing('mash-gateway', {})).toBeNull();
  expect(startTracing('mash-gateway', { OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
  expect(() => startTracing('mash-gateway', { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
    'OTEL_TRACES_EXPORTER must be otlp, console or none (got "jaeger").',
  );
});
