import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { resilienceFromEnvironment } from '../gateway/agencyResilience';
import { RunningGateway, startGateway } from '../gateway/server';
import { Purpose, Role } from '../policies/roles';
import { AGENCIES } from '../subgraphs/agencies';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * A police service that misbehaves on demand, between the gateway and the real police subgraph:
 * slow, or answering with HTML, broken JSON, or data that breaks the police schema. Whatever it
 * does, the police checks are UNAVAILABLE with the reason, every other agency answers, and nothing
 * of what it sent reaches the client.
 */
/** Every agency's check field, from the registry: a new agency is held to this too. */
const CHECKS = AGENCIES.map((agency) => agency.policy.checkField);
const ANSWERED = ['FOUND', 'NONE_FOUND'];
/** Stands for whatever personal data a broken agency might put in its answer. */
const RAW = 'Raw-Content-Of-The-Agency';

type Mode = (answer: PoliceAnswer) => { status: number; type: string; body: string } | null;
type PoliceAnswer = { data?: { _entities?: ({ police?: Record<string, unknown> } | null)[] } };

/** Changes every police check in the real answer. */
const eachCheck =
  (change: (check: Record<string, unknown>) => void): Mode =>
  (answer) => {
    for (const entity of answer.data?._entities ?? []) if (entity?.police) change(entity.police);
    return { status: 200, type: 'application/json', body: JSON.stringify(answer) };
  };

let system: EmbeddedSystem;
let gateway: RunningGateway;
let proxy: Server;
let mode: Mode | null = null;
let delayMs = 0;
let headers: Record<string, string>;
let exampleCase: string;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 5, families: 12, subgraphTimeoutMs: 10_000 });
  const police = system.subgraphs.find((s) => s.name === 'police')!;
  proxy = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // Slow: answers after the delay, unless the gateway has given up and gone by then.
    if (delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        res.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (res.destroyed) return;
    }
    const forwarded = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => name.startsWith('x-') || name === 'content-type',
      ),
    ) as Record<string, string>;
    const upstream = await fetch(new URL(req.url ?? '/', police.url), {
      method: req.method,
      headers: forwarded,
      body: req.method === 'POST' ? Buffer.concat(chunks).toString() : undefined,
    });
    const text = await upstream.text();
    const broken = mode && upstream.ok ? mode(JSON.parse(text) as PoliceAnswer) : null;
    if (res.destroyed) return;
    res
      .writeHead(broken?.status ?? upstream.status, {
        'content-type': broken?.type ?? upstream.headers.get('content-type') ?? 'text/plain',
      })
      .end(broken?.body ?? text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxied = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
  const subgraphs = system.subgraphs.map((s) => (s.name === 'police' ? { ...s, url: proxied } : s));
  gateway = await startGateway({
    ...system.gatewayOptions,
    subgraphs,
    // Police alone gets a short deadline; every other agency keeps the common 10 s. No circuit
    // opens over the failures this test makes on purpose (the circuit has its own tests).
    resilience: resilienceFromEnvironment(
      subgraphs.map((s) => s.name),
      10_000,
      { SUBGRAPH_TIMEOUT_MS_POLICE: '1500', CIRCUIT_MIN_REQUESTS: '10000' },
    ),
  });
  const family = system.population.find(
    (f) =>
      f.referral?.consent === 'GIVEN' && !f.newToArea && caseStatus(f.index) === CaseStatus.OPEN,
  )!;
  exampleCase = caseReference(family.index);
  headers = await requestHeaders(
    {
      userId: 'manager.test',
      role: Role.MASH_MANAGER,
      team: MASH_TEAMS[family.index % MASH_TEAMS.length],
    },
    Purpose.AGENCY_CHECK,
    exampleCase,
  );
});

afterEach(() => {
  mode = null;
  delayMs = 0;
});

afterAll(async () => {
  await gateway?.stop();
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await system?.stop();
});

async function agencyChecks() {
  const { status, body, text } = await postGraphQL(
    gateway.url,
    agencyCheckQuery(exampleCase),
    undefined,
    headers,
  ).then(async (r) => ({ ...r, text: JSON.stringify(r.body) }));
  expect(status).toBe(200);
  return { body, text };
}

function expectPoliceAloneUnavailable(
  body: Awaited<ReturnType<typeof agencyChecks>>['body'],
  reason: RegExp,
) {
  const subjects = body.data.caseByReference.subjects;
  expect(subjects.length).toBeGreaterThan(0);
  for (const subject of subjects) {
    for (const key of CHECKS) {
      if (key === 'police') {
        expect(subject.police).toMatchObject({ status: 'UNAVAILABLE', match: null });
        expect(subject.police.reason).toMatch(reason);
      } else {
        expect(ANSWERED).toContain(subject[key].status);
      }
    }
  }
  const unavailable = body.errors!.filter((e) => e.extensions?.code === 'AGENCY_UNAVAILABLE');
  expect(unavailable.length).toBeGreaterThan(0);
  for (const error of unavailable) expect(error.extensions?.agency).toBe('police');
}

it('answers with every agency when police behaves (the proxy itself changes nothing)', async () => {
  const { body } = await agencyChecks();
  for (const subject of body.data.caseByReference.subjects)
    for (const key of CHECKS) expect(ANSWERED).toContain(subject[key].status);
});

it('a slow agency hits its own deadline, and the others answer in time', async () => {
  delayMs = 8000;
  const started = performance.now();
  const { body } = await agencyChecks();
  // Police's deadline is 1.5 s; under the common 10 s it would have waited out its 8 s delay.
  expect(performance.now() - started).toBeLessThan(6000);
  expectPoliceAloneUnavailable(body, /^Timed out after 1500 ms/);
});

describe('an agency answering with something that is not its data', () => {
  const kinds: [string, Mode, RegExp][] = [
    [
      'an HTML page',
      () => ({ status: 200, type: 'text/html', body: `<html><body>${RAW}</body></html>` }),
      /not a GraphQL response/,
    ],
    [
      'broken JSON',
      () => ({ status: 200, type: 'application/json', body: `{"data": {"_entities": [${RAW}` }),
      /not a GraphQL response/,
    ],
    [
      'an error page with a 502',
      () => ({ status: 502, type: 'text/html', body: `<h1>Bad gateway</h1>${RAW}` }),
      /answered HTTP 502/,
    ],
    [
      'a value outside its enum',
      eachCheck((check) => (check.status = RAW)),
      /does not fit its schema/,
    ],
    [
      'a number where the schema says String',
      eachCheck((check) => (check.agency = 42)),
      /does not fit its schema/,
    ],
    [
      'an object where the schema says String',
      eachCheck((check) => (check.agency = { name: RAW })),
      /does not fit its schema/,
    ],
    [
      'null in a non-null field',
      eachCheck((check) => (check.status = null)),
      /does not fit its schema/,
    ],
    [
      'a field nobody asked for',
      eachCheck((check) => (check.notes = RAW)),
      /does not fit its schema/,
    ],
    [
      'a JSON answer with neither data nor errors',
      () => ({ status: 200, type: 'application/json', body: JSON.stringify({ note: RAW }) }),
      /does not fit its schema/,
    ],
  ];

  it.each(kinds)(
    '%s: police alone is UNAVAILABLE, and nothing of it is passed on',
    async (_kind, broken, reason) => {
      mode = broken;
      const { body, text } = await agencyChecks();
      expectPoliceAloneUnavailable(body, reason);
      expect(text).not.toContain(RAW);
      expect(text).not.toMatch(/<html|<h1|127\.0\.0\.1|SyntaxError|Unexpected token/);
    },
  );
});
