import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery, operationHeaders } from '../gateway/exampleQuery';
import { issueDevelopmentToken } from '../gateway/authentication';
import { startGateway } from '../gateway/server';
import { PURPOSE_HEADER } from '../gateway/requestAccess';
import { captureLogs } from '../service/logger';
import { postGraphQL } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * What an operator sees — the logs and the metrics — over a realistic run: every role's saved
 * operation, the example query, and a spread of refusals and client mistakes, some of which carry
 * a seeded person's identifiers in the request itself.
 */
const METRICS_TOKEN = 'metrics-token-for-the-test-0123456789abcdef';

let system: EmbeddedSystem;
let logs: ReturnType<typeof captureLogs>;
let metricsUrl: string;

beforeAll(async () => {
  // Everything every service writes, the subgraphs' per-read lines included, from the start.
  logs = captureLogs();
  process.env.SUBGRAPH_READ_LOG = 'true';
  try {
    system = await startTestSystem({
      port: 0,
      seed: 11,
      families: 12,
      subgraphTimeoutMs: 5000,
      metricsToken: METRICS_TOKEN,
    });
  } finally {
    delete process.env.SUBGRAPH_READ_LOG;
  }
  metricsUrl = system.gateway.url.replace(/graphql$/, 'metrics');
});

afterAll(async () => {
  logs?.stop();
  await system?.stop();
});

