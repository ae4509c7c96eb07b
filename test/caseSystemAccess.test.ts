import { execFile } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { In, IsNull, Not } from 'typeorm';
import { DEVELOPMENT_ISSUER, developmentKeyPair } from '../gateway/authentication';
import { DevelopmentServiceAccount } from '../gateway/clientCredentials';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { RunningGateway, startGateway } from '../gateway/server';
import { Purpose, Role } from '../policies/roles';
import { AuditRecord } from '../subgraphs/audit/entities';
import { Case } from '../subgraphs/mash/entities/case';
import {
  IncidentType,
  InvolvementRole,
  PoliceIncident,
  PoliceInvolvement,
} from '../subgraphs/police/entities';
import manifest from '../operations/persisted-query-manifest.json';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * Case systems are service accounts: a token by client credentials, registered operations only,
 * a bounded rate, and only the case linked to their own system's reference. Each control is tried
 * from outside, as a client would get it wrong or try to get round it.
 */
const REPO = path.join(__dirname, '..');
const exec = promisify(execFile);

const socialCare: DevelopmentServiceAccount = {
  clientId: 'csc.system.test',
  secret: randomBytes(32).toString('base64url'),
  agency: 'social-care',
};
const police: DevelopmentServiceAccount = {
  clientId: 'police.system.test',
  secret: randomBytes(32).toString('base64url'),
  agency: 'police',
};

let system: EmbeddedSystem;
let origin: string;
let caseSystemReference: string;
beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: 3,
    families: 30,
    subgraphTimeoutMs: 5000,
    serviceAccounts: [socialCare, police],
  });
  origin = new URL(system.gateway.url).origin;
  caseSystemReference = system.savedOperations.find((o) => o.key === 'case-system')!.caseReference!;
}, 120_000);
afterAll(() => system?.stop());

const hashOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;
const bodyOf = (name: string) => manifest.operations.find((o) => o.name === name)!.body;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function tokenRequest(
  form: Record<string, string>,
  options: { basic?: [string, string]; query?: string; contentType?: string; method?: string } = {},
) {
  const headers: Record<string, string> = {
    'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
  };
  if (options.basic) {
    const [id, secret] = options.basic.map(encodeURIComponent);
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  }
  const response = await fetch(`${origin}/oauth/token${options.query ?? ''}`, {
    method: options.method ?? 'POST',
    headers,
    body: options.method === 'GET' ? undefined : new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function tokenFor(account: DevelopmentServiceAccount): Promise<string> {
  const { status, body } = await tokenRequest(
    { grant_type: 'client_credentials' },
    { basic: [account.clientId, account.secret] },
  );
  expect(status).toBe(200);
  return body.access_token as string;
}

/** A GraphQL request as a case system sends it: by hash unless a document is given. */
async function asCaseSystem(
  token: string,
  request: {
    operation?: string;
    query?: string;
    hash?: string;
    variables?: Record<string, unknown>;
    purpose?: string;
    declare?: string;
  },
  url = system.gateway.url,
): Promise<{ status: number; body: GraphQLBody; requestId: string; retryAfter: string | null }> {
  const hash = request.hash ?? (request.operation ? hashOf(request.operation) : undefined);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-mash-purpose': request.purpose ?? Purpose.CASE_HISTORY,
      'x-mash-case': request.declare ?? caseSystemReference,
    },
    body: JSON.stringify({
      query: request.query,
      variables: request.variables ?? { reference: system.exampleCaseReference },
      ...(hash ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : {}),
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as GraphQLBody,
    requestId: response.headers.get('x-request-id')!,
    retryAfter: response.headers.get('retry-after'),
  };
}

const codes = (body: GraphQLBody) => (body.errors ?? []).map((e) => e.extensions?.code);

async function auditRecord(requestId: string): Promise<AuditRecord> {
  const repository = system.gatewayOptions.auditStore.getRepository(AuditRecord);
  const record = await repository.findOneBy({ requestId });
  expect(record).not.toBeNull();
  return record!;
}

describe('the token endpoint (client credentials)', () => {
  it('issues a short-lived token naming the registered client, its role and its system', async () => {
    const { status, headers, body } = await tokenRequest(
      { grant_type: 'client_credentials' },
      { basic: [socialCare.clientId, socialCare.secret] },
    );
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    const claims = decodeJwt(body.access_token as string);
    expect(claims).toMatchObject({
      sub: socialCare.clientId,
      client_id: socialCare.clientId,
      role: Role.CASE_SYSTEM,
      agency: 'social-care',
      iss: DEVELOPMENT_ISSUER,
      aud: 'mash-gateway',
    });
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(decodeProtectedHeader(body.access_token as string).typ).toBe('at+jwt');
  });

  it('takes the credentials in the form body too, and the token works at the gateway', async () => {
    const { status, body } = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: socialCare.clientId,
      client_secret: socialCare.secret,
    });
    expect(status).toBe(200);
    const answer = await asCaseSystem(body.access_token as string, {
      operation: 'CaseSystemHistory',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.caseByReference.reference).toBe(system.exampleCaseReference);
  });

  it.each([
    ['a wrong secret', [socialCare.clientId, `${socialCare.secret}x`]],
    ['another client’s secret', [socialCare.clientId, police.secret]],
    ['an unknown client', ['nobody.test', socialCare.secret]],
    ['an empty secret', [socialCare.clientId, '']],
  ] as [string, [string, string]][])('refuses %s: 401 invalid_client', async (_what, basic) => {
    const { status, headers, body } = await tokenRequest(
      { grant_type: 'client_credentials' },
      { basic },
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(body.access_token).toBeUndefined();
    expect(headers.get('www-authenticate')).toMatch(/^Basic /);
    // Audited as a refusal, and nothing of the credentials kept.
    const record = await auditRecord(headers.get('x-request-id')!);
    expect(record).toMatchObject({ outcome: 'REFUSED', agentUserId: null });
    expect(record.denied[0]).toMatchObject({ code: 'UNAUTHENTICATED', rule: 'client-credentials' });
    if (basic[1]) expect(JSON.stringify(record)).not.toContain(basic[1]);
  });

  it('refuses no credentials at all, and a client id without its secret: 401 invalid_client', async () => {
    const forms: Record<string, string>[] = [
      { grant_type: 'client_credentials' },
      { grant_type: 'client_credentials', client_id: socialCare.clientId },
    ];
    for (const form of forms) {
      const { status, body } = await tokenRequest(form);
      expect([status, body.error]).toEqual([401, 'invalid_client']);
    }
  });

  it('refuses another grant (400 unsupported_grant_type) and no grant (400 invalid_request)', async () => {
    const basic: [string, string] = [socialCare.clientId, socialCare.secret];
    for (const grant of ['password', 'authorization_code', 'refresh_token']) {
      const { status, body } = await tokenRequest({ grant_type: grant }, { basic });
      expect([status, body.error, body.access_token]).toEqual([
        400,
        'unsupported_grant_type',
        undefined,
      ]);
    }
    const { status, body } = await tokenRequest({}, { basic });
    expect([status, body.error]).toEqual([400, 'invalid_request']);
  });

  it('refuses the right secret in the wrong place: in the address, twice, as JSON, by GET', async () => {
    const secretInAddress = `?client_id=${socialCare.clientId}&client_secret=${encodeURIComponent(socialCare.secret)}`;
    const tries = [
      tokenRequest({ grant_type: 'client_credentials' }, { query: secretInAddress }),
      tokenRequest(
        { grant_type: 'client_credentials', client_secret: socialCare.secret },
        { basic: [socialCare.clientId, socialCare.secret] },
      ),
      tokenRequest(
        { grant_type: 'client_credentials', client_id: socialCare.clientId },
        { basic: [socialCare.clientId, socialCare.secret] },
      ),
      tokenRequest(
        {
          grant_type: 'client_credentials',
          client_id: socialCare.clientId,
          client_secret: socialCare.secret,
        },
        { contentType: 'application/json' },
      ),
      tokenRequest({}, { method: 'GET', query: secretInAddress }),
    ];
    for (const { status, headers, body } of await Promise.all(tries)) {
      expect([status, body.error, body.access_token]).toEqual([400, 'invalid_request', undefined]);
      const record = await auditRecord(headers.get('x-request-id')!);
      expect(record.denied[0]).toMatchObject({ code: 'BAD_REQUEST', rule: 'client-credentials' });
      expect(JSON.stringify(record)).not.toContain(socialCare.secret);
    }
    // A parameter given twice is refused (RFC 6749 §3.2), even when both copies are right.
    const twice = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${socialCare.clientId}&client_id=${socialCare.clientId}&client_secret=${encodeURIComponent(socialCare.secret)}`,
    });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('the gateway refuses an expired service-account token and one for another audience: 401', async () => {
    const { privateKey } = await developmentKeyPair();
    const now = Math.floor(Date.now() / 1000);
    const sign = (audience: string, issuedAt: number, expires: number) =>
      new SignJWT({ role: Role.CASE_SYSTEM, agency: 'social-care', client_id: socialCare.clientId })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .setSubject(socialCare.clientId)
        .setIssuer(DEVELOPMENT_ISSUER)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expires)
        .sign(privateKey);
    const expired = await sign('mash-gateway', now - 400, now - 100);
    const elsewhere = await sign('another-service', now, now + 300);
    for (const token of [expired, elsewhere]) {
      const answer = await asCaseSystem(token, { operation: 'CaseSystemHistory' });
      expect(answer.status).toBe(401);
      expect(codes(answer.body)).toEqual(['UNAUTHENTICATED']);
      expect(answer.body.data ?? null).toBeNull();
    }
  });
});

describe('registered operations only, for service accounts', () => {
  let token: string;
  beforeAll(async () => {
    token = await tokenFor(socialCare);
  });

  it('runs a registered operation by its hash alone, and the audit names the service account', async () => {
    const answer = await asCaseSystem(token, { operation: 'SubjectHistory' });
    expect(answer.status).toBe(200);
    expect(answer.body.data.caseByReference.subjects.length).toBeGreaterThan(0);
    const record = await auditRecord(answer.requestId);
    expect(record).toMatchObject({
      agentUserId: socialCare.clientId,
      agentRole: Role.CASE_SYSTEM,
      agentAgency: 'social-care',
      purposeOfUse: Purpose.CASE_HISTORY,
      caseReference: system.exampleCaseReference,
      operationName: 'SubjectHistory',
    });
    expect(record.outcome).not.toBe('REFUSED');
  });

  it('runs a registered operation sent whole, laid out otherwise and with comments', async () => {
    const relaid = `# my own copy\n${bodyOf('CaseSystemHistory').replace(/\n\s*/g, ' ')}`;
    const answer = await asCaseSystem(token, { query: relaid });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });

  it.each([
    [
      'a query of its own',
      `query Mine($reference: String!) { caseByReference(reference: $reference) { subjects { givenName police { incidents { summary } } } } }`,
    ],
    [
      'a registered operation with one field more',
      bodyOf('CaseSystemHistory').replace('nhsNumber', 'nhsNumber postcode'),
    ],
    [
      'the registered chronology with one field more',
      bodyOf('CaseChronology').replace('roleInHousehold', 'roleInHousehold dateOfBirth'),
    ],
    [
      'a registered operation beside another in one document',
      `${bodyOf('CaseSystemHistory')}\nquery Other { cases { totalCount } }`,
    ],
    ['an anonymous query', '{ cases { totalCount } }'],
  ])(
    'refuses %s: 403 OPERATION_NOT_REGISTERED, no data, audited as its refusal',
    async (_what, query) => {
      const answer = await asCaseSystem(token, {
        query,
        variables: { reference: system.exampleCaseReference },
      });
      expect(answer.status).toBe(403);
      expect(codes(answer.body)).toEqual(['OPERATION_NOT_REGISTERED']);
      expect(answer.body.data ?? null).toBeNull();
      const record = await auditRecord(answer.requestId);
      expect(record).toMatchObject({ agentUserId: socialCare.clientId, outcome: 'REFUSED' });
    },
  );

  it('refuses a hash that is not registered, even one a person taught the gateway (APQ)', async () => {
    const query = 'query Taught { cases { totalCount } }';
    // A person registers it by Apollo's automatic persisted queries: allowed for people.
    const manager = await requestHeaders(
      { userId: 'manager.test', role: Role.MASH_MANAGER, team: system.exampleTeam },
      Purpose.AGENCY_CHECK,
      null,
    );
    const taught = await fetch(system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...manager },
      body: JSON.stringify({
        query,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } },
      }),
    });
    expect(taught.status).toBe(200);
    for (const hash of [sha256(query), sha256('never seen'), 'not-a-hash']) {
      const answer = await asCaseSystem(token, { hash });
      expect(answer.status).toBe(403);
      expect(codes(answer.body)).toEqual(['OPERATION_NOT_REGISTERED']);
      expect((await auditRecord(answer.requestId)).agentUserId).toBe(socialCare.clientId);
    }
  });

  it('refuses a registered hash sent with a different document: 400, no data', async () => {
    const answer = await asCaseSystem(token, {
      hash: hashOf('CaseSystemHistory'),
      query: `query CaseSystemHistory($reference: String!) { caseByReference(reference: $reference) { subjects { police { incidents { summary } } } } }`,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
  });

  it('binds every case-system token, a development one too', async () => {
    const headers = await requestHeaders(
      { userId: 'case-system.social-care.demo', role: Role.CASE_SYSTEM, agency: 'social-care' },
      Purpose.CASE_HISTORY,
      caseSystemReference,
    );
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `{ caseByReference(reference: "${system.exampleCaseReference}") { reference } }`,
      undefined,
      headers,
    );
    expect(status).toBe(403);
    expect(codes(body)).toEqual(['OPERATION_NOT_REGISTERED']);
  });

  it('leaves a person’s session alone: any operation the policies allow, by document or by hash', async () => {
    const headers = await requestHeaders(
      { userId: 'manager.test', role: Role.MASH_MANAGER, team: system.exampleTeam },
      Purpose.AGENCY_CHECK,
      system.exampleCaseReference,
    );
    const own = await postGraphQL(
      system.gateway.url,
      `query NotRegistered { caseByReference(reference: "${system.exampleCaseReference}") { reference subjects { givenName } } }`,
      undefined,
      headers,
    );
    expect(own.status).toBe(200);
    expect(own.body.errors).toBeUndefined();
    const byHash = await fetch(system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        variables: { reference: system.exampleCaseReference },
        extensions: { persistedQuery: { version: 1, sha256Hash: hashOf('CaseSystemHistory') } },
      }),
    });
    expect(byHash.status).toBe(200);
    const answer = (await byHash.json()) as GraphQLBody;
    expect(answer.data.caseByReference.reference).toBe(system.exampleCaseReference);
  });
});

