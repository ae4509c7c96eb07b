import { exportSPKI, SignJWT, generateKeyPair } from 'jose';
import { startGateway } from '../gateway/server';
import { SUBGRAPHS } from '../subgraphs';
import {
  DevelopmentIdentity,
  DEVELOPMENT_ISSUER,
  issueDevelopmentToken,
} from '../gateway/authentication';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { POLICIES_ALONE, startTestSystem } from './testSystem';
import { CASE_HEADER, PURPOSE_HEADER } from '../gateway/requestAccess';
import { ConsentState, MAX_TIER, SharingBasis, SharingGround } from '../policies/consent';
import { ROLE_TIER_CAP } from '../policies/needToKnow';
import { CaseStage, purposeJustified } from '../policies/purposeStage';
import { Purpose, PURPOSES_BY_ROLE, Role } from '../policies/roles';
import { Tier } from '../policies/tiers';
import { ACCESS_CONTEXT_HEADER } from '../schema/forwardedAccess';
import { caseReference, caseStatus, caseSystemReference, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { PoliceInvolvement } from '../subgraphs/police/entities';
import { ageOn, SyntheticFamily } from '../synthetic/population';
import { stableUuid } from '../synthetic/stableUuid';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { subgraphCalls } from '../gateway/subgraphFetch';

let system: EmbeddedSystem;
let family: SyntheticFamily;
let caseRef: string;
let team: string;
let motherId: string;
/** The stage the case has reached (its triage threshold): it earns a purpose or not. */
let stage: CaseStage;

// The probe: one field at each tier, of the police (a researcher's own agency) and of health.
const PROBE = `query Probe($ref: String!) {
  caseByReference(reference: $ref) {
    subjects {
      id givenName
      police { status reason incidents { type summary } }
      health { status reason contacts { kind summary } }
    }
  }
}`;

beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: 21,
    families: 64,
    subgraphTimeoutMs: 2000,
    ...POLICIES_ALONE,
  });
  // A domestic-abuse household, case open, no ground recorded at intake: the mother is known to
  // police (incidents) and to health (an A&E attendance). Not a refuge: a refuge's address is
  // withheld from the agencies' matching too, so its matches are only possible and share no
  // records until verified (test/unverifiedMatch.test.ts); these tests are about the tiers.
  family = system.population.find(
    (f) =>
      f.concern === 'DOMESTIC_ABUSE' &&
      f.referral &&
      f.referral.rag !== 'RED' &&
      !f.referral.subjects.some((s) => s.addressConfidential) &&
      caseStatus(f.index) === CaseStatus.OPEN &&
      f.members.some((m) => m.sex === 'MALE' && ageOn(m.dateOfBirth) >= 18),
  )!;
  caseRef = caseReference(family.index);
  team = MASH_TEAMS[family.index % MASH_TEAMS.length];
  motherId = stableUuid(
    'mash',
    'subject',
    family.members.find((m) => m.role === 'PARENT' && m.sex === 'FEMALE')!.personKey,
  );
  const { body } = await postGraphQL(
    system.gateway.url,
    'query ($ref: String!) { caseByReference(reference: $ref) { triage { threshold } } }',
    { ref: caseRef },
    await manager(),
  );
  stage = { threshold: body.data.caseByReference.triage?.threshold ?? null, decision: null };
});
afterAll(() => system?.stop());

const manager = (purpose = Purpose.AGENCY_CHECK, reference = caseRef) =>
  requestHeaders({ userId: 'manager.test', role: Role.MASH_MANAGER, team }, purpose, reference);

async function recordConsent(state: ConsentState) {
  const { body } = await postGraphQL(
    system.gateway.url,
    'mutation ($ref: String!, $state: ConsentState!) { recordConsent(caseReference: $ref, state: $state, notes: "Mother asked by phone.") { state recordedBy } }',
    { ref: caseRef, state },
    await manager(),
  );
  expect(body.data.recordConsent).toEqual({ state, recordedBy: 'manager.test' });
}

