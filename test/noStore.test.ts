import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { agencyCheckQuery } from '../gateway/exampleQuery';
import { Purpose, Role } from '../policies/roles';
import { DEFAULT_POPULATION } from '../synthetic/population';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';
import { subgraphCalls } from '../gateway/subgraphFetch';

/**
 * Every answer is about people: no browser, proxy or cache in between may keep one. Each answer of
 * the gateway (a check, a client's mistake, a refused body) and of every agency (its answer to the
 * gateway, its refusal of a caller that is not the gateway) says `cache-control: no-store`.
 */
let system: EmbeddedSystem;
let manager: Record<string, string>;

beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: DEFAULT_POPULATION.seed,
    families: 12,
    subgraphTimeoutMs: 5000,
  });
  manager = await requestHeaders(
    { userId: 'manager.nostore', role: Role.MASH_MANAGER, team: system.exampleTeam },
    Purpose.AGENCY_CHECK,
    system.exampleCaseReference,
  );
}, 120_000);
afterAll(() => system?.stop());

async function cacheControlOf(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  await response.arrayBuffer();
  return { status: response.status, cacheControl: response.headers.get('cache-control') };
}

it('every agency answers the gateway with no-store, in a check that reaches all of them', async () => {
  const realFetch = subgraphCalls.fetch;
  const answers: { agency: string; cacheControl: string | null }[] = [];
  const spy = jest.spyOn(subgraphCalls, 'fetch').mockImplementation(async (input, init) => {
    const response = await realFetch(input, init);
    const agency = system.subgraphs.find((s) => String(input).startsWith(s.url));
    if (agency)
      answers.push({ agency: agency.name, cacheControl: response.headers.get('cache-control') });
    return response;
  });
  try {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      agencyCheckQuery(system.exampleCaseReference),
      {},
      manager,
    );
    expect(status).toBe(200);
    expect(body.data?.caseByReference?.reference).toBe(system.exampleCaseReference);
  } finally {
    spy.mockRestore();
  }
  // Every subgraph but the audit's, which a check does not read (its own no-store is tested below).
  expect(new Set(answers.map((a) => a.agency))).toEqual(
    new Set(system.subgraphs.map((s) => s.name).filter((name) => name !== 'audit')),
  );
  expect(answers.filter((a) => a.cacheControl !== 'no-store')).toEqual([]);
});

it('the gateway says no-store on a check, a client mistake and a refused body', async () => {
  const check = JSON.stringify({ query: agencyCheckQuery(system.exampleCaseReference) });
  expect(await cacheControlOf(system.gateway.url, check, manager)).toEqual({
    status: 200,
    cacheControl: 'no-store',
  });
  const typo = JSON.stringify({ query: '{ caseByReferense(reference: "x") { reference } }' });
  expect(await cacheControlOf(system.gateway.url, typo, manager)).toEqual({
    status: 400,
    cacheControl: 'no-store',
  });
  const batch = JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]);
  expect((await cacheControlOf(system.gateway.url, batch, manager)).cacheControl).toBe('no-store');
  const unauthenticated = await cacheControlOf(system.gateway.url, check);
  expect(unauthenticated.cacheControl).toBe('no-store');
});

it('every agency says no-store when it refuses a caller that is not the gateway', async () => {
  const body = JSON.stringify({ query: '{ __typename }' });
  for (const subgraph of system.subgraphs) {
    const { status, cacheControl } = await cacheControlOf(subgraph.url, body);
    expect({ agency: subgraph.name, refused: status >= 400, cacheControl }).toEqual({
      agency: subgraph.name,
      refused: true,
      cacheControl: 'no-store',
    });
  }
});

it('every other path of every service says no-store too: health, tokens, assets, an unknown path', async () => {
  const get = async (url: string) => {
    const response = await fetch(url);
    await response.arrayBuffer();
    return { url, cacheControl: response.headers.get('cache-control') };
  };
  const gateway = new URL(system.gateway.url).origin;
  const urls = [
    ...['/health/live', '/health/ready', '/oauth/token', '/graphiql', '/no-such-path'].map(
      (path) => `${gateway}${path}`,
    ),
    ...system.subgraphs.flatMap((s) =>
      ['/health/live', '/health/ready', '/no-such-path'].map((path) => new URL(path, s.url).href),
    ),
  ];
  const answers = await Promise.all(urls.map(get));
  expect(answers.filter((a) => a.cacheControl !== 'no-store')).toEqual([]);
});
