import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { ConsentState } from '../policies/consent';
import { Purpose, Role } from '../policies/roles';
import { caseReference, caseStatus, caseSystemReference, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { SyntheticFamily } from '../synthetic/population';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { POLICIES_ALONE, startTestSystem } from './testSystem';

/**
 * Issue 12, findings 5, 7 and 8, through the real gateway: a purpose is earned by the case's
 * stage; a custodian release is of a record the check disclosed for this case; a case system
 * reads only a case linked to its own system; a release without a reason is the client's mistake.
 */
let system: EmbeddedSystem;

beforeAll(async () => {
  system = await startTestSystem({
    port: 0,
    seed: 33,
    families: 64,
    subgraphTimeoutMs: 4000,
    ...POLICIES_ALONE,
  });
});
afterAll(() => system?.stop());

const teamOf = (family: SyntheticFamily) => MASH_TEAMS[family.index % MASH_TEAMS.length];
const openFamilies = () =>
  system.population.filter((f) => f.referral && caseStatus(f.index) === CaseStatus.OPEN);

function manager(family: SyntheticFamily, purpose: Purpose) {
  return requestHeaders(
    { userId: 'manager.test', role: Role.MASH_MANAGER, team: teamOf(family) },
    purpose,
    caseReference(family.index),
  );
}

function policeResearcher(family: SyntheticFamily) {
  return requestHeaders(
    {
      userId: 'researcher.police',
      role: Role.AGENCY_RESEARCHER,
      agency: 'police',
      team: teamOf(family),
    },
    Purpose.AGENCY_CHECK,
    caseReference(family.index),
  );
}

async function ask(
  family: SyntheticFamily,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLBody> {
  const { status, body } = await postGraphQL(
    system.gateway.url,
    query,
    { ref: caseReference(family.index), ...variables },
    headers,
  );
  expect(status).toBe(200);
  return body;
}

async function recordConsent(family: SyntheticFamily) {
  const body = await ask(
    family,
    await manager(family, Purpose.AGENCY_CHECK),
    'mutation ($ref: String!) { recordConsent(caseReference: $ref, state: GIVEN, notes: "Mother agreed by phone.") { state } }',
  );
  expect(body.data.recordConsent).toEqual({ state: ConsentState.GIVEN });
}

const HEALTH = `query ($ref: String!) {
  caseByReference(reference: $ref) {
    reference triage { threshold level }
    subjects { id health { status contacts { kind summary } } }
  }
}`;

/** Subjects' health contacts with a clinical summary shown. */
const summariesShown = (body: GraphQLBody) =>
  (body.data?.caseByReference?.subjects ?? []).flatMap(
    (s: { health: { contacts: { summary: string | null }[] | null } | null }) =>
      (s.health?.contacts ?? []).filter((c) => c.summary !== null),
  );

describe('a purpose is earned by the case, not declared (12.7)', () => {
  let early: SyntheticFamily;
  let childProtection: SyntheticFamily;

  beforeAll(async () => {
    // Green referrals are triaged at universal or early help; red ones at child protection.
    const known = async (f: SyntheticFamily) => {
      await recordConsent(f);
      const body = await ask(f, await manager(f, Purpose.AGENCY_CHECK), HEALTH);
      const contacts = (body.data.caseByReference?.subjects ?? []).flatMap(
        (s: { health: { contacts: unknown[] | null } | null }) => s.health?.contacts ?? [],
      );
      return contacts.length > 0 ? body.data.caseByReference.triage : null;
    };
    for (const f of openFamilies().filter((f) => f.referral!.rag === 'GREEN')) {
      if (await known(f)) {
        early = f;
        break;
      }
    }
    for (const f of openFamilies().filter((f) => f.referral!.rag === 'RED')) {
      if (await known(f)) {
        childProtection = f;
        break;
      }
    }
    expect(early).toBeDefined();
    expect(childProtection).toBeDefined();
  });

  it('refuses a strategy discussion on an early-help case, with the stage it needs, and shares nothing', async () => {
    const body = await ask(early, await manager(early, Purpose.STRATEGY_DISCUSSION), HEALTH);
    expect(summariesShown(body)).toEqual([]);
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      path: ['caseByReference'],
      extensions: { code: 'PURPOSE_NOT_JUSTIFIED', rule: 'purpose-justified-by-case' },
    });
    expect(body.errors![0].extensions!.release).toMatch(/CHILD_PROTECTION \(level 4\)/);
    expect(body.errors![0].extensions!.release).toMatch(/until then ask for AGENCY_CHECK/);
  });

  it('refuses an assessment on an early-help case', async () => {
    const body = await ask(early, await manager(early, Purpose.ASSESSMENT), HEALTH);
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: 'PURPOSE_NOT_JUSTIFIED' });
    expect(body.errors![0].extensions!.release).toMatch(/COMPLEX \(level 3\) or above/);
  });

  it('still answers the agency check on that case', async () => {
    const body = await ask(early, await manager(early, Purpose.AGENCY_CHECK), HEALTH);
    expect(body.data.caseByReference.triage.level).toBeLessThan(3);
    expect(body.errors?.map((e) => e.extensions?.code) ?? []).not.toContain(
      'PURPOSE_NOT_JUSTIFIED',
    );
  });

  it('shares the clinical summaries a strategy discussion needs once the case is at child protection', async () => {
    const body = await ask(
      childProtection,
      await manager(childProtection, Purpose.STRATEGY_DISCUSSION),
      HEALTH,
    );
    expect(body.data.caseByReference.triage).toEqual({ threshold: 'CHILD_PROTECTION', level: 4 });
    expect(summariesShown(body).length).toBeGreaterThan(0);
    const policyCodes = (body.errors ?? []).map((e) => e.extensions?.code);
    expect(policyCodes).not.toContain('PURPOSE_NOT_JUSTIFIED');
    expect(policyCodes).not.toContain('NEED_TO_KNOW');
  });

  it('earns the purpose as the case moves: an untriaged referral, then triage at child protection', async () => {
    const submitted = await postGraphQL(
      system.gateway.url,
      `mutation { submitReferral(referral: {
        referrerType: SCHOOL, referrerName: "Teacher Synthetic", referrerOrganisation: "Synthetic Primary",
        referrerContact: "teacher@synthetic-primary.example", concerns: "Bruising seen on the child's arms at school today.",
        immediateRisk: false, consentSought: true, consentGiven: true,
        subjects: [{ roleInHousehold: CHILD, givenName: "Ada", familyName: "Synthetic-Earned", dateOfBirth: "2016-03-04" }]
      }) { caseReference } }`,
      undefined,
      await requestHeaders(
        { userId: 'manager.test', role: Role.MASH_MANAGER, team: MASH_TEAMS[0] },
        Purpose.AGENCY_CHECK,
        null,
      ),
    );
    expect(submitted.body.errors).toBeUndefined();
    const ref: string = submitted.body.data.submitReferral.caseReference;
    const headers = (purpose: Purpose) =>
      requestHeaders(
        { userId: 'manager.test', role: Role.MASH_MANAGER, team: MASH_TEAMS[0] },
        purpose,
        ref,
      );
    const read = async (purpose: Purpose) =>
      (
        await postGraphQL(
          system.gateway.url,
          'query ($ref: String!) { caseByReference(reference: $ref) { reference } }',
          { ref },
          await headers(purpose),
        )
      ).body;
    expect((await read(Purpose.STRATEGY_DISCUSSION)).errors![0].extensions).toMatchObject({
      code: 'PURPOSE_NOT_JUSTIFIED',
    });
    expect((await read(Purpose.ASSESSMENT)).errors![0].extensions).toMatchObject({
      code: 'PURPOSE_NOT_JUSTIFIED',
    });
    const triaged = await postGraphQL(
      system.gateway.url,
      'mutation ($ref: String!) { triageReferral(caseReference: $ref, rag: RED, threshold: CHILD_PROTECTION, reason: "Injuries unexplained; section 47 threshold met.") { reference } }',
      { ref },
      await headers(Purpose.AGENCY_CHECK),
    );
    expect(triaged.body.data.triageReferral).toEqual({ reference: ref });
    for (const purpose of [Purpose.STRATEGY_DISCUSSION, Purpose.ASSESSMENT]) {
      const body = await read(purpose);
      expect(body.errors ?? []).toEqual([]);
      expect(body.data.caseByReference).toEqual({ reference: ref });
    }
  });
});

