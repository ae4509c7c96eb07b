import type { DataSource } from 'typeorm';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { MAX_DENIAL_ERRORS } from '../gateway/policyEnforcement';
import { DEFAULT_QUERY_LIMITS } from '../gateway/queryLimits';
import { Purpose, Role } from '../policies/roles';
import { UNVERIFIED_MATCH_POLICY } from '../policies/unverifiedMatch';
import { AuditRecord } from '../subgraphs/audit/entities';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { DEFAULT_POPULATION, SyntheticFamily } from '../synthetic/population';
import { stableUuid } from '../synthetic/stableUuid';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * The policy step reads an operation as execution runs it: aliases, fragments repeated, variables
 * with defaults and nulls, directives and nesting cannot make it record, withhold or error
 * differently from what is answered (issue 12 findings 2, 4, 5; issue 13 item 6).
 */
let system: EmbeddedSystem;
let store: DataSource;
let consented: SyntheticFamily;

beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: DEFAULT_POPULATION.seed,
    families: 12,
    subgraphTimeoutMs: 3000,
  });
  store = system.subgraphs.find((s) => s.name === 'audit')!.database.dataSource;
  consented = system.population.find(
    (f) =>
      f.referral &&
      !f.newToArea &&
      caseStatus(f.index) === CaseStatus.OPEN &&
      f.referral.consent === 'GIVEN' &&
      f.members.length >= 2,
  )!;
});
afterAll(() => system?.stop());

const ref = () => caseReference(consented.index);
const manager = () =>
  requestHeaders(
    {
      userId: 'manager.enforcement',
      role: Role.MASH_MANAGER,
      team: MASH_TEAMS[consented.index % MASH_TEAMS.length],
    },
    Purpose.AGENCY_CHECK,
    ref(),
  );
const subjectIdsOf = (family: SyntheticFamily) =>
  family.members.map((m) => stableUuid('mash', 'subject', m.personKey)).sort();
const lastRecord = async () =>
  (await store.getRepository(AuditRecord).find({ order: { sequence: 'DESC' }, take: 1 }))[0];