async function recordGround(ground: SharingGround) {
  const { body } = await postGraphQL(
    system.gateway.url,
    'mutation ($ref: String!, $ground: SharingGround!) { recordSharingGround(caseReference: $ref, ground: $ground, reason: "Test: the ground applies to this family.") { ground authorisedBy authorisedAt } }',
    { ref: caseRef, ground },
    await manager(),
  );
  expect(body.data.recordSharingGround).toMatchObject({ ground, authorisedBy: 'manager.test' });
}

// --- The oracle: the expected decision, written from the policy tables, not from the rule code.

interface Caller {
  name: string;
  identity: DevelopmentIdentity;
  /** How this caller names the case (a case system uses its own reference). */
  declares: () => string;
}
const CALLERS: Caller[] = [
  {
    name: 'MASH manager',
    identity: { userId: 'm', role: Role.MASH_MANAGER, team: 'TEAM' },
    declares: () => caseRef,
  },
  {
    name: 'police researcher',
    identity: { userId: 'r', role: Role.AGENCY_RESEARCHER, agency: 'police', team: 'TEAM' },
    declares: () => caseRef,
  },
  {
    name: 'case system',
    identity: { userId: 'c', role: Role.CASE_SYSTEM, agency: 'social-care' },
    declares: () => caseSystemReference(family.index),
  },
  { name: 'IG officer', identity: { userId: 'i', role: Role.IG_OFFICER }, declares: () => caseRef },
  { name: 'referrer', identity: { userId: 'f', role: Role.REFERRER }, declares: () => caseRef },
];

/**
 * Each probed field: where it is under the subject, its custodian, and each field on the way that
 * a policy decides (its tier and how deep into the path it stands). Tiers never fall along a path.
 */
const PROBED = [
  {
    name: 'givenName',
    path: ['givenName'],
    custodian: 'mash',
    decisions: [{ tier: Tier.IDENTITY, depth: 1 }],
  },
  {
    name: 'police status',
    path: ['police', 'status'],
    custodian: 'police',
    decisions: [
      { tier: Tier.SUMMARY, depth: 1 },
      { tier: Tier.SUMMARY, depth: 2 },
    ],
  },
  {
    name: 'police incident type',
    path: ['police', 'incidents', 0, 'type'],
    custodian: 'police',
    decisions: [
      { tier: Tier.SUMMARY, depth: 1 },
      { tier: Tier.SUMMARY, depth: 2 },
      { tier: Tier.SUMMARY, depth: 4 },
    ],
  },
  {
    name: 'police incident summary',
    path: ['police', 'incidents', 0, 'summary'],
    custodian: 'police',
    decisions: [
      { tier: Tier.SUMMARY, depth: 1 },
      { tier: Tier.SUMMARY, depth: 2 },
      { tier: Tier.DETAIL, depth: 4 },
    ],
  },
  {
    name: 'health contact kind',
    path: ['health', 'contacts', 0, 'kind'],
    custodian: 'health',
    decisions: [
      { tier: Tier.SUMMARY, depth: 1 },
      { tier: Tier.SUMMARY, depth: 2 },
      { tier: Tier.SUMMARY, depth: 4 },
    ],
  },
  {
    name: 'health contact summary',
    path: ['health', 'contacts', 0, 'summary'],
    custodian: 'health',
    decisions: [
      { tier: Tier.SUMMARY, depth: 1 },
      { tier: Tier.SUMMARY, depth: 2 },
      { tier: Tier.SPECIAL_CATEGORY, depth: 4 },
    ],
  },
];

function bestBasis(
  consent: ConsentState,
  grounds: SharingGround[],
  purpose: Purpose,
): SharingBasis {
  if (consent === ConsentState.GIVEN) return 'CONSENT';
  const rank = (b: SharingBasis) => MAX_TIER[purpose][b] ?? -1;
  return grounds.reduce<SharingBasis>(
    (best, g) => (rank(g) > rank(best) || best === 'NONE' ? g : best),
    'NONE',
  );
}