describe('a custodian release is of a record the check disclosed for this case (12.5, 12.8)', () => {
  const INCIDENTS = `query ($ref: String!) { caseByReference(reference: $ref) { subjects { police { incidents { recordId awaitingRelease } } } } }`;
  const RELEASE = `mutation ($id: ID!, $reason: String!) { releasePoliceRecord(recordId: $id, reason: $reason) { recordId caseReference } }`;
  const REASON = 'Investigation lead agrees it may be shared now.';
  let withFlagged: { family: SyntheticFamily; recordIds: string[] }[];

  beforeAll(async () => {
    withFlagged = [];
    for (const f of openFamilies()) {
      await recordConsent(f);
      const body = await ask(f, await manager(f, Purpose.AGENCY_CHECK), INCIDENTS);
      const recordIds: string[] = (body.data.caseByReference?.subjects ?? []).flatMap(
        (s: { police: { incidents: { recordId: string; awaitingRelease: boolean }[] } | null }) =>
          (s.police?.incidents ?? []).filter((i) => i.awaitingRelease).map((i) => i.recordId),
      );
      if (recordIds.length) withFlagged.push({ family: f, recordIds: [...new Set(recordIds)] });
      if (withFlagged.length === 2) break;
    }
    expect(withFlagged).toHaveLength(2);
  });

  it("refuses to release another case's flagged record under this case", async () => {
    const [here, elsewhere] = withFlagged;
    const foreign = elsewhere.recordIds.find((id) => !here.recordIds.includes(id))!;
    const body = await ask(here.family, await policeResearcher(here.family), RELEASE, {
      id: foreign,
      reason: REASON,
    });
    expect(body.data.releasePoliceRecord).toBeNull();
    expect(body.errors![0]).toMatchObject({
      message: "There is no flagged record of this case's subjects with that reference.",
      extensions: { code: 'NOT_FOUND', argument: 'recordId' },
    });
    // The other case's record is still withheld there.
    const there = await ask(
      elsewhere.family,
      await manager(elsewhere.family, Purpose.AGENCY_CHECK),
      INCIDENTS,
    );
    const stillFlagged = there.data.caseByReference.subjects.flatMap(
      (s: { police: { incidents: { recordId: string; awaitingRelease: boolean }[] } | null }) =>
        (s.police?.incidents ?? []).filter((i) => i.awaitingRelease).map((i) => i.recordId),
    );
    expect(stillFlagged).toContain(foreign);
  });

  it('refuses a made-up record reference', async () => {
    const [here] = withFlagged;
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-record']) {
      const body = await ask(here.family, await policeResearcher(here.family), RELEASE, {
        id,
        reason: REASON,
      });
      expect(body.data.releasePoliceRecord).toBeNull();
      expect(body.errors![0].extensions).toMatchObject({
        code: 'NOT_FOUND',
        argument: 'recordId',
      });
    }
  });

  it('answers a release without a reason as the client’s mistake, naming the argument, not as the agency down', async () => {
    const [here] = withFlagged;
    for (const reason of ['', '   ', 'short']) {
      const body = await ask(here.family, await policeResearcher(here.family), RELEASE, {
        id: here.recordIds[0],
        reason,
      });
      expect(body.data?.releasePoliceRecord ?? null).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'reason',
      });
      expect(JSON.stringify(body)).not.toMatch(/AGENCY_UNAVAILABLE|127\.0\.0\.1|http:/);
    }
  });

  it('answers a release with its reason variable left out as the client’s mistake too', async () => {
    const [here] = withFlagged;
    const { status, body } = await postGraphQL(
      system.gateway.url,
      RELEASE,
      { id: here.recordIds[0] },
      await policeResearcher(here.family),
    );
    expect(body.data?.releasePoliceRecord ?? null).toBeNull();
    expect(status).toBeLessThan(500);
    expect(body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors![0].message).toMatch(/reason/);
    expect(JSON.stringify(body)).not.toMatch(/AGENCY_UNAVAILABLE|127\.0\.0\.1|http:/);
  });

  it('releases a record this case’s check disclosed', async () => {
    const [here] = withFlagged;
    const body = await ask(here.family, await policeResearcher(here.family), RELEASE, {
      id: here.recordIds[0],
      reason: REASON,
    });
    expect(body.data.releasePoliceRecord).toEqual({
      recordId: here.recordIds[0],
      caseReference: caseReference(here.family.index),
    });
  });
});