describe('a case system reaches only the case linked to its own reference', () => {
  let token: string;
  let otherLinked: Case;
  let unlinked: Case;
  beforeAll(async () => {
    token = await tokenFor(socialCare);
    const cases = system.subgraphs
      .find((s) => s.name === 'mash')!
      .database.dataSource.getRepository(Case);
    otherLinked = (await cases.findOne({
      where: {
        externalReference: Not(IsNull()),
        reference: Not(system.exampleCaseReference),
        status: 'OPEN' as never,
      },
    }))!;
    // A case the hub has not linked to any case system (a referral not yet known to social care).
    unlinked = (await cases.findOne({
      where: {
        externalReference: Not(IsNull()),
        reference: Not(In([system.exampleCaseReference, otherLinked.reference])),
        status: 'OPEN' as never,
      },
    }))!;
    expect(otherLinked).toBeTruthy();
    expect(unlinked).toBeTruthy();
    await cases.update({ id: unlinked.id }, { externalReference: null, externalSystem: null });
  });

  /** Nothing of the refused case's subjects (names, dates of birth, records) is in the answer. */
  function expectNothingOf(body: GraphQLBody) {
    expect(body.data?.caseByReference ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/"givenName"|"dateOfBirth"|"subjects"|"incidents"/);
  }

  it('declaring its own reference, it cannot name another case: refused, nothing of it sent', async () => {
    const answer = await asCaseSystem(token, {
      operation: 'SubjectHistory',
      variables: { reference: otherLinked.reference },
    });
    expect(codes(answer.body)).toContain('NOT_ASSIGNED');
    expectNothingOf(answer.body);
  });

  it('a case not linked to its system, named by the hub’s reference: NOT_ASSIGNED', async () => {
    const answer = await asCaseSystem(token, {
      operation: 'SubjectHistory',
      declare: unlinked.reference,
      variables: { reference: unlinked.reference },
    });
    expect(codes(answer.body)).toContain('NOT_ASSIGNED');
    expectNothingOf(answer.body);
  });

  it('its own case named by the hub’s reference instead of its own: NOT_ASSIGNED', async () => {
    const answer = await asCaseSystem(token, {
      operation: 'SubjectHistory',
      declare: system.exampleCaseReference,
    });
    expect(codes(answer.body)).toContain('NOT_ASSIGNED');
    expect(answer.body.data.caseByReference).toBeNull();
  });

  it('another agency’s case system, with its own valid token, cannot reach social care’s case', async () => {
    const answer = await asCaseSystem(await tokenFor(police), { operation: 'SubjectHistory' });
    expect(codes(answer.body)).toContain('NOT_ASSIGNED');
    expect(answer.body.data.caseByReference).toBeNull();
    expect((await auditRecord(answer.requestId)).agentUserId).toBe(police.clientId);
  });

  it.each(['CaseChronology', 'SubjectChronologyChanges', 'CumulativePicture'])(
    'its chronology, change feed and picture reach no subject of another case: %s is NOT_ASSIGNED',
    async (operation) => {
      const answer = await asCaseSystem(token, {
        operation,
        variables: { reference: otherLinked.reference },
      });
      expect(codes(answer.body)).toContain('NOT_ASSIGNED');
      expectNothingOf(answer.body);
      expect(JSON.stringify(answer.body)).not.toMatch(
        /"edges"|"events"|"counts"|"recordReference"/,
      );
    },
  );

  it.each([Purpose.AGENCY_CHECK, Purpose.STRATEGY_DISCUSSION, Purpose.AUDIT])(
    'it cannot act for %s: WRONG_PURPOSE, nothing sent',
    async (purpose) => {
      const answer = await asCaseSystem(token, { operation: 'SubjectHistory', purpose });
      expect(codes(answer.body)).toContain('WRONG_PURPOSE');
      expect(answer.body.data.caseByReference).toBeNull();
    },
  );
});