/** The expected outcome: allowed, or the code and how deep into the probed path the error is. */
function expected(
  caller: Caller,
  purpose: Purpose,
  consent: ConsentState,
  grounds: SharingGround[],
  probe: (typeof PROBED)[number],
) {
  const { role, agency } = { agency: null, ...caller.identity };
  if (!PURPOSES_BY_ROLE[role].includes(purpose)) return { code: 'WRONG_PURPOSE', depth: 0 };
  const assigned =
    role === Role.CASE_SYSTEM || role === Role.MASH_MANAGER || role === Role.AGENCY_RESEARCHER;
  if (!assigned) return { code: 'NOT_ASSIGNED', depth: 0 };
  if (!purposeJustified(purpose, stage)) return { code: 'PURPOSE_NOT_JUSTIFIED', depth: 0 };
  const basis = bestBasis(consent, grounds, purpose);
  const cap = ROLE_TIER_CAP[role];
  for (const { tier, depth } of probe.decisions) {
    if (tier > Tier.IDENTITY && basis === 'NONE') return { code: 'CONSENT_REQUIRED', depth };
    const max = MAX_TIER[purpose][basis];
    if (max === null || tier > max) return { code: 'NEED_TO_KNOW', depth };
    const own = probe.custodian === 'mash' || probe.custodian === agency;
    const roleMax = own ? cap.ownAgency : cap.otherAgencies;
    if (roleMax === null || tier > roleMax) return { code: 'NEED_TO_KNOW', depth };
  }
  return 'allowed' as const;
}

/** What the gateway did with a probed field: its value arrived, or an error stands at some prefix of its path. */
function observed(body: GraphQLBody, probe: (typeof PROBED)[number]) {
  const subjects = body.data?.caseByReference?.subjects;
  const index = subjects ? subjects.findIndex((s: { id: string }) => s.id === motherId) : 0;
  const base = ['caseByReference', 'subjects', index];
  const full = [...base, ...probe.path];
  const rootError = body.errors?.find(
    (e) => JSON.stringify(e.path) === JSON.stringify(['caseByReference']),
  );
  if (rootError) return { code: rootError.extensions?.code, depth: 0 };
  for (let depth = 1; depth <= probe.path.length; depth++) {
    const prefix = JSON.stringify([...base, ...probe.path.slice(0, depth)]);
    const error = body.errors?.find((e) => JSON.stringify(e.path) === prefix);
    if (error) return { code: error.extensions?.code, depth };
  }
  const value = full.reduce<unknown>(
    (v, key) => (v as Record<string | number, unknown>)?.[key],
    body.data,
  );
  return value === null || value === undefined
    ? { code: 'MISSING', depth: -1 }
    : ('allowed' as const);
}

const CONSENT_CONFIGURATIONS: [ConsentState, SharingGround[]][] = [
  [ConsentState.GIVEN, []],
  [ConsentState.REFUSED, []],
  [ConsentState.NOT_SOUGHT, []],
  [ConsentState.NOT_REQUIRED, []],
  [ConsentState.REFUSED, [SharingGround.UNJUSTIFIED_DELAY]],
  [ConsentState.REFUSED, [SharingGround.UNJUSTIFIED_DELAY, SharingGround.SERIOUS_CRIME]],
  [
    ConsentState.REFUSED,
    [
      SharingGround.UNJUSTIFIED_DELAY,
      SharingGround.SERIOUS_CRIME,
      SharingGround.SERIOUS_HARM_TO_ADULT,
    ],
  ],
  [
    ConsentState.REFUSED,
    [
      SharingGround.UNJUSTIFIED_DELAY,
      SharingGround.SERIOUS_CRIME,
      SharingGround.SERIOUS_HARM_TO_ADULT,
      SharingGround.SIGNIFICANT_HARM_TO_CHILD,
    ],
  ],
];