describe("a case system reads only a case linked to its own agency's system (12.5)", () => {
  const CASE = 'query ($ref: String!) { caseByReference(reference: $ref) { reference } }';
  const caseSystem = (agency: string, family: SyntheticFamily, declared?: string) =>
    requestHeaders(
      { userId: `system.${agency}`, role: Role.CASE_SYSTEM, agency },
      Purpose.CASE_HISTORY,
      declared ?? caseSystemReference(family.index),
    );

  it("lets social care's system read the case by social care's reference", async () => {
    const family = openFamilies()[0];
    const body = await ask(family, await caseSystem('social-care', family), CASE);
    expect(body.errors ?? []).toEqual([]);
    expect(body.data.caseByReference).toEqual({ reference: caseReference(family.index) });
  });

  it.each(['police', 'health'])(
    "refuses %s's case system naming social care's reference",
    async (agency) => {
      const family = openFamilies()[0];
      const body = await ask(family, await caseSystem(agency, family), CASE);
      expect(body.data.caseByReference).toBeNull();
      expect(body.errors![0].extensions).toMatchObject({
        code: 'NOT_ASSIGNED',
        rule: 'assigned-to-case',
      });
      expect(body.errors![0].extensions!.release).toMatch(/your own system's reference/);
    },
  );

  it('refuses a case system naming the case by the MASH reference', async () => {
    const family = openFamilies()[0];
    const body = await ask(
      family,
      await caseSystem('social-care', family, caseReference(family.index)),
      CASE,
    );
    expect(body.data.caseByReference).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_ASSIGNED' });
  });
});

describe('the policy matrix says what would release each denied cell (13.10)', () => {
  it('serves release with each denied cell, and none with an allowed one', async () => {
    const ig = await requestHeaders(
      { userId: 'ig.test', role: Role.IG_OFFICER },
      Purpose.AUDIT,
      null,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      '{ policyMatrix(role: MASH_MANAGER, custodian: "health") { field purpose basis allowed code release } }',
      undefined,
      ig,
    );
    const cells: {
      field: string;
      purpose: string;
      basis: string;
      allowed: boolean;
      code: string | null;
      release: string | null;
    }[] = body.data.policyMatrix;
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells)
      expect(c.allowed ? c.release : typeof c.release).toBe(c.allowed ? null : 'string');
    const cell = (purpose: string, basis: string) =>
      cells.find(
        (c) => c.field === 'HealthContact.summary' && c.purpose === purpose && c.basis === basis,
      )!;
    expect(cell('AGENCY_CHECK', 'CONSENT').release).toMatch(/^Ask for STRATEGY_DISCUSSION once/);
    expect(cell('STRATEGY_DISCUSSION', 'NONE').release).toMatch(/^Record the family's consent/);
    expect(cell('STRATEGY_DISCUSSION', 'CONSENT')).toMatchObject({ allowed: true, release: null });
  });
});