describe('the rate limit per service account', () => {
  let limited: RunningGateway;
  beforeAll(async () => {
    // Another gateway like the system's, with a limit small enough to reach.
    limited = await startGateway({
      ...system.gatewayOptions,
      port: 0,
      serviceAccountRateLimit: { requests: 3, windowSeconds: 2 },
    });
  });
  afterAll(() => limited?.stop());

  it('trips with 429, RATE_LIMITED and Retry-After, counts each account apart, spares people, and recovers', async () => {
    const token = await tokenFor(socialCare);
    const send = () => asCaseSystem(token, { operation: 'CaseSystemHistory' }, limited.url);
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
    expect(refused.body.data ?? null).toBeNull();
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(refused.body.errors![0].extensions).toMatchObject({ retryAfter, limit: 3 });
    const record = await auditRecord(refused.requestId);
    expect(record).toMatchObject({ agentUserId: socialCare.clientId, outcome: 'REFUSED' });
    expect(record.denied[0]).toMatchObject({
      code: 'RATE_LIMITED',
      rule: 'service-account-rate-limit',
    });

    // Another service account has its own count; a person is not counted at all.
    const other = await asCaseSystem(
      await tokenFor(police),
      { operation: 'CaseSystemHistory' },
      limited.url,
    );
    expect(other.status).toBe(200);
    const manager = await requestHeaders(
      { userId: 'manager.test', role: Role.MASH_MANAGER, team: system.exampleTeam },
      Purpose.AGENCY_CHECK,
      system.exampleCaseReference,
    );
    for (let i = 0; i < 5; i++) {
      const { status } = await postGraphQL(
        limited.url,
        `{ caseByReference(reference: "${system.exampleCaseReference}") { reference } }`,
        undefined,
        manager,
      );
      expect(status).toBe(200);
    }
    expect((await send()).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    expect((await send()).status).toBe(200);
  }, 30_000);
});

describe('the example client (examples/caseSystemClient.mjs)', () => {
  type Event = {
    agency: string;
    occurredAt: string;
    kind: string;
    summary: string | null;
    summaryWithheld: { rule: string } | null;
    recordReference: string;
    subjectIds: string[];
  };
  type Printed = {
    case: { reference: string; subjects: { id: string; givenName: string }[] };
    chronology: { totalCount: number; pages: number; events: Event[]; withheld: unknown[] };
    changes: { poll: number; events: Event[] }[];
    cursors: Record<string, string>;
    withheld: { code: string }[];
  };
  const key = (e: Event) => `${e.agency}|${e.recordReference}`;

  async function runClient(settings: Record<string, string> = {}): Promise<Printed> {
    const { stdout } = await exec('node', ['examples/caseSystemClient.mjs'], {
      cwd: REPO,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        MASH_GATEWAY: origin,
        MASH_CLIENT_ID: socialCare.clientId,
        MASH_CLIENT_SECRET: socialCare.secret,
        MASH_CASE_SYSTEM_REFERENCE: caseSystemReference,
        MASH_CASE_REFERENCE: system.exampleCaseReference,
        MASH_OUTPUT: 'json',
        ...settings,
      },
    });
    return JSON.parse(stdout) as Printed;
  }

  it('pulls the chronology page by page: every event once, in the order of one big page', async () => {
    const printed = await runClient({ MASH_PAGE_SIZE: '3' });
    const whole = await asCaseSystem(await tokenFor(socialCare), {
      operation: 'CaseChronology',
      variables: { reference: system.exampleCaseReference, first: 100 },
    });
    expect(whole.status).toBe(200);
    const chronology = whole.body.data.caseByReference.chronology;
    expect(chronology.pageInfo.hasNextPage).toBe(false);
    const all = chronology.edges.map((edge: { node: Event }) => edge.node) as Event[];
    // More than one page, so the page boundaries were crossed.
    expect(all.length).toBeGreaterThan(3);
    expect(printed.chronology.pages).toBe(Math.ceil(all.length / 3));
    expect(printed.chronology.totalCount).toBe(all.length);
    expect(printed.chronology.events.map(key)).toEqual(all.map(key));
    expect(new Set(printed.chronology.events.map(key)).size).toBe(all.length);
    expect(printed.chronology.withheld).toEqual(chronology.withheld);
    // The same case and people a manager sees, in time order.
    expect(printed.case.reference).toBe(system.exampleCaseReference);
    const dates = printed.chronology.events.map((e) => e.occurredAt);
    expect(dates).toEqual([...dates].sort());
    // Every police incident a manager sees for the household is in it, once.
    const manager = await requestHeaders(
      { userId: 'manager.test', role: Role.MASH_MANAGER, team: system.exampleTeam },
      Purpose.AGENCY_CHECK,
      system.exampleCaseReference,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      `{ caseByReference(reference: "${system.exampleCaseReference}") { subjects { givenName police { incidents { recordId } } } } }`,
      undefined,
      manager,
    );
    expect(printed.case.subjects.map((s) => s.givenName).sort()).toEqual(
      body.data.caseByReference.subjects.map((s: { givenName: string }) => s.givenName).sort(),
    );
    const incidents = new Set<string>(
      body.data.caseByReference.subjects.flatMap(
        (s: { police: { incidents: { recordId: string }[] | null } }) =>
          (s.police.incidents ?? []).map((i) => i.recordId),
      ),
    );
    expect(incidents.size).toBeGreaterThan(0);
    const police = printed.chronology.events.filter((e) => e.agency === 'police');
    for (const id of incidents)
      expect(police.filter((e) => e.recordReference === id)).toHaveLength(1);
    // Each pull is audited under the service account, by its registered operation's name.
    const audited = await system.gatewayOptions.auditStore
      .getRepository(AuditRecord)
      .findBy({ agentUserId: socialCare.clientId, caseReference: system.exampleCaseReference });
    const names = new Set(audited.map((r) => r.operationName));
    for (const name of ['CaseSystemHistory', 'CaseChronology', 'SubjectChronologyChanges'])
      expect(names).toContain(name);
  });

  it('reads the cumulative picture under its purpose: the counts are the chronology it pulled, counted', async () => {
    const token = await tokenFor(socialCare);
    const [printed, answer] = await Promise.all([
      runClient(),
      asCaseSystem(token, { operation: 'CumulativePicture' }),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    const household = answer.body.data.caseByReference.cumulativePicture as {
      counts: { agency: string; kind: string; total: number; first: string; last: string }[];
    };
    const byKind = new Map<string, Event[]>();
    for (const e of printed.chronology.events) {
      const k = `${e.agency}|${e.kind}`;
      byKind.set(k, [...(byKind.get(k) ?? []), e]);
    }
    expect(household.counts.map((c) => `${c.agency}|${c.kind}`).sort()).toEqual(
      [...byKind.keys()].sort(),
    );
    for (const c of household.counts) {
      const events = byKind.get(`${c.agency}|${c.kind}`)!;
      expect([c.total, c.first, c.last]).toEqual([
        events.length,
        events[0].occurredAt,
        events.at(-1)!.occurredAt,
      ]);
    }
  });

  it('polls the change feed from its saved cursors: a record added since is there once, nothing else', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'case-system-'));
    const settings = { MASH_CURSOR_FILE: path.join(dir, 'cursors.json'), MASH_PAGE_SIZE: '7' };
    try {
      const first = await runClient(settings);
      expect(first.changes).toHaveLength(1);
      expect(first.changes[0].events).toEqual([]);
      expect(Object.keys(first.cursors).sort()).toEqual(
        first.case.subjects.map((s) => s.id).sort(),
      );

      // The police record an incident about two of the household's people after the pull: it
      // is in both people's feeds, and the client prints it once.
      const police = system.subgraphs.find((s) => s.name === 'police')!.database.dataSource;
      const known = first.chronology.events
        .filter((e) => e.agency === 'police')
        .map((e) => e.recordReference);
      const people = [
        ...new Set(
          (
            await police.getRepository(PoliceInvolvement).findBy({ incident: { id: In(known) } })
          ).map((i) => i.personId),
        ),
      ].slice(0, 2);
      expect(people).toHaveLength(2);
      const added = randomUUID();
      await police.getRepository(PoliceIncident).insert({
        id: added,
        occurredAt: new Date(),
        type: IncidentType.CONCERN_FOR_WELFARE,
        summary: 'Two children found alone at the address late at night.',
        domesticAbuseRisk: null,
        requiresCustodianRelease: false,
      });
      await police.getRepository(PoliceInvolvement).insert(
        people.map((personId) => ({
          personId,
          incident: { id: added } as PoliceIncident,
          role: InvolvementRole.SUBJECT_OF_CONCERN,
        })),
      );

      const second = await runClient(settings);
      expect(second.changes[0].events.map(key)).toEqual([`police|${added}`]);
      const [change] = second.changes[0].events;
      expect(change).toMatchObject({
        kind: 'CONCERN_FOR_WELFARE',
        summary: 'Two children found alone at the address late at night.',
      });
      expect(change.subjectIds).toHaveLength(2);
      expect(second.chronology.events.filter((e) => e.recordReference === added)).toHaveLength(1);
      expect(second.chronology.totalCount).toBe(first.chronology.totalCount + 1);
      // And from its new cursors, nothing again.
      expect((await runClient(settings)).changes[0].events).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