describe("the audit's subjects come from the gateway, not from a name the client chose", () => {
  it.each(['nhsNumber', 'givenName'])(
    'a client field aliased _auditSubjectId (%s) neither hides nor poisons the subjects recorded',
    async (field) => {
      const { status, body } = await postGraphQL(
        system.gateway.url,
        `query ($ref: String!) { caseByReference(reference: $ref) { subjects { _auditSubjectId: ${field} givenName health { contacts { kind } } } } }`,
        { ref: ref() },
        await manager(),
      );
      expect(status).toBe(200);
      // The client gets what it asked for under its alias…
      const subjects = body.data.caseByReference.subjects;
      expect(Object.keys(subjects[0])).toEqual(['_auditSubjectId', 'givenName', 'health']);
      // …and the audit records the subjects' real ids, found by IG's subject search.
      const record = await lastRecord();
      expect(record.subjectIds.sort()).toEqual(subjectIdsOf(consented));
      const ig = await requestHeaders(
        { userId: 'ig.enforcement', role: Role.IG_OFFICER },
        Purpose.AUDIT,
        null,
      );
      const trail = await postGraphQL(
        system.gateway.url,
        'query ($s: ID) { auditTrail(subjectId: $s, first: 500) { entries { sequence } } }',
        { s: subjectIdsOf(consented)[0] },
        ig,
      );
      expect(
        trail.body.data.auditTrail.entries.map((e: { sequence: number }) => e.sequence),
      ).toContain(record.sequence);
    },
  );

  it("refuses an alias or field in the gateway's own namespace", async () => {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { _gatewayId: givenName } } }`,
      { ref: ref() },
      await manager(),
    );
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0].message).toContain('_gateway');
    expect((await lastRecord()).outcome).toBe('REFUSED');
  });
});

describe('denials, one per response path, bounded', () => {
  // Each fragment spreads the next twice: 2^17 expansions if fragments are walked, not merged.
  const doubling = (n: number) => {
    let text = `query ($ref: String!) { caseByReference(reference: $ref) { subjects { health { contacts { ...F0 } } } } }`;
    for (let i = 0; i < n; i++)
      text += `\nfragment F${i} on HealthContact { ...F${i + 1} ...F${i + 1} }`;
    return `${text}\nfragment F${n} on HealthContact { kind summary }`;
  };

  it('fragments repeated 2^17 times answer one error per withheld path, quickly', async () => {
    const started = Date.now();
    const { status, body } = await postGraphQL(
      system.gateway.url,
      doubling(17),
      { ref: ref() },
      await manager(),
    );
    const elapsed = Date.now() - started;
    expect(status).toBe(200);
    const paths = body.data.caseByReference.subjects.flatMap(
      (s: { health: { contacts: unknown[] | null } | null }, i: number) =>
        (s.health?.contacts ?? []).map(
          (_, j) => `caseByReference.subjects.${i}.health.contacts.${j}.summary`,
        ),
    );
    expect(paths.length).toBeGreaterThan(0);
    // A possible match (the data's identity noise decides which) withholds the whole check instead.
    const [unverified, denied] = partition(
      body.errors!,
      (e) => e.extensions?.code === UNVERIFIED_MATCH_POLICY.code,
    );
    for (const e of unverified)
      expect(e.path!.join('.')).toMatch(/^caseByReference\.subjects\.\d+\.health\.contacts$/);
    const errorPaths = denied.map((e) => e.path!.join('.'));
    expect(errorPaths.sort()).toEqual(paths.sort());
    expect(new Set(errorPaths).size).toBe(errorPaths.length);
    expect(JSON.stringify(body).length).toBeLessThan(200_000);
    expect(elapsed).toBeLessThan(5000);
    const record = await lastRecord();
    expect(record.denied.filter((d) => d.code !== UNVERIFIED_MATCH_POLICY.code)).toEqual([
      expect.objectContaining({
        path: 'caseByReference.subjects.*.health.contacts.*.summary',
        code: 'NEED_TO_KNOW',
        count: paths.length,
      }),
    ]);
    expect(record.denied.length).toBe(unverified.length ? 2 : 1);
  });

  it(`sends at most ${MAX_DENIAL_ERRORS} denial errors and then says how many more; the audit counts them all`, async () => {
    const aliases = Array.from({ length: 120 }, (_, i) => `s${i}: summary`).join(' ');
    const { body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { health { match { needsVerification } contacts { kind ${aliases} } } } } }`,
      { ref: ref() },
      await manager(),
    );
    const contacts = body.data.caseByReference.subjects.reduce(
      (n: number, s: { health: { contacts: unknown[] | null } | null }) =>
        n + (s.health?.contacts?.length ?? 0),
      0,
    );
    expect(contacts).toBeGreaterThan(0);
    // Possible matches (the data's identity noise decides which) are one denial each, of the check.
    const unverified = body.data.caseByReference.subjects.filter(
      (s: { health: { match: { needsVerification: boolean } | null } | null }) =>
        s.health?.match?.needsVerification,
    ).length;
    const denials = body.errors!.filter((e) => e.extensions?.code !== 'TOO_MANY_DENIALS');
    expect(denials).toHaveLength(MAX_DENIAL_ERRORS);
    const summary = body.errors!.find((e) => e.extensions?.code === 'TOO_MANY_DENIALS')!;
    expect(summary.extensions).toMatchObject({
      count: contacts * 120 + unverified - MAX_DENIAL_ERRORS,
    });
    expect(body.errors).toHaveLength(MAX_DENIAL_ERRORS + 1);
    const record = await lastRecord();
    expect(record.denied).toHaveLength(120 + (unverified > 0 ? 1 : 0));
    expect(record.denied.reduce((n, d) => n + d.count!, 0)).toBe(contacts * 120 + unverified);
    expect(record.outcome).toBe('PARTIAL');
  });

  it('each withheld field says what would release it, next to its code, rule and custodian', async () => {
    const { body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { health { contacts { summary } } } } }`,
      { ref: ref() },
      await manager(),
    );
    const denial = body.errors!.find((e) => e.extensions?.code === 'NEED_TO_KNOW')!;
    expect(Object.keys(denial.extensions!).sort()).toEqual(
      ['code', 'custodian', 'release', 'requestId', 'rule'].sort(),
    );
    expect(denial.extensions).toMatchObject({ custodian: 'health' });
  });
});

describe('variables as execution coerces them', () => {
  it('uses a default value (the old step read the raw variables and answered 500)', async () => {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String = "${ref()}") { caseByReference(reference: $ref) { subjects { givenName } } }`,
      undefined,
      await manager(),
    );
    expect(status).toBe(200);
    expect(body.data.caseByReference.subjects).toHaveLength(consented.members.length);
  });

  it('refuses an explicit null for a required argument with BAD_USER_INPUT, not 500', async () => {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { reference } }`,
      { ref: null },
      await manager(),
    );
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('decides @skip with a defaulted variable as execution does: a skipped field is neither fetched nor refused', async () => {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!, $hide: Boolean = true) { caseByReference(reference: $ref) { subjects { givenName health @skip(if: $hide) { contacts { summary } } } } }`,
      { ref: ref() },
      await manager(),
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.keys(body.data.caseByReference.subjects[0])).toEqual(['givenName']);
  });

  it('refuses an explicit null for a defaulted @skip condition with BAD_USER_INPUT, not 500', async () => {
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!, $hide: Boolean = false) { caseByReference(reference: $ref) { subjects { givenName @skip(if: $hide) } } }`,
      { ref: ref(), hide: null },
      await manager(),
    );
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('nesting is bounded before anything recurses', () => {
  it('refuses 2,000 nested inline fragments with a 400, not a stack overflow', async () => {
    const nested = `${'... on Subject { '.repeat(2000)}givenName${' }'.repeat(2000)}`;
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { ${nested} } } }`,
      { ref: ref() },
      await manager(),
    );
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({
      code: 'QUERY_TOO_MANY_TOKENS',
      limit: DEFAULT_QUERY_LIMITS.tokens,
    });
    expect(JSON.stringify(body)).not.toMatch(/call stack/i);
  });

  const MAX_SELECTION_DEPTH = DEFAULT_QUERY_LIMITS.depth;
  it(`refuses selections nested more than ${MAX_SELECTION_DEPTH} deep, saying the limit`, async () => {
    const nested = `${'... on Subject { '.repeat(MAX_SELECTION_DEPTH)}givenName${' }'.repeat(MAX_SELECTION_DEPTH)}`;
    const { status, body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { ${nested} } } }`,
      { ref: ref() },
      await manager(),
    );
    expect(status).toBe(400);
    expect(body.errors![0].extensions).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      limit: MAX_SELECTION_DEPTH,
    });
    expect(body.errors![0].message).toContain(String(MAX_SELECTION_DEPTH));
    expect((await lastRecord()).outcome).toBe('REFUSED');
  });
});

describe('no error about a field the client did not select', () => {
  it('sends no error about the postcode the agencies match on, for a refuge household', async () => {
    // Every agency check @requires the subject's postcode. It once came from the client-facing
    // `postcode`, which the hub refuses at a protected address: PROTECTED_IDENTITY errors at paths
    // the client never asked for, and agencies matching without it. The agencies now match on the
    // hub's `matchingPostcode`, hidden from clients; the gateway still drops any error at a path
    // the client did not select.
    const refuge = system.population.find(
      (f) =>
        f.referral?.subjects.some((s) => s.addressConfidential) &&
        caseStatus(f.index) === CaseStatus.OPEN,
    );
    if (!refuge) throw new Error('the synthetic population has no open refuge case');
    const reference = caseReference(refuge.index);
    const headers = await requestHeaders(
      {
        userId: 'manager.refuge',
        role: Role.MASH_MANAGER,
        team: MASH_TEAMS[refuge.index % MASH_TEAMS.length],
      },
      Purpose.AGENCY_CHECK,
      reference,
    );
    if (refuge.referral!.consent !== 'GIVEN')
      await postGraphQL(
        system.gateway.url,
        'mutation ($ref: String!) { recordSharingGround(caseReference: $ref, ground: SIGNIFICANT_HARM_TO_CHILD, reason: "Test: a child at risk of significant harm.") { ground } }',
        { ref: reference },
        headers,
      );
    const { body } = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { givenName police { status } health { status } } } }`,
      { ref: reference },
      headers,
    );
    expect(body.data.caseByReference.subjects.length).toBeGreaterThan(0);
    const selected = /^caseByReference\.subjects\.\d+\.(givenName|police|health)(\.status)?$/;
    for (const error of body.errors ?? []) expect(error.path?.join('.')).toMatch(selected);
    const record = await lastRecord();
    expect(record.denied.filter((d: { code: string }) => d.code === 'PROTECTED_IDENTITY')).toEqual(
      [],
    );
    expect(record.outcome).toBe('SUCCESS');

    // Asked for, the address is withheld with its error at the path asked for.
    const asked = await postGraphQL(
      system.gateway.url,
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { givenName where: postcode } } }`,
      { ref: reference },
      headers,
    );
    const refused = (asked.body.errors ?? []).filter(
      (e) => e.extensions?.code === 'PROTECTED_IDENTITY',
    );
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(error.path).toEqual(['caseByReference', 'subjects', expect.any(Number), 'where']);
      expect(asked.body.data.caseByReference.subjects[error.path![2] as number].where).toBeNull();
    }
  });
});

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
