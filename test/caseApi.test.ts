import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { startTestSystem } from './testSystem';
import { Purpose, Role } from '../policies/roles';
import { earlierReferral, MASH_TEAMS } from '../subgraphs/mash/data';
import { postGraphQL, requestHeaders } from './graphqlClient';

let system: EmbeddedSystem;
let manager: Record<string, string>;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 3, families: 30, subgraphTimeoutMs: 2000 });
  manager = await managerOn(system.exampleCaseReference, system.exampleTeam);
});
afterAll(() => system?.stop());

function managerOn(caseReference: string | null, team = MASH_TEAMS[0]) {
  return requestHeaders(
    { userId: 'manager.test', role: Role.MASH_MANAGER, team },
    Purpose.AGENCY_CHECK,
    caseReference,
  );
}

const query = (text: string, variables?: Record<string, unknown>, headers = manager) =>
  postGraphQL(system.gateway.url, text, variables, headers);

describe('cases', () => {
  it('pages through every case once, in reference order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await query(
        'query Page($after: String) { cases(first: 4, after: $after) { totalCount edges { cursor node { reference } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      expect(body.errors).toBeUndefined();
      const page = body.data.cases;
      seen.push(...page.edges.map((e: { node: { reference: string } }) => e.node.reference));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Every current referral's case, and the closed case of each earlier referral.
    const referred =
      system.population.filter((f) => f.referral).length +
      system.population.filter((f) => earlierReferral(f)).length;
    expect(seen).toHaveLength(referred);
    expect(new Set(seen).size).toBe(referred);
    expect([...seen].sort()).toEqual(seen);
  });

  it('finds the declared case by id with its referral and household', async () => {
    const { body: found } = await query(
      'query ($r: String!) { caseByReference(reference: $r) { id } }',
      { r: system.exampleCaseReference },
    );
    const id = found.data.caseByReference.id;
    const reference = system.exampleCaseReference;
    const { body } = await query(
      'query ($id: ID!) { case(id: $id) { reference referral { referrerType concerns } subjects { roleInHousehold } } }',
      { id },
    );
    expect(body.data.case.reference).toBe(reference);
    expect(body.data.case.referral.concerns).toEqual(expect.any(String));
    expect(
      body.data.case.subjects.map((s: { roleInHousehold: string }) => s.roleInHousehold),
    ).toContain('CHILD');
  });

  it('refuses a case that does not exist, without saying more', async () => {
    const headers = await managerOn('MASH-2026-999999');
    const { body } = await query(
      '{ caseByReference(reference: "MASH-2026-999999") { id } }',
      undefined,
      headers,
    );
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({
      code: 'CASE_REQUIRED',
      rule: 'case-is-declared',
    });
  });
});

describe('bad input', () => {
  // Each gets a clear error with a code: never a crash, never a stack trace.
  const badRequests: [string, string, string][] = [
    ['a case other than the declared one', '{ case(id: "42") { id } }', 'NOT_ASSIGNED'],
    ['a page size of zero', '{ cases(first: 0) { totalCount } }', 'BAD_USER_INPUT'],
    ['a page size over the limit', '{ cases(first: 1000) { totalCount } }', 'BAD_USER_INPUT'],
    ['a cursor this API never gave', '{ cases(after: "bm9wZQ") { totalCount } }', 'BAD_USER_INPUT'],
    ['a field that does not exist', '{ cases { shoeSize } }', 'GRAPHQL_VALIDATION_FAILED'],
    ['a query that does not parse', '{ cases { ', 'GRAPHQL_PARSE_FAILED'],
  ];

  it.each(badRequests)('%s', async (_what, text, code) => {
    const { status, body } = await query(text);
    expect(status).toBeLessThan(500);
    expect(body.errors?.[0].extensions?.code).toBe(code);
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('answers a body that is not JSON with 400, not a crash', async () => {
    const response = await fetch(system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message:
            'The request body is not valid JSON: send the query as a POST with content-type: application/json and a JSON body.',
          extensions: { code: 'BAD_REQUEST', requestId: expect.any(String) },
        },
      ],
    });
    const again = await query('{ cases(first: 1) { totalCount } }');
    expect(again.body.data.cases.totalCount).toBeGreaterThan(0);
  });
});

describe('GraphiQL', () => {
  it('is served from this machine, with the example agency-check query loaded', async () => {
    const page = await fetch(system.gateway.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(html).toContain(system.exampleCaseReference);
    expect(html).not.toMatch(/https?:\/\/(?!localhost)/);
    for (const asset of ['react.js', 'react-dom.js', 'graphiql.js', 'graphiql.css']) {
      expect(html).toContain(`/graphiql/${asset}`);
      const file = await fetch(new URL(`/graphiql/${asset}`, system.gateway.url));
      expect(file.status).toBe(200);
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });
});