describe('custodian release', () => {
  const INCIDENTS = `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id police { incidents { recordId awaitingRelease type summary } } } } }`;
  const RELEASE = `mutation ($id: ID!) { releasePoliceRecord(recordId: $id, reason: "Investigation lead agrees it may be shared.") { recordId caseReference releasedBy } }`;
  // Its own household: an open, consented case where the police hold a record flagged for their
  // release. Which records are flagged is the seed's draw, so it is read from the police store.
  let flaggedCase: { ref: string; team: string };
  beforeAll(async () => {
    const police = system.subgraphs.find((s) => s.name === 'police')!.database.dataSource;
    const flaggedPeople = new Set(
      (await police.getRepository(PoliceInvolvement).find({ relations: { incident: true } }))
        .filter((involvement) => involvement.incident.requiresCustodianRelease)
        .map((involvement) => involvement.personId),
    );
    const household = system.population.find(
      (f) =>
        f.referral?.consent === 'GIVEN' &&
        !f.referral.subjects.some((s) => s.addressConfidential) &&
        caseStatus(f.index) === CaseStatus.OPEN &&
        f.members.some((m) => flaggedPeople.has(stableUuid('police', m.personKey))),
    )!;
    flaggedCase = {
      ref: caseReference(household.index),
      team: MASH_TEAMS[household.index % MASH_TEAMS.length],
    };
  });
  const researcher = (agency: string) =>
    requestHeaders(
      {
        userId: `researcher.${agency}`,
        role: Role.AGENCY_RESEARCHER,
        agency,
        team: flaggedCase.team,
      },
      Purpose.AGENCY_CHECK,
      flaggedCase.ref,
    );
  const caseManager = () =>
    requestHeaders(
      { userId: 'manager.test', role: Role.MASH_MANAGER, team: flaggedCase.team },
      Purpose.AGENCY_CHECK,
      flaggedCase.ref,
    );
  const flaggedIncidents = async () => {
    const { body } = await postGraphQL(
      system.gateway.url,
      INCIDENTS,
      { ref: flaggedCase.ref },
      await caseManager(),
    );
    return {
      body,
      flagged: body.data.caseByReference.subjects.flatMap(
        (s: { police: { incidents: { recordId: string; awaitingRelease: boolean }[] } | null }) =>
          (s.police?.incidents ?? []).filter((i) => i.awaitingRelease),
      ),
    };
  };

  beforeAll(() => recordConsent(ConsentState.GIVEN));

  it('withholds the detail of a flagged record, with the rule, until the police release it', async () => {
    const { body, flagged } = await flaggedIncidents();
    expect(flagged.length).toBeGreaterThan(0);
    for (const incident of flagged) {
      expect(incident).toMatchObject({ type: 'DOMESTIC_ABUSE', summary: null });
    }
    const releaseErrors = body.errors!.filter(
      (e) => e.extensions?.code === 'CUSTODIAN_RELEASE_REQUIRED',
    );
    expect(releaseErrors.length).toBeGreaterThanOrEqual(flagged.length);
    expect(releaseErrors[0].extensions?.rule).toBe('custodian-release');
  });

  it('lets only the custodian’s own member release', async () => {
    const { flagged } = await flaggedIncidents();
    const { body } = await postGraphQL(
      system.gateway.url,
      RELEASE,
      { id: flagged[0].recordId },
      await researcher('health'),
    );
    expect(body.data.releasePoliceRecord).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({
      code: 'NOT_PERMITTED',
      rule: 'is-custodian-member',
    });
  });

  it('shares the detail once released for this case, and records who released it', async () => {
    const { flagged } = await flaggedIncidents();
    expect(flagged.length).toBeGreaterThan(0);
    for (const incident of flagged) {
      const { body } = await postGraphQL(
        system.gateway.url,
        RELEASE,
        { id: incident.recordId },
        await researcher('police'),
      );
      expect(body.data.releasePoliceRecord).toEqual({
        recordId: incident.recordId,
        caseReference: flaggedCase.ref,
        releasedBy: 'researcher.police',
      });
    }
    const after = await flaggedIncidents();
    expect(after.flagged).toEqual([]);
    expect(
      after.body.errors?.filter((e) => e.extensions?.code === 'CUSTODIAN_RELEASE_REQUIRED') ?? [],
    ).toEqual([]);
  });
});