/** Every seeded person's identifiers, as the scan looks for them. */
function seededIdentifiers(): Set<string> {
  const found = new Set<string>();
  const people = system.population.flatMap((family) => [
    ...family.members,
    ...(family.referral?.subjects ?? []),
  ]);
  for (const person of people) {
    for (const name of [person.givenName, person.familyName])
      for (const word of name.split(/[\s'-]+/)) if (word.length >= 4) found.add(word);
    for (const value of [person.dateOfBirth, person.nhsNumber, person.postcode, person.addressLine])
      if (value) found.add(value);
  }
  return found;
}

/** A realistic set of requests: every role, the example query, refusals and mistakes. */
async function realisticRun(): Promise<number> {
  let sent = 0;
  const post = async (query: string, headers: Record<string, string>, variables?: object) => {
    sent++;
    return postGraphQL(system.gateway.url, query, variables as Record<string, unknown>, headers);
  };
  for (const operation of system.savedOperations) {
    const token = await issueDevelopmentToken(operation.identity);
    const { status } = await post(
      operation.query,
      operationHeaders(operation, token),
      operation.variables,
    );
    expect(status).toBe(200);
  }
  const manager = system.savedOperations.find((o) => o.key === 'manager')!;
  const managerHeaders = operationHeaders(manager, await issueDevelopmentToken(manager.identity));
  await post(agencyCheckQuery(system.exampleCaseReference), managerHeaders);
  // Every role asking for the whole example picture: most of it is withheld from most of them.
  for (const operation of system.savedOperations) {
    const token = await issueDevelopmentToken(operation.identity);
    await post(agencyCheckQuery(system.exampleCaseReference), operationHeaders(operation, token));
  }
  // A seeded person's identifiers in what the client sends: a variable, an argument, an alias.
  const person = system.population[0].members[0];
  const personal = `${person.givenName} ${person.familyName} ${person.dateOfBirth} ${person.nhsNumber} ${person.postcode}`;
  await post(
    'query Find($r: String!) { caseByReference(reference: $r) { reference } }',
    managerHeaders,
    {
      r: personal,
    },
  );
  await post(`{ caseByReference(reference: "${personal}") { reference } }`, managerHeaders);
  await post(`{ ${person.familyName.replace(/\W/g, '')}: caseByReference }`, managerHeaders);
  // Refusals: no token, a forged one, a purpose that does not exist.
  await post('{ __typename }', {});
  await post('{ __typename }', { authorization: `Bearer ${personal}` });
  await post('{ __typename }', { ...managerHeaders, [PURPOSE_HEADER]: personal });
  // A body that is not JSON, carrying the person too.
  sent++;
  await fetch(system.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...managerHeaders },
    body: `{"query": "${personal}`,
  });
  return sent;
}

describe('logs', () => {
  it('carry no seeded person’s identifiers, over a realistic run of requests', async () => {
    const sent = await realisticRun();
    const identifiers = seededIdentifiers();
    expect(identifiers.size).toBeGreaterThan(100);
    // Every line, whole, as the collector would receive it.
    const leaks: string[] = [];
    for (const line of logs.text) {
      for (const identifier of identifiers) {
        const word = new RegExp(`\\b${identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i');
        if (word.test(line)) leaks.push(`${identifier} in ${line.slice(0, 160)}…`);
      }
    }
    expect(leaks).toEqual([]);
    // The scan read real lines: one per request answered or refused, and the agencies' reads.
    const requests = logs.lines.filter((l) => /^request (answered|refused)$/.test(String(l.msg)));
    expect(requests.length).toBeGreaterThanOrEqual(sent);
    expect(logs.lines.filter((l) => l.msg === 'read answered').length).toBeGreaterThan(0);
    console.log(
      `log scan: ${logs.text.length} lines from ${sent} requests, checked for ${identifiers.size} identifiers of ${system.population.length} families: none found`,
    );
  });

  it('name each request by its audit id, the caller, the case, the outcome and the latency', async () => {
    const answered = logs.lines.filter((l) => l.msg === 'request answered');
    expect(answered.length).toBeGreaterThan(0);
    for (const line of answered) {
      expect(line).toMatchObject({
        service: 'gateway',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        outcome: expect.stringMatching(/^(SUCCESS|PARTIAL|DENIED|REFUSED|ERROR)$/),
        latencyMs: expect.any(Number),
      });
      expect(line).toHaveProperty('userId');
      expect(line).toHaveProperty('role');
      expect(line).toHaveProperty('caseReference');
    }
    // The manager's example query, as the audit trail records it.
    const example = answered.find(
      (l) => l.userId === 'manager.demo' && l.caseReference === system.exampleCaseReference,
    );
    expect(example).toMatchObject({ role: 'MASH_MANAGER', outcome: expect.any(String) });
    const audited = await system.gatewayOptions.auditStore.query(
      `SELECT "requestId", outcome FROM ${auditTable()} WHERE "requestId" = $1`,
      [example!.requestId],
    );
    expect(audited).toEqual([{ requestId: example!.requestId, outcome: example!.outcome }]);
    const outcomes = new Set(logs.lines.map((l) => l.outcome));
    for (const outcome of ['SUCCESS', 'PARTIAL', 'REFUSED']) expect(outcomes).toContain(outcome);
  });
});

function auditTable(): string {
  const schema = (system.gatewayOptions.auditStore.options as { schema?: string }).schema;
  return schema ? `"${schema}"."audit_record"` : '"audit_record"';
}

/** The value of one series in Prometheus's text format; 0 when it is not there yet. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function scrape(): Promise<string> {
  const response = await fetch(metricsUrl, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

describe('/metrics', () => {
  it('exposes each series, and each moves with requests', async () => {
    const before = await scrape();
    await realisticRun();
    const after = await scrape();
    const moved = (series: string) => {
      expect(sample(after, series)).toBeGreaterThan(sample(before, series));
    };
    moved('mash_gateway_requests_total{outcome="SUCCESS"}');
    moved('mash_gateway_requests_total{outcome="PARTIAL"}');
    moved('mash_gateway_requests_total{outcome="REFUSED"}');
    moved('mash_gateway_request_duration_seconds_count{outcome="SUCCESS"}');
    for (const subgraph of ['mash', 'social-care', 'police', 'health', 'education'])
      moved(`mash_subgraph_fetch_duration_seconds_count{subgraph="${subgraph}",result="ok"}`);
    moved('mash_audit_append_duration_seconds_count{result="ok"}');
    const withheld = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('mash_withheld_fields_total{rule="'))
        .reduce((sum, l) => sum + Number(l.split(' ')[1]), 0);
    expect(withheld(after)).toBeGreaterThan(withheld(before));
    for (const subgraph of ['police', 'health'])
      expect(
        sample(after, `mash_subgraph_circuit_state{subgraph="${subgraph}",state="closed"}`),
      ).toBe(1);
    expect(after).toContain('# TYPE mash_subgraph_retries_total counter');
  });

  it('is refused without the metrics token, and with a wrong one', async () => {
    const none = await fetch(metricsUrl);
    expect(none.status).toBe(401);
    expect(await none.text()).not.toContain('mash_');
    for (const wrong of ['Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const refused = await fetch(metricsUrl, { headers: { authorization: wrong } });
      expect(refused.status).toBe(401);
    }
  });

  it('is not served at all by a gateway given no metrics access (the default)', async () => {
    const { metrics: _metrics, ...options } = system.gatewayOptions;
    const bare = await startGateway({ ...options, port: 0 });
    try {
      const response = await fetch(bare.url.replace(/graphql$/, 'metrics'), {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(response.status).toBe(404);
    } finally {
      await bare.stop();
    }
  });
});