describe('every role × purpose × consent state × tier, through the real gateway', () => {
  it('shares exactly what the policy tables allow, and says why for everything else', async () => {
    const recorded: SharingGround[] = [];
    const mismatches: string[] = [];
    let checked = 0;
    for (const [consent, grounds] of CONSENT_CONFIGURATIONS) {
      await recordConsent(consent);
      for (const ground of grounds.filter((g) => !recorded.includes(g))) {
        await recordGround(ground);
        recorded.push(ground);
      }
      for (const caller of CALLERS) {
        for (const purpose of Object.values(Purpose)) {
          const identity = { ...caller.identity, team: caller.identity.team ? team : null };
          const headers = await requestHeaders(identity, purpose, caller.declares());
          const { status, body } = await postGraphQL(
            system.gateway.url,
            PROBE,
            { ref: caseRef },
            headers,
          );
          expect(status).toBe(200);
          for (const probe of PROBED) {
            const want = expected(caller, purpose, consent, grounds, probe);
            const got = observed(body, probe);
            checked += 1;
            if (JSON.stringify(want) !== JSON.stringify(got)) {
              mismatches.push(
                `${caller.name} / ${purpose} / ${consent}+[${grounds.join(',')}] / ${probe.name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`,
              );
            }
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(
      CONSENT_CONFIGURATIONS.length *
        CALLERS.length *
        Object.values(Purpose).length *
        PROBED.length,
    );
  });
});

describe('a withheld agency', () => {
  beforeAll(() => recordConsent(ConsentState.REFUSED));

  it('says WITHHELD with the rule, never "none found"', async () => {
    // A fresh case without grounds: the matrix test above recorded grounds on the first one.
    const other = system.population.find(
      (f) =>
        // Not the case above: grounds were recorded on it.
        f.index !== family.index &&
        f.referral?.consent === 'REFUSED' &&
        f.referral.rag !== 'RED' &&
        caseStatus(f.index) === CaseStatus.OPEN,
    )!;
    const ref = caseReference(other.index);
    const headers = await requestHeaders(
      {
        userId: 'manager.test',
        role: Role.MASH_MANAGER,
        team: MASH_TEAMS[other.index % MASH_TEAMS.length],
      },
      Purpose.AGENCY_CHECK,
      ref,
    );
    const { body } = await postGraphQL(system.gateway.url, PROBE, { ref }, headers);
    for (const subject of body.data.caseByReference.subjects) {
      expect(subject.givenName).toEqual(expect.any(String));
      for (const agency of ['police', 'health']) {
        expect(subject[agency]).toEqual({
          status: 'WITHHELD',
          reason: expect.stringContaining('CONSENT_REQUIRED (rule consent-or-recorded-ground)'),
          ...(agency === 'police' ? { incidents: null } : { contacts: null }),
        });
      }
    }
    const codes = new Set(body.errors!.map((e) => `${e.extensions?.code}/${e.extensions?.rule}`));
    expect(codes).toEqual(new Set(['CONSENT_REQUIRED/consent-or-recorded-ground']));
  });
});

describe('denied data never leaves its agency', () => {
  let captured: { url: string; body: string }[];
  let fetchSpy: jest.SpyInstance;
  const realFetch = subgraphCalls.fetch;

  beforeEach(() => {
    captured = [];
    // Record every answer a subgraph sends the gateway (the gateway runs in this process).
    fetchSpy = jest.spyOn(subgraphCalls, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      const url = String(input);
      if (system.subgraphs.some((s) => url.startsWith(s.url)))
        captured.push({ url, body: await response.clone().text() });
      return response;
    });
  });
  afterEach(() => fetchSpy.mockRestore());

  const fromAgency = (name: string) =>
    captured.filter((c) => c.url.startsWith(system.subgraphs.find((s) => s.name === name)!.url));

  it('does not ask an agency whose whole check is withheld', async () => {
    await recordConsent(ConsentState.REFUSED);
    const other = system.population.find(
      (f) =>
        // Not the case above: grounds were recorded on it.
        f.index !== family.index &&
        f.referral?.consent === 'REFUSED' &&
        f.referral.rag !== 'RED' &&
        caseStatus(f.index) === CaseStatus.OPEN,
    )!;
    const ref = caseReference(other.index);
    const headers = await requestHeaders(
      {
        userId: 'manager.test',
        role: Role.MASH_MANAGER,
        team: MASH_TEAMS[other.index % MASH_TEAMS.length],
      },
      Purpose.AGENCY_CHECK,
      ref,
    );
    await postGraphQL(system.gateway.url, PROBE, { ref }, headers);
    expect(fromAgency('mash').length).toBeGreaterThan(0);
    expect(fromAgency('police')).toEqual([]);
    expect(fromAgency('health')).toEqual([]);
  });

  it('does not carry a denied field over the wire, while the allowed ones arrive', async () => {
    await recordConsent(ConsentState.GIVEN);
    // Consent given, agency check: health's special-category clinical summaries are denied.
    const { body } = await postGraphQL(
      system.gateway.url,
      PROBE,
      { ref: caseRef },
      await manager(),
    );
    const mother = body.data.caseByReference.subjects.find(
      (s: { id: string }) => s.id === motherId,
    );
    expect(mother.health.contacts.map((c: { kind: string }) => c.kind)).toContain('AE_ATTENDANCE');
    expect(mother.health.contacts.every((c: { summary: unknown }) => c.summary === null)).toBe(
      true,
    );
    const healthAnswers = fromAgency('health').map((c) => c.body);
    expect(healthAnswers.join()).toContain('AE_ATTENDANCE');
    expect(healthAnswers.join()).not.toContain('said to be a fall');
    expect(healthAnswers.join()).not.toMatch(/"summary"/);
    // The police incident summaries (detail) were allowed and did arrive.
    expect(
      fromAgency('police')
        .map((c) => c.body)
        .join(),
    ).toMatch(/"summary"/);
  });
});

describe('the policy matrix for information governance', () => {
  it('is served to an IG officer, decided by the rules that run', async () => {
    const ig = await requestHeaders(
      { userId: 'ig.test', role: Role.IG_OFFICER },
      Purpose.AUDIT,
      null,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      '{ policyMatrix(role: AGENCY_RESEARCHER, purpose: AGENCY_CHECK, custodian: "health") { field tier researcherOf basis allowed code rule } }',
      undefined,
      ig,
    );
    const cells: {
      field: string;
      researcherOf: string;
      basis: string;
      allowed: boolean;
      code: string;
    }[] = body.data.policyMatrix;
    const cell = (field: string, researcherOf: string, basis: string) =>
      cells.find((c) => c.field === field && c.researcherOf === researcherOf && c.basis === basis);
    expect(cell('HealthContact.kind', 'OTHER', 'CONSENT')).toMatchObject({ allowed: true });
    expect(cell('HealthContact.summary', 'OWN', 'CONSENT')).toMatchObject({
      allowed: false,
      code: 'NEED_TO_KNOW',
    });
    expect(cell('Subject.health', 'OWN', 'NONE')).toMatchObject({
      allowed: false,
      code: 'CONSENT_REQUIRED',
    });
    expect(
      cells.every(
        (c) =>
          c.basis !== 'NONE' ||
          !c.allowed ||
          c.field.endsWith('.agency') ||
          c.field.endsWith('.reason'),
      ),
    ).toBe(true);
  });

  it('is not served to anyone else', async () => {
    const { body } = await postGraphQL(
      system.gateway.url,
      '{ policyMatrix { field } }',
      undefined,
      await manager(),
    );
    expect(body.data.policyMatrix).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED', rule: 'has-role' });
  });
});

describe('who may ask at all', () => {
  const ask = (headers: Record<string, string>) =>
    postGraphQL(system.gateway.url, PROBE, { ref: caseRef }, headers);

  it('refuses a request without a token with 401 and no data', async () => {
    const { status, body } = await ask({
      [PURPOSE_HEADER]: 'AGENCY_CHECK',
      [CASE_HEADER]: caseRef,
    });
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token', async () => {
    const token = await issueDevelopmentToken(
      { userId: 'm', role: Role.MASH_MANAGER, team },
      { lifetime: '-1m' },
    );
    const { status, body } = await ask({
      authorization: `Bearer ${token}`,
      [PURPOSE_HEADER]: 'AGENCY_CHECK',
      [CASE_HEADER]: caseRef,
    });
    expect(status).toBe(401);
    expect(body.errors![0]).toMatchObject({
      message: 'The token has expired.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses a token signed by anyone else', async () => {
    const forger = await generateKeyPair('ES256');
    const token = await new SignJWT({ role: Role.MASH_MANAGER, team })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('intruder')
      .setIssuer(DEVELOPMENT_ISSUER)
      .setAudience('mash-gateway')
      .setExpirationTime('1h')
      .sign(forger.privateKey);
    const { status, body } = await ask({
      authorization: `Bearer ${token}`,
      [PURPOSE_HEADER]: 'AGENCY_CHECK',
      [CASE_HEADER]: caseRef,
    });
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
  });

  it("accepts tokens from a configured identity provider's public key, and no longer the development key", async () => {
    const provider = await generateKeyPair('ES256', { extractable: true });
    const gateway = await startGateway({
      ...system.gatewayOptions,
      authentication: {
        jwksUrl: null,
        publicKeyPem: await exportSPKI(provider.publicKey),
        issuer: 'https://idp.test',
        audience: 'mash',
      },
    });
    try {
      const token = await new SignJWT({ role: Role.MASH_MANAGER, team })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('manager.idp')
        .setIssuer('https://idp.test')
        .setAudience('mash')
        .setExpirationTime('5m')
        .sign(provider.privateKey);
      const purposeAndCase = { [PURPOSE_HEADER]: 'AGENCY_CHECK', [CASE_HEADER]: caseRef };
      const accepted = await postGraphQL(
        gateway.url,
        PROBE,
        { ref: caseRef },
        { authorization: `Bearer ${token}`, ...purposeAndCase },
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body.data.caseByReference.subjects.length).toBeGreaterThan(0);
      const developmentToken = (await manager()).authorization;
      const refused = await postGraphQL(
        gateway.url,
        PROBE,
        { ref: caseRef },
        { authorization: developmentToken, ...purposeAndCase },
      );
      expect(refused.status).toBe(401);
    } finally {
      await gateway.stop();
    }
  });

  it('refuses a purpose that does not exist with 400', async () => {
    const headers = await manager();
    const { status, body } = await ask({ ...headers, [PURPOSE_HEADER]: 'CURIOSITY' });
    expect(status).toBe(400);
    expect(body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a case not assigned to the caller’s team', async () => {
    const otherTeam = MASH_TEAMS.find((t) => t !== team)!;
    const headers = await requestHeaders(
      { userId: 'm', role: Role.MASH_MANAGER, team: otherTeam },
      Purpose.AGENCY_CHECK,
      caseRef,
    );
    const { body } = await ask(headers);
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({
      code: 'NOT_ASSIGNED',
      rule: 'assigned-to-case',
    });
  });

  it('refuses a closed case', async () => {
    const closed = system.population.find(
      (f) => f.referral && caseStatus(f.index) === CaseStatus.CLOSED,
    )!;
    const ref = caseReference(closed.index);
    const headers = await requestHeaders(
      { userId: 'm', role: Role.MASH_MANAGER, team: MASH_TEAMS[closed.index % MASH_TEAMS.length] },
      Purpose.AGENCY_CHECK,
      ref,
    );
    const { body } = await postGraphQL(system.gateway.url, PROBE, { ref }, headers);
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: 'CASE_CLOSED', rule: 'case-is-open' });
  });

  it('refuses a query that names another case than the one declared', async () => {
    const other = caseReference(
      system.population.find((f) => f.referral && f.index !== family.index)!.index,
    );
    const { body } = await postGraphQL(system.gateway.url, PROBE, { ref: other }, await manager());
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({
      code: 'NOT_ASSIGNED',
      rule: 'names-declared-case',
    });
  });

  it('lets a researcher record nothing: consent is for a manager', async () => {
    const researcher = await requestHeaders(
      { userId: 'r', role: Role.AGENCY_RESEARCHER, agency: 'police', team },
      Purpose.AGENCY_CHECK,
      caseRef,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      'mutation ($ref: String!) { recordConsent(caseReference: $ref, state: GIVEN, notes: "I say so") { state } }',
      { ref: caseRef },
      researcher,
    );
    expect(body.data.recordConsent).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED', rule: 'has-role' });
  });

  it.each(SUBGRAPHS.map((s) => s.name))(
    'refuses a direct call to the %s subgraph that bypasses the gateway',
    async (name) => {
      const subgraph = system.subgraphs.find((s) => s.name === name)!;
      for (const header of [undefined, 'forged.context.token']) {
        const { status, body } = await postGraphQL(
          subgraph.url,
          '{ __typename }',
          undefined,
          header ? { [ACCESS_CONTEXT_HEADER]: header } : {},
        );
        expect(status).toBe(401);
        expect(body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
      }
    },
  );
});
